import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addConversation, fillerText, type SearchHarness, startSearchHarness } from './search-fixtures';

let h: SearchHarness;

beforeAll(async () => {
  // Stream events 4 ms apart, so a reply of 1000 characters (200 events) takes about a second.
  h = await startSearchHarness({}, { streamDelayMs: 4 });
  for (let i = 0; i < 1500; i++) addConversation(h.core, `c${i}`, [fillerText(i), fillerText(i + 5000)]);
});
afterAll(async () => {
  await h?.close();
});

/** Streams one reply and returns the gaps between its delta events, in ms, sorted. */
async function streamGaps(): Promise<number[]> {
  const chat = h.core.chat.createConversation({ model: 'gpt-4.1' });
  const started = await h.core.chat.send({ conversationId: chat.id, text: 'word '.repeat(200) });
  await h.core.chat.whenDone(started.streamId);
  const times = h.events
    .filter(
      (event) =>
        event.name === 'chat.delta' && (event.payload as { streamId: string }).streamId === started.streamId,
    )
    .map((event) => event.at);
  expect(times.length).toBeGreaterThan(10);
  return times
    .slice(1)
    .map((at, index) => at - (times[index] ?? at))
    .sort((a, b) => a - b);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

describe('the indexer and a chat stream', () => {
  it('a reply streams as smoothly while 3000 messages are being indexed', async () => {
    const quiet = await streamGaps();
    expect(h.search.status().indexed).toBe(0);

    h.search.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const busy = await streamGaps();
    const indexedDuringStream = h.search.status().indexed;

    // Loose bounds: a stalled event loop would show gaps of hundreds of milliseconds.
    expect(percentile(busy, 0.9)).toBeLessThan(percentile(quiet, 0.9) + 50);
    expect(busy.at(-1) ?? 0).toBeLessThan(Math.max(250, (quiet.at(-1) ?? 0) * 3));
    expect(indexedDuringStream).toBeGreaterThan(0);

    // And it finishes the work once the stream is over.
    const started = Date.now();
    while (h.search.status().indexed < h.search.status().total && Date.now() - started < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(h.search.status()).toMatchObject({ indexed: 3004, total: 3004 });
  }, 30_000);
});
