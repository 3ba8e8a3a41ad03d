import { pipeline, Readable, Transform } from 'node:stream';
import { type Dispatcher, request, type FormData as UndiciFormData } from 'undici';
import { HubError } from '../base/errors';
import { redact, truncate } from '../base/redact';
import { type AgentPool, resolveProxyUrl } from './agents';
import type { PreparedRequest, UploadBody } from './api-call';
import { failureFrom } from './response-body';

const MAX_REDIRECTS = 5;
const AUTH_HEADERS = ['authorization', 'x-api-key', 'x-goog-api-key'];
const UPLOAD_PROGRESS_STEP = 64 * 1024;
/** What an upload reads ahead of the socket: one file read (multipart.ts reads 1 MiB at a time). */
const UPLOAD_BUFFER_BYTES = 1024 * 1024;

export interface SendTimeouts {
  headersMs: number;
  bodyMs: number;
}

/** What sending needs besides the request: the connection pool, the environment's proxy, the tokens to redact. */
export interface SendContext {
  agents: AgentPool;
  env: NodeJS.ProcessEnv;
  secrets: Iterable<string>;
}

/** The next hop of a redirect: where to, with which method, and what of the request no longer goes. */
export interface RedirectHop {
  url: URL;
  method: string;
  /** The new origin is another host: the token must not follow. */
  dropAuth: boolean;
  /** 303, or 301/302 after a POST: the body is dropped and the method becomes GET. */
  dropBody: boolean;
}

export function isRedirect(status: number, location: unknown): location is string {
  return [301, 302, 303, 307, 308].includes(status) && typeof location === 'string';
}

/** Where redirect number `redirects` (0-based) leads; throws past MAX_REDIRECTS or for a link that is not http(s). */
export function redirectHop(
  status: number,
  location: string,
  from: URL,
  method: string,
  redirects: number,
): RedirectHop {
  if (redirects >= MAX_REDIRECTS) {
    throw new HubError({
      kind: 'server',
      message: 'The proxy redirected too many times.',
      status,
      reason: { code: 'redirectLoop', values: {} },
    });
  }
  const url = new URL(location, from);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HubError({
      kind: 'server',
      message: 'The proxy redirected to a link that is not http(s).',
      reason: { code: 'redirectNotHttp', values: {} },
    });
  }
  const dropBody = status === 303 || ((status === 301 || status === 302) && method === 'POST');
  return { url, method: dropBody ? 'GET' : method, dropAuth: url.origin !== from.origin, dropBody };
}

/** Sends one request, following redirects by hand so that auth never reaches another host. */
export async function sendRequest(
  prepared: PreparedRequest,
  signal: AbortSignal | undefined,
  timeouts: SendTimeouts,
  context: SendContext,
): Promise<Dispatcher.ResponseData> {
  let url = prepared.url;
  let method: string = prepared.method;
  let body = prepared.body;
  const headers = { ...prepared.headers };
  for (let redirects = 0; ; redirects++) {
    const proxyUrl = checkedProxyUrl(
      resolveProxyUrl(url, prepared.proxySetting, context.env),
      context.secrets,
    );
    const dispatcher: Dispatcher = context.agents.get(url.origin, proxyUrl);
    const upload = isUploadBody(body) ? body : null;
    if (upload) {
      headers['content-type'] = upload.contentType;
      headers['content-length'] = String(upload.contentLength);
    }
    const pending = request(url, {
      dispatcher,
      method: method as Dispatcher.HttpMethod,
      headers,
      // The global FormData is undici's own at run time; only the type declarations differ.
      body: upload ? countedUpload(upload) : ((body ?? null) as string | UndiciFormData | null),
      signal,
      headersTimeout: timeouts.headersMs,
      bodyTimeout: timeouts.bodyMs,
    });
    prepared.onSent?.();
    const response = await pending;
    const location = response.headers.location;
    if (!isRedirect(response.statusCode, location)) {
      if (response.statusCode >= 300) throw await failureFrom(response, prepared, context.secrets);
      return response;
    }
    await response.body.dump();
    const hop = redirectHop(response.statusCode, location, url, method, redirects);
    if (hop.dropAuth) {
      for (const name of AUTH_HEADERS) delete headers[name];
    }
    if (hop.dropBody) {
      body = undefined;
      delete headers['content-type'];
      delete headers['content-length'];
    }
    method = hop.method;
    url = hop.url;
  }
}

/** The proxy to use, refused unless it is an http(s) URL. */
export function checkedProxyUrl(proxyUrl: string | null, secrets: Iterable<string>): string | null {
  if (proxyUrl === null) return null;
  let parsed: URL | undefined;
  try {
    parsed = new URL(proxyUrl);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    const shown = truncate(redact(proxyUrl, secrets), 100);
    throw new HubError({
      kind: 'invalid_input',
      message: `The proxy setting "${shown}" is not an http:// or https:// URL.`,
      field: 'proxyUrl',
      reason: { code: 'badProxyUrl', values: { url: shown } },
    });
  }
  return proxyUrl;
}

function isUploadBody(body: PreparedRequest['body']): body is UploadBody {
  return typeof body === 'object' && body !== null && 'open' in body && typeof body.open === 'function';
}

/** The upload's bytes as undici reads them, reported to `onProgress` (at most every 64 KiB, and at the end). */
export function countedUpload(upload: UploadBody): Readable {
  let sent = 0;
  let reported = 0;
  upload.onProgress?.(0, upload.contentLength);
  const counted = new Transform({
    highWaterMark: UPLOAD_BUFFER_BYTES,
    transform(chunk: Buffer, _encoding, done) {
      sent += chunk.byteLength;
      if (sent - reported >= UPLOAD_PROGRESS_STEP || sent === upload.contentLength) {
        reported = sent;
        upload.onProgress?.(sent, upload.contentLength);
      }
      done(null, chunk);
    },
  });
  const source = upload.open();
  // An error of the source (a file that changed) reaches undici through `counted`.
  pipeline(
    source instanceof Readable ? source : Readable.from(source, { objectMode: false }),
    counted,
    () => {},
  );
  return counted;
}
