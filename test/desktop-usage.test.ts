import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localDay } from '../src/main/services/desktop/usage-summary';
import { chartSeries, daysBetween, niceCeiling } from '../src/renderer/src/usage/usage-data';
import type { Usage } from '../src/shared/chat';
import { type ChatHarness, startChatHarness } from './support/chat-core';

let h: ChatHarness;
beforeEach(async () => {
  h = await startChatHarness();
});
afterEach(async () => {
  await h.close();
});

const today = localDay(Date.now());
const DAY = 24 * 60 * 60 * 1000;

async function send(model: string, text: string): Promise<void> {
  const chat = h.core.chat.createConversation({ model });
  const started = await h.core.chat.send({ conversationId: chat.id, text });
  const final = await h.core.chat.whenDone(started.streamId);
  expect(final.status).toBe('complete');
}

/** Sums straight from the stored assistant messages, the way a person would add them up. */
function storedSums(ids?: Set<string>) {
  const rows = h.core.db
    .prepare(`SELECT id, model, usage FROM messages WHERE role = 'assistant' AND usage IS NOT NULL`)
    .all() as { id: string; model: string; usage: string }[];
  const byModel = new Map<string, { messages: number; input: number; output: number; reasoning: number }>();
  for (const row of rows) {
    if (ids && !ids.has(row.id)) continue;
    const usage = JSON.parse(row.usage) as Usage;
    const sum = byModel.get(row.model) ?? { messages: 0, input: 0, output: 0, reasoning: 0 };
    sum.messages += 1;
    sum.input += usage.inputTokens ?? 0;
    sum.output += usage.outputTokens ?? 0;
    sum.reasoning += usage.reasoningTokens ?? 0;
    byModel.set(row.model, sum);
  }
  return byModel;
}

async function summary(request: { from: string; to: string; profileId?: string }) {
  const result = await h.core.router.dispatch('usage.summary', request);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as import('../src/shared/desktop').UsageSummary;
}

describe('usage sums', () => {
  it('sums tokens per model per day exactly as stored in the replies, and filters by profile', async () => {
    await send('gpt-4o', 'Hello there, how are you today?');
    await send('gpt-4o', 'Tell me a short story about a lighthouse keeper and a cat');
    await send('o3-mini', 'Why is the sky blue? Think it through.');
    const firstProfile = h.core.settings.activeProfile();
    const firstIds = new Set(
      (h.core.db.prepare(`SELECT id FROM messages WHERE role = 'assistant'`).all() as { id: string }[]).map(
        (row) => row.id,
      ),
    );

    const second = h.core.settings.createProfile({ name: 'Gateway', baseUrl: h.proxy.url });
    await h.core.settings.setToken(second.id, h.proxy.token, 'session');
    h.core.settings.setActive(second.id);
    await send('gpt-4o', 'One more from the other profile');

    const all = await summary({ from: today, to: today });
    const stored = storedSums();
    expect(all.tokens.map((row) => row.model)).toEqual(['gpt-4o', 'o3-mini']);
    for (const row of all.tokens) {
      const expected = stored.get(row.model);
      expect(row).toMatchObject({
        day: today,
        messages: expected?.messages,
        inputTokens: expected?.input,
        outputTokens: expected?.output,
        reasoningTokens: expected?.reasoning,
      });
    }
    expect(all.tokens.find((row) => row.model === 'gpt-4o')?.messages).toBe(3);
    expect(all.tokens.find((row) => row.model === 'o3-mini')?.reasoningTokens).toBeGreaterThan(0);

    const onlyFirst = await summary({ from: today, to: today, profileId: firstProfile.id });
    const firstStored = storedSums(firstIds);
    expect(onlyFirst.tokens.find((row) => row.model === 'gpt-4o')).toMatchObject({
      messages: 2,
      outputTokens: firstStored.get('gpt-4o')?.output,
    });
    const onlySecond = await summary({ from: today, to: today, profileId: second.id });
    expect(onlySecond.tokens).toHaveLength(1);
    expect(onlySecond.tokens[0]?.messages).toBe(1);
    expect(onlySecond.unattributed).toBe(0);

    // Yesterday had nothing.
    const yesterday = localDay(Date.now() - DAY);
    expect((await summary({ from: yesterday, to: yesterday })).tokens).toEqual([]);
  });

  it('sums audio minutes per model and video seconds per vendor, by day, within the range only', async () => {
    const db = h.core.db;
    const at = (daysAgo: number) => Date.now() - daysAgo * DAY;
    const transcript = db.prepare(
      `INSERT INTO transcripts (id, job_id, file_name, source_path, size_bytes, duration_sec, model, timestamps,
         created_at, updated_at) VALUES (?, NULL, 'a.mp3', '/tmp/a.mp3', 1000, ?, ?, 1, ?, ?)`,
    );
    transcript.run('t1', 90, 'whisper-1', at(1), at(1));
    transcript.run('t2', 30, 'whisper-1', at(1), at(1));
    transcript.run('t3', 600, 'gpt-4o-transcribe', at(0), at(0));
    transcript.run('t-old', 6000, 'whisper-1', at(30), at(30));
    const video = db.prepare(
      `INSERT INTO video_jobs (id, vendor, model, prompt, params, status, created_at, updated_at, completed_at)
       VALUES (?, ?, 'm', 'a prompt', ?, ?, ?, ?, ?)`,
    );
    video.run('v1', 'sora', JSON.stringify({ seconds: '8' }), 'succeeded', at(1), at(1), at(1));
    video.run('v2', 'sora', '{}', 'succeeded', at(1), at(1), at(1)); // Sora's default: 4 s
    video.run('v3', 'kling', JSON.stringify({ duration: '10' }), 'succeeded', at(0), at(0), at(0));
    video.run('v4', 'veo', JSON.stringify({ durationSeconds: 6 }), 'failed', at(0), at(0), null);
    video.run('v5', 'seedance', JSON.stringify({ duration: 7 }), 'succeeded', at(0), at(0), at(0));

    const result = await summary({ from: localDay(at(2)), to: today });
    expect(result.audio).toEqual([
      { day: localDay(at(1)), model: 'whisper-1', transcripts: 2, minutes: 2, cost: unpriced(2) },
      { day: today, model: 'gpt-4o-transcribe', transcripts: 1, minutes: 10, cost: unpriced(1) },
    ]);
    expect(result.video).toEqual([
      { day: localDay(at(1)), vendor: 'sora', videos: 2, seconds: 12, cost: unpriced(2) },
      { day: today, vendor: 'kling', videos: 1, seconds: 10, cost: unpriced(1) },
      { day: today, vendor: 'seedance', videos: 1, seconds: 7, cost: unpriced(1) },
    ]);
    // Made before profiles were recorded: counted for "all profiles", reported as unattributed with a filter.
    const profileId = h.core.settings.activeProfile().id;
    const filtered = await summary({ from: localDay(at(2)), to: today, profileId });
    expect(filtered.audio).toEqual([]);
    expect(filtered.unattributed).toBe(7);
  });

  it('refuses a range that ends before it starts, or a date that is not one', async () => {
    const reversed = await h.core.router.dispatch('usage.summary', { from: '2026-02-02', to: '2026-02-01' });
    expect(reversed).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'from' } });
    const bad = await h.core.router.dispatch('usage.summary', { from: '2026-13-45', to: '2026-02-01' });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
  });
});

/** With no price set (the proxy publishes none), every item is counted as unpriced. */
function unpriced(count: number) {
  return { amount: 0, priced: 0, unpriced: count };
}

describe('usage page helpers', () => {
  it('lists the days of a range, keeping the last 400 of a very long one', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
    const long = daysBetween('2000-01-01', '2026-03-02');
    expect(long).toHaveLength(400);
    expect(long.at(-1)).toBe('2026-03-02');
  });

  it('adds up tokens per model per day for the chart, biggest series first', () => {
    const days = ['2026-03-01', '2026-03-02'];
    const series = chartSeries(
      {
        from: days[0] ?? '',
        to: days[1] ?? '',
        profileId: null,
        unattributed: 0,
        tokens: [
          {
            day: '2026-03-01',
            model: 'a',
            messages: 1,
            inputTokens: 1,
            outputTokens: 2,
            cachedTokens: 0,
            reasoningTokens: 0,
            cost: unpriced(1),
          },
          {
            day: '2026-03-02',
            model: 'b',
            messages: 1,
            inputTokens: 10,
            outputTokens: 20,
            cachedTokens: 0,
            reasoningTokens: 0,
            cost: unpriced(1),
          },
        ],
        titles: [],
        audio: [],
        video: [],
      },
      'tokens',
      days,
    );
    expect(series).toEqual([
      { name: 'b', values: [0, 30] },
      { name: 'a', values: [3, 0] },
    ]);
    expect(niceCeiling(125)).toBe(200);
    expect(niceCeiling(0)).toBe(1);
  });
});
