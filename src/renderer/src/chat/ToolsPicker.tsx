import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../../shared/chat';
import { type ChatParams, DEFAULT_TOOL_STEPS } from '../../../shared/chat-params';
import type { AppError } from '../../../shared/errors';
import { BUILTIN_TOOL_SERVER } from '../../../shared/tools';
import type { McpServerView } from '../../../shared/tools-channels';
import { call, toAppError } from '../hub';
import { ErrorNote } from '../ui/errors';

type Props = {
  conversation: Conversation;
  /** Saves the conversation's params with these tool settings changed. */
  onSave: (params: ChatParams) => void;
};

const policies = ['ask', 'auto', 'never'] as const;

/** Which tool servers a chat offers the model, who approves each call, and how many rounds one reply may run. */
export function ToolsPicker({ conversation, onSave }: Props) {
  const { t } = useTranslation('chat');
  const [servers, setServers] = useState<McpServerView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [stepsText, setStepsText] = useState<string | null>(null);
  const ids = { policy: useId(), steps: useId(), stepsProblem: useId() };
  const params = conversation.params;
  const stored = params.toolServers ?? [];
  /** The ticks as the user left them, shown at once while the save is under way. */
  const [ticked, setTicked] = useState<string[] | null>(null);
  const chosen = ticked ?? stored;

  useEffect(() => {
    let live = true;
    call('tools.servers', { connect: false })
      .then((list) => live && setServers(list))
      .catch((cause: unknown) => live && setError(toAppError(cause)));
    return () => {
      live = false;
    };
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: only another conversation resets the typed text
  useEffect(() => {
    setStepsText(null);
    setTicked(null);
  }, [conversation.id]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the stored list changed: it is what the ticks show
  useEffect(() => setTicked(null), [stored.join('\n')]);

  const known = [BUILTIN_TOOL_SERVER, ...(servers ?? []).map((server) => server.name)];
  const missing = chosen.filter((name) => !known.includes(name));
  const names = [...known, ...missing];

  const withParam = <K extends keyof ChatParams>(key: K, value: ChatParams[K] | undefined): ChatParams => {
    const next: ChatParams = { ...params };
    if (value === undefined) delete next[key];
    else next[key] = value;
    return next;
  };

  const toggle = (name: string, on: boolean) => {
    const next = on
      ? [...chosen.filter((item) => item !== name), name]
      : chosen.filter((item) => item !== name);
    setTicked(next);
    onSave(withParam('toolServers', next.length > 0 ? next : undefined));
  };

  const stepsValue = stepsText ?? (params.maxToolSteps === undefined ? '' : String(params.maxToolSteps));
  const steps = stepsValue.trim() === '' ? undefined : Number(stepsValue);
  const stepsBad = steps !== undefined && !(Number.isInteger(steps) && steps >= 1 && steps <= 100);

  const describe = (name: string): string => {
    if (name === BUILTIN_TOOL_SERVER) return t('tools.builtin');
    const server = servers?.find((item) => item.name === name);
    if (!server) return t('tools.notFound');
    if (!server.enabled) return t('tools.disabled');
    return server.tools.length > 0
      ? t('tools.toolCount', { count: server.tools.length })
      : t(`tools.status.${server.status}`);
  };

  return (
    <fieldset className="params tools-picker" data-testid="tools-picker">
      <legend className="label">{t('tools.title')}</legend>
      <p className="hint">{t('tools.hint')}</p>
      {names.map((name) => (
        <label key={name} className="check">
          <input
            type="checkbox"
            checked={chosen.includes(name)}
            onChange={(event) => toggle(name, event.target.checked)}
          />
          <span>
            {name} <span className="muted">· {describe(name)}</span>
          </span>
        </label>
      ))}
      {servers === null && !error ? <p className="muted">{t('tools.loading')}</p> : null}
      {error ? <ErrorNote error={error} /> : null}

      <div className="field">
        <label htmlFor={ids.policy} className="label">
          {t('tools.approval')}
        </label>
        <select
          id={ids.policy}
          value={params.toolApproval ?? 'ask'}
          onChange={(event) => {
            const value = policies.find((policy) => policy === event.target.value) ?? 'ask';
            onSave(withParam('toolApproval', value === 'ask' ? undefined : value));
          }}
        >
          {policies.map((policy) => (
            <option key={policy} value={policy}>
              {t(`tools.policy.${policy}`)}
            </option>
          ))}
        </select>
      </div>

      <div className="field">
        <label htmlFor={ids.steps} className="label">
          {t('tools.maxSteps')}
        </label>
        <input
          id={ids.steps}
          type="number"
          min={1}
          max={100}
          step={1}
          value={stepsValue}
          placeholder={String(DEFAULT_TOOL_STEPS)}
          aria-invalid={stepsBad ? true : undefined}
          aria-describedby={stepsBad ? ids.stepsProblem : undefined}
          onChange={(event) => {
            const text = event.target.value;
            setStepsText(text);
            const value = text.trim() === '' ? undefined : Number(text);
            if (value === undefined || (Number.isInteger(value) && value >= 1 && value <= 100))
              onSave(withParam('maxToolSteps', value));
          }}
        />
        {stepsBad ? (
          <p id={ids.stepsProblem} className="field-error">
            {t('tools.maxStepsProblem')}
          </p>
        ) : (
          <p className="hint">{t('tools.maxStepsHint', { count: DEFAULT_TOOL_STEPS })}</p>
        )}
      </div>
    </fieldset>
  );
}
