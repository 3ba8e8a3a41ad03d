import { HubError, networkReasons } from '../base/errors';
import type { RemoteProblem } from './remote-store';

/** Certificate and TLS failures by Node's error code. */
const tlsCodes = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

/** Failures that mean the address is wrong or the host is not there. */
const addressCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EPIPE',
  'ERR_INVALID_URL',
]);

interface ErrorLink {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  status?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

function* links(error: unknown): Generator<ErrorLink> {
  let link = error;
  for (let depth = 0; depth < 8 && link !== null && typeof link === 'object'; depth++) {
    yield link as ErrorLink;
    link = (link as ErrorLink).cause;
  }
}

/** The HTTP status an error of the webdav client (`status`) or of the AWS SDK (`$metadata`) carries. */
export function statusOf(error: unknown): number | undefined {
  for (const link of links(error)) {
    if (typeof link.status === 'number') return link.status;
    const status = link.$metadata?.httpStatusCode;
    if (typeof status === 'number') return status;
  }
  return undefined;
}

/** The system error code (`ECONNREFUSED`, `CERT_HAS_EXPIRED`, …) somewhere in the error's cause chain. */
export function systemCodeOf(error: unknown): string | undefined {
  for (const link of links(error)) {
    if (typeof link.code === 'string' && /^[A-Z_]+$/.test(link.code)) return link.code;
  }
  return undefined;
}

/** `address` or `tls` when the request never got an HTTP answer. */
export function connectionProblem(error: unknown): RemoteProblem | undefined {
  const code = systemCodeOf(error);
  if (!code) return undefined;
  if (tlsCodes.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')) return 'tls';
  if (addressCodes.has(code)) return 'address';
  return undefined;
}

export function isAbort(error: unknown): boolean {
  for (const link of links(error)) {
    if (link.name === 'AbortError' || link.code === 'ABORT_ERR') return true;
  }
  return false;
}

export function messageOf(error: unknown): string {
  const message = (error as ErrorLink | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

/**
 * What a failed request to the sync storage becomes for the rest of the app: a `HubError` whose words name the
 * storage (`doing` says what was tried) and whose reason the window words. An abort stays as it is.
 */
export function remoteError(error: unknown, describe: string, doing: string): unknown {
  if (error instanceof HubError || isAbort(error)) return error;
  const status = statusOf(error);
  if (status === undefined) return unreachedError(error, describe, doing) ?? error;
  const where = `${describe}: ${doing} failed (${status})`;
  if (status === 401 || status === 403) {
    return new HubError({
      kind: 'auth',
      message: `${where}: the storage refused the credentials or the access.`,
      status,
      reason: { code: 'syncRefused', values: { status } },
    });
  }
  if (status === 404) {
    return new HubError({
      kind: 'not_found',
      message: `${where}: it does not exist.`,
      status,
      reason: { code: 'syncMissing', values: { status } },
    });
  }
  if (status === 507) {
    return new HubError({
      kind: 'quota',
      message: `${where}: the storage is full.`,
      status,
      reason: { code: 'syncFull', values: {} },
    });
  }
  if (status >= 500) {
    return new HubError({
      kind: 'server',
      message: `${where}: the storage had a problem.`,
      status,
      reason: { code: 'syncServerFailed', values: { status } },
    });
  }
  return new HubError({
    kind: 'bad_request',
    message: `${where}.`,
    status,
    reason: { code: 'syncRequestFailed', values: { status } },
  });
}

/** A request that got no HTTP answer (refused, reset, cut, timed out, no such host) as "cannot be reached". */
function unreachedError(error: unknown, describe: string, doing: string): HubError | undefined {
  const code = systemCodeOf(error);
  if (!code || (!connectionProblem(error) && !networkReasons[code])) return undefined;
  return new HubError({
    kind: 'network',
    code,
    message: `${describe}: ${doing} failed: the storage cannot be reached (${networkReasons[code] ?? code}).`,
    reason: { code: 'syncUnreachable', values: { cause: code } },
  });
}
