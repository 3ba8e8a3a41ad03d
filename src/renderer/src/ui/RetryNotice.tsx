import { useTranslation } from 'react-i18next';
import type { AppErrorKind } from '../../../shared/errors';
import { useElapsedMs } from './useElapsedMs';

/** An automatic retry as main tells it (`chat.retrying`, `transcription.retrying`). */
export interface Retry {
  attempt: number;
  maxAttempts: number;
  waitMs: number;
  reason: AppErrorKind;
}

/**
 * The wait before a failed request is tried again, counting down, and which retry of how many it is (main sends the
 * wait; the window words it). A new attempt starts the countdown again.
 */
export function RetryNotice({ retrying, className }: { retrying: Retry; className?: string }) {
  return <RetryCountdown key={retrying.attempt} retrying={retrying} className={className} />;
}

function RetryCountdown({ retrying, className }: { retrying: Retry; className: string | undefined }) {
  const { t } = useTranslation('common');
  const elapsedMs = useElapsedMs(true);
  const seconds = Math.max(1, Math.ceil((retrying.waitMs - elapsedMs) / 1000));
  return (
    <p className={`retry-notice${className ? ` ${className}` : ''}`} role="status" data-testid="retrying">
      <span className="spinner" aria-hidden="true" />{' '}
      {t(retrying.reason === 'rate_limited' ? 'retry.rateLimited' : 'retry.failed', {
        seconds,
        attempt: retrying.attempt,
        maxAttempts: retrying.maxAttempts,
      })}
    </p>
  );
}
