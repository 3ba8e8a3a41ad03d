import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import { type ArgumentProblem, checkArguments, draftArguments } from '../../../shared/tool-arguments';
import type { ToolResult, ToolSpec } from '../../../shared/tools';
import { call, toAppError } from '../hub';
import { ErrorNote, FieldError } from '../ui/errors';
import { ToolResultView } from '../ui/ToolResultView';

type Props = {
  server: string;
  tool: ToolSpec;
  onClose: () => void;
};

type Outcome =
  | { kind: 'result'; result: ToolResult }
  | { kind: 'error'; error: AppError }
  | { kind: 'cancelled' };

/** Runs one tool by hand with arguments typed as JSON (checked against its input schema); Cancel stops it in main. */
export function TryTool({ server, tool, onClose }: Props) {
  const { t } = useTranslation('settings');
  const [text, setText] = useState(() => draftArguments(tool.inputSchema));
  const [problems, setProblems] = useState<ArgumentProblem[]>([]);
  const [running, setRunning] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const argsRef = useRef<HTMLTextAreaElement>(null);
  const ids = { args: useId(), problems: useId(), hint: useId() };
  const live = useRef(true);
  /** The call under way, for a cancel when the form goes away (Settings closed) while it runs. */
  const runningId = useRef<string | null>(null);

  useEffect(() => {
    argsRef.current?.focus();
    return () => {
      live.current = false;
      if (runningId.current)
        void call('tools.cancelCall', { callId: runningId.current }).catch(() => undefined);
    };
  }, []);

  const problemText = (problem: ArgumentProblem): string => {
    switch (problem.kind) {
      case 'notJson':
        return t('tools.try.notJson', { detail: problem.detail });
      case 'notObject':
        return t('tools.try.notObject');
      case 'missing':
        return t('tools.try.missing', { property: problem.property });
      case 'wrongType':
        return t('tools.try.wrongType', { property: problem.property, expected: problem.expected });
      case 'notInEnum':
        return t('tools.try.notInEnum', { property: problem.property, allowed: problem.allowed });
    }
  };

  const run = async (event: Pick<FormEvent, 'preventDefault'>) => {
    event.preventDefault();
    if (running) return;
    const checked = checkArguments(text, tool.inputSchema);
    if (!checked.ok) {
      setProblems(checked.problems);
      argsRef.current?.focus();
      return;
    }
    setProblems([]);
    setOutcome(null);
    const callId = crypto.randomUUID();
    runningId.current = callId;
    setRunning(callId);
    try {
      const result = await call('tools.call', { name: server, tool: tool.name, args: checked.value, callId });
      if (live.current) setOutcome({ kind: 'result', result });
    } catch (cause) {
      const error = toAppError(cause);
      if (live.current)
        setOutcome(error.kind === 'cancelled' ? { kind: 'cancelled' } : { kind: 'error', error });
    } finally {
      runningId.current = null;
      if (live.current) {
        setRunning(null);
        // The Cancel button that had the focus is gone: the arguments take it.
        if (document.activeElement === document.body) argsRef.current?.focus();
      }
    }
  };

  const cancel = () => {
    if (running) void call('tools.cancelCall', { callId: running }).catch(() => undefined);
  };

  const problemMessage = problems.length > 0 ? problems.map(problemText).join(' ') : null;

  return (
    <form
      className="stack tool-try"
      onSubmit={(event) => void run(event)}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
          if (running) cancel();
          else onClose();
        } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          void run(event);
        }
      }}
      aria-label={t('tools.try.label', { tool: tool.name })}
      data-testid="tool-try"
      noValidate
    >
      <div className="field">
        <label htmlFor={ids.args} className="label">
          {t('tools.try.arguments')}
        </label>
        <textarea
          ref={argsRef}
          id={ids.args}
          className="tool-try-args"
          rows={Math.min(12, Math.max(3, text.split('\n').length))}
          value={text}
          spellCheck={false}
          aria-invalid={problemMessage ? true : undefined}
          aria-describedby={problemMessage ? ids.problems : ids.hint}
          onChange={(event) => {
            setText(event.target.value);
            setProblems([]);
          }}
        />
        <FieldError id={ids.problems} message={problemMessage} />
        {problemMessage ? null : (
          <p id={ids.hint} className="hint">
            {t('tools.try.hint')}
          </p>
        )}
      </div>
      <div className="button-row">
        <button
          type="submit"
          className="button button-primary"
          disabled={running !== null}
          aria-busy={running !== null}
        >
          {running ? <span className="spinner" aria-hidden="true" /> : null}
          {running ? t('tools.try.running') : t('tools.try.run')}
        </button>
        {running ? (
          <button type="button" className="button" onClick={cancel}>
            {t('tools.try.cancel')}
          </button>
        ) : (
          <button type="button" className="button" onClick={onClose}>
            {t('tools.try.close')}
          </button>
        )}
      </div>
      <div aria-live="polite" className="tool-try-outcome">
        {outcome?.kind === 'result' ? <ToolResultView result={outcome.result} /> : null}
        {outcome?.kind === 'cancelled' ? <p className="hint">{t('tools.try.cancelled')}</p> : null}
        {outcome?.kind === 'error' ? <ErrorNote error={outcome.error} /> : null}
      </div>
    </form>
  );
}
