import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConversationsRepo } from '../src/main/store/conversations-repo';
import type { Language } from '../src/shared/i18n';
import { type english, resources } from '../src/shared/locales';
import { seriousViolations } from './e2e/axe';
import { launchBrowser, screenshot } from './e2e/browser';
import { memoryKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';

const LANGUAGES = ['en', 'zh-CN', 'vi'] as const satisfies readonly Language[];
const strings = (language: Language) => resources[language] as typeof english;
const DAY = 24 * 60 * 60 * 1000;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('The conversation list and header in the browser', () => {
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail' && page) {
      await screenshot(page, `failed-list-${test.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(
        () => undefined,
      );
    }
    expect(pageErrors).toEqual([]);
    await context?.close();
    await stack?.close();
  });

  async function open(language: Language, options: { modelTitles?: boolean } = {}): Promise<Page> {
    stack = await startStack({ keytar: memoryKeytar(), systemLanguages: [language], ...options });
    await stack.core.settings.setToken(stack.core.settings.activeProfile().id, stack.proxy.token, 'session');
    context = await browser.newContext({ viewport: { width: 1280, height: 820 }, acceptDownloads: true });
    page = await context.newPage();
    pageErrors.length = 0;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(stack.transport.pageUrl);
    await page.getByRole('navigation').first().getByRole('button').first().waitFor();
    return page;
  }

  /** A conversation last changed at `at` (epoch ms), as time would have left it. */
  function seed(title: string, at: number, options: { pinned?: boolean; model?: string } = {}): string {
    const conversations = new ConversationsRepo(stack.core.db, () => at);
    const created = conversations.create({
      title,
      model: options.model ?? 'gpt-4.1-mini',
      api: 'openai-chat',
    });
    if (options.pinned) conversations.update(created.id, { pinned: true });
    return created.id;
  }

  const list = () => page.getByRole('navigation', { name: strings(language()).chat.list.label });
  const row = (title: string) => list().getByRole('button', { name: new RegExp(`^${title}`) });
  let current: Language = 'en';
  const language = () => current;

  /** Every group heading, and each group's titles, top to bottom. */
  async function groups(): Promise<{ heading: string; titles: string[] }[]> {
    return page.$$eval('.conversation-group', (sections) =>
      sections.map((section) => ({
        heading: section.querySelector('h2')?.textContent ?? '',
        titles: [...section.querySelectorAll('.conversation-title')].map((title) => title.textContent ?? ''),
      })),
    );
  }

  it.each(LANGUAGES)(
    'groups conversations by date, worded in %s, and shows the whole model name',
    async (lang) => {
      current = lang;
      await open(lang);
      const today = new Date();
      today.setHours(12, 0, 0, 0);
      const noon = today.getTime();
      const now = Date.now();
      const monthsAgo = new Date(noon);
      monthsAgo.setMonth(monthsAgo.getMonth() - 2);
      const yearAgo = new Date(noon);
      yearAgo.setFullYear(yearAgo.getFullYear() - 1, yearAgo.getMonth() - 1);
      seed('Tax return checklist', now - 3 * DAY, { pinned: true });
      seed('Lisbon trip plan', yearAgo.getTime());
      seed('Quarterly figures', monthsAgo.getTime());
      seed('Garden layout', noon - 15 * DAY);
      seed('Birthday speech', noon - 4 * DAY);
      seed('Bug in the parser', noon - DAY);
      seed('A very long conversation title about the tides of the northern sea and the moon', now, {
        model: 'claude-3-5-sonnet-20241022',
      });
      seed('Coffee grinder', now - 1000);
      await page.reload();
      await row('Coffee grinder').waitFor();

      const words = strings(lang).chat.list.groups;
      const month = (at: Date, year: boolean) =>
        new Intl.DateTimeFormat(lang, year ? { month: 'long', year: 'numeric' } : { month: 'long' }).format(
          at,
        );
      const expected = [
        { heading: words.pinned, titles: ['Tax return checklist'] },
        {
          heading: words.today,
          titles: [
            'A very long conversation title about the tides of the northern sea and the moon',
            'Coffee grinder',
          ],
        },
        { heading: words.yesterday, titles: ['Bug in the parser'] },
        { heading: words.week, titles: ['Birthday speech'] },
        { heading: words.month, titles: ['Garden layout'] },
        {
          heading: month(monthsAgo, monthsAgo.getFullYear() !== today.getFullYear()),
          titles: ['Quarterly figures'],
        },
        { heading: month(yearAgo, true), titles: ['Lisbon trip plan'] },
      ];
      expect(await groups()).toEqual(expected);
      expect(await seriousViolations(page)).toEqual([]);
      // The list's header stays one line, its title whole (Vietnamese wrapped it).
      const title = page.locator('.chat-sidebar-title');
      const newChat = page.getByRole('button', { name: strings(lang).chat.sidebar.newChat }).first();
      const [titleBox, buttonBox] = [await title.boundingBox(), await newChat.boundingBox()];
      expect(
        Math.abs(
          (titleBox?.y ?? 0) +
            (titleBox?.height ?? 0) / 2 -
            (buttonBox?.y ?? 99) -
            (buttonBox?.height ?? 0) / 2,
        ),
      ).toBeLessThan(4);
      expect(
        await title.evaluate((element) => element.scrollWidth - element.clientWidth),
      ).toBeLessThanOrEqual(0);
      await screenshot(page, `chat-list-groups-${lang}`, {
        element: page.locator('.chat-sidebar'),
      });

      await row('A very long conversation title').click();
      const chip = page.locator('.chat-header .model-chip');
      await expect.poll(() => chip.textContent()).toBe('Claude 3.5 Sonnet (2024-10-22)');
      expect(await chip.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
      await page.getByRole('button', { name: strings(lang).chat.header.settings }).click();
      expect(await chip.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
      await screenshot(page, `chat-header-model-${lang}`, { element: page.locator('.chat-header') });
    },
  );

  it.each(LANGUAGES)('names a new chat by the model after its first reply (%s)', async (lang) => {
    current = lang;
    await open(lang, { modelTitles: true });
    const composer = page.getByLabel(strings(lang).chat.composer.label, { exact: true });
    if (!(await composer.isVisible())) {
      await page
        .getByRole('button', { name: strings(lang).chat.sidebar.newChat })
        .first()
        .click();
    }
    await composer.fill('how do tides work on the moon');
    await composer.press('Enter');
    await row('About how do tides').waitFor();
    await expect.poll(() => page.locator('.chat-title h2').textContent()).toBe('About how do tides');
    await page
      .locator('[role="log"] article[data-role="assistant"]')
      .getByText('Echo: how do tides work on the moon')
      .waitFor({ timeout: 5000 });
    await screenshot(page, `chat-model-title-${lang}`);
  });

  it.each(LANGUAGES)(
    'offers pin, rename, export and delete on a right-click or Shift+F10 (%s)',
    async (lang) => {
      current = lang;
      await open(lang);
      const words = strings(lang).chat;
      seed('Garden layout', Date.now() - 2000);
      seed('Coffee grinder', Date.now() - 1000);
      await page.reload();
      await row('Coffee grinder').waitFor();

      await row('Garden layout').click({ button: 'right' });
      const menu = page.getByRole('menu', { name: words.list.menu.replace('{{title}}', 'Garden layout') });
      await menu.waitFor();
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.textContent))
        .toBe(words.header.pin);
      await screenshot(page, `chat-list-menu-${lang}`);
      expect(await seriousViolations(page)).toEqual([]);
      await menu.getByRole('menuitem', { name: words.header.pin }).click();
      await expect
        .poll(async () => (await groups())[0])
        .toEqual({
          heading: words.list.groups.pinned,
          titles: ['Garden layout'],
        });
      expect(stack.core.chat.listConversations().find((c) => c.title === 'Garden layout')?.pinned).toBe(true);

      // The keyboard: the menu on the focused row, moved through with the arrows.
      await row('Coffee grinder').focus();
      await page.keyboard.press('Shift+F10');
      await page.getByRole('menu').waitFor();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      const field = list().getByLabel(words.rename.label);
      await field.fill('Espresso notes');
      await screenshot(page, `chat-list-rename-${lang}`, { element: page.locator('.chat-sidebar') });
      await field.press('Enter');
      await row('Espresso notes').waitFor();
      expect(stack.core.chat.listConversations().map((c) => c.title)).toContain('Espresso notes');

      await row('Espresso notes').click({ button: 'right' });
      const download = page.waitForEvent('download');
      await page.getByRole('menuitem', { name: words.header.exportMarkdown }).click();
      expect((await download).suggestedFilename()).toMatch(/\.md$/);

      await row('Espresso notes').focus();
      await page.keyboard.press('ContextMenu');
      await page.getByRole('menu').waitFor();
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByRole('menu').count()).toBe(0);
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ''))
        .toContain('Espresso notes');

      await row('Espresso notes').click({ button: 'right' });
      await page.getByRole('menuitem', { name: words.header.delete }).click();
      await expect.poll(() => row('Espresso notes').count()).toBe(0);
      expect(stack.core.chat.listConversations().map((c) => c.title)).toEqual(['Garden layout']);
      await page.getByRole('button', { name: words.page.undo }).waitFor();
    },
  );

  it.each(LANGUAGES)(
    'leaves a failed import’s error behind when another conversation opens (%s)',
    async (lang) => {
      current = lang;
      await open(lang);
      seed('Garden layout', Date.now() - 2000);
      seed('Coffee grinder', Date.now() - 1000);
      await page.reload();
      await row('Coffee grinder').waitFor();
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: strings(lang).chat.sidebar.import }).click();
      await (await chooser).setFiles({
        name: 'broken.json',
        mimeType: 'application/json',
        buffer: Buffer.from('{'),
      });
      const error = page.locator('.page-error');
      await error.waitFor();
      await screenshot(page, `chat-import-failed-${lang}`);
      await row('Garden layout').click();
      await expect.poll(() => error.count()).toBe(0);
      await screenshot(page, `chat-import-failed-left-${lang}`);
    },
  );

  it.each(LANGUAGES)(
    'opens a search hit on another branch without moving its conversation up (%s)',
    async (lang) => {
      current = lang;
      await open(lang);
      const say = async (conversationId: string, text: string, editOf?: string) => {
        const started = await stack.core.chat.send({ conversationId, text, ...(editOf ? { editOf } : {}) });
        await stack.core.chat.whenDone(started.streamId);
        return started.userMessage;
      };
      const older = stack.core.chat.createConversation({});
      const first = await say(older.id, 'tides on the moon');
      await say(older.id, 'tides on Mars', first.id);
      const newer = stack.core.chat.createConversation({});
      await say(newer.id, 'coffee grinders compared');
      const before = stack.core.chat.listConversations().map(({ id, updatedAt }) => ({ id, updatedAt }));
      await page.reload();
      await row('coffee grinders compared').waitFor();
      const titles = await groups();

      const search = page.getByLabel(strings(lang).chat.sidebar.search, { exact: true });
      await search.fill('moon');
      await page.locator('.hit').filter({ hasText: 'moon' }).first().click();
      await page.locator('[role="log"] article').getByText('Echo: tides on the moon').waitFor();
      await search.press('Escape');
      await row('tides on the moon').waitFor();
      expect(await groups()).toEqual(titles);
      expect(stack.core.chat.listConversations().map(({ id, updatedAt }) => ({ id, updatedAt }))).toEqual(
        before,
      );
      await screenshot(page, `chat-search-hit-order-${lang}`);
    },
  );
});
