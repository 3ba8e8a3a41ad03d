import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CostsService } from '../src/main/services/costs/costs-service';
import { localDay } from '../src/main/services/desktop/usage-summary';
import { EventBus } from '../src/main/services/event-bus';
import { type Db, openDatabase } from '../src/main/store/database';
import { PricesRepo } from '../src/main/store/prices-repo';
import { readRate } from '../src/renderer/src/settings/price-input';
import { totalCost } from '../src/renderer/src/usage/usage-data';
import type { Usage } from '../src/shared/chat';
import {
  audioCost,
  formatUsd,
  type Price,
  PriceBook,
  tokenCost,
  videoJobCost,
  videoResolutionOf,
  videoSecondsOf,
} from '../src/shared/costs';
import type { PricesState } from '../src/shared/costs-channels';
import type { UsageSummary } from '../src/shared/desktop';
import { type ChatHarness, startChatHarness } from './support/chat-core';

const gpt: Price = {
  kind: 'tokens',
  model: 'gpt-4.1-mini',
  inputPerMillion: 0.4,
  outputPerMillion: 1.6,
  cachedInputPerMillion: 0.1,
};
const sora: Price = { kind: 'video', vendor: 'sora', model: 'sora-2', resolution: '', perSecond: 0.1 };
const soraPortraitHd: Price = {
  kind: 'video',
  vendor: 'sora',
  model: 'sora-2-pro',
  resolution: '1024x1792',
  perSecond: 0.5,
};
const whisper: Price = { kind: 'audio', model: 'whisper-1', perMinute: 0.006 };

describe('cost arithmetic', () => {
  it('charges uncached input, cached input and output at their own prices per 1M tokens', () => {
    // 1000 in of which 400 cached, 500 out: 600 × 0.4 + 400 × 0.1 + 500 × 1.6 = 1080 per 1M.
    expect(tokenCost(gpt, { inputTokens: 1000, cachedTokens: 400, outputTokens: 500 })).toBeCloseTo(
      0.00108,
      10,
    );
    // No cached price: cached input costs as much as input.
    const plain = { ...gpt, cachedInputPerMillion: null };
    expect(tokenCost(plain, { inputTokens: 1000, cachedTokens: 400, outputTokens: 0 })).toBeCloseTo(
      0.0004,
      10,
    );
    // More cached than input (a provider counting them apart) never gives a negative uncached share.
    expect(tokenCost(gpt, { inputTokens: 10, cachedTokens: 50 })).toBeCloseTo(0.000001, 10);
    expect(tokenCost(null, { inputTokens: 1000 })).toBeNull();
  });

  it('charges audio per minute and video per second of the resolution asked for', () => {
    expect(audioCost(whisper, 90)).toBeCloseTo(0.009, 10);
    expect(audioCost(null, 90)).toBeNull();
    const book = new PriceBook([sora, soraPortraitHd]);
    expect(videoJobCost(book, 'sora', 'sora-2', { seconds: '8' })).toBeCloseTo(0.8, 10);
    // No seconds named: the vendor's default length (Sora: 4 s).
    expect(videoJobCost(book, 'sora', 'sora-2', {})).toBeCloseTo(0.4, 10);
    expect(videoJobCost(book, 'sora', 'sora-2-pro', { seconds: '12', size: '1024x1792' })).toBeCloseTo(6, 10);
    // sora-2-pro has a price only for one size.
    expect(videoJobCost(book, 'sora', 'sora-2-pro', { seconds: '12', size: '1280x720' })).toBeNull();
    expect(videoSecondsOf('veo', {})).toBe(8);
    expect(videoSecondsOf('seedance', { duration: 7 })).toBe(7);
    expect(videoResolutionOf('kling', {})).toBe('std');
    expect(videoResolutionOf('kling', { mode: 'pro' })).toBe('pro');
  });

  it('writes US dollars as each language writes money, keeping the digits of small sums', () => {
    expect(formatUsd(1.5, 'en')).toBe('$1.50');
    expect(formatUsd(0.00108, 'en')).toBe('$0.0011');
    expect(formatUsd(0, 'en')).toBe('$0.00');
    expect(formatUsd(1234.5, 'vi')).toBe('1.234,50\u00a0US$');
    expect(formatUsd(0.8, 'zh-CN')).toBe('US$0.80');
  });

  it('reads a typed price with a decimal point or comma, and says what is wrong otherwise', () => {
    expect(readRate('2.50')).toEqual({ ok: true, value: 2.5 });
    expect(readRate('2,5')).toEqual({ ok: true, value: 2.5 });
    expect(readRate(' $1,000.25 ')).toEqual({ ok: true, value: 1000.25 });
    expect(readRate('', true)).toEqual({ ok: true, value: null });
    expect(readRate('')).toEqual({ ok: false, problem: 'empty' });
    expect(readRate('two')).toEqual({ ok: false, problem: 'notNumber' });
    expect(readRate('1.2.3')).toEqual({ ok: false, problem: 'notNumber' });
    expect(readRate('-1')).toEqual({ ok: false, problem: 'negative' });
    expect(readRate('250000')).toEqual({ ok: false, problem: 'tooLarge' });
  });
});

describe('prices in SQLite (migration 18)', () => {
  let dir: string;
  let db: Db;
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps each price of the user across a reopen of the file, and forgets a reset one', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdesk-prices-'));
    const file = path.join(dir, 'hubdesk.sqlite');
    db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(18);
    const repo = new PricesRepo(db);
    repo.set(gpt, 1);
    repo.set(whisper, 1);
    repo.set(sora, 1);
    repo.set(soraPortraitHd, 1);
    repo.set({ ...gpt, inputPerMillion: 0.5 }, 2);
    db.close();

    db = openDatabase(file);
    const reopened = new PricesRepo(db);
    expect(reopened.list()).toEqual(
      expect.arrayContaining([{ ...gpt, inputPerMillion: 0.5 }, whisper, sora, soraPortraitHd]),
    );
    expect(reopened.list()).toHaveLength(4);
    expect(
      reopened.remove({ kind: 'video', vendor: 'sora', model: 'sora-2-pro', resolution: '1024x1792' }),
    ).toBe(true);
    expect(
      reopened.remove({ kind: 'video', vendor: 'sora', model: 'sora-2-pro', resolution: '1024x1792' }),
    ).toBe(false);
    expect(reopened.list()).toHaveLength(3);
  });
});

describe('the costs service', () => {
  let dir: string;
  let db: Db;
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function service(defaults: readonly Price[] = []) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdesk-costs-'));
    db = openDatabase(path.join(dir, 'hubdesk.sqlite'));
    const bus = new EventBus();
    const changes: PricesState[] = [];
    bus.subscribe((event, payload) => {
      if (event === 'prices.changed') changes.push(payload as PricesState);
    });
    const costs = new CostsService({
      prices: new PricesRepo(db),
      bus,
      textModels: () => ['gpt-4.1-mini', 'my-own-model'],
      defaults,
      now: () => 1,
    });
    return { costs, changes };
  }

  it('lists every known model with no price set, since the proxy publishes none', () => {
    const { costs } = service();
    const rows = costs.state().rows;
    expect(rows.map((row) => row.key.model)).toEqual(
      expect.arrayContaining(['gpt-4.1-mini', 'my-own-model', 'whisper-1', 'sora-2', 'veo-3.0-generate-001']),
    );
    expect(rows.every((row) => row.price === null && row.source === 'none')).toBe(true);
    expect(rows.map((row) => row.key.kind)).toEqual([...rows.map((row) => row.key.kind)].sort(kindOrder));
  });

  it('puts a price the user sets in force, tells the window, and resets it to the default', () => {
    const published: Price = { ...gpt, inputPerMillion: 0.3 };
    const { costs, changes } = service([published]);
    expect(costs.book().tokens('gpt-4.1-mini')).toEqual(published);
    costs.set(gpt);
    expect(costs.book().tokens('gpt-4.1-mini')).toEqual(gpt);
    expect(changes.at(-1)?.rows.find((row) => row.key.model === 'gpt-4.1-mini')).toMatchObject({
      price: gpt,
      defaultPrice: published,
      source: 'user',
    });
    costs.reset({ kind: 'tokens', model: 'gpt-4.1-mini' });
    expect(costs.book().tokens('gpt-4.1-mini')).toEqual(published);
    expect(changes).toHaveLength(2);
  });

  it('lists a resolution’s own price right after its model’s row', () => {
    const { costs } = service();
    costs.set(soraPortraitHd);
    const models = costs
      .state()
      .rows.flatMap((row) =>
        row.key.kind === 'video'
          ? [`${row.key.model}${row.key.resolution ? ` ${row.key.resolution}` : ''}`]
          : [],
      );
    expect(models.slice(0, 3)).toEqual(['sora-2', 'sora-2-pro', 'sora-2-pro 1024x1792']);
  });
});

const titleRequests = (h: ChatHarness) =>
  h.proxy.requests.filter((request) =>
    JSON.stringify(request.json ?? '').includes('Write a short title for this conversation.'),
  );

function kindOrder(a: string, b: string): number {
  const order = ['tokens', 'audio', 'video'];
  return order.indexOf(a) - order.indexOf(b);
}

describe('costs through the core: replies, titles, the usage page', () => {
  let h: ChatHarness;
  afterEach(async () => {
    await h.close();
  });

  async function summary(): Promise<UsageSummary> {
    const today = localDay(Date.now());
    const result = await h.core.router.dispatch('usage.summary', { from: today, to: today });
    if (!result.ok) throw new Error(result.error.message);
    return result.value as UsageSummary;
  }

  it('prices the usage page at the prices in force, and refuses a price no one could mean', async () => {
    h = await startChatHarness();
    const conversation = h.core.chat.createConversation({ model: 'gpt-4.1-mini' });
    const started = await h.core.chat.send({ conversationId: conversation.id, text: 'hello there' });
    const reply = await h.core.chat.whenDone(started.streamId);
    const usage = reply.usage as Usage;
    expect(usage.inputTokens).toBeGreaterThan(0);

    expect((await summary()).tokens[0]?.cost).toEqual({ amount: 0, priced: 0, unpriced: 1 });
    const set = await h.core.router.dispatch('prices.set', { price: gpt });
    expect(set.ok).toBe(true);
    const priced = await summary();
    const expected = tokenCost(gpt, usage) ?? Number.NaN;
    expect(priced.tokens[0]?.cost).toEqual({ amount: expected, priced: 1, unpriced: 0 });
    expect(totalCost(priced)).toEqual({ amount: expected, priced: 1, unpriced: 0 });

    const refused = await h.core.router.dispatch('prices.set', { price: { ...gpt, outputPerMillion: -1 } });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
    expect(h.core.costs.book().tokens('gpt-4.1-mini')).toEqual(gpt);
  });

  it('counts the tokens of a model’s title apart, and asks for no title once model titles are off', async () => {
    h = await startChatHarness({ modelTitles: true });
    h.core.costs.set(gpt);
    const first = h.core.chat.createConversation({ model: 'gpt-4.1-mini' });
    const started = await h.core.chat.send({ conversationId: first.id, text: 'how do tides work' });
    await h.core.chat.whenDone(started.streamId);
    await expect.poll(async () => (await summary()).titles.length).toBe(1);
    const titles = (await summary()).titles[0];
    expect(titles).toMatchObject({ model: 'gpt-4.1-mini', messages: 1 });
    expect(titles?.inputTokens).toBeGreaterThan(0);
    expect(titles?.cost.priced).toBe(1);
    expect(titles?.cost.amount).toBeGreaterThan(0);
    // Replies are counted as before, without the title request.
    expect((await summary()).tokens[0]?.messages).toBe(1);

    expect(await h.core.router.dispatch('titles.set', { enabled: false })).toEqual({
      ok: true,
      value: { enabled: false },
    });
    const second = h.core.chat.createConversation({ model: 'gpt-4.1-mini' });
    const next = await h.core.chat.send({ conversationId: second.id, text: 'why is the sea salty' });
    await h.core.chat.whenDone(next.streamId);
    // A title request would have left before a later reply in the same conversation does.
    const later = await h.core.chat.send({ conversationId: second.id, text: 'and the rivers?' });
    await h.core.chat.whenDone(later.streamId);
    expect(titleRequests(h)).toHaveLength(1);
    expect(h.core.chat.listConversations().find((c) => c.id === second.id)?.title).toBe(
      'why is the sea salty',
    );
    expect((await summary()).titles[0]?.messages).toBe(1);
    // The choice is kept in the database.
    expect((await h.reopen()).modelTitles.state()).toEqual({ enabled: false });
  });
});
