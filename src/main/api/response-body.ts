import type { Dispatcher } from 'undici';
import { HubError } from '../base/errors';
import { redact, truncate } from '../base/redact';
import type { PreparedRequest } from './api-call';
import {
  type ApiFamily,
  formatBytes,
  htmlTitle,
  httpErrorToAppError,
  looksLikeHtml,
  redactAppError,
} from './errors';

/** How much of an error answer is read: enough for any error shape, never a whole download. */
export const ERROR_BODY_LIMIT = 256 * 1024;

/** The largest JSON or text answer read into memory; past it the call fails instead of exhausting memory. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Header names lower-cased, repeated headers joined with ", ". */
export function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

export function requestIdOf(headers: Record<string, string>): string | undefined {
  return headers['x-request-id'] ?? headers['request-id'];
}

/** The body as text, reading no further once `limit` bytes have arrived. */
export async function readLimited(body: AsyncIterable<Uint8Array>, limit: number): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    text += decoder.decode(chunk, { stream: true });
    if (size >= limit) break;
  }
  return text + decoder.decode();
}

/** The whole body as text; fails with `body_too_large` once it passes `limit` bytes (announced or received). */
export async function readCapped(
  body: AsyncIterable<Uint8Array> & { destroy?: (error?: Error) => unknown },
  headers: Record<string, string>,
  limit: number,
): Promise<string> {
  const announced = Number(headers['content-length']);
  const tooLarge = () => {
    body.destroy?.();
    return new HubError({
      kind: 'server',
      message: `The proxy's answer is larger than ${formatBytes(limit)}; HubDesk stopped reading it.`,
      code: 'body_too_large',
      reason: { code: 'answerTooLarge', values: { limit: formatBytes(limit) } },
    });
  };
  if (Number.isFinite(announced) && announced > limit) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/**
 * A web page where an API answer (JSON or a stream) was expected with a 2xx status: a Wi-Fi login page or a
 * filter between HubDesk and the proxy, not the proxy itself.
 */
export function webPageInsteadOfAnswer(status: number, bodyText: string): HubError {
  const title = htmlTitle(bodyText);
  return new HubError({
    kind: 'network',
    status,
    code: 'web_page',
    message: `A web page answered instead of the proxy (${status}${title ? `: ${title}` : ''}). A Wi-Fi login page or a network filter may be in the way; open a browser to check, then try again.`,
    ...(title ? { providerMessage: title } : {}),
    reason: { code: 'webPage', values: {} },
  });
}

/** The error of a non-2xx answer (a dead result link reads as one), redacted. */
export async function failureFrom(
  response: Dispatcher.ResponseData,
  prepared: PreparedRequest,
  secrets: Iterable<string>,
): Promise<HubError> {
  const headers = flattenHeaders(response.headers);
  const status = response.statusCode;
  const bodyText = await readLimited(response.body, ERROR_BODY_LIMIT).catch(() => '');
  const info = httpErrorToAppError({ status, headers, bodyText, family: prepared.family });
  if (prepared.foreign && [401, 403, 404, 410].includes(status)) {
    info.kind = 'not_found';
    info.message = `The download link no longer works (${status}); it may have expired.`;
    info.reason = { code: 'downloadLinkExpired', values: { status } };
  }
  return new HubError(redactAppError(info, secrets));
}

/** A 2xx JSON answer; empty is null. An HTML page or other text throws a 'server' error. */
export function parseJsonBody(
  text: string,
  answer: { status: number; headers: Record<string, string>; family: ApiFamily },
  secrets: Iterable<string>,
): unknown {
  if (text.trim().length === 0) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const { status, headers, family } = answer;
    if (status < 300 && looksLikeHtml(text, headers['content-type']))
      throw webPageInsteadOfAnswer(status, text);
    if (looksLikeHtml(text, headers['content-type'])) {
      const info = httpErrorToAppError({ status, headers, bodyText: text, family });
      throw new HubError({
        ...info,
        kind: 'server',
        message: info.message.replace('an HTML error page', 'an HTML page instead of JSON'),
      });
    }
    const shown = truncate(redact(text, secrets), 200);
    throw new HubError({
      kind: 'server',
      status,
      message: `The proxy sent an answer that is not JSON: ${shown}`,
      reason: { code: 'notJson', values: { text: shown } },
    });
  }
}

/**
 * A streaming call answered with JSON (an error envelope, even with 200). Without its status the error is not
 * retried: the same request would get the same answer.
 */
export function jsonInsteadOfStreamError(
  status: number,
  headers: Record<string, string>,
  bodyText: string,
  family: ApiFamily,
): HubError {
  const info = httpErrorToAppError({ status, headers, bodyText, family });
  const { status: _status, ...rest } = info;
  return new HubError({
    ...rest,
    message: `The proxy answered with JSON instead of a stream${info.providerMessage ? `: ${info.providerMessage}` : '.'}`,
    reason: { code: 'jsonInsteadOfStream', values: {} },
  });
}
