import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Appearance } from '../src/shared/appearance';
import type { Language } from '../src/shared/i18n';
import { type english, resources } from '../src/shared/locales';
import { seriousViolations } from './e2e/axe';
import { launchBrowser, screenshot } from './e2e/browser';
import { ChatPage } from './e2e/pages/chat.page';
import { memoryKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The page's background as the user sees it (the palette's --bg on <body>). */
const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const rootFontSize = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
const LIGHT_BG = 'rgb(245, 246, 248)';
const DARK_BG = 'rgb(18, 21, 26)';

describe('Appearance in the browser: theme, text size, send key, and sidebars that fold away', () => {
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail' && page) {
      await screenshot(page, `failed-${test.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(
        () => undefined,
      );
    }
    expect(pageErrors).toEqual([]);
    await context?.close();
    await stack?.close();
  });

  async function open(
    options: {
      language?: Language;
      appearance?: Partial<Appearance>;
      viewport?: { width: number; height: number };
    } = {},
  ): Promise<Page> {
    stack = await startStack({ keytar: memoryKeytar(), systemLanguages: [options.language ?? 'en'] });
    await stack.core.settings.setToken(stack.core.settings.activeProfile().id, stack.proxy.token, 'session');
    if (options.appearance) stack.core.appearance.set(options.appearance);
    context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 820 } });
    page = await context.newPage();
    pageErrors.length = 0;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(stack.transport.pageUrl);
    await page.getByRole('navigation').first().getByRole('button').first().waitFor();
    return page;
  }

  const strings = (language: Language) => resources[language] as typeof english;

  async function openSettings(language: Language = 'en') {
    await page
      .getByRole('navigation')
      .first()
      .getByRole('button', { name: strings(language).common.nav.settings })
      .click();
    const section = page.getByRole('region', {
      name: strings(language).settings.appearance.title,
      exact: true,
    });
    await section.waitFor();
    return section;
  }

  it('switches to dark and back, scales all text, and keeps both after a reload', async () => {
    await open();
    const appearance = await openSettings();
    expect(await background(page)).toBe(LIGHT_BG);
    expect(await rootFontSize(page)).toBe('16px');
    await screenshot(page, 'appearance-settings-light-en');
    await screenshot(page, 'appearance-section-light-en', { element: appearance });

    await appearance.getByRole('radio', { name: 'Dark' }).check();
    await expect.poll(() => background(page)).toBe(DARK_BG);
    expect(await page.evaluate(() => getComputedStyle(document.body).color)).toBe('rgb(229, 232, 238)');
    expect(await seriousViolations(page)).toEqual([]);

    await appearance.getByRole('radio', { name: 'Larger' }).check();
    await expect.poll(() => rootFontSize(page)).toBe('20px');
    // Text everywhere follows the root: the body's 14px and a heading's size both grow by a quarter.
    expect(await page.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('17.5px');
    await screenshot(page, 'appearance-settings-dark-larger-en');
    await screenshot(page, 'appearance-section-dark-larger-en', { element: appearance });
    expect(stack.core.appearance.state()).toMatchObject({ theme: 'dark', textSize: 'larger' });

    await page.reload();
    await page.getByRole('navigation').first().getByRole('button').first().waitFor();
    expect(await background(page)).toBe(DARK_BG);
    expect(await rootFontSize(page)).toBe('20px');
    const again = await openSettings();
    expect(await again.getByRole('radio', { name: 'Dark' }).isChecked()).toBe(true);
    expect(await again.getByRole('radio', { name: 'Larger' }).isChecked()).toBe(true);

    await again.getByRole('radio', { name: 'Light' }).check();
    await again.getByRole('radio', { name: 'Default' }).check();
    await expect.poll(() => background(page)).toBe(LIGHT_BG);
    await expect.poll(() => rootFontSize(page)).toBe('16px');
  });

  it('follows the system theme live when the choice is System, and ignores it when a theme is chosen', async () => {
    await open();
    const appearance = await openSettings();
    expect(await appearance.getByRole('radio', { name: /System/ }).isChecked()).toBe(true);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => background(page)).toBe(DARK_BG);
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => background(page)).toBe(LIGHT_BG);

    await appearance.getByRole('radio', { name: 'Light' }).check();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(100);
    expect(await background(page)).toBe(LIGHT_BG);
    await appearance.getByRole('radio', { name: 'Dark' }).check();
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => background(page)).toBe(DARK_BG);
  });

  it('sends with Enter by default, and only with Ctrl+Enter once that is chosen; the hint says which', async () => {
    await open();
    const chat = new ChatPage(page);
    await chat.open();
    await expect
      .poll(() => page.locator('.composer-hint').textContent())
      .toContain('Enter to send · Shift+Enter');
    await chat.composer.fill('first line');
    await chat.composer.press('Shift+Enter');
    await chat.composer.press('Enter');
    await expect.poll(() => chat.messages('user').count()).toBe(1);

    const appearance = await openSettings();
    await appearance.getByRole('radio', { name: 'Ctrl+Enter sends, Enter starts a new line' }).check();
    await expect.poll(() => stack.core.appearance.state().sendKey).toBe('mod-enter');
    await chat.open();
    await expect
      .poll(() => page.locator('.composer-hint').textContent())
      .toBe('Ctrl+Enter to send · Enter for a new line');
    await chat.composer.fill('two');
    await chat.composer.press('Enter');
    await chat.composer.pressSequentially('lines');
    expect(await chat.composer.inputValue()).toBe('two\nlines');
    await page.waitForTimeout(200);
    expect(await chat.messages('user').count()).toBe(1);
    await chat.composer.press('Control+Enter');
    await expect.poll(() => chat.messages('user').count()).toBe(2);
    expect(await chat.messages('user').last().textContent()).toContain('two');
    await screenshot(page, 'appearance-chat-ctrl-enter-en');

    // Kept after a reload: Enter still starts a new line.
    await page.reload();
    await chat.open();
    await chat.composer.fill('after reload');
    await chat.composer.press('Enter');
    expect(await chat.composer.inputValue()).toBe('after reload\n');
  });

  it('folds both sidebars away at 900 px, by button and by keys, and remembers it', async () => {
    await open({ viewport: { width: 900, height: 700 }, appearance: { textSize: 'larger' } });
    const chat = new ChatPage(page);
    await chat.open();
    await chat.send('Hello at 900 px');
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    const mainWidth = () =>
      page.evaluate(() => document.querySelector('.chat-main')?.getBoundingClientRect().width ?? 0);
    const noSidewaysScroll = () =>
      page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    const before = await mainWidth();
    expect(await noSidewaysScroll()).toBe(true);
    await screenshot(page, 'appearance-900-expanded-larger');

    await page.getByRole('button', { name: 'Hide conversations' }).click();
    await page.getByRole('navigation', { name: 'Conversations' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Collapse sidebar' }).click();
    await expect.poll(mainWidth).toBeGreaterThan(before + 300);
    expect(await noSidewaysScroll()).toBe(true);
    // The navigation keeps its buttons, named, as icons.
    expect(
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('button', { name: 'Settings' })
        .isVisible(),
    ).toBe(true);
    await screenshot(page, 'appearance-900-collapsed-larger');
    // At the largest text size every page fits the narrow window without scrolling sideways.
    const sideways: string[] = [];
    for (const screen of ['Transcribe', 'Videos', 'Usage', 'Settings', 'Chat'] as const) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: screen }).click();
      await page.waitForTimeout(300);
      if (!(await noSidewaysScroll())) sideways.push(screen);
      await screenshot(page, `appearance-900-collapsed-larger-${screen.toLowerCase()}`, { fullPage: false });
    }
    expect(sideways).toEqual([]);
    await chat.composer.waitFor();

    await page.reload();
    await chat.composer.waitFor();
    expect(await page.getByRole('button', { name: 'Expand sidebar' }).getAttribute('aria-expanded')).toBe(
      'false',
    );
    expect(await page.getByRole('navigation', { name: 'Conversations' }).count()).toBe(0);

    await page.keyboard.press('Control+B');
    await page.getByRole('button', { name: 'Collapse sidebar' }).waitFor();
    await page.keyboard.press('Control+Shift+B');
    await page.getByRole('navigation', { name: 'Conversations' }).waitFor();
    await expect.poll(mainWidth).toBeLessThan(before + 1);
    expect(await noSidewaysScroll()).toBe(true);
  });

  it('reads well in dark on every screen (axe, WCAG AA), with screenshots', async () => {
    await open({ appearance: { theme: 'dark' } });
    expect(await background(page)).toBe(DARK_BG);
    const chat = new ChatPage(page);
    await chat.open();
    await chat.send(
      'Show code:\n```ts\nconst answer: number = 42; // the answer\n```\nand **bold** `inline`',
    );
    await expect.poll(() => chat.messages('assistant').count()).toBe(1);
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    const found: Record<string, unknown[]> = {};
    found.chat = await seriousViolations(page);
    await screenshot(page, 'appearance-dark-chat-en');

    await page.keyboard.press('Control+K');
    await page.getByRole('dialog', { name: 'Search' }).waitFor();
    await page.keyboard.type('answer');
    await page.waitForTimeout(400);
    found.palette = await seriousViolations(page);
    await screenshot(page, 'appearance-dark-palette-en', { fullPage: false });
    await page.keyboard.press('Escape');

    await page.keyboard.press('Control+/');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    found.shortcuts = await seriousViolations(page);
    await page.keyboard.press('Escape');

    for (const screen of ['Transcribe', 'Videos', 'Usage', 'Settings'] as const) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: screen }).click();
      await page.waitForTimeout(500);
      found[screen] = await seriousViolations(page);
      await screenshot(page, `appearance-dark-${screen.toLowerCase()}-en`);
    }
    expect(found).toEqual({
      chat: [],
      palette: [],
      shortcuts: [],
      Transcribe: [],
      Videos: [],
      Usage: [],
      Settings: [],
    });
  });

  it.each(['zh-CN', 'vi'] as const)(
    'shows chat and settings in dark in %s, worded in the language',
    async (language) => {
      await open({ language, appearance: { theme: 'dark' } });
      const words = strings(language);
      await page.getByRole('navigation').first().getByRole('button', { name: words.common.nav.chat }).click();
      await page.getByRole('button', { name: words.chat.sidebar.newChat }).first().click();
      const composer = page.getByLabel(words.chat.composer.label, { exact: true });
      await composer.waitFor();
      await composer.fill('Hello');
      await composer.press('Enter');
      await page.locator('article[data-role="assistant"]').first().waitFor();
      expect(await page.locator('.composer-hint').textContent()).toBe(
        words.chat.sendKey.enter.hint.replace('{{keys}}', 'Enter'),
      );
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `appearance-dark-chat-${language}`);
      const appearance = await openSettings(language);
      await appearance
        .getByRole('radio', { name: words.settings.appearance.textSize.large, exact: true })
        .check();
      await expect.poll(() => rootFontSize(page)).toBe('18px');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `appearance-dark-settings-${language}`);
      await screenshot(page, `appearance-dark-section-${language}`, { element: appearance });
      expect(await page.evaluate('window.hubdeskMissingKeys()')).toEqual([]);
    },
  );
});
