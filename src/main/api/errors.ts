import { statusReasonCode } from '../../shared/error-reasons';
import type { AppError, AppErrorKind } from '../../shared/errors';
import { redact, truncate } from '../base/redact';

/** Which wire dialect an endpoint speaks; decides auth headers and error body shapes. */
export type ApiFamily = 'openai' | 'anthropic' | 'google' | 'kling' | 'seedance';

const PROVIDER_MESSAGE_MAX = 500;

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** "850 ms", "30 s", "2 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const rest = seconds % 60;
  return `${Math.floor(seconds / 60)} min${rest ? ` ${rest} s` : ''}`;
}

/** A provider code or message that means no credit or quota is left: waiting and retrying cannot help. */
export function isQuotaWord(word: string | undefined): boolean {
  return (
    word !== undefined &&
    /insufficient_quota|exceeded your current quota|billing|insufficient_balance|credit balance/i.test(word)
  );
}

/** "64 MB", "512 KB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round(bytes / (1024 * 1024))} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

/** Kind of error for an HTTP status. */
export function kindForStatus(status: number): AppErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 407) return 'proxy_auth';
  if (status === 408) return 'timeout';
  if (status === 429 || status === 529) return 'rate_limited';
  if (status >= 500) return 'server';
  if (status >= 400) return 'bad_request';
  return 'server';
}

function headlineForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'The proxy rejected the request (400)';
    case 401:
      return 'The proxy refused the API token (401)';
    case 403:
      return 'The API token is not allowed to do this (403)';
    case 404:
      return 'The proxy does not know this endpoint or item (404)';
    case 407:
      return 'The HTTP proxy asks for a login (407)';
    case 408:
      return 'The proxy timed out waiting for the request (408)';
    case 409:
      return 'The request conflicts with the current state (409)';
    case 410:
      return 'The item is gone (410)';
    case 413:
      return 'The request is too large (413)';
    case 416:
      return 'The requested byte range is not available (416)';
    case 422:
      return 'The proxy could not process the request (422)';
    case 429:
      return 'Too many requests: the proxy is rate limiting (429)';
    case 502:
      return 'The proxy could not reach its upstream provider (502)';
    case 503:
      return 'The proxy or its upstream provider is unavailable (503)';
    case 504:
      return 'The upstream provider did not answer in time (504)';
    case 529:
      return 'The upstream provider is overloaded (529)';
    default:
      if (status >= 500) return `The proxy or its upstream provider failed (${status})`;
      if (status >= 400) return `The proxy rejected the request (${status})`;
      return `The proxy sent an unexpected answer (${status})`;
  }
}

/** Parses a duration such as "22s", "1.5s" (google.protobuf.Duration JSON) into milliseconds. */
function parseDurationMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)s\s*$/.exec(value);
  return match?.[1] ? Math.round(Number(match[1]) * 1000) : undefined;
}

/**
 * How long the server asked us to wait: `retry-after-ms`, then `Retry-After` (seconds or HTTP date).
 * `now` is injectable for tests.
 */
export function retryAfterFromHeaders(headers: Record<string, string>, now = Date.now()): number | undefined {
  const ms = headers['retry-after-ms'];
  if (ms !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.round(Number(ms));
  const after = headers['retry-after'];
  if (after === undefined) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(after)) return Math.round(Number(after) * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function codeString(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

interface ParsedBody {
  message?: string;
  code?: string;
  requestId?: string;
  retryAfterMs?: number;
  klingCode?: number;
}

/** Reads every error shape of docs/proxy-api.md §2.2 (and common gateway variants) from a parsed body. */
function parseErrorBody(body: unknown): ParsedBody {
  const root = Array.isArray(body) ? asObject(body[0]) : asObject(body);
  if (!root) return {};
  const result: ParsedBody = {};
  const requestId = stringOf(root.request_id) ?? stringOf(root.requestId);
  if (requestId) result.requestId = requestId;

  const error = asObject(root.error);
  if (error) {
    // OpenAI {error:{message,type,code}}, Anthropic {type:'error',error:{type,message}},
    // Google {error:{code,message,status,details}}, Seedance {error:{code,message}}.
    result.message = stringOf(error.message);
    result.code =
      stringOf(error.status) ??
      (typeof error.code === 'number' ? undefined : codeString(error.code)) ??
      stringOf(error.type) ??
      codeString(error.code);
    const details = Array.isArray(error.details) ? error.details : [];
    for (const detail of details) {
      const info = asObject(detail);
      if (info && String(info['@type'] ?? '').endsWith('google.rpc.RetryInfo')) {
        const delay = parseDurationMs(info.retryDelay);
        if (delay !== undefined) result.retryAfterMs = delay;
      }
    }
    return result;
  }
  if (typeof root.error === 'string') {
    result.message = root.error;
    return result;
  }
  const numericCode = typeof root.code === 'number' ? root.code : undefined;
  if (numericCode !== undefined && numericCode !== 0) result.klingCode = numericCode;
  const detail = root.detail;
  result.message =
    stringOf(root.message) ??
    stringOf(root.msg) ??
    stringOf(detail) ??
    stringOf(asObject(detail)?.message) ??
    (Array.isArray(detail) ? stringOf(asObject(detail[0])?.msg) : undefined);
  const code = codeString(root.code) ?? stringOf(root.type);
  if (code) result.code = code;
  return result;
}

const HTML_START = /^\s*(<!doctype html|<html|<head|<body|<\?xml[^>]*>\s*<html)/i;

export function looksLikeHtml(bodyText: string, contentType: string | undefined): boolean {
  return (contentType ?? '').toLowerCase().includes('text/html') || HTML_START.test(bodyText);
}

export function htmlTitle(bodyText: string): string | undefined {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(bodyText)?.[1];
  const heading = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(bodyText)?.[1];
  const text = (title ?? heading)
    ?.replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');
  return text && text.trim().length > 0 ? truncate(text, 200) : undefined;
}

function requestIdFromHeaders(headers: Record<string, string>): string | undefined {
  return stringOf(headers['x-request-id']) ?? stringOf(headers['request-id']);
}

/** Kind of error for a Kling envelope code (Kling's published code table). */
function kindForKlingCode(code: number): AppErrorKind {
  if (code >= 1000 && code < 1100) return 'auth';
  if (code === 1203) return 'not_found';
  if (code === 1102) return 'quota';
  if (code === 1302 || code === 1303) return 'rate_limited';
  if (code === 1304) return 'auth';
  if (code >= 1100 && code < 1400) return 'bad_request';
  if (code === 5002) return 'timeout';
  return 'server';
}

/**
 * A Kling envelope `{code, message, request_id}` with a non-zero code is an error even with HTTP 200.
 * Returns null for a successful envelope or any other body.
 */
export function klingEnvelopeError(body: unknown, headers: Record<string, string> = {}): AppError | null {
  const root = asObject(body);
  if (!root || typeof root.code !== 'number' || root.code === 0) return null;
  const providerMessage = stringOf(root.message) ? truncate(redact(String(root.message)), 500) : undefined;
  const info: AppError = {
    kind: kindForKlingCode(root.code),
    message: `Kling rejected the request (code ${root.code})${providerMessage ? `: ${providerMessage}` : '.'}`,
    code: String(root.code),
    reason: { code: 'klingRejected', values: { code: root.code } },
  };
  if (providerMessage) info.providerMessage = providerMessage;
  const requestId = stringOf(root.request_id) ?? requestIdFromHeaders(headers);
  if (requestId) info.requestId = requestId;
  return info;
}

/**
 * Maps a non-2xx HTTP answer (any shape of docs/proxy-api.md §2.2, an HTML page, or plain text)
 * to the app's error.
 */
export function httpErrorToAppError(input: {
  status: number;
  headers: Record<string, string>;
  bodyText: string;
  family: ApiFamily;
}): AppError {
  const { status, headers, bodyText, family } = input;
  const headline = headlineForStatus(status);
  const info: AppError = {
    kind: kindForStatus(status),
    message: headline,
    status,
    reason: { code: statusReasonCode(status), values: { status } },
  };
  const headerRequestId = requestIdFromHeaders(headers);
  if (headerRequestId) info.requestId = headerRequestId;
  const headerRetryAfter = retryAfterFromHeaders(headers);

  if (looksLikeHtml(bodyText, headers['content-type'])) {
    const title = htmlTitle(bodyText);
    info.message = `The gateway returned an HTML error page (${status})${title ? `: ${title}` : ''}. The proxy or a network gateway in between is failing; try again later.`;
    if (title) info.providerMessage = title;
    info.reason = { code: 'htmlErrorPage', values: { status } };
    if (headerRetryAfter !== undefined) info.retryAfterMs = headerRetryAfter;
    return info;
  }

  let parsed: ParsedBody = {};
  let isJson = false;
  const trimmed = bodyText.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      parsed = parseErrorBody(JSON.parse(trimmed));
      isJson = true;
    } catch {
      isJson = false;
    }
  }
  if (family === 'kling' && parsed.klingCode !== undefined && status < 400) {
    const kling = klingEnvelopeError(JSON.parse(trimmed), headers);
    if (kling) return { ...kling, status };
  }

  const rawMessage = isJson ? parsed.message : trimmed.length > 0 ? trimmed : undefined;
  const providerMessage = rawMessage ? truncate(redact(rawMessage), PROVIDER_MESSAGE_MAX) : undefined;
  if (providerMessage) {
    info.providerMessage = providerMessage;
    info.message = `${headline}: ${providerMessage}`;
  } else {
    info.message = `${headline}.`;
  }
  if (parsed.code) info.code = redact(parsed.code);
  if (isQuotaWord(parsed.code) || (status === 429 && isQuotaWord(rawMessage))) {
    info.kind = 'quota';
    info.message = `The account has run out of credit or quota (${status})${providerMessage ? `: ${providerMessage}` : '.'}`;
    info.reason = { code: 'quota', values: { status } };
  }
  if (parsed.requestId && !info.requestId) info.requestId = parsed.requestId;
  const retryAfterMs = headerRetryAfter ?? parsed.retryAfterMs;
  if (retryAfterMs !== undefined) info.retryAfterMs = retryAfterMs;
  return info;
}

/** Replaces every text field of an error with its redacted form. */
export function redactAppError(info: AppError, secrets: Iterable<string | null | undefined>): AppError {
  const list = [...secrets];
  const result: AppError = { ...info, message: redact(info.message, list) };
  if (info.providerMessage !== undefined) result.providerMessage = redact(info.providerMessage, list);
  if (info.code !== undefined) result.code = redact(info.code, list);
  if (info.requestId !== undefined) result.requestId = redact(info.requestId, list);
  return result;
}
