import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Language, languages } from '../src/shared/i18n';
import { english, resources } from '../src/shared/locales';
import { seriousViolations } from './e2e/axe';
import { launchBrowser, screenshot } from './e2e/browser';
import { seedEveryPage } from './e2e/seed';
import { memoryKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

type PageName = 'chat' | 'transcribe' | 'videos' | 'usage' | 'settings';
/** Each page and the shortcut that shows it (shared/shortcuts.ts), pressed as a user would. */
const pages: [PageName, string][] = [
  ['chat', 'Control+1'],
  ['transcribe', 'Control+2'],
  ['videos', 'Control+3'],
  ['usage', 'Control+4'],
  ['settings', 'Control+,'],
];

/** The common strings of a language (every language has the English keys: test/i18n-resources.test.ts). */
const common = (language: Language) => resources[language].common as typeof english.common;
const navLabel = (language: Language, page: PageName) => common(language).nav[page];

describe('keyboard, accessibility and languages, against the real services', () => {
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  async function open(options: { systemLanguages?: string[]; colorScheme?: 'light' | 'dark' } = {}) {
    stack = await startStack({
      keytar: memoryKeytar(),
      speed: 20,
      ...(options.systemLanguages ? { systemLanguages: options.systemLanguages } : {}),
    });
    await stack.core.settings.setToken(stack.core.settings.activeProfile().id, stack.proxy.token, 'session');
    await seedEveryPage(stack);
    context = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      colorScheme: options.colorScheme ?? 'light',
    });
    page = await context.newPage();
    pageErrors.length = 0;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(stack.transport.pageUrl);
    await page.locator('nav .nav-button[aria-current="page"]').waitFor();
  }

  /** Shows a page with its shortcut and waits until it is the one marked current and has loaded. */
  async function show(name: PageName, keys: string, language: Language = 'en') {
    await page.keyboard.press(keys);
    await expect
      .poll(() => page.locator('nav .nav-button[aria-current="page"]').textContent())
      .toBe(navLabel(language, name));
    await page.locator('main h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(250);
  }

  /** Beyond the first view: chat settings open, a transcript open, a video's details open. */
  async function openDetails(name: PageName, language: Language = 'en') {
    const strings = resources[language] as typeof english;
    if (name === 'chat') {
      await page.getByRole('button', { name: strings.chat.header.settings, exact: true }).click();
      await page.getByRole('heading', { name: strings.chat.settings.title }).waitFor();
    } else if (name === 'transcribe') {
      await page.getByRole('button', { name: strings.transcribe.jobs.open, exact: true }).first().click();
      await page.locator('.tx-segment').first().waitFor();
    } else if (name === 'videos') {
      await page
        .getByRole('list', { name: strings.videos.library.label })
        .getByRole('button')
        .first()
        .click();
      await page.getByRole('region', { name: strings.videos.detail.label }).waitFor();
    }
    await page.waitForTimeout(250);
  }

  const missingKeys = () => page.evaluate('window.hubdeskMissingKeys()') as Promise<string[]>;

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail')
      await screenshot(page, `failed-desktop-${test.task.name.slice(0, 30)}`).catch(() => undefined);
    expect(pageErrors).toEqual([]);
    await context?.close();
    await stack?.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`every page, the shortcuts sheet and the search palette pass axe with no serious violations (${colorScheme})`, async () => {
      await open({ colorScheme });
      const found: string[] = [];
      const check = async (where: string) => {
        for (const violation of await seriousViolations(page))
          found.push(`${where}: ${violation.id} (${violation.help}) at ${violation.targets.join(' | ')}`);
      };
      for (const [name, keys] of pages) {
        await show(name, keys);
        await check(name);
        await openDetails(name);
        await check(`${name}, details open`);
        if (name === 'videos') {
          await page.getByRole('button', { name: 'New video' }).click();
          await page.getByRole('dialog', { name: 'New video' }).waitFor();
          await check('new video dialog');
          await page.keyboard.press('Escape');
        }
      }
      await page.keyboard.press('Control+/');
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
      await check('shortcuts sheet');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+k');
      const palette = page.getByRole('dialog', { name: /search/i });
      await palette.waitFor();
      await page.keyboard.type('Da Nang');
      await palette.getByRole('option').first().waitFor();
      await check('search palette');
      expect(found).toEqual([]);
    }, 120_000);
  }

  it('lists every shortcut in a sheet (Ctrl+/), closed by Escape, with focus back where it was', async () => {
    await open();
    await show('chat', 'Control+1');
    await page.keyboard.press('Control+l');
    expect(
      await page.evaluate('document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.id'),
    ).toBeTruthy();
    const composerFocused = () => page.evaluate('document.activeElement?.tagName === "TEXTAREA"');
    expect(await composerFocused()).toBe(true);
    await page.keyboard.press('Control+/');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await sheet.waitFor();
    for (const label of [
      'New chat',
      'Search everything',
      'Show Usage',
      'Open Settings',
      'Go to the message box',
    ]) {
      await expect.poll(() => sheet.getByRole('term').filter({ hasText: label }).count()).toBe(1);
    }
    const searchRow = sheet.locator('.shortcut-row', { hasText: 'Search everything' });
    expect(await searchRow.locator('kbd').allTextContents()).toEqual(['Ctrl', 'K']);
    await screenshot(page, 'keyboard-shortcuts-sheet', { fullPage: false });
    await page.keyboard.press('Escape');
    await expect.poll(() => sheet.isVisible()).toBe(false);
    expect(await composerFocused()).toBe(true);
  });

  it('a whole conversation from the keyboard: new chat, type, send, stop with Escape, pages by shortcut', async () => {
    await open();
    await show('usage', 'Control+4');
    // Ctrl+N from another page shows Chat and starts a new conversation there, with the composer focused.
    const conversations = page.getByRole('navigation', { name: 'Conversations' }).getByRole('button');
    const before = await conversations.count();
    await page.keyboard.press('Control+n');
    await expect.poll(() => conversations.count()).toBeGreaterThan(before);
    await expect.poll(() => page.evaluate('document.activeElement?.tagName')).toBe('TEXTAREA');
    stack.proxy.addFault({ match: '/v1/chat/completions', fault: { type: 'trickle', delayMs: 150 } });
    await page.keyboard.type('Count slowly to one hundred');
    await page.keyboard.press('Enter');
    const reply = page.locator('[role="log"] article').last();
    await expect.poll(() => reply.getAttribute('data-status')).toBe('streaming');
    await page.keyboard.press('Escape');
    await expect.poll(() => reply.getAttribute('data-status')).toBe('interrupted');
    // Tab reaches the controls in order and every one of them has a name a screen reader can say.
    const unnamed = await page.evaluate(`(() => {
      const controls = [...document.querySelectorAll('button, a[href], input, select, textarea, [role="button"], [tabindex="0"]')];
      return controls
        .filter((el) => el.offsetParent !== null)
        .filter((el) => !(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.textContent.trim() || el.labels?.length || el.title))
        .map((el) => el.outerHTML.slice(0, 120));
    })()`);
    expect(unnamed).toEqual([]);
    for (const [name, keys] of pages) await show(name, keys);
  });

  it('starts in the OS language, switches in Settings at once (no reload), and keeps the choice', async () => {
    await open({ systemLanguages: ['zh-CN', 'en-US'] });
    const current = page.locator('nav .nav-button[aria-current="page"]');
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    await show('settings', 'Control+,', 'zh-CN');
    const picker = page.getByRole('combobox', { name: common('zh-CN').language.label, exact: true });
    await picker.selectOption('vi');
    await expect.poll(() => current.textContent()).toBe(navLabel('vi', 'settings'));
    expect(await page.evaluate('document.documentElement.lang')).toBe('vi');
    // What stayed mounted through the switch follows too: the search palette.
    await page.keyboard.press('Control+k');
    const vi = resources.vi as typeof english;
    await expect
      .poll(() => page.getByRole('dialog').locator('input').first().getAttribute('placeholder'))
      .toBe(vi.search.palette.placeholder);
    await page.keyboard.press('Escape');
    await page.reload();
    await expect.poll(() => current.textContent()).toBe(navLabel('vi', 'chat'));
    await show('settings', 'Control+,', 'vi');
    await page
      .getByRole('combobox', { name: common('vi').language.label, exact: true })
      .selectOption('system');
    await expect.poll(() => current.textContent()).toBe(navLabel('zh-CN', 'settings'));
    expect(stack.core.language.state()).toMatchObject({ setting: 'system', language: 'zh-CN' });
    expect(await missingKeys()).toEqual([]);
  });

  /** English strings of three words or more; none may show on a page in another language. */
  const englishSentences = (language: Language) => {
    const out: string[] = [];
    const walk = (source: unknown, target: unknown) => {
      if (typeof source === 'string') {
        if (source.split(/\s+/).length >= 3 && source !== target && !source.includes('{{')) out.push(source);
        return;
      }
      for (const [key, value] of Object.entries(source as object))
        walk(value, (target as Record<string, unknown> | undefined)?.[key]);
    };
    walk(english, resources[language]);
    return out;
  };

  for (const language of languages) {
    it(`shows every page in ${language}, with no key missing and no English sentence left`, async () => {
      await open({ systemLanguages: [language] });
      const sentences = englishSentences(language);
      for (const [name, keys] of pages) {
        await show(name, keys, language);
        await openDetails(name, language);
        await screenshot(page, `language-${language}-${name}`);
        if (language !== 'en') {
          const text = await page.locator('body').innerText();
          expect(
            sentences.filter((sentence) => text.includes(sentence)),
            name,
          ).toEqual([]);
        }
      }
      await page.keyboard.press('Control+/');
      await page.getByRole('dialog', { name: common(language).shortcuts.title }).waitFor();
      await screenshot(page, `language-${language}-shortcuts`, { fullPage: false });
      expect(await missingKeys()).toEqual([]);
    }, 90_000);
  }
});
