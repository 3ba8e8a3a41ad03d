import { useTranslation } from 'react-i18next';
import type { ToolCall } from '../../../shared/chat';
import { messageFor } from '../hub';
import { ToolResultView } from '../ui/ToolResultView';
import { ToolApproval } from './ToolApproval';
import { prettyArguments, toolParts } from './tool-format';

const statusTone: Record<NonNullable<ToolCall['status']>, string> = {
  streaming: 'neutral',
  waiting: 'warn',
  running: 'neutral',
  done: 'good',
  denied: 'warn',
  failed: 'danger',
  cancelled: 'warn',
  skipped: 'neutral',
};

/** One tool call of a reply: who and what, its status, the arguments as written, the approval it waits for, its result. */
export function ToolCallCard({ messageId, toolCall }: { messageId: string; toolCall: ToolCall }) {
  const { t } = useTranslation('chat');
  const { server, tool } = toolParts(toolCall);
  const status = toolCall.status;
  const args = prettyArguments(toolCall.arguments);
  const ran = toolCall.runArguments !== undefined ? prettyArguments(toolCall.runArguments) : null;
  const waiting = status === 'waiting' && Boolean(server);
  return (
    <section
      className={`tool-call${status ? ` tool-call-${status}` : ''}`}
      data-testid="tool-call"
      data-status={status ?? 'unknown'}
      data-tool={tool}
      aria-label={t('tool.callLabel', { tool: tool || t('message.unnamedTool'), server: server || '—' })}
    >
      <header className="tool-call-head">
        <span className="tool-call-label">{t('message.toolCall')}</span>
        {server ? <span className="tool-call-server">{server}</span> : null}
        <code className="tool-call-name">{tool || t('message.unnamedTool')}</code>
        {status ? (
          <span className={`badge badge-${statusTone[status]} tool-call-status`} data-testid="tool-status">
            {status === 'streaming' || status === 'running' ? (
              <span className="spinner" aria-hidden="true" />
            ) : null}
            {t(`tool.status.${status}`)}
          </span>
        ) : null}
        {toolCall.approval && toolCall.approval !== 'auto' ? (
          <span className="hint">{t(`tool.approval.${toolCall.approval}`)}</span>
        ) : null}
      </header>
      {waiting ? (
        <ToolApproval messageId={messageId} toolCall={{ ...toolCall, server, tool }} />
      ) : (
        <pre className="tool-call-args" title={t('tool.arguments')}>
          {ran ?? (args || t('message.noArguments'))}
        </pre>
      )}
      {ran !== null ? <p className="hint tool-call-edited">{t('tool.ranEdited')}</p> : null}
      {toolCall.error && !toolCall.result ? (
        <p className="field-error tool-call-error">{messageFor(toolCall.error)}</p>
      ) : null}
      {toolCall.result ? (
        <details
          className={`tool-result${toolCall.result.isError ? ' is-error' : ''}`}
          data-testid="tool-result"
        >
          <summary>{toolCall.result.isError ? t('tool.resultError') : t('tool.result')}</summary>
          <ToolResultView result={toolCall.result} inline>
            {toolCall.truncatedFrom !== undefined ? (
              <p className="hint">{t('tool.truncated', { total: toolCall.truncatedFrom })}</p>
            ) : null}
          </ToolResultView>
        </details>
      ) : null}
    </section>
  );
}
