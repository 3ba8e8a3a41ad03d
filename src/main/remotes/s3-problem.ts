import { connectionProblem, messageOf, statusOf } from './remote-failure';
import type { ConnectionReport } from './remote-store';

/** How far S3 lets a signature's time be from its own (AWS: 15 minutes). */
const allowedSkewMs = 15 * 60 * 1000;

interface SdkError {
  name?: string;
  ServerTime?: string;
  $response?: { headers?: Record<string, string | undefined> };
}

/**
 * What a failed step of the S3 connection test says is wrong. `localNow` is this computer's time by the clock the
 * request was signed with; `skewMs` is the server's time minus it (negative: this computer is ahead).
 */
export function s3Problem(error: unknown, step: string, localNow: number): ConnectionReport {
  const sdk = error as SdkError;
  const name = sdk.name ?? '';
  const detail = `${step}: ${name ? `${name}: ` : ''}${messageOf(error)}`;
  const unreached = connectionProblem(error);
  if (unreached) return { ok: false, problem: unreached, detail };
  const status = statusOf(error);
  const serverTime = Date.parse(sdk.ServerTime ?? sdk.$response?.headers?.date ?? '');
  const skewMs = Number.isNaN(serverTime) ? undefined : serverTime - localNow;
  const skewed = skewMs !== undefined && Math.abs(skewMs) > allowedSkewMs;
  if (name === 'RequestTimeTooSkewed' || (status === 403 && skewed)) {
    return {
      ok: false,
      problem: 'clock_skew',
      detail,
      ...(status ? { status } : {}),
      ...(skewMs !== undefined ? { skewMs } : {}),
    };
  }
  // An answer that is not S3's XML error: the endpoint is some other web server.
  if (name === 'Unknown' || messageOf(error) === 'UnknownError') {
    return { ok: false, problem: 'address', detail, ...(status ? { status } : {}) };
  }
  if (name === 'NoSuchBucket') return { ok: false, problem: 'not_found', detail, status };
  if (name === 'InvalidAccessKeyId' || name === 'SignatureDoesNotMatch' || status === 401) {
    return { ok: false, problem: 'auth', detail, status };
  }
  if (name === 'AccessDenied' || status === 403) return { ok: false, problem: 'permission', detail, status };
  if (status === undefined || status === 404 || status === 405) {
    return { ok: false, problem: 'address', detail, ...(status ? { status } : {}) };
  }
  return { ok: false, problem: 'unknown', detail, status };
}
