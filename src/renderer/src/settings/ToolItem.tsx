import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { ToolSpec } from '../../../shared/tools';
import { toAppError } from '../hub';
import { ErrorNote } from '../ui/errors';
import { TryTool } from './TryTool';

type Props = {
  tool: ToolSpec;
  autoApproved: boolean;
  /** Saves "run without asking". */
  onAuto: (auto: boolean) => Promise<void>;
  /** The server whose tool this is, to run it by hand ("Try it"). */
  tryOn?: string;
};

/** One tool a server offers: its description, its input schema, whether it runs without asking, and "Try it". */
export function ToolItem({ tool, autoApproved, onAuto, tryOn }: Props) {
  const { t } = useTranslation('settings');
  /** The box as the user set it, while main saves it. */
  const [pending, setPending] = useState<boolean | null>(null);
  const busy = pending !== null;
  const [error, setError] = useState<AppError | null>(null);
  const [trying, setTrying] = useState(false);
  const tryButton = useRef<HTMLButtonElement>(null);
  const ids = { auto: useId(), name: useId() };

  const setAuto = async (auto: boolean) => {
    setPending(auto);
    setError(null);
    try {
      await onAuto(auto);
    } catch (cause) {
      setError(toAppError(cause));
    } finally {
      setPending(null);
    }
  };

  return (
    <li className="tool-item" aria-labelledby={ids.name} data-testid="tool-item">
      <div className="tool-item-head">
        <p className="tool-item-name">
          <code id={ids.name}>{tool.name}</code>
          {tool.title && tool.title !== tool.name ? <span className="muted"> {tool.title}</span> : null}
        </p>
        <label className="settings-toggle tool-auto" htmlFor={ids.auto}>
          <input
            id={ids.auto}
            type="checkbox"
            checked={pending ?? autoApproved}
            disabled={busy}
            aria-busy={busy}
            onChange={(event) => void setAuto(event.target.checked)}
          />
          {t('tools.runWithoutAsking')}
        </label>
        {tryOn && !trying ? (
          <button
            ref={tryButton}
            type="button"
            className="button"
            aria-label={t('tools.try.openOf', { tool: tool.name })}
            onClick={() => setTrying(true)}
          >
            {t('tools.try.open')}
          </button>
        ) : null}
      </div>
      {tool.description ? <p className="tool-item-description">{tool.description}</p> : null}
      <details className="tool-schema">
        <summary>{t('tools.inputSchema')}</summary>
        <pre>{JSON.stringify(tool.inputSchema, null, 2)}</pre>
      </details>
      {tryOn && trying ? (
        <TryTool
          server={tryOn}
          tool={tool}
          onClose={() => {
            setTrying(false);
            requestAnimationFrame(() => tryButton.current?.focus());
          }}
        />
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
    </li>
  );
}
