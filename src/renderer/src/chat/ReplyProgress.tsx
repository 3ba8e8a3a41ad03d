import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatRetrying } from '../../../shared/chat';

/** How often a running counter looks at the clock again. */
const TICK_MS = 500;

/**
 * The milliseconds since the component mounted, kept current while `running`. Reads the page's clock (`Date.now`),
 * which the browser tests set.
 */
function useElapsedMs(running: boolean): number {
  const [since] = useState(() => Date.now());
  const [now, setNow] = useState(since);
  useEffect(() => {
    if (!running) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, [running]);
  return Math.max(0, now - since);
}

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

type Retry = Pick<ChatRetrying, 'attempt' | 'maxAttempts' | 'waitMs' | 'reason'>;

/**
 * The wait before a failed request is tried again, counting down, and which retry of how many it is (main sends the
 * wait; the window words it).
 */
export function RetryNotice({ retrying }: { retrying: Retry }) {
  return <RetryCountdown key={retrying.attempt} retrying={retrying} />;
}

function RetryCountdown({ retrying }: { retrying: Retry }) {
  const { t } = useTranslation('chat');
  const elapsedMs = useElapsedMs(true);
  const seconds = Math.max(1, Math.ceil((retrying.waitMs - elapsedMs) / 1000));
  return (
    <p className="waiting retrying" role="status" data-testid="retrying">
      <span className="spinner" aria-hidden="true" />{' '}
      {t(retrying.reason === 'rate_limited' ? 'message.rateLimitedRetry' : 'message.failedRetry', {
        seconds,
        attempt: retrying.attempt,
        maxAttempts: retrying.maxAttempts,
      })}
    </p>
  );
}
