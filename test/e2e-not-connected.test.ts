/** The browser harness opened without its secret (a copied link, a bookmark): one notice that says what to do. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type english, resources } from '../src/shared/locales';
import { launchBrowser, screenshot } from './e2e/browser';
import { memoryKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';

let browser: Browser;
let stack: Stack;
beforeAll(async () => {
  browser = await launchBrowser();
  stack = await startStack({ keytar: memoryKeytar() });
});
afterAll(async () => {
  await stack?.close();
  await browser?.close();
});

describe('a page without its secret', () => {
  for (const language of ['en', 'zh-CN', 'vi'] as const) {
    it(`says once, in ${language}, that the link needs its secret`, async () => {
      const context = await browser.newContext({ locale: language });
      const page = await context.newPage();
      const url = new URL(stack.transport.pageUrl);
      url.search = '';
      await page.goto(url.href);
      const strings = (resources[language] as typeof english).common;
      await page.getByRole('heading', { name: strings.notConnected.title }).waitFor();
      expect(await page.getByText(strings.errors.notConnected).count()).toBe(1);
      expect(await page.getByText(strings.errors.advice.network).count()).toBe(0);
      expect(await page.getByRole('navigation').count()).toBe(0);
      await screenshot(page, `not-connected-${language}`, { fullPage: false });
      await context.close();
    });
  }
});
