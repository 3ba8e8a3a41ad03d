import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ToolCall } from '../../../shared/chat';
import type { RequestOf } from '../../../shared/contract';
import type { AppError } from '../../../shared/errors';
import { BUILTIN_TOOL_SERVER } from '../../../shared/tools';
import { call, toAppError } from '../hub';
import { ErrorNote } from '../ui/errors';
import { prettyArguments } from './tool-format';

type Decision = RequestOf<'chat.answerTool'>['decision'];
type Mode = 'choose' | 'deny' | 'edit';

/** The edited arguments as an object, or why they cannot be sent. */
function parseArguments(
  text: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; key: 'tool.notJson' | 'tool.notObject' } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, key: 'tool.notJson' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, key: 'tool.notObject' };
  return { ok: true, value: value as Record<string, unknown> };
}

/** Asks the user whether a waiting tool call runs: once, always (this tool, from now on), denied, or with edited arguments. */
export function ToolApproval({
  messageId,
  toolCall,
}: {
  messageId: string;
  toolCall: ToolCall & { server: string; tool: string };
}) {
  const { t } = useTranslation('chat');
  const [mode, setMode] = useState<Mode>('choose');
  const [reason, setReason] = useState('');
  const [edited, setEdited] = useState(() => prettyArguments(toolCall.arguments) || '{}');
  const [editProblem, setEditProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [gone, setGone] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const card = useRef<HTMLElement>(null);
  const ids = { title: useId(), args: useId(), reason: useId(), edit: useId(), problem: useId() };

  // The card may appear before its row is shown (the list measures new rows hidden): try until it holds the focus.
  useEffect(() => {
    let frame = 0;
    let tries = 0;
    const take = () => {
      card.current?.focus();
      if (document.activeElement !== card.current && ++tries < 60) frame = requestAnimationFrame(take);
    };
    take();
    return () => cancelAnimationFrame(frame);
  }, []);

  const answer = async (decision: Decision, before?: () => Promise<unknown>) => {
    if (sending) return;
    setSending(true);
    setError(null);
    try {
      if (before) await before();
      const result = await call('chat.answerTool', { messageId, callId: toolCall.id, decision });
      if (!result.answered) setGone(true);
    } catch (cause) {
      setError(toAppError(cause));
    } finally {
      setSending(false);
    }
  };

  const allowAlways = () =>
    answer({ kind: 'allow' }, () =>
      toolCall.server === BUILTIN_TOOL_SERVER
        ? call('tools.setBuiltinAutoApprove', { tool: toolCall.tool, auto: true })
        : call('tools.setAutoApprove', { name: toolCall.server, tool: toolCall.tool, auto: true }),
    );

  const deny = () => {
    const text = reason.trim();
    void answer(text ? { kind: 'deny', reason: text } : { kind: 'deny' });
  };

  const sendEdited = () => {
    const parsed = parseArguments(edited);
    if (!parsed.ok) {
      setEditProblem(t(parsed.key));
      return;
    }
    setEditProblem(null);
    void answer({ kind: 'edit', arguments: parsed.value });
  };

  const back = () => {
    setMode('choose');
    card.current?.focus();
  };

  const onCardKey = (event: KeyboardEvent<HTMLElement>) => {
    if (event.target !== card.current || mode !== 'choose') return;
    if (event.key === 'Enter') {
      event.preventDefault();
      void answer({ kind: 'allow' });
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      setMode('deny');
    }
  };

  return (
    <section
      ref={card}
      className="tool-approval"
      aria-labelledby={ids.title}
      aria-describedby={ids.args}
      tabIndex={-1}
      onKeyDown={onCardKey}
      data-testid="tool-approval"
    >
      <p id={ids.title} className="tool-approval-title">
        {t('tool.approvalTitle', { tool: toolCall.tool, server: toolCall.server })}
      </p>
      <pre id={ids.args} className="tool-approval-args">
        {prettyArguments(toolCall.arguments) || t('message.noArguments')}
      </pre>
      {gone ? (
        <p className="hint" role="status">
          {t('tool.noLongerWaiting')}
        </p>
      ) : mode === 'choose' ? (
        <>
          <p className="hint">{t('tool.approvalKeys')}</p>
          <div className="button-row tool-approval-actions">
            <button
              type="button"
              className="button button-primary"
              disabled={sending}
              onClick={() => void answer({ kind: 'allow' })}
            >
              {t('tool.allowOnce')}
            </button>
            <button
              type="button"
              className="button"
              disabled={sending}
              onClick={() => void allowAlways()}
              title={t('tool.allowAlwaysTitle', { tool: toolCall.tool, server: toolCall.server })}
            >
              {t('tool.allowAlways')}
            </button>
            <button type="button" className="button" disabled={sending} onClick={() => setMode('edit')}>
              {t('tool.editArguments')}
            </button>
            <button
              type="button"
              className="button button-quiet-danger"
              disabled={sending}
              onClick={() => setMode('deny')}
            >
              {t('tool.deny')}
            </button>
          </div>
        </>
      ) : mode === 'deny' ? (
        <div className="tool-approval-form">
          <label htmlFor={ids.reason} className="label">
            {t('tool.denyReason')}
          </label>
          <input
            id={ids.reason}
            type="text"
            value={reason}
            maxLength={2000}
            placeholder={t('tool.denyReasonPlaceholder')}
            onChange={(event) => setReason(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
                event.preventDefault();
                deny();
              } else if (event.key === 'Escape') {
                event.stopPropagation();
                back();
              }
            }}
            // biome-ignore lint/a11y/noAutofocus: the field appears because the user just chose Deny
            autoFocus
          />
          <div className="button-row tool-approval-actions">
            <button type="button" className="button button-danger" disabled={sending} onClick={deny}>
              {t('tool.sendDenial')}
            </button>
            <button type="button" className="button" disabled={sending} onClick={back}>
              {t('tool.back')}
            </button>
          </div>
        </div>
      ) : (
        <div className="tool-approval-form">
          <label htmlFor={ids.edit} className="label">
            {t('tool.editLabel')}
          </label>
          <textarea
            id={ids.edit}
            className="tool-approval-edit"
            value={edited}
            rows={Math.min(14, Math.max(4, edited.split('\n').length))}
            spellCheck={false}
            aria-invalid={editProblem ? true : undefined}
            aria-describedby={editProblem ? ids.problem : undefined}
            onChange={(event) => {
              setEdited(event.target.value);
              setEditProblem(null);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                event.preventDefault();
                sendEdited();
              } else if (event.key === 'Escape') {
                event.stopPropagation();
                back();
              }
            }}
            // biome-ignore lint/a11y/noAutofocus: the box appears because the user just chose Edit arguments
            autoFocus
          />
          {editProblem ? (
            <p id={ids.problem} className="field-error" role="alert">
              {editProblem}
            </p>
          ) : (
            <p className="hint">{t('tool.editKeys')}</p>
          )}
          <div className="button-row tool-approval-actions">
            <button type="button" className="button button-primary" disabled={sending} onClick={sendEdited}>
              {t('tool.allowEdited')}
            </button>
            <button type="button" className="button" disabled={sending} onClick={back}>
              {t('tool.back')}
            </button>
          </div>
        </div>
      )}
      {error ? <ErrorNote error={error} /> : null}
    </section>
  );
}
