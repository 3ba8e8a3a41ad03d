import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../src/shared/i18n';
import { type english, resources } from '../src/shared/locales';
import { launchBrowser, screenshot } from './e2e/browser';
import { chooseDay } from './e2e/pages/date-field';
import { memoryKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';

const strings = (language: Language) => resources[language] as typeof english;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('Usage: the date fields read in the UI language, as the chart does', () => {
  let stack: Stack;
  let page: Page;
  const pageErrors: string[] = [];

  afterEach(async () => {
    expect(pageErrors).toEqual([]);
    await page?.close();
    await stack?.close();
  });

  /** The Usage page in `language`, in a browser whose own locale is English (month first), as on most systems. */
  async function open(language: Language): Promise<void> {
    stack = await startStack({ keytar: memoryKeytar(), systemLanguages: [language] });
    page = await browser.newPage({ viewport: { width: 1200, height: 820 }, locale: 'en-US' });
    pageErrors.length = 0;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(stack.transport.pageUrl);
    await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe(language);
    await page
      .getByRole('navigation')
      .first()
      .getByRole('button', { name: strings(language).common.nav.usage, exact: true })
      .click();
  }

  /** The parts of a date field in the order they are shown (their accessible names). */
  async function partsOf(label: string): Promise<(string | null)[]> {
    const parts = page.getByRole('group', { name: label, exact: true }).getByRole('combobox');
    return Promise.all((await parts.all()).map((part) => part.getAttribute('aria-label')));
  }

  const orders: Record<Language, ('day' | 'month' | 'year')[]> = {
    vi: ['day', 'month', 'year'],
    'zh-CN': ['year', 'month', 'day'],
    en: ['year', 'month', 'day'],
  };

  for (const language of ['vi', 'zh-CN', 'en'] as const) {
    it(`in ${language}: day, month and year in the order the page writes a day, with its month names`, async () => {
      await open(language);
      const words = strings(language).usage;
      const from = words.filters.from;
      const names = words.dateField;
      await page.getByRole('group', { name: from, exact: true }).waitFor();
      expect(await partsOf(from)).toEqual(orders[language].map((part) => names[part]));
      expect(await partsOf(words.filters.to)).toEqual(orders[language].map((part) => names[part]));

      await chooseDay(page, from, '2026-03-09', names);
      const field = page.getByRole('group', { name: from, exact: true });
      const month = field.getByRole('combobox', { name: names.month, exact: true });
      // March as the UI language names it (not as the browser's own English locale would, unless that is it).
      const march = await page.evaluate(
        (tag) =>
          new Intl.DateTimeFormat(tag, { month: 'short', timeZone: 'UTC' }).format(Date.UTC(2000, 2, 1)),
        language,
      );
      if (language !== 'en') expect(march).not.toBe('Mar');
      expect(await month.locator('option:checked').textContent()).toBe(march);
      expect(await field.getByRole('combobox', { name: names.day, exact: true }).inputValue()).toBe('9');
      // The range asked for is the one chosen: the quick ranges are no longer the one shown.
      const quick = page.getByRole('group', { name: words.filters.last });
      await expect.poll(() => quick.locator('.button-primary').count()).toBe(0);
      await screenshot(page, `usage-date-fields-${language}`, { fullPage: false });
    });
  }
});
