import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedTexts, planBatches } from '../src/main/api/embeddings';
import { meaningReasonText } from '../src/main/cli/search-command';
import { VectorIndex } from '../src/main/store/vector-index';
import { SNIPPET_MATCH_END, SNIPPET_MATCH_START } from '../src/shared/chat';
import { channels } from '../src/shared/contract';
import {
  addConversation,
  addTranscript,
  addVideo,
  fillerText,
  type SearchHarness,
  startSearchHarness,
} from './search-fixtures';

let h: SearchHarness;
let recipeMessage: string;
let recipeConversation: string;
let gardenSegmentTranscript: string;
let oceanVideo: string;
let relatedMessage: string;

beforeAll(async () => {
  h = await startSearchHarness();
  for (let i = 0; i < 150; i++) addConversation(h.core, `Filler ${i}`, [fillerText(i), fillerText(i + 1000)]);
  recipeMessage = firstOf(
    addConversation(h.core, 'Family dinners', [
      'My grandmother baked a lasagna recipe every sunday with fresh basil',
      'That sounds lovely.',
    ]),
  );
  recipeConversation = (
    h.core.db.prepare('SELECT conversation_id FROM messages WHERE id = ?').get(recipeMessage) as {
      conversation_id: string;
    }
  ).conversation_id;
  relatedMessage = firstOf(
    addConversation(h.core, 'Cooking later', ['which lasagna recipe did grandmother make for the party']),
  );
  gardenSegmentTranscript = addTranscript(h.core, 'garden-show.mp3', [
    'Welcome to the show.',
    'Thanks for having me.',
    'Let us begin.',
    'In early spring we plant tomato seedlings in the greenhouse',
    'They need plenty of light.',
  ]);
  oceanVideo = addVideo(h.core, 'Humpback whale breaching near a lighthouse at dusk');
  addVideo(h.core, 'A city street with neon signs at night');
  await h.search.runUntilIdle();
});
function firstOf(ids: string[]): string {
  const [first] = ids;
  if (!first) throw new Error('no message was added');
  return first;
}

afterAll(async () => {
  await h?.close();
});

describe('search.everything', () => {
  it('finds the message, the segment and the video by meaning where the words differ', async () => {
    // Every term must occur for a keyword hit: "dinners" does not.
    const message = await h.search.search({ query: 'grandmother lasagna recipe sunday dinners', limit: 5 });
    expect(message.meaningUsed).toBe(true);
    expect(message.hits[0]).toMatchObject({
      kind: 'message',
      id: recipeMessage,
      matchedBy: 'meaning',
      title: 'Family dinners',
      role: 'user',
      target: { conversationId: recipeConversation, messageId: recipeMessage },
    });
    expect(message.hits[0]?.snippet).toContain('grandmother baked a lasagna');
    expect(message.hits[0]?.snippet).not.toContain(SNIPPET_MATCH_START);
    expect(h.core.chat.search('grandmother lasagna recipe sunday dinners', 10)).toEqual([]);

    const segment = await h.search.search({ query: 'planting tomato seedlings in spring', limit: 5 });
    expect(segment.hits[0]).toMatchObject({
      kind: 'segment',
      title: 'garden-show.mp3',
      matchedBy: 'meaning',
      target: { transcriptId: gardenSegmentTranscript, segmentIndex: 3, startSec: 30 },
    });

    const video = await h.search.search({ query: 'whales breaching by the lighthouse', limit: 5 });
    expect(video.hits[0]).toMatchObject({
      kind: 'video',
      id: oceanVideo,
      title: 'Sora · sora-2',
      matchedBy: 'meaning',
      target: { videoId: oceanVideo },
    });
  });

  it('a hit found by words and by meaning says both and marks the words', async () => {
    const result = await h.search.search({ query: 'lasagna', limit: 5 });
    const hit = result.hits.find((item) => item.id === recipeMessage);
    expect(hit?.matchedBy).toBe('both');
    expect(hit?.snippet).toContain(`${SNIPPET_MATCH_START}lasagna${SNIPPET_MATCH_END}`);
    expect(result.hits[0]?.score).toBeGreaterThanOrEqual(result.hits.at(-1)?.score ?? 0);
  });

  it('kinds narrow the search', async () => {
    const result = await h.search.search({
      query: 'tomato seedlings lighthouse whale',
      kinds: ['video'],
      limit: 5,
    });
    expect(result.hits.length).toBeGreaterThan(0);
    expect(result.hits.every((hit) => hit.kind === 'video')).toBe(true);
  });

  it('offline: keyword hits only, with the reason; a recent query still works by meaning', async () => {
    await h.search.search({ query: 'grandmother lasagna recipe sunday dinners', limit: 5 });
    h.proxy.addFault({ match: '/v1/embeddings', times: 1_000_000, fault: { type: 'reset' } });
    try {
      const offline = await h.search.search({ query: 'lasagna basil', limit: 5 });
      expect(offline.meaningUsed).toBe(false);
      expect(offline.meaningUnavailable).toEqual({ code: 'offline' });
      expect(meaningReasonText({ code: 'offline' })).toMatch(/needs the network/);
      expect(offline.hits.map((hit) => [hit.id, hit.matchedBy])).toEqual([[recipeMessage, 'keyword']]);

      const cached = await h.search.search({
        query: '  Grandmother lasagna   recipe SUNDAY dinners ',
        limit: 5,
      });
      expect(cached.meaningUsed).toBe(true);
      expect(cached.hits[0]).toMatchObject({ id: recipeMessage, matchedBy: 'meaning' });
    } finally {
      h.proxy.clearFaults();
    }
  });

  it('a NUL or another control character in a query separates words, in all four search boxes', async () => {
    const dispatch = (channel: string, request: unknown) => h.core.router.dispatch(channel, request);
    for (const query of [
      'lasagna\0recipe',
      'lasagna\u0007recipe',
      'tomato\0seedlings',
      'whale\u001bbreaching',
    ]) {
      const messages = await dispatch('search.messages', { query, limit: 5 });
      expect(messages.ok ? messages : messages.error.message).toMatchObject({ ok: true });
      const everything = await dispatch('search.everything', { query, limit: 5 });
      expect(everything.ok ? everything : everything.error.message).toMatchObject({ ok: true });
      const transcripts = await dispatch('transcripts.search', { query, limit: 5 });
      expect(transcripts.ok ? transcripts : transcripts.error.message).toMatchObject({ ok: true });
      const videos = await dispatch('videos.list', { query });
      expect(videos.ok ? videos : videos.error.message).toMatchObject({ ok: true });
    }
    const found = await dispatch('search.messages', { query: 'lasagna\0basil', limit: 5 });
    expect(found.ok && (found.value as { messageId: string }[]).map((hit) => hit.messageId)).toEqual([
      recipeMessage,
    ]);
    const segments = await dispatch('transcripts.search', { query: 'tomato\0greenhouse', limit: 5 });
    expect(segments.ok && (segments.value as unknown[]).length).toBe(1);
    const videos = await dispatch('videos.list', { query: 'whale\0dusk' });
    expect(videos.ok && (videos.value as { id: string }[]).map((video) => video.id)).toEqual([oceanVideo]);
  });

  it('the request schema is strict', () => {
    const schema = channels['search.everything'].request;
    expect(schema.safeParse({ query: 'x', extra: 1 }).success).toBe(false);
    expect(schema.safeParse({ query: ' ' }).success).toBe(false);
    expect(schema.safeParse({ query: 'x', kinds: ['chat'] }).success).toBe(false);
    expect(schema.parse({ query: 'x' })).toEqual({ query: 'x', limit: 20 });
  });
});

describe('search.related', () => {
  it('finds the nearest other conversations, never the message’s own', () => {
    const related = h.search.related({ messageId: relatedMessage, limit: 3 });
    expect(related.meaningUsed).toBe(true);
    expect(related.hits[0]).toMatchObject({
      id: recipeMessage,
      target: { conversationId: recipeConversation },
    });
    const own = (
      h.core.db.prepare('SELECT conversation_id FROM messages WHERE id = ?').get(relatedMessage) as {
        conversation_id: string;
      }
    ).conversation_id;
    expect(related.hits.every((hit) => hit.target.conversationId !== own)).toBe(true);
  });
});

describe('vector search', () => {
  it('sqlite-vec and the exact scan give the same nearest items', async () => {
    const withExtension = new VectorIndex(h.core.db);
    const scan = new VectorIndex(h.core.db, { prefer: 'scan' });
    expect(withExtension.backend).toBe('sqlite-vec');
    expect(scan.backend).toBe('scan');
    const queries = [
      'grandmother lasagna',
      'tomato greenhouse light',
      fillerText(3),
      fillerText(77),
      'whale',
    ];
    const { vectors } = await embedTexts(h.core.settings.activeClient(), {
      model: 'text-embedding-3-small',
      inputs: queries,
    });
    for (const vector of vectors) {
      const query = {
        vector,
        model: 'text-embedding-3-small',
        kinds: ['message', 'segment', 'video'] as const,
        k: 10,
      };
      const a = withExtension.nearest({ ...query, kinds: [...query.kinds] });
      const b = scan.nearest({ ...query, kinds: [...query.kinds] });
      expect(a.map((hit) => hit.id)).toEqual(b.map((hit) => hit.id));
      a.forEach((hit, index) => {
        expect(hit.distance).toBeCloseTo(b[index]?.distance ?? Number.NaN, 5);
      });
      expect(a[0]?.distance).toBeLessThan(0.7);
    }
    // Another model's vectors are never candidates, whatever their length.
    expect(
      scan.nearest({ vector: vectors[0] ?? new Float32Array(), model: 'other', kinds: ['message'], k: 5 }),
    ).toEqual([]);
  });

  it('batches stay within the API limits', () => {
    const texts = Array.from({ length: 5000 }, () => 'x'.repeat(400));
    const batches = planBatches(texts);
    expect(batches.every((batch) => batch.length <= 2048)).toBe(true);
    expect(batches.flat()).toEqual(texts.map((_, index) => index));
    const big = Array.from({ length: 100 }, () => 'y'.repeat(30_000));
    expect(planBatches(big).every((batch) => batch.length * 7500 <= 300_000)).toBe(true);
    expect(() => planBatches(['z'.repeat(40_000)])).toThrow(/8192/);
  });
});
