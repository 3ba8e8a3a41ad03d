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
const SONNET = 'claude-sonnet-4-5-20250929';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('The model picker in the chat header', () => {
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail' && page) {
      await screenshot(page, `failed-model-picker-${test.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(
        () => undefined,
      );
    }
    expect(pageErrors).toEqual([]);
    await context?.close();
    await stack?.close();
  });

  async function open(language: Language, width = 1280): Promise<void> {
    stack = await startStack({ keytar: memoryKeytar(), systemLanguages: [language] });
    await stack.core.settings.setToken(stack.core.settings.activeProfile().id, stack.proxy.token, 'session');
    context = await browser.newContext({ viewport: { width, height: 760 } });
    page = await context.newPage();
    pageErrors.length = 0;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(stack.transport.pageUrl);
    await page.getByRole('navigation').first().getByRole('button').first().waitFor();
  }

  function seed(title: string, model: string): string {
    return new ConversationsRepo(stack.core.db).create({ title, model, api: 'openai-chat' }).id;
  }

  const modelOf = (id: string) => stack.core.chat.open(id).conversation.model;
  const chip = () => page.locator('.chat-header .model-chip');
  const popover = (lang: Language) =>
    page.getByRole('dialog', { name: strings(lang).chat.modelPicker.title });
  const search = (lang: Language) =>
    popover(lang).getByRole('combobox', { name: strings(lang).chat.modelPicker.search });
  const options = (lang: Language) => popover(lang).getByRole('option');

  it.each(LANGUAGES)(
    'searches, picks, makes a model the profile’s default, and a new chat starts with it (%s)',
    async (lang) => {
      const s = strings(lang).chat.modelPicker;
      await open(lang);
      const id = seed('Trip to the coast', 'gpt-4.1-mini');
      await page.reload();
      await page
        .getByRole('button', { name: /^Trip to the coast/ })
        .first()
        .click();

      // The chip reads the model's name, whole, and says what it does.
      await expect.poll(() => chip().textContent()).toBe('GPT-4.1 mini');
      expect(await chip().getAttribute('aria-label')).toBe(s.chip.replace('{{model}}', 'GPT-4.1 mini'));
      expect(await chip().getAttribute('title')).toBe('GPT-4.1 mini · gpt-4.1-mini');

      // Open: the current model is checked; a typo still finds Sonnet; Enter picks it.
      await chip().click();
      await expect
        .poll(() => search(lang).evaluate((element) => element === document.activeElement))
        .toBe(true);
      const checked = popover(lang).locator('[role="option"][aria-selected="true"]');
      await expect.poll(() => checked.first().textContent()).toContain('GPT-4.1 mini');
      expect(await popover(lang).getByRole('group').first().getAttribute('aria-label')).toBe('OpenAI');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `chat-model-picker-open-${lang}`);

      await search(lang).fill('sonet');
      await expect
        .poll(() => options(lang).allTextContents())
        .toEqual([`Claude Sonnet 4.5 2025-09-29${SONNET}`]);
      await search(lang).press('Enter');
      await expect.poll(() => popover(lang).count()).toBe(0);
      await expect.poll(() => chip().textContent()).toBe('Claude Sonnet 4.5 (2025-09-29)');
      expect(modelOf(id)).toBe(SONNET);
      expect(await chip().evaluate((element) => element === document.activeElement)).toBe(true);

      // Typing on the chip starts a search; arrows move, Escape closes and gives the focus back.
      await chip().press('d');
      await expect.poll(() => search(lang).inputValue()).toBe('d');
      await search(lang).pressSequentially('eepseek r1');
      await expect.poll(() => options(lang).first().textContent()).toContain('DeepSeek R1');
      await search(lang).press('Escape');
      await expect.poll(() => popover(lang).count()).toBe(0);
      expect(await chip().evaluate((element) => element === document.activeElement)).toBe(true);
      expect(modelOf(id)).toBe(SONNET);

      // Recently used comes first; make the chat's model the profile's default.
      await chip().click();
      const firstGroup = popover(lang).getByRole('group').first();
      expect(await firstGroup.getAttribute('aria-label')).toBe(s.recent);
      await popover(lang)
        .getByRole('button', { name: s.makeDefault.replace('{{profile}}', 'TikHub') })
        .click();
      await expect.poll(() => stack.core.settings.activeProfile().defaultModel).toBe(SONNET);
      await expect
        .poll(() => popover(lang).locator('.model-default-note').textContent())
        .toBe(s.isDefault.replace('{{profile}}', 'TikHub'));
      await screenshot(page, `chat-model-picker-default-${lang}`, { element: popover(lang) });

      // Escape also closes from the footer's buttons.
      await popover(lang).getByRole('button', { name: s.clearDefault }).focus();
      await page.keyboard.press('Escape');
      await expect.poll(() => popover(lang).count()).toBe(0);
      expect(await chip().evaluate((element) => element === document.activeElement)).toBe(true);
      expect(stack.core.settings.activeProfile().defaultModel).toBe(SONNET);

      // A typed id that is no list's is used as it is.
      await chip().click();
      await search(lang).fill('my-lab-model-7');
      await expect
        .poll(() => options(lang).allTextContents())
        .toEqual([s.useTyped.replace('{{id}}', 'my-lab-model-7')]);
      await search(lang).press('Enter');
      await expect.poll(() => chip().textContent()).toBe('My Lab Model 7');
      expect(modelOf(id)).toBe('my-lab-model-7');

      // The chat has a message, so New chat makes another one: it starts with the default, not this chat's model.
      await stack.core.chat
        .send({ conversationId: id, text: 'hello' })
        .then((started) => stack.core.chat.whenDone(started.streamId));
      await page.reload();
      await page
        .getByRole('button', { name: /^Trip to the coast/ })
        .first()
        .click();
      await expect.poll(() => chip().textContent()).toBe('My Lab Model 7');
      await page
        .getByRole('button', { name: strings(lang).chat.sidebar.newChat })
        .first()
        .click();
      await expect.poll(() => chip().textContent()).toBe('Claude Sonnet 4.5 (2025-09-29)');
      const newest = stack.core.chat.listConversations().find((item) => item.id !== id);
      expect(newest?.model).toBe(SONNET);
      await screenshot(page, `chat-model-picker-new-chat-${lang}`, { element: page.locator('.chat-header') });

      // Settings → Profile shows it, and can clear it.
      await page
        .getByRole('navigation', { name: strings(lang).common.nav.label })
        .getByRole('button', { name: strings(lang).common.nav.settings, exact: true })
        .click();
      const field = page.getByLabel(strings(lang).settings.profile.defaultModel, { exact: true });
      await expect.poll(() => field.inputValue()).toBe(SONNET);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `settings-profile-default-model-${lang}`, {
        element: page.locator('.card', { has: field }),
      });
      await field.selectOption('');
      await expect.poll(() => stack.core.settings.activeProfile().defaultModel).toBeNull();
      await field.selectOption('gemini-2.5-pro');
      await expect.poll(() => stack.core.settings.activeProfile().defaultModel).toBe('gemini-2.5-pro');
    },
  );

  it.each(LANGUAGES)('keeps the name whole and the list on screen in a 900 px window (%s)', async (lang) => {
    await open(lang, 900);
    seed('A rather long conversation title about the northern sea', SONNET);
    await page.reload();
    await page
      .getByRole('button', { name: /^A rather long conversation/ })
      .first()
      .click();
    await expect.poll(() => chip().textContent()).toBe('Claude Sonnet 4.5 (2025-09-29)');
    // The title's line is about 210 px wide here: the name stays whole, its date goes to the tooltip and label.
    const name = chip().locator('.model-chip-name');
    expect(await name.textContent()).toBe('Claude Sonnet 4.5');
    expect(await name.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    expect(await chip().locator('.model-chip-variant').isVisible()).toBe(false);
    expect(await chip().getAttribute('aria-label')).toContain('Claude Sonnet 4.5 (2025-09-29)');
    await chip().click();
    const box = await popover(lang).boundingBox();
    expect(box).not.toBeNull();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(900);
    await search(lang).fill('gemini');
    await expect.poll(() => options(lang).allTextContents()).toEqual(['Gemini 2.5 Progemini-2.5-pro']);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, `chat-model-picker-narrow-${lang}`, { fullPage: false });
  });
});

describe('Recently used models, kept by main', () => {
  let stack: Stack;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  afterEach(async () => {
    expect(pageErrors).toEqual([]);
    for (const context of contexts.splice(0)) await context.close();
    await stack?.close();
  });

  /** A window of its own (its own localStorage), open on the conversation titled `title`. */
  async function openWindow(title: string, before?: (page: Page) => Promise<void>): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(stack.transport.pageUrl);
    if (before) {
      await before(page);
      await page.reload();
    }
    await page
      .getByRole('navigation')
      .first()
      .getByRole('button', { name: strings('zh-CN').common.nav.chat, exact: true })
      .click();
    await page
      .getByRole('button', { name: new RegExp(`^${title}`) })
      .first()
      .click();
    return page;
  }

  it('carries a window’s old list over, and shows a model picked in one window first in another (zh-CN)', async () => {
    const s = strings('zh-CN').chat.modelPicker;
    stack = await startStack({ keytar: memoryKeytar(), systemLanguages: ['zh-CN'] });
    await stack.core.settings.setToken(stack.core.settings.activeProfile().id, stack.proxy.token, 'session');
    const repo = new ConversationsRepo(stack.core.db);
    const first = repo.create({ title: 'First window', model: 'gpt-4.1-mini', api: 'openai-chat' }).id;
    repo.create({ title: 'Second window', model: 'gpt-4.1-mini', api: 'openai-chat' });

    // A window that kept the list itself (before main did) hands it over once, and forgets its own copy.
    const one = await openWindow('First window', (page) =>
      page.evaluate(() => localStorage.setItem('hubdesk.chat.recentModels', '["gemini-2.5-pro","gpt-4o"]')),
    );
    await expect.poll(() => stack.core.chat.models().recent).toEqual(['gemini-2.5-pro', 'gpt-4o']);
    expect(await one.evaluate(() => localStorage.getItem('hubdesk.chat.recentModels'))).toBeNull();
    const two = await openWindow('Second window');

    await one.locator('.chat-header .model-chip').click();
    const picker = one.getByRole('dialog', { name: s.title });
    await picker.getByRole('combobox', { name: s.search }).fill('sonet');
    await picker.getByRole('combobox', { name: s.search }).press('Enter');
    await expect.poll(() => stack.core.chat.open(first).conversation.model).toBe(SONNET);
    await expect.poll(() => stack.core.chat.models().recent).toEqual([SONNET, 'gemini-2.5-pro', 'gpt-4o']);

    // The other window, open all along, lists it first without a reload.
    await two.locator('.chat-header .model-chip').click();
    const recent = two.getByRole('dialog', { name: s.title }).getByRole('group').first();
    expect(await recent.getAttribute('aria-label')).toBe(s.recent);
    await expect
      .poll(() => recent.getByRole('option').allTextContents())
      .toEqual([`Claude Sonnet 4.5 2025-09-29${SONNET}`, 'Gemini 2.5 Progemini-2.5-pro', 'GPT-4ogpt-4o']);
    // The list opens on the current model, mid-list: the recent group is above it.
    await recent.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await screenshot(two, 'chat-model-picker-recent-other-window-zh-CN', {
      element: two.getByRole('dialog', { name: s.title }),
    });
  });
});
