import type { EndpointKey } from '../../shared/endpoints';
import { RETRY_IN_SECONDS } from '../../shared/error-reasons';
import type { AppError } from '../../shared/errors';
import { cancelledError, HubError } from '../base/errors';
import { formatDuration } from './errors';

/** Calls that create a billed video job: a retry after a timeout or 5xx could create (and bill) it twice. */
export const videoJobCreateEndpoints: ReadonlySet<EndpointKey> = new Set<EndpointKey>([
  'sora.create',
  'sora.remix',
  'seedance.create',
  'kling.text2video',
  'kling.image2video',
  'veo.create',
]);

export const DEFAULT_MAX_RETRIES = 2;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 8_000;
/** A server asking for a longer wait than this is not retried automatically; the user sees the wait instead. */
export const MAX_SERVER_DELAY_MS = 20_000;

/** What a caller hears before each automatic retry, so it can show "retrying in N s". */
export interface RetryNotice {
  /** 1 for the first retry. */
  retry: number;
  maxRetries: number;
  delayMs: number;
  /** Why the last attempt failed. */
  error: AppError;
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Whether a failed attempt may be repeated (before looking at the attempt count or the endpoint). */
export function isRetryableError(info: AppError): boolean {
  if (info.kind === 'cancelled' || info.kind === 'quota') return false;
  if (info.status !== undefined && info.status >= 400) return isRetryableStatus(info.status);
  // Kling reports errors with HTTP 200 and a non-zero code.
  if (info.status !== undefined) return info.kind === 'rate_limited' || info.kind === 'server';
  if (info.kind === 'network') return true;
  return info.kind === 'timeout' && info.code === 'UND_ERR_CONNECT_TIMEOUT';
}

/** 0.5 s · 2ⁿ capped at 8 s, minus up to 25 % jitter. `retryIndex` 0 is the first retry. */
export function backoffDelayMs(retryIndex: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retryIndex);
  return Math.round(base * (1 - 0.25 * random()));
}

export interface RetryPolicy {
  maxRetries: number;
  random: () => number;
}

/**
 * How long to wait before retry number `retryIndex` (0-based), or null to give up. The server's own delay
 * (retry-after-ms, Retry-After, Google RetryInfo, already parsed into `retryAfterMs`) wins over backoff.
 */
export function retryDelayFor(info: AppError, retryIndex: number, policy: RetryPolicy): number | null {
  if (retryIndex >= policy.maxRetries || !isRetryableError(info)) return null;
  if (info.retryAfterMs !== undefined) {
    return info.retryAfterMs <= MAX_SERVER_DELAY_MS ? Math.max(0, info.retryAfterMs) : null;
  }
  return backoffDelayMs(retryIndex, policy.random);
}

/** Default of `ApiCall.retry`: false for video job creation. */
export function retryAllowedByDefault(endpoint: EndpointKey): boolean {
  return !videoJobCreateEndpoints.has(endpoint);
}

export interface RetryLoop extends RetryPolicy {
  /** False: the first failure is final (video job creation). */
  allowed: boolean;
  signal: AbortSignal | undefined;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Any thrown value as the app's error (redacted; 'cancelled' once `signal` aborted). */
  normalize: (error: unknown) => AppError;
  /** e.g. "POST http://127.0.0.1:8080/v1/chat/completions", at the start of each log line. */
  label: string;
  log: (line: string) => void;
  onRetry?: ((notice: RetryNotice) => void) | undefined;
}

/** The final error; a server-asked wait that was not waited out is named in it. */
function finalError(info: AppError): HubError {
  const wait = info.retryAfterMs;
  if (wait === undefined || wait <= 0 || info.kind === 'quota' || /Try again in /.test(info.message)) {
    return new HubError(info);
  }
  const seconds = Math.max(1, Math.ceil(wait / 1000));
  const when = seconds < 120 ? `${seconds} s` : formatDuration(wait);
  const message = `${info.message.replace(/\.?$/, '.')} Try again in ${when}.`;
  return new HubError({
    ...info,
    message,
    ...(info.reason
      ? { reason: { ...info.reason, values: { ...info.reason.values, [RETRY_IN_SECONDS]: seconds } } }
      : {}),
  });
}

/**
 * Runs `attempt` until it succeeds or `retryDelayFor` gives up, waiting between attempts. Every failure is logged;
 * the last is thrown as a HubError. A cancel while waiting throws a cancelled error at once.
 */
export async function withRetries<T>(attempt: () => Promise<T>, loop: RetryLoop): Promise<T> {
  for (let retryIndex = 0; ; retryIndex++) {
    try {
      return await attempt();
    } catch (error) {
      const info = loop.normalize(error);
      const delay =
        loop.allowed && info.kind !== 'cancelled'
          ? retryDelayFor(info, retryIndex, { maxRetries: loop.maxRetries, random: loop.random })
          : null;
      if (delay === null) {
        loop.log(`${loop.label} failed: ${info.message}`);
        throw finalError(info);
      }
      loop.log(
        `${loop.label} failed: ${info.message} Retry ${retryIndex + 1} of ${loop.maxRetries} in ${delay} ms.`,
      );
      loop.onRetry?.({ retry: retryIndex + 1, maxRetries: loop.maxRetries, delayMs: delay, error: info });
      try {
        await loop.sleep(delay, loop.signal);
      } catch {
        throw cancelledError();
      }
      if (loop.signal?.aborted) throw cancelledError();
    }
  }
}

/** Waits `ms`; rejects with an AbortError as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('The operation was aborted.', 'AbortError'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DOMException('The operation was aborted.', 'AbortError'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
