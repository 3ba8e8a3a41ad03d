import './tool-result.css';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ToolContent, ToolResult } from '../../../shared/tools';

function ContentItem({ item }: { item: ToolContent }) {
  const { t } = useTranslation('common');
  switch (item.type) {
    case 'text':
      return <pre className="tool-output-text">{item.text}</pre>;
    case 'image':
      return (
        <img
          className="tool-output-image"
          src={`data:${item.mimeType};base64,${item.data}`}
          alt={t('toolResult.image', { type: item.mimeType })}
        />
      );
    case 'audio':
      return (
        // biome-ignore lint/a11y/useMediaCaption: a tool's audio result comes without captions
        <audio className="tool-output-audio" controls src={`data:${item.mimeType};base64,${item.data}`} />
      );
    case 'resource':
      return (
        <div className="tool-output-resource">
          <code>{item.uri}</code>
          {item.text ? <pre className="tool-output-text">{item.text}</pre> : null}
        </div>
      );
  }
}

/**
 * What a tool gave back: text, images, audio, resources, structured content; an error result says so. `inline`
 * drops the frame and the error line, for a place that already says both (the chat's collapsed result).
 */
export function ToolResultView({
  result,
  inline = false,
  children,
}: {
  result: ToolResult;
  inline?: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation('common');
  return (
    <div
      className={`tool-output${inline ? ' tool-output-inline' : ''}${result.isError ? ' is-error' : ''}`}
      data-testid="tool-output"
    >
      {result.isError && !inline ? <p className="tool-output-error">{t('toolResult.error')}</p> : null}
      {result.content.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a result's items never move
        <ContentItem key={index} item={item} />
      ))}
      {result.structuredContent !== undefined ? (
        <figure className="tool-output-structured">
          <figcaption className="muted">{t('toolResult.structured')}</figcaption>
          <pre className="tool-output-json">{JSON.stringify(result.structuredContent, null, 2)}</pre>
        </figure>
      ) : null}
      {result.content.length === 0 && result.structuredContent === undefined ? (
        <p className="muted">{t('toolResult.empty')}</p>
      ) : null}
      {children}
    </div>
  );
}
