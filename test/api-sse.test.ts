import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventGap, MAX_STREAM_BYTES, parseEventJson, readSse, type SseMessage } from '../src/main/api/sse';
import { HubError } from '../src/main/base/errors';
import { ManualClock } from './support/manual-clock';

const fixturesDir = join(import.meta.dirname, 'fixtures', 'streams');
const fixture = (name: string) => readFileSync(join(fixturesDir, name), 'utf8');
const encoder = new TextEncoder();

async function* chunksOf(...chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<SseMessage[]> {
  const events: SseMessage[] = [];
  for await (const event of readSse(body)) events.push(event);
  return events;
}

function variants(lfText: string): Array<{ name: string; bytes: Uint8Array }> {
  const endings = { LF: '\n', CRLF: '\r\n', CR: '\r' };
  const result: Array<{ name: string; bytes: Uint8Array }> = [];
  for (const [endingName, ending] of Object.entries(endings)) {
    const text = lfText.replace(/\n/g, ending);
    result.push({ name: endingName, bytes: encoder.encode(text) });
    const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
    const plain = encoder.encode(text);
    const withBom = new Uint8Array(bom.length + plain.length);
    withBom.set(bom);
    withBom.set(plain, bom.length);
    result.push({ name: `${endingName}+BOM`, bytes: withBom });
  }
  return result;
}

const expectations: Record<string, (events: SseMessage[]) => void> = {
  'openai-chat.sse': (events) => {
    expect(events).toHaveLength(6);
    expect(events.every((event) => event.event === undefined)).toBe(true);
    const text = events
      .map((event) => parseEventJson<{ choices: Array<{ delta: { content?: string } }> }>(event))
      .map((chunk) => chunk.choices[0]?.delta.content ?? '')
      .join('');
    expect(text).toBe('Grüße aus 東京 🎌');
  },
  'anthropic-messages.sse': (events) => {
    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const deltas = events
      .filter((event) => event.event === 'content_block_delta')
      .map((event) => parseEventJson<{ delta: { text: string } }>(event).delta.text);
    expect(deltas.join('')).toBe('Hello — ça va? Привет 👋');
  },
  'gemini.sse': (events) => {
    expect(events).toHaveLength(2);
    expect(parseEventJson<{ usageMetadata: { totalTokenCount: number } }>(events[1]!).usageMetadata).toEqual({
      promptTokenCount: 7,
      candidatesTokenCount: 9,
      totalTokenCount: 16,
    });
  },
  'spec-features.sse': (events) => {
    expect(events).toEqual([
      { id: '1', event: 'note', data: 'first line\nsecond line\nthird line without a space' },
      { id: '2', event: undefined, data: ' two leading spaces keep one\n' },
      {
        id: undefined,
        event: 'response.output_text.delta',
        data: '{"type":"response.output_text.delta","delta":"naïve café ☕ 𝄞"}',
      },
    ]);
  },
};

describe('readSse on recorded streams', () => {
  for (const [name, expectEvents] of Object.entries(expectations)) {
    it(`${name}: identical events for every line ending, with or without BOM, split at every byte`, async () => {
      const reference = await collect(chunksOf(encoder.encode(fixture(name))));
      expectEvents(reference);
      for (const variant of variants(fixture(name))) {
        const { bytes } = variant;
        expect(await collect(chunksOf(bytes)), variant.name).toEqual(reference);
        expect(
          await collect(chunksOf(...Array.from(bytes, (byte) => Uint8Array.of(byte)))),
          variant.name,
        ).toEqual(reference);
        for (let cut = 0; cut <= bytes.length; cut++) {
          const events = await collect(chunksOf(bytes.subarray(0, cut), bytes.subarray(cut)));
          if (JSON.stringify(events) !== JSON.stringify(reference)) {
            expect(events, `${variant.name} split at byte ${cut}`).toEqual(reference);
          }
        }
      }
    });
  }
});

describe('readSse edge cases', () => {
  it('stops at [DONE] and does not read the rest of the body', async () => {
    let pulledAfterDone = false;
    async function* body() {
      yield encoder.encode('data: {"n":1}\n\ndata: [DONE]\n\n');
      pulledAfterDone = true;
      yield encoder.encode('data: {"n":2}\n\n');
    }
    const events = await collect(body());
    expect(events.map((event) => event.data)).toEqual(['{"n":1}']);
    expect(pulledAfterDone).toBe(false);
  });

  it('drops an event the body ends in the middle of', async () => {
    const events = await collect(chunksOf(encoder.encode('data: {"n":1}\n\ndata: {"n":2')));
    expect(events.map((event) => event.data)).toEqual(['{"n":1}']);
  });

  it('turns a body that is not an event stream into a clear error', async () => {
    const body = chunksOf(encoder.encode('{"error":{"message":"quota exceeded"}}\n'));
    await expect(collect(body)).rejects.toThrow(
      /not an event stream: \{"error":\{"message":"quota exceeded"\}\}/,
    );
  });

  it('reads a web page (a captive portal with no HTML content type) as a network error', async () => {
    const page =
      '<!DOCTYPE html>\n<html><head><title>Hotel Wi-Fi</title></head>\n<body>Log in</body></html>\n';
    const error = await collect(chunksOf(encoder.encode(page))).catch((caught: unknown) => caught);
    expect((error as HubError).info).toMatchObject({ kind: 'network', code: 'web_page' });
    expect((error as HubError).message).toMatch(/^A web page answered instead of the proxy\./);
  });

  it('ignores unknown fields inside a real stream', async () => {
    const events = await collect(chunksOf(encoder.encode('foo: bar\ndata: ok\n\n')));
    expect(events.map((event) => event.data)).toEqual(['ok']);
  });

  it('gives a timeout error when no data arrives within the idle time', async () => {
    async function* stalls() {
      yield encoder.encode('data: first\n\n');
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      yield encoder.encode('data: late\n\n');
    }
    const seen: string[] = [];
    const reading = (async () => {
      for await (const event of readSse(stalls(), { idleTimeoutMs: 50 })) seen.push(event.data);
    })();
    const error = await reading.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).info).toMatchObject({ kind: 'timeout', code: 'idle_timeout' });
    expect((error as HubError).message).toMatch(/no event arrived for 50 ms \(idle timeout between events\)/);
    expect(seen).toEqual(['first']);
  });

  it('keeps going while comments keep arriving within the idle time', async () => {
    async function* pings() {
      for (let index = 0; index < 4; index++) {
        await new Promise((resolve) => setTimeout(resolve, 40));
        yield encoder.encode(': ping\n\n');
      }
      yield encoder.encode('data: end\n\n');
    }
    const events: string[] = [];
    for await (const event of readSse(pings(), { idleTimeoutMs: 120 })) events.push(event.data);
    expect(events).toEqual(['end']);
  });

  it('stops with a cancelled error when the signal aborts', async () => {
    const controller = new AbortController();
    async function* endless() {
      yield encoder.encode('data: one\n\n');
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
    const seen: string[] = [];
    const reading = (async () => {
      for await (const event of readSse(endless(), { signal: controller.signal })) {
        seen.push(event.data);
        setTimeout(() => controller.abort(), 10);
      }
    })();
    await expect(reading).rejects.toMatchObject({ info: { kind: 'cancelled' } });
    expect(seen).toEqual(['one']);
  });
});

describe('the idle timeout counts events, not bytes', () => {
  it('measures the gap from the last whole event on the clock', () => {
    const clock = new ManualClock();
    const gap = new EventGap(clock, 120_000);
    clock.advance(119_000);
    expect(gap.remainingMs()).toBe(1_000);
    gap.activity();
    clock.advance(60_000);
    expect(gap.remainingMs()).toBe(60_000);
    clock.advance(60_000);
    expect(gap.remainingMs()).toBe(0);
  });

  it('stops a server trickling one byte a second that never finishes an event', async () => {
    const clock = new ManualClock();
    let bytesSent = 0;
    async function* trickle() {
      yield encoder.encode('data: first\n\n');
      // Bounded, so that a reader that never times out fails the test instead of hanging it.
      while (bytesSent < 1_000) {
        clock.advance(1_000);
        bytesSent++;
        yield encoder.encode('x');
      }
    }
    const seen: string[] = [];
    const reading = (async () => {
      for await (const event of readSse(trickle(), { idleTimeoutMs: 120_000, clock })) seen.push(event.data);
    })();
    const error = await reading.catch((caught: unknown) => caught);
    expect((error as HubError).info).toMatchObject({ kind: 'timeout', code: 'idle_timeout' });
    expect((error as HubError).message).toBe(
      'The stream stopped: no event arrived for 2 min (idle timeout between events).',
    );
    expect(seen).toEqual(['first']);
    expect(bytesSent).toBe(120);
  });

  it('keeps a stream whose events each arrive in pieces alive, however slowly the pieces come', async () => {
    const clock = new ManualClock();
    async function* slowPieces() {
      for (let index = 0; index < 5; index++) {
        for (const piece of ['da', 'ta: ', `${index}`, '\n', '\n']) {
          clock.advance(20_000);
          yield encoder.encode(piece);
        }
      }
    }
    const seen: string[] = [];
    for await (const event of readSse(slowPieces(), { idleTimeoutMs: 120_000, clock })) seen.push(event.data);
    expect(seen).toEqual(['0', '1', '2', '3', '4']);
  });
});

describe('the size cap of a stream', () => {
  it('stops a body that never ends once it passes the cap, without reading on', async () => {
    let generated = 0;
    async function* endless() {
      const event = encoder.encode(`data: ${'y'.repeat(1016)}\n\n`);
      while (generated < 8 * 1024 * 1024) {
        generated += event.byteLength;
        yield event;
      }
    }
    let events = 0;
    const reading = (async () => {
      for await (const _event of readSse(endless(), { maxBytes: 1024 * 1024 })) events++;
    })();
    const error = await reading.catch((caught: unknown) => caught);
    expect((error as HubError).info).toMatchObject({ kind: 'server', code: 'body_too_large' });
    expect((error as HubError).message).toBe(
      "The proxy's stream grew past 1 MB without ending; HubDesk stopped reading it.",
    );
    expect(events).toBe(1024);
    expect(generated).toBe(1024 * 1024 + 1024);
    expect(MAX_STREAM_BYTES).toBe(128 * 1024 * 1024);
  });
});

describe('parseEventJson', () => {
  it('parses event data', () => {
    expect(parseEventJson({ event: undefined, data: '{"a":[1,2]}', id: undefined })).toEqual({ a: [1, 2] });
  });

  it('names a malformed event in its error and redacts credentials', () => {
    const message = {
      event: undefined,
      data: '{"type":"content_block_delta", Bearer sk-abcdef1234567890',
      id: undefined,
    };
    let caught: unknown;
    try {
      parseEventJson(message);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HubError);
    const info = (caught as HubError).info;
    expect(info.kind).toBe('server');
    expect(info.message).toMatch(/^The proxy sent a malformed stream event: \{"type":"content_block_delta"/);
    expect(info.message).not.toContain('sk-abcdef1234567890');
  });
});
