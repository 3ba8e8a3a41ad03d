import { useTranslation } from 'react-i18next';
import type { ToolCall } from '../../../shared/chat';
import type { ToolContent, ToolResult } from '../../../shared/tools';
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

function ContentItem({ item }: { item: ToolContent }) {
  const { t } = useTranslation('chat');
  switch (item.type) {
    case 'text':
      return <pre className="tool-result-text">{item.text}</pre>;
    case 'image':
      return (
        <img
          className="tool-result-image"
          src={`data:${item.mimeType};base64,${item.data}`}
          alt={t('tool.resultImage', { type: item.mimeType })}
        />
      );
    case 'audio':
      return (
        // biome-ignore lint/a11y/useMediaCaption: a tool's audio result comes without captions
        <audio className="tool-result-audio" controls src={`data:${item.mimeType};base64,${item.data}`} />
      );
    case 'resource':
      return (
        <div className="tool-result-resource">
          <code>{item.uri}</code>
          {item.text ? <pre className="tool-result-text">{item.text}</pre> : null}
        </div>
      );
  }
}

function ResultBody({ result, truncatedFrom }: { result: ToolResult; truncatedFrom: number | undefined }) {
  const { t } = useTranslation('chat');
  return (
    <div className={`tool-result-body${result.isError ? ' is-error' : ''}`}>
      {result.content.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a result's items never move
        <ContentItem key={index} item={item} />
      ))}
      {result.structuredContent !== undefined ? (
        <pre className="tool-result-json" title={t('tool.structured')}>
          {JSON.stringify(result.structuredContent, null, 2)}
        </pre>
      ) : null}
      {result.content.length === 0 && result.structuredContent === undefined ? (
        <p className="muted">{t('tool.emptyResult')}</p>
      ) : null}
      {truncatedFrom !== undefined ? (
        <p className="hint">{t('tool.truncated', { total: truncatedFrom })}</p>
      ) : null}
    </div>
  );
}

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
        <p className="field-error tool-call-error">{toolCall.error.message}</p>
      ) : null}
      {toolCall.result ? (
        <details
          className={`tool-result${toolCall.result.isError ? ' is-error' : ''}`}
          data-testid="tool-result"
        >
          <summary>{toolCall.result.isError ? t('tool.resultError') : t('tool.result')}</summary>
          <ResultBody result={toolCall.result} truncatedFrom={toolCall.truncatedFrom} />
        </details>
      ) : null}
    </section>
  );
}
