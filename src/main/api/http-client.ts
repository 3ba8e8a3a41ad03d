import { type AppError, NO_TOKEN_CODE } from '../../shared/errors';
import { type Clock, systemClock } from '../base/clock';
import { cancelledError, HubError, toAppError } from '../base/errors';
import { redact } from '../base/redact';
import { AgentPool } from './agents';
import { type ApiCall, type HttpTarget, type PreparedRequest, prepareCall, prepareForeign } from './api-call';
import { klingEnvelopeError, redactAppError } from './errors';
import {
  ERROR_BODY_LIMIT,
  flattenHeaders,
  jsonInsteadOfStreamError,
  MAX_BODY_BYTES,
  parseJsonBody,
  readCapped,
  readLimited,
  requestIdOf,
  webPageInsteadOfAnswer,
} from './response-body';
import { abortableSleep, DEFAULT_MAX_RETRIES, withRetries } from './retry';
import { type SendTimeouts, sendRequest } from './send-request';
import { eachMessage, readSseBatches, type SseMessage } from './sse';
import { startDeadline, withTotalTimeout } from './total-timeout';

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
  /** The stream idle timeout and call deadlines run on it. */
  clock?: Clock;
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
  private readonly clock: Clock;

  constructor(private readonly options: HttpClientOptions) {
    this.clock = options.clock ?? systemClock;
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
    return this.withDeadline(call, (bounded) => this.jsonOnce<T>(bounded));
  }

  private async jsonOnce<T>(call: ApiCall): Promise<JsonResult<T>> {
    const prepared = await this.prepare(call, 'application/json');
    return this.withRetries(prepared, () =>
      withTotalTimeout(prepared.signal, this.totalMs, async (signal) => {
        const started = performance.now();
        const response = await this.send(prepared, signal, { headersMs: this.totalMs, bodyMs: this.totalMs });
        const headers = flattenHeaders(response.headers);
        const text = await readCapped(response.body, headers, MAX_BODY_BYTES);
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
    return this.withDeadline(call, (bounded) => this.textOnce(bounded));
  }

  private async textOnce(call: ApiCall): Promise<TextResult> {
    const prepared = await this.prepare(call, 'text/plain, application/json;q=0.9, */*;q=0.8');
    return this.withRetries(prepared, () =>
      withTotalTimeout(prepared.signal, this.totalMs, async (signal) => {
        const started = performance.now();
        const response = await this.send(prepared, signal, { headersMs: this.totalMs, bodyMs: this.totalMs });
        const headers = flattenHeaders(response.headers);
        const text = await readCapped(response.body, headers, MAX_BODY_BYTES);
        this.log(
          `${prepared.label} -> ${response.statusCode} in ${Math.round(performance.now() - started)} ms`,
        );
        return { status: response.statusCode, text, contentType: headers['content-type'] ?? '', headers };
      }),
    );
  }

  /**
   * Server-sent events of a streaming call. Retries only until the first event arrives; after that any
   * failure is thrown. Idle timeout between events; abort by `call.signal`.
   */
  stream(call: ApiCall): AsyncIterable<SseMessage> {
    return eachMessage(this.streamBatches(call));
  }

  /** `stream`, with the events of each body chunk in one batch (never empty). */
  streamBatches(call: ApiCall): AsyncIterable<SseMessage[]> {
    return this.streamWithDeadline(call);
  }

  private async *streamWithDeadline(call: ApiCall): AsyncGenerator<SseMessage[], void, undefined> {
    const deadline = startDeadline(call.signal, call.deadlineMs, this.clock);
    try {
      yield* this.streamEvents(deadline.signal === call.signal ? call : { ...call, signal: deadline.signal });
    } catch (error) {
      throw deadline.explain(error);
    } finally {
      deadline.dispose();
    }
  }

  private async *streamEvents(call: ApiCall): AsyncGenerator<SseMessage[], void, undefined> {
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
      if (contentType.includes('text/html')) {
        throw webPageInsteadOfAnswer(response.statusCode, await readLimited(response.body, ERROR_BODY_LIMIT));
      }
      const batches = readSseBatches(response.body, {
        idleTimeoutMs: this.idleMs,
        signal: prepared.signal,
        clock: this.clock,
      });
      try {
        const first = await batches.next();
        const requestId = requestIdOf(headers);
        this.log(
          `${prepared.label} -> ${response.statusCode}, first event in ${Math.round(performance.now() - started)} ms${requestId ? ` (${requestId})` : ''}`,
        );
        return { batches, first };
      } catch (error) {
        void batches.return();
        throw error;
      }
    });
    const { batches, first } = opened;
    try {
      if (first.done) return;
      yield first.value;
      for (;;) {
        let step: IteratorResult<SseMessage[]>;
        try {
          step = await batches.next();
        } catch (error) {
          const info = this.normalize(error, prepared.signal);
          const cut: AppError =
            info.kind === 'network'
              ? {
                  ...info,
                  message: `The stream was cut off before it finished (${info.code ?? 'network error'}).`,
                  ...(info.code ? { reason: { code: 'streamCut', values: { cause: info.code } } } : {}),
                }
              : info;
          this.log(`${prepared.label} stream failed: ${cut.message}`);
          throw new HubError(cut);
        }
        if (step.done) return;
        yield step.value;
      }
    } finally {
      void batches.return();
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

  private async withDeadline<T>(call: ApiCall, run: (call: ApiCall) => Promise<T>): Promise<T> {
    const deadline = startDeadline(call.signal, call.deadlineMs, this.clock);
    try {
      return await run(deadline.signal === call.signal ? call : { ...call, signal: deadline.signal });
    } catch (error) {
      throw deadline.explain(error);
    } finally {
      deadline.dispose();
    }
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

  /** Cancelled only when the caller's own signal aborted; an abort from anywhere else is a failed connection. */
  private normalize(error: unknown, signal: AbortSignal | undefined): AppError {
    let info = signal?.aborted ? cancelledError().info : toAppError(error);
    if (info.kind === 'cancelled' && !signal?.aborted) {
      info = {
        kind: 'network',
        message: 'The connection was closed before the answer was complete.',
        code: 'aborted',
        reason: { code: 'connectionClosed', values: {} },
      };
    }
    return redactAppError(info, this.secrets);
  }

  private async prepare(call: ApiCall, accept: string): Promise<PreparedRequest> {
    const target = await this.options.target();
    const token = await this.options.token();
    if (!token) {
      // Where to set one differs (the window's Settings, `hubdesk token set`): each side words the next step by the code.
      throw new HubError({
        kind: 'auth',
        message: 'No API token is set.',
        code: NO_TOKEN_CODE,
        reason: { code: 'noToken', values: {} },
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
