import type { AppErrorKind } from '../../shared/errors';

/** The line a command prints on stderr when main retries a request: `rate limited; retrying in 6 s (1 of 2)`. */
export function retryNotice(retrying: {
  reason: AppErrorKind;
  waitMs: number;
  attempt: number;
  maxAttempts: number;
}): string {
  const why = retrying.reason === 'rate_limited' ? 'rate limited' : 'the request failed';
  const seconds = Math.max(1, Math.ceil(retrying.waitMs / 1000));
  return `${why}; retrying in ${seconds} s (${retrying.attempt} of ${retrying.maxAttempts})`;
}
