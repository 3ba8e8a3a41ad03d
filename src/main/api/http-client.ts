import type { AppError } from '../../shared/errors';
import { cancelledError, HubError, toAppError } from '../base/errors';
import { redact } from '../base/redact';
import { AgentPool } from './agents';
import { type ApiCall, type HttpTarget, type PreparedRequest, prepareCall, prepareForeign } from './api-call';
import { klingEnvelopeError, redactAppError } from './errors';
import {
  ERROR_BODY_LIMIT,
  flattenHeaders,
  jsonInsteadOfStreamError,
  parseJsonBody,
  readLimited,
  requestIdOf,
} from './response-body';
import { abortableSleep, DEFAULT_MAX_RETRIES, withRetries } from './retry';
import { type SendTimeouts, sendRequest } from './send-request';
import { readSse, type SseMessage } from './sse';
import { withTotalTimeout } from './total-timeout';

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
      withTotalTimeout(prepared.signal, this.totalMs, async (signal) => {
        const started = performance.now();
        const response = await this.send(prepared, signal, { headersMs: this.totalMs, bodyMs: this.totalMs });
        const headers = flattenHeaders(response.headers);
        const text = await response.body.text();
        const data = parseJsonBody(
          text,
          { status: response.statusCode, headers, family: prepared.family },
          this.secrets,
        );
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
      withTotalTimeout(prepared.signal, this.totalMs, async (signal) => {
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
        throw jsonInsteadOfStreamError(response.statusCode, headers, text, prepared.family);
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
        : prepareForeign(source.url, options.signal);
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
    const target = await this.options.target();
    const token = await this.options.token();
    if (!token) {
      throw new HubError({
        kind: 'auth',
        message: 'No API token is set. Open Settings and enter your TikHub API key.',
      });
    }
    this.secrets.add(token);
    return prepareCall(call, accept, target, token, this.secrets);
  }

  private send(prepared: PreparedRequest, signal: AbortSignal | undefined, timeouts: SendTimeouts) {
    return sendRequest(prepared, signal, timeouts, {
      agents: this.agents,
      env: this.options.env ?? process.env,
      secrets: this.secrets,
    });
  }

  private withRetries<T>(prepared: PreparedRequest, attempt: () => Promise<T>): Promise<T> {
    return withRetries(attempt, {
      allowed: prepared.retry,
      signal: prepared.signal,
      maxRetries: this.maxRetries,
      random: this.random,
      sleep: this.sleep,
      normalize: (error) => this.normalize(error, prepared.signal),
      label: prepared.label,
      log: (line) => this.log(line),
      onRetry: prepared.onRetry,
    });
  }
}
