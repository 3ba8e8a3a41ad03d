import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { ToolSpec } from '../../../shared/tools';
import type { McpServerView } from '../../../shared/tools-channels';
import { call, toAppError } from '../hub';
import { ErrorNote } from '../ui/errors';

type Props = {
  server: string;
  tool: ToolSpec;
  autoApproved: boolean;
  onServer: (server: McpServerView) => void;
};

/** One tool a server offers: its description, its input schema, and whether it runs without asking. */
export function ToolItem({ server, tool, autoApproved, onServer }: Props) {
  const { t } = useTranslation('settings');
  /** The box as the user set it, while main saves it. */
  const [pending, setPending] = useState<boolean | null>(null);
  const busy = pending !== null;
  const [error, setError] = useState<AppError | null>(null);
  const ids = { auto: useId(), name: useId() };

  const setAuto = async (auto: boolean) => {
    setPending(auto);
    setError(null);
    try {
      onServer(await call('tools.setAutoApprove', { name: server, tool: tool.name, auto }));
    } catch (cause) {
      setError(toAppError(cause));
    } finally {
      setPending(null);
    }
  };

  return (
    <li className="tool-item" aria-labelledby={ids.name}>
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
      </div>
      {tool.description ? <p className="tool-item-description">{tool.description}</p> : null}
      <details className="tool-schema">
        <summary>{t('tools.inputSchema')}</summary>
        <pre>{JSON.stringify(tool.inputSchema, null, 2)}</pre>
      </details>
      {error ? <ErrorNote error={error} /> : null}
    </li>
  );
}
