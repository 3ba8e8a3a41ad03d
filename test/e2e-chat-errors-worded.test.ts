/**
 * A chat refusal made in main, worded in the window's language (issue 18): an image sent to a model that reads no
 * images. The window shows the image button for a vision model; the chat's model is changed meanwhile by another
 * process the app does not follow here, so main is the one that refuses, with a reason.
 */
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../src/main/paths';
import type { Language } from '../src/shared/i18n';
import { type english, resources } from '../src/shared/locales';
import { launchBrowser, screenshot } from './e2e/browser';
import { memoryKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** An i18next string with its {{values}} filled in, as the window shows it. */
function filled(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** A 1×1 PNG. */
const pixel = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

describe('chat refusals made in main, worded in the window’s language', () => {
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail')
      await screenshot(page, `failed-chat-errors-worded-${test.task.name.slice(-5)}`).catch(() => undefined);
    expect(pageErrors).toEqual([]);
    await context?.close();
    await stack?.close();
  });

  for (const language of ['vi', 'zh-CN'] as const satisfies readonly Language[]) {
    it(`says in ${language} that the chat's model reads no images, on the message that was not sent`, async () => {
      const strings = resources[language] as typeof english;
      stack = await startStack({ keytar: memoryKeytar(), systemLanguages: [language] });
      await stack.core.settings.setToken(
        stack.core.settings.activeProfile().id,
        stack.proxy.token,
        'session',
      );
      const chat = stack.core.chat.createConversation({ model: 'gpt-4o' });
      stack.core.chat.updateConversation(chat.id, { title: 'Ảnh / 图片' });
      context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
      page = await context.newPage();
      pageErrors.length = 0;
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(stack.transport.pageUrl);
      await page
        .getByRole('navigation')
        .first()
        .getByRole('button', { name: strings.common.nav.chat, exact: true })
        .click();
      await page.getByRole('button', { name: 'Ảnh / 图片' }).first().click();
      const composer = page.getByLabel(strings.chat.composer.label, { exact: true });
      await composer.waitFor();

      await page
        .locator('.composer input[type="file"]')
        .setInputFiles([{ name: 'dot.png', mimeType: 'image/png', buffer: pixel }]);
      await page.getByRole('list', { name: strings.chat.composer.attachedImages }).getByRole('img').waitFor();
      // Changed by another process (as the CLI would) while this app does not follow outside writes: the window's
      // header still says GPT-4o, so main is the one that refuses.
      const other = new Database(dataPaths(stack.dataDir).databasePath);
      try {
        other.prepare('UPDATE conversations SET model = ? WHERE id = ?').run('gpt-3.5-turbo', chat.id);
      } finally {
        other.close();
      }
      await composer.fill('What is in this picture?');
      await composer.press('Enter');

      const failed = page.locator('article[data-role="user"][data-status="failed"]');
      const headline = failed.locator('.message-error .error-message');
      const worded = filled(strings.errors.reasons.chatNoVision, { model: 'GPT-3.5 Turbo' });
      await expect.poll(() => headline.textContent()).toBe(worded);
      expect(worded).not.toContain('does not accept images');
      expect(await failed.textContent()).toContain('What is in this picture?');
      // Nothing went to the proxy, and nothing of the refused message was stored.
      expect(stack.proxy.requests.filter((request) => request.path.includes('/chat/completions'))).toEqual(
        [],
      );
      expect(stack.core.chat.open(chat.id).messages).toEqual([]);
      await screenshot(page, `chat-errors-worded-no-vision-${language}`, { element: page.locator('main') });
    });
  }
});
