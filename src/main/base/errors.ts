import type { z } from 'zod';
import type { HubReasonCode } from '../../shared/error-reasons';
import type { AppError } from '../../shared/errors';
import { describeInputIssue, fieldWords, inputIssueOf } from '../../shared/input-issues';
import { redact, truncate } from './redact';

/** The app's one error, thrown inside main; `info` is the plain value that crosses IPC. */
export class HubError extends Error {
  readonly info: AppError;

  constructor(info: AppError) {
    super(info.message);
    this.name = 'HubError';
    this.info = info;
  }
}

/** Network failures by system or undici error code, in words (the window's: `errors:causes.<code>`). */
export const networkReasons: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name could not be found',
  EAI_AGAIN: 'the host name could not be looked up (DNS)',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ENETDOWN: 'the network is down',
  EPIPE: 'the connection was closed while sending',
  ECONNABORTED: 'the connection was aborted',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection was closed unexpectedly',
  UND_ERR_CLOSED: 'the connection was closed',
  UND_ERR_DESTROYED: 'the connection was closed',
  UND_ERR_INFO: 'the server sent an invalid answer',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'the answer was shorter than announced',
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: 'the request body did not match its length',
  HPE_INVALID_CONSTANT: 'the server sent an invalid HTTP answer',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain contains a self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate could not be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the server certificate does not match the host name',
};

const timeoutCodes: Record<string, { message: string; reason: HubReasonCode }> = {
  UND_ERR_CONNECT_TIMEOUT: {
    message: 'Could not connect to the proxy in time (connect timeout).',
    reason: 'connectTimeout',
  },
  UND_ERR_HEADERS_TIMEOUT: {
    message: 'The proxy did not start answering in time (timeout waiting for its first answer).',
    reason: 'headersTimeout',
  },
  UND_ERR_BODY_TIMEOUT: {
    message: 'The proxy stopped sending data (timeout between pieces of the answer).',
    reason: 'bodyTimeout',
  },
};

/** Errno codes that, from a file system call, mean the local disk or folder, not the network (`errors:causes`). */
export const fileReasons: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission was denied',
  EPERM: 'the operation is not permitted',
  EROFS: 'the disk is read-only',
  EISDIR: 'a folder is where a file was expected',
  ENOTDIR: 'a file is where a folder was expected',
  ENOENT: 'a file or folder is missing',
  EEXIST: 'a file with that name already exists',
  ENAMETOOLONG: 'the file name is too long',
  EMFILE: 'too many files are open',
  ENFILE: 'too many files are open',
  EIO: 'the disk reported a read or write error',
  EBUSY: 'the file is in use',
};

/** System calls of sockets and name lookups: an errno from one of these is a network failure. */
const networkSyscalls = new Set(['connect', 'getaddrinfo', 'getnameinfo', 'queryA', 'queryAaaa', 'bind']);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  syscall?: unknown;
  path?: unknown;
  address?: unknown;
}

function asErrorLike(value: unknown): ErrorLike | null {
  return typeof value === 'object' && value !== null ? (value as ErrorLike) : null;
}

/** The error itself and its `cause` chain (fetch wraps the real reason in `cause`). */
function causeChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let current = asErrorLike(error);
  while (current && chain.length < 5 && !chain.includes(current)) {
    chain.push(current);
    current = asErrorLike(current.cause);
  }
  return chain;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

const cancelled: AppError = {
  kind: 'cancelled',
  message: 'The request was cancelled.',
  reason: { code: 'requestCancelled', values: {} },
};

export function cancelledError(): HubError {
  return new HubError(cancelled);
}

/** An errno error of a local file (it names a path, or comes from no socket call). */
function fileError(link: ErrorLike): AppError | null {
  const code = stringOf(link.code);
  if (!code || !fileReasons[code]) return null;
  const syscall = stringOf(link.syscall);
  if (link.address !== undefined || (syscall && networkSyscalls.has(syscall))) return null;
  const path = stringOf(link.path);
  if (!path && !syscall) return null;
  const shownPath = path ? truncate(redact(path), 200) : '';
  return {
    kind: 'file',
    message: `A file on this computer could not be used: ${fileReasons[code]}${path ? ` (${shownPath})` : ''}.`,
    code,
    reason: shownPath
      ? { code: 'fileFailedAt', values: { cause: code, path: shownPath } }
      : { code: 'fileFailed', values: { cause: code } },
  };
}

/** better-sqlite3's error: the local database, never the proxy. */
function databaseError(link: ErrorLike): AppError | null {
  if (stringOf(link.name) !== 'SqliteError') return null;
  const code = stringOf(link.code);
  const detail = stringOf(link.message);
  const full = code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_WRITE';
  const shown = detail ? truncate(redact(detail), 300) : '';
  return {
    kind: 'database',
    message: full
      ? 'The database could not be saved: the disk is full.'
      : `The database on this computer failed${shown ? `: ${shown}` : '.'}`,
    ...(code ? { code } : {}),
    reason: full
      ? { code: 'databaseFull', values: {} }
      : { code: 'databaseFailed', values: { detail: shown } },
  };
}

/** An HTTP proxy that refused the tunnel; undici reports it as an abort or a bad argument. */
function proxyRefusal(link: ErrorLike): AppError | null {
  const message = stringOf(link.message) ?? '';
  const status =
    /Proxy response \((\d{3})\)/.exec(message)?.[1] ??
    /Proxy Authentication Required \((407)\)/.exec(message)?.[1];
  if (!status) return null;
  if (status === '407') {
    return {
      kind: 'proxy_auth',
      message: 'The HTTP proxy asks for a login (407): its user name or password is missing or wrong.',
      status: 407,
      reason: { code: 'proxyLogin', values: {} },
    };
  }
  return {
    kind: 'network',
    message: `The HTTP proxy refused to connect to the server (${status}).`,
    code: 'proxy_refused',
    reason: { code: 'proxyRefused', values: { status: Number(status) } },
  };
}

/**
 * Maps anything thrown to the app's error value. Never throws. An abort reads as `cancelled` here; a caller
 * that knows its own signal did not abort says otherwise (`HttpClient`).
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof HubError) return error.info;
  const chain = causeChain(error);
  for (const link of chain) {
    if (link instanceof HubError) return link.info;
  }
  for (const link of chain) {
    const known = databaseError(link) ?? fileError(link) ?? proxyRefusal(link);
    if (known) return known;
  }
  for (const link of chain) {
    const name = stringOf(link.name);
    const code = stringOf(link.code);
    if (name === 'AbortError' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED') {
      return cancelled;
    }
    if (name === 'TimeoutError') {
      return {
        kind: 'timeout',
        message: 'The proxy did not answer in time.',
        reason: { code: 'timeout', values: {} },
      };
    }
    const timeout = code ? timeoutCodes[code] : undefined;
    if (code && timeout) {
      return {
        kind: 'timeout',
        message: timeout.message,
        code,
        reason: { code: timeout.reason, values: {} },
      };
    }
    if (code && networkReasons[code]) {
      return {
        kind: 'network',
        message: `Could not reach the proxy: ${networkReasons[code]}.`,
        code,
        reason: { code: 'unreachable', values: { cause: code } },
      };
    }
  }
  for (const link of chain) {
    const code = stringOf(link.code);
    if (code && /^(E[A-Z]+|UND_ERR_.+|HPE_.+|ERR_TLS_.+)$/.test(code)) {
      return {
        kind: 'network',
        message: `Could not reach the proxy (${code}).`,
        code,
        reason: { code: 'unreachableCode', values: { cause: code } },
      };
    }
  }
  const detail = stringOf(asErrorLike(error)?.message) ?? (typeof error === 'string' ? error : undefined);
  const shown = detail ? truncate(redact(detail), 300) : '';
  return {
    kind: 'internal',
    message: shown ? `Something went wrong inside HubDesk: ${shown}` : 'Something went wrong inside HubDesk.',
    reason: { code: 'internal', values: { detail: shown } },
  };
}

/**
 * A request the schema refused, as one sentence that names the field: `names` are the words the user knows a field
 * by (a CLI flag, "the model"); `input` is the request, so the sentence can say what was given.
 */
export function invalidInput(
  issues: z.core.$ZodIssue[],
  input?: unknown,
  names: Record<string, string> = {},
): AppError {
  const first = issues[0];
  if (!first) return { kind: 'invalid_input', message: 'The request is not valid.' };
  const issue = inputIssueOf(first, input);
  const name = names[issue.field];
  return {
    kind: 'invalid_input',
    message: name === undefined ? describeInputIssue(issue) : describeInputIssue(issue, name),
    ...(issue.field ? { field: issue.field } : {}),
    input: { code: issue.code, values: issue.values, ...(issue.custom ? { custom: issue.custom } : {}) },
  };
}

/** One value a schema refused, said as `invalidInput` says it, as the field `field` of the request it came in. */
export function invalidField(issues: z.core.$ZodIssue[], value: unknown, field: string): AppError {
  const inside = issues[0]?.path.map(String).join('.') ?? '';
  return { ...invalidInput(issues, value, { [inside]: fieldWords(field) }), field };
}
