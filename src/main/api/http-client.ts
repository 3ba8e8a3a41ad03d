import { Readable } from 'node:stream';
import { type Dispatcher, request, type FormData as UndiciFormData } from 'undici';
import {
  defaultEndpoints,
  type EndpointKey,
  type EndpointOverrides,
  resolveEndpointPath,
} from '../../shared/endpoints';
import type { AppError } from '../../shared/errors';
import { cancelledError, HubError, toAppError } from '../base/errors';
import { redact, truncate } from '../base/redact';
import { AgentPool, resolveProxyUrl } from './agents';
import {
  type ApiFamily,
  formatDuration,
  httpErrorToAppError,
  klingEnvelopeError,
  looksLikeHtml,
  redactAppError,
} from './errors';
import { abortableSleep, DEFAULT_MAX_RETRIES, retryAllowedByDefault, retryDelayFor } from './retry';
import { readSse, type SseMessage } from './sse';

export type { ApiFamily } from './errors';

export function familyOf(endpoint: EndpointKey): ApiFamily {
  if (endpoint === 'claude.messages') return 'anthropic';
  if (endpoint.startsWith('gemini.') || endpoint.startsWith('veo.')) return 'google';
  if (endpoint.startsWith('kling.')) return 'kling';
  if (endpoint.startsWith('seedance.')) return 'seedance';
  return 'openai';
}

export interface HttpTarget {
  baseUrl: string;
  proxyUrl: string | null;
  endpointOverrides: EndpointOverrides;
}

export interface HttpClientOptions {
  /** Read per call: the active profile can change. */
  target: () => HttpTarget | Promise<HttpTarget>;
  /** null means no token is set: the call fails with kind 'auth' and nothing is sent. */
  token: () => Promise<string | null>;
  /** HTTPS_PROXY / https_proxy / HTTP_PROXY / NO_PROXY. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** One line per request, retry and failure; always redacted. */
  log?: (line: string) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source. */
  random?: () => number;
  timeouts?: { connectMs?: number; idleMs?: number; totalMs?: number };
  maxRetries?: number;
}

export interface ApiCall {
  endpoint: EndpointKey;
  /** Fills `{model}` / `{id}`, URL-encoded. */
  pathParams?: { model?: string; id?: string };
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  /** Multipart body: undici sets the boundary. */
  form?: FormData;
  /** A body streamed from disk (e.g. `multipartUpload`), opened anew for each attempt. */
  upload?: UploadBody;
  signal?: AbortSignal;
  /** Default true, except for video job creation (see `videoJobCreateEndpoints`). */
  retry?: boolean;
}

/** A request body that is read as it is sent, so memory does not grow with its size. */
export interface UploadBody {
  contentType: string;
  contentLength: number;
  /** A fresh stream of the whole body; called once per attempt (and per 307/308 redirect). */
  open: () => AsyncIterable<Uint8Array>;
  /** Bytes handed to the connection so far in the current attempt (restarts from 0 on a retry). */
  onProgress?: (sentBytes: number, totalBytes: number) => void;
}

export interface JsonResult<T = unknown> {
  status: number;
  data: T;
  headers: Record<string, string>;
  requestId?: string;
  latencyMs: number;
}

export interface TextResult {
  status: number;
  text: string;
  contentType: string;
  headers: Record<string, string>;
}

export interface DownloadResult {
  status: number;
  headers: Record<string, string>;
  contentLength: number | null;
  body: AsyncIterable<Uint8Array>;
}

const DEFAULT_CONNECT_MS = 30_000;
const DEFAULT_IDLE_MS = 120_000;
const DEFAULT_TOTAL_MS = 600_000;
const MAX_REDIRECTS = 5;
const ERROR_BODY_LIMIT = 256 * 1024;
const USER_AGENT = 'HubDesk/0.1';
const AUTH_HEADERS = ['authorization', 'x-api-key', 'x-goog-api-key'];

interface PreparedRequest {
  url: URL;
  method: 'GET' | 'POST' | 'DELETE';
  headers: Record<string, string>;
  body: string | FormData | UploadBody | undefined;
  family: ApiFamily;
  proxySetting: string | null;
  /** e.g. "POST http://127.0.0.1:8080/v1/chat/completions" (no query: it may carry secrets). */
  label: string;
  retry: boolean;
  signal: AbortSignal | undefined;
  /** A result link on another host: fetched without the token; errors speak of the link. */
  foreign: boolean;
}

interface Timeouts {
  headersMs: number;
  bodyMs: number;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

function requestIdOf(headers: Record<string, string>): string | undefined {
  return headers['x-request-id'] ?? headers['request-id'];
}

async function readLimited(body: AsyncIterable<Uint8Array>, limit: number): Promise<string> {
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

/** A per-attempt signal that aborts on the caller's signal or after `timeoutMs`. */
function attemptSignal(user: AbortSignal | undefined, timeoutMs: number | undefined) {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(user?.reason);
  if (user?.aborted) controller.abort(user.reason);
  else user?.addEventListener('abort', onAbort, { once: true });
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
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

function isUploadBody(body: PreparedRequest['body']): body is UploadBody {
  return typeof body === 'object' && body !== null && 'open' in body && typeof body.open === 'function';
}

/** The upload's bytes as undici pulls them, reported to `onProgress` (at most every 64 KiB, and at the end). */
async function* countedUpload(upload: UploadBody): AsyncGenerator<Uint8Array> {
  let sent = 0;
  let reported = 0;
  upload.onProgress?.(0, upload.contentLength);
  for await (const chunk of upload.open()) {
    yield chunk;
    sent += chunk.byteLength;
    if (sent - reported >= 64 * 1024 || sent === upload.contentLength) {
      reported = sent;
      upload.onProgress?.(sent, upload.contentLength);
    }
  }
}

export class HttpClient {
  private readonly agents: AgentPool;
  /** Every token this client has sent, so that any echo of one is redacted. Memory only. */
  private readonly secrets = new Set<string>();
  private readonly connectMs: number;
  private readonly idleMs: number;
  private readonly totalMs: number;
  private readonly maxRetries: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: HttpClientOptions) {
    this.connectMs = options.timeouts?.connectMs ?? DEFAULT_CONNECT_MS;
    this.idleMs = options.timeouts?.idleMs ?? DEFAULT_IDLE_MS;
    this.totalMs = options.timeouts?.totalMs ?? DEFAULT_TOTAL_MS;
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.sleep = options.sleep ?? abortableSleep;
    this.random = options.random ?? Math.random;
    this.agents = new AgentPool(this.connectMs);
  }

  /** Non-2xx answers and Kling envelopes with a non-zero code throw a HubError. */
  async json<T = unknown>(call: ApiCall): Promise<JsonResult<T>> {
    const prepared = await this.prepare(call, 'application/json');
    return this.withRetries(prepared, () =>
      this.withTotalTimeout(prepared, async (signal) => {
        const started = performance.now();
        const response = await this.send(prepared, signal, { headersMs: this.totalMs, bodyMs: this.totalMs });
        const headers = flattenHeaders(response.headers);
        const text = await response.body.text();
        const data = this.parseJsonBody(prepared, response.statusCode, headers, text);
        const kling = prepared.family === 'kling' ? klingEnvelopeError(data, headers) : null;
        if (kling) throw new HubError({ ...kling, status: response.statusCode });
        const latencyMs = Math.round(performance.now() - started);
        const requestId = requestIdOf(headers);
        this.log(
          `${prepared.label} -> ${response.statusCode} in ${latencyMs} ms${requestId ? ` (${requestId})` : ''}`,
        );
        const result: JsonResult<T> = { status: response.statusCode, data: data as T, headers, latencyMs };
        if (requestId) result.requestId = requestId;
        return result;
      }),
    );
  }

  /** Plain-text answers (srt, vtt, text transcriptions). */
  async text(call: ApiCall): Promise<TextResult> {
    const prepared = await this.prepare(call, 'text/plain, application/json;q=0.9, */*;q=0.8');
    return this.withRetries(prepared, () =>
      this.withTotalTimeout(prepared, async (signal) => {
        const started = performance.now();
        const response = await this.send(prepared, signal, { headersMs: this.totalMs, bodyMs: this.totalMs });
        const headers = flattenHeaders(response.headers);
        const text = await response.body.text();
        this.log(
          `${prepared.label} -> ${response.statusCode} in ${Math.round(performance.now() - started)} ms`,
        );
        return { status: response.statusCode, text, contentType: headers['content-type'] ?? '', headers };
      }),
    );
  }

  /**
   * Server-sent events of a streaming call. Retries only until the first event arrives; after that any
   * failure is thrown. Idle timeout between chunks; abort by `call.signal`.
   */
  stream(call: ApiCall): AsyncIterable<SseMessage> {
    return this.streamEvents(call);
  }

  private async *streamEvents(call: ApiCall): AsyncGenerator<SseMessage, void, undefined> {
    const prepared = await this.prepare(call, 'text/event-stream');
    const opened = await this.withRetries(prepared, async () => {
      const started = performance.now();
      const response = await this.send(prepared, prepared.signal, { headersMs: this.idleMs, bodyMs: 0 });
      const headers = flattenHeaders(response.headers);
      const contentType = (headers['content-type'] ?? '').toLowerCase();
      if (contentType.includes('json') && !contentType.includes('event-stream')) {
        const text = await readLimited(response.body, ERROR_BODY_LIMIT);
        const info = httpErrorToAppError({
          status: response.statusCode,
          headers,
          bodyText: text,
          family: prepared.family,
        });
        // Without its status the error is not retried: the same request would get the same answer.
        const { status: _status, ...rest } = info;
        throw new HubError({
          ...rest,
          message: `The proxy answered with JSON instead of a stream${info.providerMessage ? `: ${info.providerMessage}` : '.'}`,
        });
      }
      const events = readSse(response.body, { idleTimeoutMs: this.idleMs, signal: prepared.signal });
      try {
        const first = await events.next();
        const requestId = requestIdOf(headers);
        this.log(
          `${prepared.label} -> ${response.statusCode}, first event in ${Math.round(performance.now() - started)} ms${requestId ? ` (${requestId})` : ''}`,
        );
        return { events, first };
      } catch (error) {
        void events.return();
        throw error;
      }
    });
    const { events, first } = opened;
    try {
      if (first.done) return;
      yield first.value;
      for (;;) {
        let step: IteratorResult<SseMessage>;
        try {
          step = await events.next();
        } catch (error) {
          const info = this.normalize(error, prepared.signal);
          const cut: AppError =
            info.kind === 'network'
              ? {
                  ...info,
                  message: `The stream was cut off before it finished (${info.code ?? 'network error'}).`,
                }
              : info;
          this.log(`${prepared.label} stream failed: ${cut.message}`);
          throw new HubError(cut);
        }
        if (step.done) return;
        yield step.value;
      }
    } finally {
      void events.return();
    }
  }

  /**
   * A binary body. The ApiCall form goes to the profile's base URL with auth; the `{url}` form is a foreign
   * URL fetched without the token. Redirects to another host never carry auth.
   */
  async download(
    source: ApiCall | { url: string },
    options: { signal?: AbortSignal; rangeStart?: number } = {},
  ): Promise<DownloadResult> {
    const prepared =
      'endpoint' in source
        ? await this.prepare({ ...source, signal: options.signal ?? source.signal }, '*/*')
        : this.prepareForeign(source.url, options.signal);
    if (options.rangeStart && options.rangeStart > 0) prepared.headers.range = `bytes=${options.rangeStart}-`;
    return this.withRetries(prepared, async () => {
      const response = await this.send(prepared, prepared.signal, {
        headersMs: this.idleMs,
        bodyMs: this.idleMs,
      });
      const headers = flattenHeaders(response.headers);
      const length = headers['content-length'];
      this.log(`${prepared.label} -> ${response.statusCode}${length ? ` (${length} bytes)` : ''}`);
      return {
        status: response.statusCode,
        headers,
        contentLength: length !== undefined && /^\d+$/.test(length) ? Number(length) : null,
        body: this.guardBody(response.body, prepared),
      };
    });
  }

  async close(): Promise<void> {
    await this.agents.close();
  }

  private async *guardBody(
    body: AsyncIterable<Uint8Array>,
    prepared: PreparedRequest,
  ): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of body) yield chunk;
    } catch (error) {
      const info = this.normalize(error, prepared.signal);
      this.log(`${prepared.label} download failed: ${info.message}`);
      throw new HubError(info);
    }
  }

  private log(line: string): void {
    this.options.log?.(redact(line, this.secrets));
  }

  private normalize(error: unknown, signal: AbortSignal | undefined): AppError {
    const info = signal?.aborted ? cancelledError().info : toAppError(error);
    return redactAppError(info, this.secrets);
  }

  private async prepare(call: ApiCall, accept: string): Promise<PreparedRequest> {
    const endpoint = defaultEndpoints[call.endpoint];
    const target = await this.options.target();
    const token = await this.options.token();
    if (!token) {
      throw new HubError({
        kind: 'auth',
        message: 'No API token is set. Open Settings and enter your TikHub API key.',
      });
    }
    this.secrets.add(token);
    const family = familyOf(call.endpoint);
    const url = this.buildUrl(
      target.baseUrl,
      resolveEndpointPath(call.endpoint, target.endpointOverrides),
      call,
    );
    const headers: Record<string, string> = {
      accept,
      'user-agent': USER_AGENT,
      authorization: `Bearer ${token}`,
    };
    if (family === 'anthropic') {
      headers['x-api-key'] = token;
      headers['anthropic-version'] = '2023-06-01';
    }
    if (family === 'google') headers['x-goog-api-key'] = token;
    let body: string | FormData | UploadBody | undefined;
    if (call.upload) body = call.upload;
    else if (call.form) body = call.form;
    else if (call.json !== undefined) {
      body = JSON.stringify(call.json);
      headers['content-type'] = 'application/json';
    }
    return {
      url,
      method: endpoint.method,
      headers,
      body,
      family,
      proxySetting: target.proxyUrl,
      label: `${endpoint.method} ${url.origin}${url.pathname}`,
      retry: call.retry ?? retryAllowedByDefault(call.endpoint),
      signal: call.signal,
      foreign: false,
    };
  }

  private prepareForeign(rawUrl: string, signal: AbortSignal | undefined): PreparedRequest {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new HubError({
        kind: 'invalid_input',
        message: 'The download link is not a valid URL.',
        field: 'url',
      });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new HubError({
        kind: 'invalid_input',
        message: 'The download link is not an http(s) URL.',
        field: 'url',
      });
    }
    return {
      url,
      method: 'GET',
      headers: { accept: '*/*', 'user-agent': USER_AGENT },
      body: undefined,
      family: 'openai',
      proxySetting: null,
      label: `GET ${url.origin}${url.pathname}`,
      retry: true,
      signal,
      foreign: true,
    };
  }

  private buildUrl(baseUrl: string, pathTemplate: string, call: ApiCall): URL {
    const path = pathTemplate.replace(/\{(model|id)\}/g, (_match, name: 'model' | 'id') => {
      const value = call.pathParams?.[name];
      if (value === undefined || value.length === 0) {
        throw new HubError({
          kind: 'invalid_input',
          message: `The ${name === 'id' ? 'item id' : 'model'} is missing for ${call.endpoint}.`,
          field: name,
        });
      }
      return encodeURIComponent(value);
    });
    let url: URL;
    try {
      url = new URL(`${baseUrl.trim().replace(/\/+$/, '')}${path}`);
    } catch {
      throw new HubError({
        kind: 'invalid_input',
        message: `The base URL "${truncate(redact(baseUrl, this.secrets), 100)}" is not a valid URL.`,
        field: 'baseUrl',
      });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new HubError({
        kind: 'invalid_input',
        message: 'The base URL must start with https://.',
        field: 'baseUrl',
      });
    }
    for (const [key, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  /** Sends one request, following redirects by hand so that auth never reaches another host. */
  private async send(prepared: PreparedRequest, signal: AbortSignal | undefined, timeouts: Timeouts) {
    let url = prepared.url;
    let method: string = prepared.method;
    let body = prepared.body;
    const headers = { ...prepared.headers };
    for (let redirects = 0; ; redirects++) {
      const proxyUrl = this.checkedProxyUrl(
        resolveProxyUrl(url, prepared.proxySetting, this.options.env ?? process.env),
      );
      const dispatcher: Dispatcher = this.agents.get(url.origin, proxyUrl);
      const upload = isUploadBody(body) ? body : null;
      if (upload) {
        headers['content-type'] = upload.contentType;
        headers['content-length'] = String(upload.contentLength);
      }
      const response = await request(url, {
        dispatcher,
        method: method as Dispatcher.HttpMethod,
        headers,
        // The global FormData is undici's own at run time; only the type declarations differ.
        body: upload
          ? Readable.from(countedUpload(upload), { objectMode: false })
          : ((body ?? null) as string | UndiciFormData | null),
        signal,
        headersTimeout: timeouts.headersMs,
        bodyTimeout: timeouts.bodyMs,
      });
      const location = response.headers.location;
      const isRedirect =
        [301, 302, 303, 307, 308].includes(response.statusCode) && typeof location === 'string';
      if (!isRedirect) {
        if (response.statusCode >= 300) throw await this.failureFrom(response, prepared);
        return response;
      }
      await response.body.dump();
      if (redirects >= MAX_REDIRECTS) {
        throw new HubError({
          kind: 'server',
          message: 'The proxy redirected too many times.',
          status: response.statusCode,
        });
      }
      const next = new URL(location, url);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new HubError({
          kind: 'server',
          message: 'The proxy redirected to a link that is not http(s).',
        });
      }
      if (next.origin !== url.origin) {
        for (const name of AUTH_HEADERS) delete headers[name];
      }
      if (
        response.statusCode === 303 ||
        ((response.statusCode === 301 || response.statusCode === 302) && method === 'POST')
      ) {
        method = 'GET';
        body = undefined;
        delete headers['content-type'];
        delete headers['content-length'];
      }
      url = next;
    }
  }

  private checkedProxyUrl(proxyUrl: string | null): string | null {
    if (proxyUrl === null) return null;
    let parsed: URL | undefined;
    try {
      parsed = new URL(proxyUrl);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      throw new HubError({
        kind: 'invalid_input',
        message: `The proxy setting "${truncate(redact(proxyUrl, this.secrets), 100)}" is not an http:// or https:// URL.`,
        field: 'proxyUrl',
      });
    }
    return proxyUrl;
  }

  private async failureFrom(response: Dispatcher.ResponseData, prepared: PreparedRequest): Promise<HubError> {
    const headers = flattenHeaders(response.headers);
    const status = response.statusCode;
    const bodyText = await readLimited(response.body, ERROR_BODY_LIMIT).catch(() => '');
    const info = httpErrorToAppError({ status, headers, bodyText, family: prepared.family });
    if (prepared.foreign && [401, 403, 404, 410].includes(status)) {
      info.kind = 'not_found';
      info.message = `The download link no longer works (${status}); it may have expired.`;
    }
    return new HubError(redactAppError(info, this.secrets));
  }

  private parseJsonBody(
    prepared: PreparedRequest,
    status: number,
    headers: Record<string, string>,
    text: string,
  ) {
    if (text.trim().length === 0) return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      if (looksLikeHtml(text, headers['content-type'])) {
        const info = httpErrorToAppError({ status, headers, bodyText: text, family: prepared.family });
        throw new HubError({
          ...info,
          kind: 'server',
          message: info.message.replace('an HTML error page', 'an HTML page instead of JSON'),
        });
      }
      throw new HubError({
        kind: 'server',
        status,
        message: `The proxy sent an answer that is not JSON: ${truncate(redact(text, this.secrets), 200)}`,
      });
    }
  }

  private async withTotalTimeout<T>(
    prepared: PreparedRequest,
    run: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const attempt = attemptSignal(prepared.signal, this.totalMs);
    try {
      return await run(attempt.signal);
    } catch (error) {
      if (attempt.timedOut() && !prepared.signal?.aborted) {
        throw new HubError({
          kind: 'timeout',
          message: `The proxy did not answer within ${formatDuration(this.totalMs)}.`,
          code: 'total_timeout',
        });
      }
      throw error;
    } finally {
      attempt.dispose();
    }
  }

  private async withRetries<T>(prepared: PreparedRequest, attempt: () => Promise<T>): Promise<T> {
    for (let retryIndex = 0; ; retryIndex++) {
      try {
        return await attempt();
      } catch (error) {
        const info = this.normalize(error, prepared.signal);
        const delay =
          prepared.retry && info.kind !== 'cancelled'
            ? retryDelayFor(info, retryIndex, { maxRetries: this.maxRetries, random: this.random })
            : null;
        if (delay === null) {
          this.log(`${prepared.label} failed: ${info.message}`);
          throw new HubError(info);
        }
        this.log(
          `${prepared.label} failed: ${info.message} Retry ${retryIndex + 1} of ${this.maxRetries} in ${delay} ms.`,
        );
        try {
          await this.sleep(delay, prepared.signal);
        } catch {
          throw cancelledError();
        }
        if (prepared.signal?.aborted) throw cancelledError();
      }
    }
  }
}
