import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { chunkRanges, messageChunks, segmentWindows } from '../src/main/services/search/chunking';
import {
  addConversation,
  addTranscript,
  addVideo,
  fillerText,
  type SearchHarness,
  startSearchHarness,
  vectorCount,
} from './search-fixtures';

let h: SearchHarness;
afterEach(async () => {
  await h?.close();
});

describe('what gets indexed', () => {
  it('indexes messages, transcript windows and video prompts, and counts them per kind', async () => {
    h = await startSearchHarness();
    const [question, answer] = addConversation(h.core, 'Trip', [
      'Where should we hike in autumn?',
      'Try the alps.',
    ]);
    const transcriptId = addTranscript(h.core, 'talk.wav', ['one', 'two', 'three', 'four', 'five']);
    const videoId = addVideo(h.core, 'A red fox running through fresh snow');
    expect(h.search.status()).toMatchObject({
      model: 'text-embedding-3-small',
      indexed: 0,
      total: 8,
      kinds: { message: { indexed: 0, total: 2 }, segment: { indexed: 0, total: 5 }, video: { total: 1 } },
    });

    const status = await h.search.runUntilIdle();
    expect(status).toMatchObject({ indexed: 8, total: 8, running: false, lastError: null });
    expect(status.tokensUsed).toBeGreaterThan(0);
    expect(vectorCount(h.core, 'message', question)).toBe(1);
    expect(vectorCount(h.core, 'message', answer)).toBe(1);
    // 5 segments of 10 s: 0–30 s in one window, 30–50 s in the next.
    expect(vectorCount(h.core, 'segment', transcriptId)).toBe(2);
    expect(vectorCount(h.core, 'video', videoId)).toBe(1);
    const stored = h.core.db
      .prepare('SELECT model, dims, length(embedding) AS bytes FROM search_vectors')
      .all();
    expect(stored).toContainEqual({ model: 'text-embedding-3-small', dims: 1536, bytes: 1536 * 4 });
  });

  it('a reply is indexed once it stops streaming, not while it grows', async () => {
    h = await startSearchHarness();
    const [userId] = addConversation(h.core, 'c', ['hello there']);
    const conversationId = (
      h.core.db.prepare('SELECT conversation_id FROM messages WHERE id = ?').get(userId) as {
        conversation_id: string;
      }
    ).conversation_id;
    const now = Date.now();
    h.core.db
      .prepare(
        `INSERT INTO messages (id, conversation_id, parent_id, role, text, status, created_at, updated_at)
         VALUES ('streaming-1', ?, ?, 'assistant', 'Par', 'streaming', ?, ?)`,
      )
      .run(conversationId, userId, now, now);
    h.core.db.prepare("UPDATE messages SET text = 'Partial answer' WHERE id = 'streaming-1'").run();
    await h.search.runUntilIdle();
    expect(vectorCount(h.core, 'message', 'streaming-1')).toBe(0);
    h.core.db
      .prepare(
        "UPDATE messages SET text = 'Partial answer, now complete', status = 'complete' WHERE id = 'streaming-1'",
      )
      .run();
    await h.search.runUntilIdle();
    expect(vectorCount(h.core, 'message', 'streaming-1')).toBe(1);
    expect(h.embeddedInputs()).not.toContain('Partial answer');
  });

  it('long messages are cut into overlapping chunks; long segments too', () => {
    const long = Array.from({ length: 900 }, (_, i) => `word${i}`).join(' ');
    const ranges = chunkRanges(long);
    expect(ranges.length).toBeGreaterThan(3);
    for (const [index, [start, end]] of ranges.entries()) {
      expect(end - start).toBeLessThanOrEqual(1600);
      const previous = ranges[index - 1];
      if (previous) expect(start).toBeLessThan(previous[1]);
    }
    expect(ranges.at(-1)?.[1]).toBe(long.length);
    expect(messageChunks(long).every((chunk) => !chunk.text.startsWith(' '))).toBe(true);
    const windows = segmentWindows([
      { index: 0, start: 0, end: 600, text: long },
      { index: 1, start: 600, end: 605, text: 'short tail' },
    ]);
    expect(windows.filter((window) => window.spanStart === 0).length).toBe(ranges.length);
    expect(windows.at(-1)).toMatchObject({ spanStart: 1, spanEnd: 1, startSec: 600, text: 'short tail' });
  });
});

describe('deletes and edits reach the vectors by themselves', () => {
  it('deleting a message, a transcript or a video removes its vectors', async () => {
    h = await startSearchHarness();
    const [messageId] = addConversation(h.core, 'c', ['a message about sailing boats']);
    const transcriptId = addTranscript(h.core, 'pod.wav', ['a segment about sailing boats']);
    const videoId = addVideo(h.core, 'sailing boats at sunset');
    const keptVideo = addVideo(h.core, 'sailing boats at dawn');
    await h.search.runUntilIdle();
    expect(vectorCount(h.core)).toBe(4);

    h.core.db.prepare('DELETE FROM messages WHERE id = ?').run(messageId);
    h.core.db.prepare('DELETE FROM transcripts WHERE id = ?').run(transcriptId);
    // The library's delete moves a video to the bin first (deleted_at), then removes the row.
    h.core.db.prepare('UPDATE video_jobs SET deleted_at = ? WHERE id = ?').run(Date.now(), videoId);
    expect(vectorCount(h.core, 'message', messageId)).toBe(0);
    expect(vectorCount(h.core, 'segment', transcriptId)).toBe(0);
    expect(vectorCount(h.core, 'video', videoId)).toBe(0);
    expect(vectorCount(h.core, 'video', keptVideo)).toBe(1);

    const result = await h.search.search({ query: 'sailing boats', limit: 10 });
    expect(result.meaningUsed).toBe(true);
    expect(result.hits.map((hit) => hit.id)).toEqual([keptVideo]);
    // Undo of a video delete brings it back into the index.
    h.core.db.prepare('UPDATE video_jobs SET deleted_at = NULL WHERE id = ?').run(videoId);
    await h.search.runUntilIdle();
    expect(vectorCount(h.core, 'video', videoId)).toBe(1);
  });

  it('a conversation purged from the bin takes its vectors along (cascade)', async () => {
    h = await startSearchHarness();
    const ids = addConversation(h.core, 'old', ['first text', 'second text']);
    await h.search.runUntilIdle();
    const conversationId = (
      h.core.db.prepare('SELECT conversation_id FROM messages WHERE id = ?').get(ids[0]) as {
        conversation_id: string;
      }
    ).conversation_id;
    h.core.db.prepare('DELETE FROM conversations WHERE id = ?').run(conversationId);
    expect(vectorCount(h.core, 'message')).toBe(0);
  });

  it('editing re-embeds only what changed', async () => {
    h = await startSearchHarness();
    const [messageId] = addConversation(h.core, 'c', ['the quick brown fox']);
    const transcriptId = addTranscript(h.core, 'long.wav', ['one', 'two', 'three', 'four', 'five', 'six']);
    await h.search.runUntilIdle();
    const sentBefore = h.embeddedInputs().length;

    h.core.db.prepare('UPDATE messages SET text = ? WHERE id = ?').run('a lazy purple walrus', messageId);
    h.core.transcription.updateSegment(transcriptId, 4, 'FIVE EDITED');
    expect(h.search.status().indexed).toBeLessThan(h.search.status().total);
    await h.search.runUntilIdle();

    const sent = h.embeddedInputs().slice(sentBefore);
    // The message, and only the second window of the transcript (segments 3–5).
    expect(sent.sort()).toEqual(['a lazy purple walrus', 'four FIVE EDITED six']);
    const found = await h.search.search({ query: 'purple walrus', kinds: ['message'], limit: 5 });
    expect(found.hits[0]).toMatchObject({ id: messageId, matchedBy: 'both' });
    const old = await h.search.search({ query: 'quick brown', kinds: ['message'], limit: 5 });
    expect(old.hits).toEqual([]);
  });
});

describe('models and progress', () => {
  it('a new model rebuilds the index; vectors of two models are never compared', async () => {
    h = await startSearchHarness();
    const [messageId] = addConversation(h.core, 'c', ['vectors from a small model']);
    h.search.setSettings({ dimensions: 256 });
    await h.search.runUntilIdle();
    expect(h.core.db.prepare('SELECT DISTINCT model, dims FROM search_vectors').all()).toEqual([
      { model: 'text-embedding-3-small', dims: 256 },
    ]);

    // The fake gives both models the same vectors at the same length: only the model column keeps them apart.
    h.search.pause();
    expect(h.search.setSettings({ model: 'text-embedding-3-large' })).toEqual({
      model: 'text-embedding-3-large',
      dimensions: 256,
    });
    expect(vectorCount(h.core)).toBe(0);
    expect(h.search.status()).toMatchObject({ indexed: 0, total: 1, tokensUsed: 0, paused: true });
    const before = await h.search.search({ query: 'small model vectors', limit: 5 });
    expect(before.meaningUsed).toBe(false);
    expect(before.hits.every((hit) => hit.matchedBy === 'keyword')).toBe(true);

    await h.search.runUntilIdle();
    const after = await h.search.search({ query: 'model vectors tiny', limit: 5 });
    expect(after.hits[0]).toMatchObject({ id: messageId, matchedBy: 'meaning' });
    expect(h.core.db.prepare('SELECT DISTINCT model FROM search_vectors').all()).toEqual([
      { model: 'text-embedding-3-large' },
    ]);
    const bodies = h.proxy.requests.filter((request) => request.path === '/v1/embeddings').map((r) => r.json);
    expect(bodies.at(-1)).toMatchObject({ model: 'text-embedding-3-large', dimensions: 256 });
  });

  it('dimensions are refused for models other than the 3-series', async () => {
    h = await startSearchHarness();
    expect(() => h.search.setSettings({ model: 'text-embedding-ada-002', dimensions: 256 })).toThrow(
      /dimensions/,
    );
    expect(h.search.setSettings({ model: 'text-embedding-ada-002' })).toEqual({
      model: 'text-embedding-ada-002',
      dimensions: null,
    });
  });

  it('resumes where it stopped: a new core over the same data re-embeds nothing twice', async () => {
    h = await startSearchHarness({ timing: { batchItems: 5 } });
    for (let i = 0; i < 20; i++) addConversation(h.core, `c${i}`, [fillerText(i)]);
    const controller = new AbortController();
    let batches = 0;
    await expect(
      h.search.runUntilIdle({
        signal: controller.signal,
        onBatch: () => {
          if (++batches === 2) controller.abort();
        },
      }),
    ).rejects.toMatchObject({ info: { kind: 'cancelled' } });
    expect(h.search.status()).toMatchObject({ indexed: 10, total: 20 });

    await h.reopen();
    expect(h.search.status()).toMatchObject({ indexed: 10, total: 20 });
    await h.search.runUntilIdle();
    expect(h.search.status()).toMatchObject({ indexed: 20, total: 20 });
    const inputs = h.embeddedInputs();
    expect(inputs.length).toBe(20);
    expect(new Set(inputs).size).toBe(20);
  });

  it('offline the background indexer waits and says so; back online it carries on', async () => {
    h = await startSearchHarness();
    addConversation(h.core, 'c', ['written while offline']);
    h.proxy.addFault({ match: '/v1/embeddings', times: 1_000_000, fault: { type: 'reset' } });
    h.search.start();
    await until(() => h.search.status().offline);
    expect(h.search.status()).toMatchObject({ indexed: 0, lastError: expect.stringMatching(/offline/i) });
    expect(h.events.some((event) => event.name === 'index.progress')).toBe(true);

    h.proxy.clearFaults();
    await until(() => h.search.status().indexed === 1);
    expect(h.search.status()).toMatchObject({ offline: false, lastError: null });

    // Paused: new items wait, nothing is sent, until resumed.
    h.search.pause();
    const sent = h.embeddedInputs().length;
    addConversation(h.core, 'd', ['written while paused']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.embeddedInputs().length).toBe(sent);
    h.search.resume();
    await until(() => h.search.status().indexed === 2);
  });
});

describe('another process holding the write lock (SQLITE_BUSY)', () => {
  /** A second real connection to the same file, in the middle of a write transaction. */
  function holdWriteLock(core: SearchHarness['core']): Database.Database {
    const other = new Database(core.db.name);
    other.exec('BEGIN IMMEDIATE');
    return other;
  }

  it('a batch waits for the lock and then saves what it embedded; nothing is embedded twice', async () => {
    h = await startSearchHarness({
      timing: { databaseBusyMs: 20, databaseBusyMaxMs: 50, databaseBusyTries: 200 },
    });
    // The core's connection would block the thread for its 5 s busy timeout; here it is refused at once.
    h.core.db.pragma('busy_timeout = 0');
    addConversation(h.core, 'c', ['a question about lighthouses', 'an answer about lighthouses']);
    const other = holdWriteLock(h.core);
    const drained = h.search.runUntilIdle();
    await until(() => h.embeddedInputs().length === 2);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(vectorCount(h.core)).toBe(0);
    other.exec('COMMIT');
    other.close();

    const status = await drained;
    expect(status).toMatchObject({ indexed: 2, total: 2, lastError: null });
    expect(vectorCount(h.core)).toBe(2);
    expect(h.embeddedInputs()).toHaveLength(2);
  });

  it('the background indexer backs off while the lock is held, with no error to show, then carries on', async () => {
    h = await startSearchHarness({
      timing: { databaseBusyMs: 20, databaseBusyMaxMs: 40, databaseBusyTries: 1 },
    });
    h.core.db.pragma('busy_timeout = 0');
    addConversation(h.core, 'c', ['a note about tides']);
    const other = holdWriteLock(h.core);
    h.search.start();
    await until(() => h.embeddedInputs().length >= 2);
    expect(h.search.status()).toMatchObject({ indexed: 0, offline: false, lastError: null });
    other.exec('COMMIT');
    other.close();

    await until(() => h.search.status().indexed === 1);
    expect(h.search.status()).toMatchObject({ offline: false, lastError: null });
    expect(vectorCount(h.core)).toBe(1);
  });
});

describe('a write that fails inside the background loop', () => {
  it('the loop outlives a failed write of its own error, and indexes once writes work again', async () => {
    h = await startSearchHarness({ timing: { databaseBusyMs: 20, databaseBusyMaxMs: 40 } });
    addConversation(h.core, 'c', ['a line about harbours']);
    // The proxy fails, and recording that failure fails too, as on a full disk.
    h.proxy.addFault({ match: '/v1/embeddings', times: 1_000_000, fault: { type: 'status', status: 500 } });
    h.core.db.exec(
      "CREATE TEMP TRIGGER refuse_error BEFORE UPDATE OF last_error ON search_index_state BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END",
    );
    h.search.start();
    await until(() => h.proxy.requests.filter((r) => r.path === '/v1/embeddings').length >= 3);
    h.core.db.exec('DROP TRIGGER refuse_error');
    h.proxy.clearFaults();
    await until(() => h.search.status().indexed === 1);
    expect(vectorCount(h.core)).toBe(1);
  });
});

async function until(check: () => boolean, timeoutMs = 8000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
