/**
 * A chat reply streams while the background indexer works through 3000 messages: the reply completes, the index
 * completes, and the indexer stepped back between its batches while the reply streamed (the pacing itself is
 * unit-tested on a hand-moved clock in search-pacing.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Clock, systemClock } from '../src/main/base/clock';
import type { Message } from '../src/shared/chat';
import { addConversation, fillerText, type SearchHarness, startSearchHarness } from './search-fixtures';

/** A pause the indexer takes after a batch only while a reply streams; no other timer of the test lasts this long. */
const BUSY_GAP_MS = 37;

/** The system clock, counting the indexer's pauses for a streaming reply. */
const pauses = { busy: 0 };
const countingClock: Clock = {
  now: () => systemClock.now(),
  setTimeout(fn, ms) {
    if (ms === BUSY_GAP_MS) pauses.busy++;
    return systemClock.setTimeout(fn, ms);
  },
};

let h: SearchHarness;

beforeAll(async () => {
  h = await startSearchHarness({ timing: { busyGapMs: BUSY_GAP_MS } }, { streamDelayMs: 4 }, countingClock);
  for (let i = 0; i < 1500; i++) addConversation(h.core, `c${i}`, [fillerText(i), fillerText(i + 5000)]);
});
afterAll(async () => {
  await h?.close();
});

/** Streams one reply; returns it and the index.progress events sent between its first and last delta. */
async function streamReply(): Promise<{ reply: Message; progressDuringStream: number }> {
  const chat = h.core.chat.createConversation({ model: 'gpt-4.1' });
  const started = await h.core.chat.send({ conversationId: chat.id, text: 'word '.repeat(200) });
  const reply = await h.core.chat.whenDone(started.streamId);
  const isDelta = (event: (typeof h.events)[number]) =>
    event.name === 'chat.delta' && (event.payload as { streamId: string }).streamId === started.streamId;
  const first = h.events.findIndex(isDelta);
  const last = h.events.findLastIndex(isDelta);
  expect(h.events.filter(isDelta).length).toBeGreaterThan(10);
  const progressDuringStream = h.events
    .slice(first, last + 1)
    .filter((event) => event.name === 'index.progress').length;
  return { reply, progressDuringStream };
}

describe('the indexer and a chat stream', () => {
  it('a reply streams to the end while 3000 messages are indexed, and the indexer steps back meanwhile', async () => {
    const quiet = await streamReply();
    expect(h.search.status().indexed).toBe(0);
    expect(pauses.busy).toBe(0);

    h.search.start();
    await expect.poll(() => h.search.status().indexed, { timeout: 5_000 }).toBeGreaterThan(0);
    const indexedBeforeStream = h.search.status().indexed;
    const busy = await streamReply();
    const indexedDuringStream = h.search.status().indexed;

    expect(busy.reply).toMatchObject({ status: 'complete', text: quiet.reply.text });
    expect(busy.progressDuringStream).toBeGreaterThan(0);
    expect(pauses.busy).toBeGreaterThan(0);
    expect(indexedDuringStream).toBeGreaterThan(indexedBeforeStream);

    // And it finishes the work once the stream is over.
    await expect.poll(() => h.search.status().indexed, { timeout: 15_000, interval: 50 }).toBe(3004);
    expect(h.search.status()).toMatchObject({ indexed: 3004, total: 3004 });
  }, 30_000);
});
