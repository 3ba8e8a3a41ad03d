import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Usage } from '../src/shared/chat';
import { formatUsd, type TokenPrice, tokenCost } from '../src/shared/costs';
import type { Language } from '../src/shared/i18n';
import { type english, resources } from '../src/shared/locales';
import { seriousViolations } from './e2e/axe';
import { launchBrowser, screenshot } from './e2e/browser';
import { memoryKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';

const LANGUAGES = ['en', 'zh-CN', 'vi'] as const satisfies readonly Language[];
const strings = (language: Language) => resources[language] as typeof english;
/** A string with its {{placeholders}} filled, as i18next fills them. */
const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('What it costs, in the browser', () => {
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail' && page) {
      await screenshot(page, `failed-costs-${test.task.name.slice(-10).replace(/\W+/g, '-')}`).catch(
        () => undefined,
      );
    }
    expect(pageErrors).toEqual([]);
    await context?.close();
    await stack?.close();
  });

  it.each(LANGUAGES)(
    '%s: a price set in Settings shows as the reply’s cost, the video estimate and the Usage total',
    async (language) => {
      const s = strings(language);
      stack = await startStack({ keytar: memoryKeytar(), systemLanguages: [language] });
      await stack.core.settings.setToken(
        stack.core.settings.activeProfile().id,
        stack.proxy.token,
        'session',
      );
      const conversation = stack.core.chat.createConversation({ model: 'gpt-4.1-mini' });
      const started = await stack.core.chat.send({
        conversationId: conversation.id,
        text: 'Plan a weekend in Da Nang',
      });
      const reply = await stack.core.chat.whenDone(started.streamId);
      const usage = reply.usage as Usage;
      const now = Date.now();
      stack.core.db
        .prepare(
          `INSERT INTO video_jobs (id, vendor, model, prompt, params, status, created_at, updated_at, completed_at)
           VALUES ('v1', 'sora', 'sora-2', 'A lighthouse at dawn', ?, 'succeeded', ?, ?, ?)`,
        )
        .run(JSON.stringify({ seconds: '8' }), now, now, now);

      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      pageErrors.length = 0;
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.emulateMedia({ colorScheme: 'light' });
      await page.goto(stack.transport.pageUrl);
      const nav = page.getByRole('navigation', { name: s.common.nav.label });
      await nav.getByRole('button').first().waitFor();
      const go = (name: string) => nav.getByRole('button', { name, exact: true }).click();

      // Before any price: the Usage page says so instead of showing $0.
      await go(s.common.nav.usage);
      const total = page.getByTestId('usage-total-cost').locator('dd');
      await expect.poll(() => total.textContent()).toBe(s.usage.cost.noPrice);

      // Settings → Chat: model titles can be turned off (then titles are made here, and cost nothing).
      await go(s.common.nav.settings);
      const titles = page.getByRole('region', { name: s.settings.chatTitles.title, exact: true });
      const toggle = titles.getByRole('checkbox', { name: s.settings.chatTitles.label });
      await expect.poll(() => toggle.isChecked()).toBe(true);
      await toggle.press('Space');
      await expect.poll(() => stack.core.modelTitles.state().enabled).toBe(false);
      await screenshot(page, `costs-titles-setting-${language}`, { element: titles });

      // Settings → Prices: a wrong figure is refused in words, a right one is kept.
      const prices = page.getByRole('region', { name: s.settings.prices.title });
      const action = (verb: string, model: string) =>
        fill(s.settings.prices.actionFor, { action: verb, model });
      await prices
        .getByRole('button', {
          name: action(s.settings.prices.set, 'gpt-4.1-mini'),
          exact: true,
        })
        .click();
      const field = (name: string) =>
        prices.getByLabel(fill(s.settings.prices.fieldFor, { field: name, model: 'gpt-4.1-mini' }), {
          exact: true,
        });
      const input = field(s.settings.prices.fields.input);
      await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('INPUT');
      await input.fill('two dollars');
      await field(s.settings.prices.fields.output).fill('-1');
      await input.press('Enter');
      const inputProblem = fill(s.settings.prices.problems.notNumber, {
        field: s.settings.prices.fields.input,
      });
      await prices.getByText(inputProblem).waitFor();
      await prices
        .getByText(fill(s.settings.prices.problems.negative, { field: s.settings.prices.fields.output }))
        .waitFor();
      await prices.getByTestId('price-row-editing').scrollIntoViewIfNeeded();
      await screenshot(page, `costs-prices-refused-${language}`, { element: prices });

      await input.fill(language === 'vi' ? '2,5' : '2.5');
      await field(s.settings.prices.fields.output).fill('10');
      await input.press('Enter');
      const row = prices.locator('[data-testid="price-row"][data-model="gpt-4.1-mini"]');
      await expect.poll(() => row.textContent()).toContain(formatUsd(2.5, language));
      await expect.poll(() => row.textContent()).toContain(s.settings.prices.yours);
      // Focus stays in the table for the keyboard: Escape leaves an edit without saving.
      await row
        .getByRole('button', {
          name: action(s.settings.prices.edit, 'gpt-4.1-mini'),
          exact: true,
        })
        .focus();
      await page.keyboard.press('Enter');
      await page.keyboard.type('99');
      await page.keyboard.press('Escape');
      await expect.poll(() => row.textContent()).toContain(formatUsd(2.5, language));

      await prices.getByRole('button', { name: s.settings.prices.kinds.video, exact: true }).click();
      const soraLabel = `Sora · sora-2 · ${s.settings.prices.anyResolution}`;
      await prices
        .getByRole('button', { name: action(s.settings.prices.set, soraLabel), exact: true })
        .click();
      await prices
        .getByLabel(
          fill(s.settings.prices.fieldFor, { field: s.settings.prices.fields.perSecond, model: soraLabel }),
          {
            exact: true,
          },
        )
        .fill('0.1');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => prices.locator('[data-testid="price-row"][data-model="sora-2"]').first().textContent())
        .toContain(formatUsd(0.1, language));
      await screenshot(page, `costs-prices-${language}`, { element: prices });
      expect(await seriousViolations(page)).toEqual([]);

      // The reply's meta line: its cost next to its tokens.
      const price: TokenPrice = {
        kind: 'tokens',
        model: 'gpt-4.1-mini',
        inputPerMillion: 2.5,
        outputPerMillion: 10,
        cachedInputPerMillion: null,
      };
      const replyCost = formatUsd(tokenCost(price, usage) ?? Number.NaN, language);
      await go(s.common.nav.chat);
      await page
        .getByRole('navigation', { name: s.chat.list.label })
        .getByRole('button', { name: /^Plan a weekend in Da Nang/ })
        .click();
      const meta = page.getByTestId('message-meta').last();
      await expect.poll(() => meta.textContent()).toContain(replyCost);
      await meta.waitFor({ state: 'visible' });
      await expect.poll(() => meta.evaluate((node) => getComputedStyle(node).visibility)).toBe('visible');
      await screenshot(page, `costs-reply-${language}`, { fullPage: false });

      // A finished video shows its cost on its card; the estimate follows the seconds chosen.
      await go(s.common.nav.videos);
      await expect
        .poll(() => page.getByTestId('video-tile-cost').textContent())
        .toBe(formatUsd(0.8, language));
      await screenshot(page, `costs-video-card-${language}`, { fullPage: false });
      await page.getByRole('button', { name: s.videos.page.newVideo }).click();
      const dialog = page.getByRole('dialog');
      const estimate = dialog.getByTestId('video-estimate');
      await expect
        .poll(() => estimate.textContent())
        .toBe(fill(s.videos.cost.estimate, { cost: formatUsd(0.4, language), seconds: 4 }));
      await dialog.getByLabel(s.videos.params.seconds, { exact: true }).selectOption('12');
      await expect
        .poll(() => estimate.textContent())
        .toBe(fill(s.videos.cost.estimate, { cost: formatUsd(1.2, language), seconds: 12 }));
      await screenshot(page, `costs-video-estimate-${language}`, { fullPage: false });
      await dialog.getByLabel(s.videos.create.model, { exact: true }).selectOption('sora-2-pro');
      await expect
        .poll(() => estimate.textContent())
        .toBe(fill(s.videos.cost.estimateNoPrice, { model: 'sora-2-pro', resolution: '720x1280' }));
      await page.keyboard.press('Escape');

      // The Usage page: the total at today's prices, and again after the price changes.
      await go(s.common.nav.usage);
      const withVideo = (reply: number) => formatUsd(reply + 0.8, language);
      await expect.poll(() => total.textContent()).toBe(withVideo(tokenCost(price, usage) ?? Number.NaN));
      await screenshot(page, `costs-usage-${language}`);
      expect(await seriousViolations(page)).toEqual([]);
      expect(await page.getByTestId('usage-cost-by-model').textContent()).toContain(replyCost);
      stack.core.costs.set({
        kind: 'video',
        vendor: 'sora',
        model: 'sora-2',
        resolution: '',
        perSecond: 0.25,
      });
      const dearer = formatUsd(2 + (tokenCost(price, usage) ?? Number.NaN), language);
      await expect.poll(() => total.textContent()).toBe(dearer);
      expect(dearer).not.toBe(withVideo(tokenCost(price, usage) ?? Number.NaN));
    },
  );
});
