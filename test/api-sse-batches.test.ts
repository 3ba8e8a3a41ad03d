import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSseBatches, type SseMessage } from '../src/main/api/sse';

const fixturesDir = join(import.meta.dirname, 'fixtures');
const recorded = ['chat', 'streams'].flatMap((folder) =>
  readdirSync(join(fixturesDir, folder))
    .filter((name) => name.endsWith('.sse'))
    .map((name) => ({ name: `${folder}/${name}`, bytes: readFileSync(join(fixturesDir, folder, name)) })),
);
const encoder = new TextEncoder();

interface Batch {
  messages: SseMessage[];
  /** How many chunks the body had handed over when the batch came. */
  chunksRead: number;
}

/** Reads `chunks` as one body, noting after which chunk each batch came. */
async function batchesOf(chunks: Uint8Array[]): Promise<Batch[]> {
  let chunksRead = 0;
  async function* body() {
    for (const chunk of chunks) {
      chunksRead++;
      yield chunk;
    }
  }
  const batches: Batch[] = [];
  for await (const messages of readSseBatches(body())) batches.push({ messages, chunksRead });
  return batches;
}

/** For each event, the number of bytes after which it is complete (read one byte per chunk). */
async function completedAt(bytes: Uint8Array): Promise<{ events: SseMessage[]; ends: number[] }> {
  const batches = await batchesOf(Array.from(bytes, (byte) => Uint8Array.of(byte)));
  return {
    events: batches.flatMap((batch) => batch.messages),
    ends: batches.flatMap((batch) => batch.messages.map(() => batch.chunksRead)),
  };
}

describe('readSseBatches: the events of each body chunk in one batch', () => {
  for (const { name, bytes } of recorded) {
    it(`${name}: split at every byte, each event comes once, in order, with the chunk that completes it`, async () => {
      const whole = await batchesOf([bytes]);
      const reference = whole.flatMap((batch) => batch.messages);
      expect(reference.length).toBeGreaterThan(0);
      // One chunk, one batch.
      expect(whole).toHaveLength(1);

      const { events, ends } = await completedAt(bytes);
      expect(events).toEqual(reference);

      for (let cut = 0; cut <= bytes.length; cut++) {
        const batches = await batchesOf([bytes.subarray(0, cut), bytes.subarray(cut)]);
        const first = batches.filter((batch) => batch.chunksRead === 1).flatMap((batch) => batch.messages);
        const second = batches.filter((batch) => batch.chunksRead === 2).flatMap((batch) => batch.messages);
        const completeByCut = ends.filter((end) => end <= cut).length;
        const expected = { batches: Math.min(completeByCut, 1) + Math.min(events.length - completeByCut, 1) };
        if (
          JSON.stringify([...first, ...second]) !== JSON.stringify(reference) ||
          first.length !== completeByCut ||
          batches.length !== expected.batches
        ) {
          expect(
            { first: first.length, all: [...first, ...second], batches: batches.length },
            `split at byte ${cut}`,
          ).toEqual({ first: completeByCut, all: reference, batches: expected.batches });
        }
      }
    });
  }

  it('ends at [DONE]: the events before it in its chunk come, nothing after, and the body is not read on', async () => {
    let pulledAfterDone = false;
    async function* body() {
      yield encoder.encode('data: {"n":1}\n\ndata: {"n":2}\n\ndata:  [DONE] \n\ndata: {"n":3}\n\n');
      pulledAfterDone = true;
      yield encoder.encode('data: {"n":4}\n\n');
    }
    const batches: string[][] = [];
    for await (const messages of readSseBatches(body()))
      batches.push(messages.map((message) => message.data));
    expect(batches).toEqual([['{"n":1}', '{"n":2}']]);
    expect(pulledAfterDone).toBe(false);
  });

  it('yields no batch for a chunk that completes no event (comments, half an event)', async () => {
    async function* body() {
      yield encoder.encode(': ping\n\n');
      yield encoder.encode('data: {"n"');
      yield encoder.encode(':1}\n\ndata: [DONE]\n\n');
    }
    const batches: string[][] = [];
    for await (const messages of readSseBatches(body()))
      batches.push(messages.map((message) => message.data));
    expect(batches).toEqual([['{"n":1}']]);
  });
});
