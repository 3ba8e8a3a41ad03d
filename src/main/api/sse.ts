import { createParser, type ParseError } from 'eventsource-parser';
import { cancelledError, HubError } from '../base/errors';
import { redact, truncate } from '../base/redact';
import { formatDuration } from './errors';

export interface SseMessage {
  event: string | undefined;
  data: string;
  id: string | undefined;
}

export interface ReadSseOptions {
  /** Longest silence allowed between two chunks of the body (comments and pings count as data). */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
}

/** A single event larger than this stops the stream: something is wrong with the server. */
const MAX_BUFFERED_CHARS = 64 * 1024 * 1024;

function idleTimeoutError(idleTimeoutMs: number): HubError {
  return new HubError({
    kind: 'timeout',
    message: `The stream stopped: no data arrived for ${formatDuration(idleTimeoutMs)}.`,
    code: 'idle_timeout',
  });
}

/** Resolves with the next chunk, or rejects on idle timeout or abort. */
function nextChunk(
  iterator: AsyncIterator<Uint8Array>,
  idleTimeoutMs: number | undefined,
  signal: AbortSignal | undefined,
): Promise<IteratorResult<Uint8Array>> {
  if (signal?.aborted) return Promise.reject(cancelledError());
  const pending = iterator.next();
  // If a timeout or abort wins the race, this promise may still reject later.
  pending.catch(() => {});
  if (idleTimeoutMs === undefined && !signal) return pending;
  return new Promise((resolve, reject) => {
    const timer =
      idleTimeoutMs === undefined
        ? undefined
        : setTimeout(() => finish(idleTimeoutError(idleTimeoutMs)), idleTimeoutMs);
    const onAbort = () => finish(cancelledError());
    function finish(error: HubError | null, result?: IteratorResult<Uint8Array>) {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else if (result) resolve(result);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (result) => finish(null, result),
      (error: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Turns a response body into server-sent events (WHATWG rules via eventsource-parser): any line ending,
 * comments, multi-line `data:`, a leading BOM, UTF-8 characters split across chunks. Stops at `data: [DONE]`.
 * An event not closed by a blank line when the body ends is dropped, as the spec says.
 */
export async function* readSse(
  body: AsyncIterable<Uint8Array>,
  options: ReadSseOptions = {},
): AsyncGenerator<SseMessage, void, undefined> {
  const ready: SseMessage[] = [];
  let eventCount = 0;
  let firstForeignLine: string | undefined;
  let overflow = false;
  const parser = createParser({
    onEvent: (message) => {
      eventCount++;
      ready.push({ event: message.event, data: message.data, id: message.id });
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
      });
    }
  };

  const iterator = body[Symbol.asyncIterator]();
  let bodyEnded = false;
  try {
    for (;;) {
      const step = await nextChunk(iterator, options.idleTimeoutMs, options.signal);
      if (step.done) {
        bodyEnded = true;
        feed(decoder.decode());
        // A final CR may be the first half of CRLF; at the end it can only be a line end.
        if (lastChar === '\r') feed('\n');
      } else {
        feed(decoder.decode(step.value, { stream: true }));
      }
      while (ready.length > 0) {
        const message = ready.shift()!;
        if (message.data.trim() === '[DONE]') return;
        yield message;
      }
      if (bodyEnded) break;
    }
    if (eventCount === 0 && firstForeignLine !== undefined) {
      throw new HubError({
        kind: 'server',
        message: `The proxy's answer is not an event stream: ${truncate(redact(firstForeignLine), 200)}`,
        providerMessage: truncate(redact(firstForeignLine), 500),
      });
    }
  } finally {
    // Not awaited: a body stuck in a read must not delay the caller's error or early exit.
    if (!bodyEnded) iterator.return?.().catch(() => undefined);
  }
}

/** Parses an event's JSON data; malformed JSON becomes a readable error. */
export function parseEventJson<T = unknown>(message: SseMessage): T {
  try {
    return JSON.parse(message.data) as T;
  } catch {
    throw new HubError({
      kind: 'server',
      message: `The proxy sent a malformed stream event: ${truncate(redact(message.data), 200)}`,
    });
  }
}
