import { createParser, type ParseError } from 'eventsource-parser';
import { type Clock, systemClock } from '../base/clock';
import { cancelledError, HubError } from '../base/errors';
import { redact, truncate } from '../base/redact';
import { formatBytes, formatDuration } from './errors';

/** One event as eventsource-parser hands it over (kept as is: no copy per event). */
export interface SseMessage {
  event?: string | undefined;
  data: string;
  id?: string | undefined;
}

export interface ReadSseOptions {
  /**
   * Longest gap allowed between two whole events (comments and pings count). Bytes of an unfinished event do
   * not reset it, so a server trickling a byte at a time still times out.
   */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
  /** Most bytes read from the body before the stream is stopped. Default `MAX_STREAM_BYTES`. */
  maxBytes?: number;
  clock?: Clock;
}

/** A single event larger than this stops the stream: something is wrong with the server. */
const MAX_BUFFERED_CHARS = 64 * 1024 * 1024;
/** The most a whole stream may carry; a reply is a few megabytes at most. */
export const MAX_STREAM_BYTES = 128 * 1024 * 1024;

function idleTimeoutError(idleTimeoutMs: number): HubError {
  return new HubError({
    kind: 'timeout',
    message: `The stream stopped: no event arrived for ${formatDuration(idleTimeoutMs)} (idle timeout between events).`,
    code: 'idle_timeout',
    reason: { code: 'streamIdle', values: { seconds: Math.round(idleTimeoutMs / 1000) } },
  });
}

/** The time since the last whole event or comment, the pure part of the idle timeout. */
export class EventGap {
  private last: number;

  constructor(
    private readonly clock: Clock,
    readonly limitMs: number,
  ) {
    this.last = clock.now();
  }

  /** A whole event or comment arrived. */
  activity(): void {
    this.last = this.clock.now();
  }

  /** How long the next read may wait; 0 or less once the gap is over the limit. */
  remainingMs(): number {
    return this.last + this.limitMs - this.clock.now();
  }
}

/** Resolves with the next chunk, or rejects when the event gap runs out or on abort. */
function nextChunk(
  iterator: AsyncIterator<Uint8Array>,
  gap: EventGap | undefined,
  clock: Clock,
  signal: AbortSignal | undefined,
): Promise<IteratorResult<Uint8Array>> {
  if (signal?.aborted) return Promise.reject(cancelledError());
  if (gap && gap.remainingMs() <= 0) return Promise.reject(idleTimeoutError(gap.limitMs));
  const pending = iterator.next();
  // If a timeout or abort wins the race, this promise may still reject later.
  pending.catch(() => {});
  if (!gap && !signal) return pending;
  return new Promise((resolve, reject) => {
    const timer = gap
      ? clock.setTimeout(() => finish(idleTimeoutError(gap.limitMs)), gap.remainingMs())
      : undefined;
    const onAbort = () => finish(cancelledError());
    function finish(error: HubError | null, result?: IteratorResult<Uint8Array>) {
      timer?.cancel();
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else if (result) resolve(result);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (result) => finish(null, result),
      (error: unknown) => {
        timer?.cancel();
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** `data: [DONE]` ends OpenAI-style streams; only short data is trimmed to look for it. */
function isDoneMarker(data: string): boolean {
  return data === '[DONE]' || (data.length < 64 && data.includes('[DONE]') && data.trim() === '[DONE]');
}

/**
 * Turns a response body into server-sent events (WHATWG rules via eventsource-parser): any line ending,
 * comments, multi-line `data:`, a leading BOM, UTF-8 characters split across chunks. Stops at `data: [DONE]`.
 * An event not closed by a blank line when the body ends is dropped, as the spec says.
 * Yields the events of each body chunk together (never an empty batch): one await per chunk, not per event.
 */
export async function* readSseBatches(
  body: AsyncIterable<Uint8Array>,
  options: ReadSseOptions = {},
): AsyncGenerator<SseMessage[], void, undefined> {
  let ready: SseMessage[] = [];
  const clock = options.clock ?? systemClock;
  const gap = options.idleTimeoutMs === undefined ? undefined : new EventGap(clock, options.idleTimeoutMs);
  const maxBytes = options.maxBytes ?? MAX_STREAM_BYTES;
  let bytesRead = 0;
  let eventCount = 0;
  let commentSeen = false;
  let firstForeignLine: string | undefined;
  let overflow = false;
  const parser = createParser({
    onEvent: (message) => {
      eventCount++;
      ready.push(message);
    },
    onComment: () => {
      commentSeen = true;
    },
    onError: (error: ParseError) => {
      if (error.type === 'max-buffer-size-exceeded') overflow = true;
      else if (error.type === 'unknown-field' && firstForeignLine === undefined) {
        firstForeignLine = error.line ?? error.field ?? '';
      }
    },
    maxBufferSize: MAX_BUFFERED_CHARS,
  });
  const decoder = new TextDecoder('utf-8');
  let lastChar = '';
  const feed = (text: string) => {
    if (text.length === 0) return;
    parser.feed(text);
    lastChar = text[text.length - 1] ?? '';
    if (overflow) {
      throw new HubError({
        kind: 'server',
        message: 'The proxy sent a stream event larger than 64 MB; the stream was stopped.',
        reason: { code: 'streamEventTooLarge', values: { limit: '64 MB' } },
      });
    }
  };

  const iterator = body[Symbol.asyncIterator]();
  let bodyEnded = false;
  try {
    for (;;) {
      const step = await nextChunk(iterator, gap, clock, options.signal);
      if (step.done) {
        bodyEnded = true;
        feed(decoder.decode());
        // A final CR may be the first half of CRLF; at the end it can only be a line end.
        if (lastChar === '\r') feed('\n');
      } else {
        bytesRead += step.value.byteLength;
        if (bytesRead > maxBytes) {
          throw new HubError({
            kind: 'server',
            message: `The proxy's stream grew past ${formatBytes(maxBytes)} without ending; HubDesk stopped reading it.`,
            code: 'body_too_large',
            reason: { code: 'streamTooLarge', values: { limit: formatBytes(maxBytes) } },
          });
        }
        feed(decoder.decode(step.value, { stream: true }));
      }
      if (commentSeen || ready.length > 0) {
        commentSeen = false;
        gap?.activity();
      }
      if (ready.length > 0) {
        const batch = ready;
        ready = [];
        const done = batch.findIndex((message) => isDoneMarker(message.data));
        if (done >= 0) {
          batch.length = done;
          if (done > 0) yield batch;
          return;
        }
        yield batch;
      }
      if (bodyEnded) break;
    }
    if (eventCount === 0 && firstForeignLine !== undefined) {
      if (/^\s*<(!doctype html|html|head|body)/i.test(firstForeignLine)) {
        throw new HubError({
          kind: 'network',
          code: 'web_page',
          message:
            'A web page answered instead of the proxy. A Wi-Fi login page or a network filter may be in the way; open a browser to check, then try again.',
          reason: { code: 'webPage', values: {} },
        });
      }
      throw new HubError({
        kind: 'server',
        message: `The proxy's answer is not an event stream: ${truncate(redact(firstForeignLine), 200)}`,
        providerMessage: truncate(redact(firstForeignLine), 500),
        reason: { code: 'notAStream', values: {} },
      });
    }
  } finally {
    // Not awaited: a body stuck in a read must not delay the caller's error or early exit.
    if (!bodyEnded) iterator.return?.().catch(() => undefined);
  }
}

/** Batches of events one at a time. */
export async function* eachMessage(
  batches: AsyncIterable<SseMessage[]>,
): AsyncGenerator<SseMessage, void, undefined> {
  for await (const batch of batches) {
    for (const message of batch) yield message;
  }
}

/** `readSseBatches`, one event at a time. */
export function readSse(
  body: AsyncIterable<Uint8Array>,
  options: ReadSseOptions = {},
): AsyncGenerator<SseMessage, void, undefined> {
  return eachMessage(readSseBatches(body, options));
}

/** Parses an event's JSON data; malformed JSON becomes a readable error. */
export function parseEventJson<T = unknown>(message: SseMessage): T {
  try {
    return JSON.parse(message.data) as T;
  } catch {
    throw new HubError({
      kind: 'server',
      message: `The proxy sent a malformed stream event: ${truncate(redact(message.data), 200)}`,
      reason: { code: 'malformedEvent', values: { text: truncate(redact(message.data), 200) } },
    });
  }
}
