import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useElapsedMs } from '../ui/useElapsedMs';

/**
 * The model's reasoning: open while it streams with "Thinking… 12 s" counting, collapsed with "Thought for 12 s"
 * once the answer begins (the user can open it again). `reasoningMs` is main's measure, set when the thinking ended.
 */
export function ReasoningBlock({
  reasoning,
  streaming,
  reasoningMs,
}: {
  reasoning: string;
  streaming: boolean;
  reasoningMs: number | undefined;
}) {
  const { t } = useTranslation('chat');
  const thinking = streaming && reasoningMs === undefined;
  const elapsedMs = useElapsedMs(thinking);
  const [open, setOpen] = useState(thinking);
  const [wasThinking, setWasThinking] = useState(thinking);
  if (wasThinking !== thinking) {
    setWasThinking(thinking);
    if (!thinking) setOpen(false);
  }
  const summary = thinking
    ? t('reply.thinking', { seconds: Math.floor(elapsedMs / 1000) })
    : reasoningMs !== undefined
      ? t('reply.thoughtFor', { seconds: Math.max(1, Math.round(reasoningMs / 1000)) })
      : t('message.reasoning');
  return (
    <details
      className={`reasoning${thinking ? ' is-thinking' : ''}`}
      open={open}
      onToggle={(event) => setOpen(event.currentTarget.open)}
      data-testid="reasoning"
    >
      <summary>
        {thinking ? <span className="spinner" aria-hidden="true" /> : null}
        <span>{summary}</span>
      </summary>
      <div className="reasoning-text">{reasoning}</div>
    </details>
  );
}
