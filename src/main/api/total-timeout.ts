import type { Clock } from '../base/clock';
import { HubError } from '../base/errors';
import { formatDuration } from './errors';

/** A per-attempt signal that aborts on the caller's signal or after `timeoutMs`. */
function attemptSignal(user: AbortSignal | undefined, timeoutMs: number) {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(user?.reason);
  if (user?.aborted) controller.abort(user.reason);
  else user?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('The request timed out.', 'TimeoutError'));
  }, timeoutMs);
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose: () => {
      clearTimeout(timer);
      user?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Runs one attempt of a whole call (headers and body) under `totalMs`; past it, the attempt is aborted and fails
 * with kind 'timeout' (code `total_timeout`). The caller's own abort stays a cancellation.
 */
export async function withTotalTimeout<T>(
  userSignal: AbortSignal | undefined,
  totalMs: number,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const attempt = attemptSignal(userSignal, totalMs);
  try {
    return await run(attempt.signal);
  } catch (error) {
    if (attempt.timedOut() && !userSignal?.aborted) {
      throw new HubError({
        kind: 'timeout',
        message: `The proxy did not answer within ${formatDuration(totalMs)}, the time limit of one request.`,
        code: 'total_timeout',
        reason: { code: 'totalTimeout', values: { seconds: Math.round(totalMs / 1000) } },
      });
    }
    throw error;
  } finally {
    attempt.dispose();
  }
}

/** A limit on a whole call, retries and their waits included (`ApiCall.deadlineMs`). */
export interface CallDeadline {
  /** Aborts on the caller's signal or when the deadline passes. */
  signal: AbortSignal | undefined;
  /** The error to throw instead of `error` once the deadline has passed (the caller's abort stays as it is). */
  explain(error: unknown): unknown;
  dispose(): void;
}

export function startDeadline(
  user: AbortSignal | undefined,
  deadlineMs: number | undefined,
  clock: Clock,
): CallDeadline {
  if (deadlineMs === undefined) return { signal: user, explain: (error) => error, dispose: () => {} };
  const controller = new AbortController();
  let passed = false;
  const onAbort = () => controller.abort(user?.reason);
  if (user?.aborted) controller.abort(user.reason);
  else user?.addEventListener('abort', onAbort, { once: true });
  const timer = clock.setTimeout(() => {
    passed = true;
    controller.abort(new DOMException('The deadline passed.', 'TimeoutError'));
  }, deadlineMs);
  return {
    signal: controller.signal,
    explain: (error) =>
      passed && !user?.aborted
        ? new HubError({
            kind: 'timeout',
            message: `The proxy did not answer within ${formatDuration(deadlineMs)}, the deadline of this call.`,
            code: 'deadline',
            reason: { code: 'deadline', values: { seconds: Math.round(deadlineMs / 1000) } },
          })
        : error,
    dispose: () => {
      timer.cancel();
      user?.removeEventListener('abort', onAbort);
    },
  };
}
