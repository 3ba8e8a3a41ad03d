/**
 * HubDesk's own data as tools (issue 15), through a real core over a temp data folder and the fake proxy's
 * embeddings: what a model gets back when it searches the library, reads a transcript or a conversation, lists
 * videos, or calls a tool badly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RESULT_CHARS } from '../src/main/services/tools/builtin-tool-text';
import { BuiltinToolProvider } from '../src/main/services/tools/builtin-tools';
import { TranscriptsRepo } from '../src/main/store/transcripts-repo';
import { SNIPPET_MATCH_END, SNIPPET_MATCH_START } from '../src/shared/chat';
import type { ToolResult } from '../src/shared/tools';
import {
  addConversation,
  addVideo,
  fillerText,
  type SearchHarness,
  startSearchHarness,
} from './search-fixtures';
import { addTimedTranscript, addVideoWith, conversationOf } from './support/library-items';

const DAY = 24 * 60 * 60 * 1000;
const now = Date.now();

let h: SearchHarness;
let interview: string;
let standup: string;
let pricingConversation: string;
let whaleVideo: string;
let failedVideo: string;
let klingVideo: string;

const interviewTexts = [
  'Thanks for joining this customer interview today.',
  'Could you tell me how your team works?',
  'We are twelve people, mostly engineers.',
  'What did you think about the pricing of the product?',
  'Honestly the pricing felt too high for a small team; per seat pricing would help.',
  'Anything else about onboarding?',
  'Onboarding was smooth, the docs are good.',
  'Thank you, that is all.',
];

beforeAll(async () => {
  h = await startSearchHarness();
  interview = addTimedTranscript(h.core, 'customer-interview-acme.mp3', interviewTexts, now - 6 * DAY);
  standup = addTimedTranscript(
    h.core,
    'team-standup.m4a',
    ['Yesterday I fixed the build.', 'Today I review the roadmap.'],
    now - 20 * DAY,
  );
  const messages = addConversation(
    h.core,
    'Pricing page draft',
    [
      'Write a pricing page with three tiers for small teams',
      'Here is a draft with Starter, Team and Business.',
    ],
    now - 30 * DAY,
  );
  pricingConversation = conversationOf(h.core, messages[0] ?? '');
  for (let i = 0; i < 5; i++) addConversation(h.core, `Filler ${i}`, [fillerText(i), fillerText(i + 100)]);
  whaleVideo = addVideo(h.core, 'Humpback whale breaching near a lighthouse at dusk');
  failedVideo = addVideoWith(h.core, {
    vendor: 'veo',
    model: 'veo-3',
    prompt: 'A pricing chart growing like a plant',
    status: 'failed',
    error: { message: 'The safety filter blocked the output.' },
    createdAt: now - DAY,
  });
  klingVideo = addVideoWith(h.core, {
    vendor: 'kling',
    model: 'kling-v2',
    prompt: 'A paper boat on a rainy street',
    status: 'running',
    progress: 40,
    createdAt: now - 2 * DAY,
  });
  await h.search.runUntilIdle();
});

afterAll(async () => {
  await h?.close();
});

const call = (name: string, args: Record<string, unknown>, signal?: AbortSignal) =>
  h.core.builtinTools.callTool(name, args, signal);

function textOf(result: ToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

interface SearchOutput {
  meaning_used: boolean;
  meaning_unavailable?: { code: string; message: string };
  hits: Record<string, unknown>[];
}

describe('search_library', () => {
  it('finds the interview by "pricing", with the ids and the time to read it at', async () => {
    const result = await call('search_library', { query: 'pricing', kinds: ['transcripts'] });
    expect(result.isError).toBe(false);
    const output = result.structuredContent as SearchOutput;
    expect(output.hits[0]).toMatchObject({
      kind: 'transcript',
      title: 'customer-interview-acme.mp3',
      transcript_id: interview,
      date: new Date(now - 6 * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    expect(output.hits.map((hit) => hit.transcript_id)).not.toContain(standup);
    const text = textOf(result);
    expect(text).toMatch(
      /^\d+ hits? for "pricing" \(keyword and meaning search, now \d{4}-\d\d-\d\dT[\d:]+Z\):\n/,
    );
    expect(text).toContain(`transcript "customer-interview-acme.mp3"`);
    expect(text).toContain(`transcript_id: ${interview}`);
    expect(text).toMatch(/at 00:00:[34]0 \(segment [34]\)/);
    expect(text).toContain('**pricing**');
    expect(text).not.toContain(SNIPPET_MATCH_START);
    expect(text).not.toContain(SNIPPET_MATCH_END);
  });

  it('searches messages, transcripts and videos together, and a date range keeps last week only', async () => {
    const all = (await call('search_library', { query: 'pricing', mode: 'keyword' }))
      .structuredContent as SearchOutput;
    expect(new Set(all.hits.map((hit) => hit.kind))).toEqual(new Set(['message', 'transcript', 'video']));
    const message = all.hits.find((hit) => hit.kind === 'message');
    expect(message).toMatchObject({
      conversation_id: pricingConversation,
      role: 'user',
      title: 'Pricing page draft',
    });
    expect(all.hits.find((hit) => hit.kind === 'video')).toMatchObject({ video_id: failedVideo });

    const lastWeek = await call('search_library', {
      query: 'pricing',
      after: new Date(now - 8 * DAY).toISOString().slice(0, 10),
      before: new Date(now - 3 * DAY).toISOString(),
    });
    const hits = (lastWeek.structuredContent as SearchOutput).hits;
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((hit) => hit.kind === 'transcript' && hit.transcript_id === interview)).toBe(true);
  });

  it('by meaning: finds the passage whose words differ, and says so', async () => {
    const result = await call('search_library', {
      query: 'small team thinks pricing too high per seat',
      kinds: ['transcripts'],
      mode: 'meaning',
      limit: 3,
    });
    const output = result.structuredContent as SearchOutput;
    expect(output.meaning_used).toBe(true);
    // A meaning hit is a window of about 30 s: segments 3–5, where the pricing talk starts.
    expect(output.hits[0]).toMatchObject({
      kind: 'transcript',
      transcript_id: interview,
      segment: 3,
      start_seconds: 30,
      matched_by: 'meaning',
    });
    expect(textOf(result)).toContain(
      `at 00:00:30 (segment 3); transcript_id: ${interview}, start_seconds: 30`,
    );
    expect(textOf(result)).toContain(
      '1 hit for "small team thinks pricing too high per seat" (meaning search, now',
    );
  });

  it('offline, a meaning search falls back to keywords and says why; keyword mode never asks for an embedding', async () => {
    h.proxy.addFault({ match: '/v1/embeddings', times: 1_000_000, fault: { type: 'reset' } });
    try {
      const result = await call('search_library', { query: 'onboarding docs', mode: 'meaning' });
      expect(result.isError).toBe(false);
      const output = result.structuredContent as SearchOutput;
      expect(output.meaning_used).toBe(false);
      expect(output.meaning_unavailable?.code).toBe('offline');
      expect(output.hits[0]).toMatchObject({
        kind: 'transcript',
        transcript_id: interview,
        segment: 6,
        matched_by: 'keyword',
      });
      const text = textOf(result);
      expect(text).toContain('1 hit for "onboarding docs" (keyword search, now ');
      expect(text).toContain(
        'Note: Only keyword search ran, not meaning search. Meaning search needs the network',
      );
      expect(text).toContain('needs the network');

      const asked = h.embeddedInputs().length;
      const keyword = await call('search_library', { query: 'roadmap', mode: 'keyword' });
      expect((keyword.structuredContent as SearchOutput).hits[0]).toMatchObject({ transcript_id: standup });
      expect(textOf(keyword)).not.toContain('Note:');
      expect(h.embeddedInputs().length).toBe(asked);
    } finally {
      h.proxy.clearFaults();
    }
  });

  it('no hits is an answer, not an error', async () => {
    const result = await call('search_library', { query: 'zeppelin', mode: 'keyword' });
    expect(result.isError).toBe(false);
    expect(textOf(result)).toMatch(/^No hits for "zeppelin" \(now \d{4}-.*Z\)\.$/);
  });
});

describe('read_transcript', () => {
  it('reads the interview back with timestamps', async () => {
    const result = await call('read_transcript', { id: interview });
    expect(result.isError).toBe(false);
    const text = textOf(result);
    expect(text).toContain('Transcript "customer-interview-acme.mp3"');
    expect(text).toContain('00:01:20 long, language en, 8 segments.');
    expect(text).toContain('[00:00:00] Thanks for joining this customer interview today.');
    expect(text).toContain('[00:00:40] Honestly the pricing felt too high');
    expect(text).toContain('[00:01:10] Thank you, that is all.');
    expect(text).not.toContain('Truncated');
    const output = result.structuredContent as { segments: unknown[]; truncated: boolean };
    expect(output.segments).toHaveLength(8);
    expect(output.truncated).toBe(false);
  });

  it('reads a range, in seconds or in segments', async () => {
    const bySeconds = await call('read_transcript', { id: interview, from_seconds: 35, to_seconds: 50 });
    expect(segmentsOf(bySeconds)).toEqual([3, 4, 5]);
    expect(textOf(bySeconds)).toContain('Segments 3–5 (00:00:30–00:01:00):');
    const bySegments = await call('read_transcript', { id: interview, from_segment: 6 });
    expect(segmentsOf(bySegments)).toEqual([6, 7]);
    expect(textOf(bySegments)).toContain('[00:01:00] Onboarding was smooth');
    const empty = await call('read_transcript', { id: interview, from_seconds: 500 });
    expect(empty.isError).toBe(false);
    expect(textOf(empty)).toContain(
      'Nothing in that range; the transcript has segments 0–7, 00:00:00–00:01:20.',
    );
  });

  it('cuts a 10 MB transcript at the cap and says where to read on', async () => {
    const line = 'The quarterly numbers were discussed again in great detail by everyone present. '.repeat(6);
    const huge = addTimedTranscript(
      h.core,
      'all-hands-marathon.mp3',
      Array.from({ length: 21_000 }, () => line),
      now,
    );
    const first = await call('read_transcript', { id: huge });
    const text = textOf(first);
    expect(line.length * 21_000).toBeGreaterThan(10_000_000);
    expect(text.length).toBeLessThanOrEqual(MAX_RESULT_CHARS + 400);
    expect(JSON.stringify(first).length).toBeLessThan(3 * MAX_RESULT_CHARS);
    const output = first.structuredContent as {
      truncated: boolean;
      next_from_seconds: number;
      next_from_segment: number;
    };
    expect(output.truncated).toBe(true);
    expect(text).toContain(
      `[Truncated at about ${MAX_RESULT_CHARS} characters. To read on, call read_transcript with id ${huge} and from_seconds ${output.next_from_seconds} (or from_segment ${output.next_from_segment})`,
    );
    const next = await call('read_transcript', { id: huge, from_seconds: output.next_from_seconds });
    expect(segmentsOf(next)[0]).toBe(output.next_from_segment);

    const oneSegment = addTimedTranscript(h.core, 'no-timestamps.mp3', ['word '.repeat(600_000)], now, false);
    const cut = await call('read_transcript', { id: oneSegment });
    expect(textOf(cut).length).toBeLessThanOrEqual(MAX_RESULT_CHARS + 400);
    expect(textOf(cut)).toContain('Its model gives no timestamps');
    expect(textOf(cut)).toContain(
      `[Truncated: segment 0 alone is longer than ${MAX_RESULT_CHARS} characters and was cut.]`,
    );
    expect((cut.structuredContent as { truncated: boolean }).truncated).toBe(true);
  });
});

describe('list_transcripts, list_videos, read_conversation', () => {
  it('lists transcripts newest first, by file name words', async () => {
    const result = await call('list_transcripts', { query: 'interview' });
    expect(textOf(result)).toBe(
      `1 transcript, newest first:\n- "customer-interview-acme.mp3", ${iso(now - 6 * DAY)}, 00:01:20, en, 8 segments; id: ${interview}`,
    );
    const all = (await call('list_transcripts', {})).structuredContent as { transcripts: { id: string }[] };
    expect(all.transcripts.map((item) => item.id).slice(-2)).toEqual([interview, standup]);
  });

  it('lists videos by status, vendor and prompt words', async () => {
    const failed = await call('list_videos', { status: 'failed' });
    expect(textOf(failed)).toBe(
      `1 video (failed), newest first:\n- Veo veo-3, failed, ${iso(now - DAY)}, not downloaded; id: ${failedVideo}\n` +
        '  error: The safety filter blocked the output.\n  prompt: A pricing chart growing like a plant',
    );
    const running = (await call('list_videos', { vendor: 'kling' })).structuredContent as {
      videos: unknown[];
    };
    expect(running.videos).toEqual([
      expect.objectContaining({ id: klingVideo, status: 'running', progress: 40, downloaded: false }),
    ]);
    const byPrompt = (await call('list_videos', { query: 'whale' })).structuredContent as {
      videos: { id: string }[];
    };
    expect(byPrompt.videos.map((video) => video.id)).toEqual([whaleVideo]);
    expect(textOf(await call('list_videos', { status: 'expired' }))).toBe('No videos match expired.');
  });

  it('reads a conversation a search hit pointed at', async () => {
    const result = await call('read_conversation', { id: pricingConversation });
    expect(textOf(result)).toBe(
      `Conversation "Pricing page draft" (id ${pricingConversation}, model gpt-4o): 2 messages in this branch.\n` +
        `[user, ${iso(now - 30 * DAY)}] Write a pricing page with three tiers for small teams\n` +
        `[assistant, ${iso(now - 30 * DAY + 1)}] Here is a draft with Starter, Team and Business.`,
    );
    const last = await call('read_conversation', { id: pricingConversation, limit: 1 });
    expect(textOf(last)).toContain('the 1 newest shown, 1 older left out.');
    expect((last.structuredContent as { messages: { role: string }[] }).messages).toEqual([
      expect.objectContaining({ role: 'assistant' }),
    ]);
  });
});

describe('bad calls', () => {
  it('bad arguments come back as isError results that say what to fix, never as a throw', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['search_library', {}, /^Invalid arguments for search_library: query: .*expected string/],
      ['search_library', { query: 'x', mode: 'fuzzy' }, /mode: .*"keyword"\|"meaning"\|"both"/],
      ['search_library', { query: 'x', colour: 'red' }, /Unrecognized key: "colour"/],
      ['search_library', { query: 'x', after: 'last week' }, /after: must be a date like 2026-11-24/],
      ['search_library', { query: 'x', after: '2026-02-31' }, /after: is not a real date/],
      [
        'search_library',
        { query: 'x', after: '2026-11-02', before: '2026-11-01' },
        /"after" must be earlier/,
      ],
      [
        'read_transcript',
        { id: interview, from_seconds: 10, from_segment: 2 },
        /in seconds or in segments, not both/,
      ],
      [
        'read_transcript',
        { id: interview, from_segment: 5, to_segment: 2 },
        /the range ends before it starts/,
      ],
      ['read_transcript', { id: 'tr-missing' }, /^No transcript with id "tr-missing"\. Use a transcript_id/],
      ['read_conversation', { id: 'conv-missing' }, /^No conversation with id "conv-missing"\./],
      ['list_videos', { limit: 1000 }, /limit: .*100/],
      [
        'make_coffee',
        {},
        /^HubDesk has no tool named "make_coffee"\. Its tools are: search_library, read_transcript/,
      ],
    ];
    for (const [name, args, message] of cases) {
      const result = await call(name, args);
      expect({ name, args, isError: result.isError }).toEqual({ name, args, isError: true });
      expect(textOf(result)).toMatch(message);
      expect(result.structuredContent).toBeUndefined();
    }
  });

  it('a cancelled call throws cancelled, for the loop to stop on', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(call('search_library', { query: 'pricing' }, controller.signal)).rejects.toMatchObject({
      info: { kind: 'cancelled' },
    });
  });

  it('Stop while a meaning search waits for its embedding ends the call', async () => {
    // A search whose query embedding would wait 10 minutes: only the signal can end this call.
    await h.reopen({ queryTimeoutMs: 600_000 });
    const tools = new BuiltinToolProvider({
      search: h.search,
      chat: h.core.chat,
      transcription: h.core.transcription,
      videos: h.core.videos,
      transcripts: new TranscriptsRepo(h.core.db),
    });
    h.proxy.addFault({ match: '/v1/embeddings', times: 1_000_000, fault: { type: 'hang' } });
    try {
      const asked = h.embeddedInputs();
      const controller = new AbortController();
      const running = tools.callTool(
        'search_library',
        { query: 'a question nobody asked before' },
        controller.signal,
      );
      await expect.poll(() => h.embeddedInputs().length).toBe(asked.length + 1);
      expect(h.embeddedInputs().at(-1)).toBe('a question nobody asked before');
      controller.abort();
      await expect(running).rejects.toMatchObject({ info: { kind: 'cancelled' } });
    } finally {
      h.proxy.clearFaults();
    }
  });
});

function segmentsOf(result: ToolResult): number[] {
  return (result.structuredContent as { segments: { index: number }[] }).segments.map(
    (segment) => segment.index,
  );
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
