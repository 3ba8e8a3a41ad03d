/**
 * The open conversation follows changes made outside its window: another window renames it (through main), and
 * `hubdesk chat --conversation … --model …` in a terminal, another process on the same data folder, changes its
 * model and adds an exchange. The header, the composer's placeholder and the thread show them without a reload; the
 * draft being typed and the rows already shown stay.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../src/shared/i18n';
import { type english, resources } from '../src/shared/locales';
import { modelLabel } from '../src/shared/model-names';
import { launchBrowser, screenshot } from './e2e/browser';
import { hubdeskBin } from './support/cli-run';
import { memoryKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';

const run = promisify(execFile);
const LANGUAGES = ['en', 'zh-CN'] as const satisfies readonly Language[];
const strings = (language: Language) => resources[language] as typeof english;
const DRAFT = 'Half a question about the ferry times, not sent';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the open conversation after changes made elsewhere', { timeout: 120_000 }, () => {
  let stack: Stack | undefined;
  let home: string | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  const pageErrors: string[] = [];

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail' && page) {
      await screenshot(page, `failed-follows-changes-${test.task.name.slice(-8).replace(/\W+/g, '-')}`).catch(
        () => undefined,
      );
    }
    await context?.close();
    await stack?.close();
    if (home) await rm(home, { recursive: true, force: true });
    expect(pageErrors).toEqual([]);
    pageErrors.length = 0;
  });

  /** The real `hubdesk` binary in another process, on the window's data folder and fake proxy. */
  async function hubdesk(args: string[]): Promise<string> {
    const open = stack as Stack;
    home ??= await mkdtemp(join(tmpdir(), 'hubdesk-e2e-follows-'));
    const { stdout } = await run(process.execPath, [hubdeskBin, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        HUBDESK_DATA_DIR: open.dataDir,
        HUBDESK_BASE_URL: open.proxy.url,
        HUBDESK_TOKEN: open.proxy.token,
      },
      timeout: 60_000,
    });
    return stdout;
  }

  it.each(LANGUAGES)(
    'shows the new title, the model the CLI chose and its exchange, the draft kept (%s)',
    async (lang) => {
      const s = strings(lang).chat;
      stack = await startStack({
        keytar: memoryKeytar(),
        systemLanguages: [lang],
        followOutsideChanges: true,
      });
      const core = stack.core;
      await core.settings.setToken(core.settings.activeProfile().id, stack.proxy.token, 'session');
      const conversation = core.chat.createConversation({ model: 'gpt-4o' });
      core.chat.updateConversation(conversation.id, { title: 'Harbour tides' });
      const started = await core.chat.send({ conversationId: conversation.id, text: 'When is high tide?' });
      await core.chat.whenDone(started.streamId);

      context = await browser.newContext({ viewport: { width: 1200, height: 760 } });
      page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.emulateMedia({ colorScheme: 'light' });
      await page.goto(stack.transport.pageUrl);
      await page
        .getByRole('button', { name: /^Harbour tides/ })
        .first()
        .click();
      const log = page.getByRole('log', { name: s.message.log });
      const messages = log.locator('article');
      await expect.poll(() => messages.count()).toBe(2);
      const chip = page.locator('.chat-header .model-chip');
      const title = page.locator('.chat-header h2');
      await expect.poll(() => chip.textContent()).toBe(modelLabel('gpt-4o'));
      const composer = page.getByRole('textbox', { name: s.composer.label, exact: true });
      await composer.fill(DRAFT);

      // Another window renames it and gives it a system prompt: main says so, and this window follows, its open
      // settings panel too.
      await page.getByRole('button', { name: s.header.settings, exact: true }).click();
      const systemPrompt = page.getByLabel(s.settings.systemPrompt, { exact: true });
      await expect.poll(() => systemPrompt.inputValue()).toBe('');
      core.chat.updateConversation(conversation.id, {
        title: 'Harbour tides, spring',
        systemPrompt: 'Answer in one line.',
      });
      await expect.poll(() => title.textContent()).toBe('Harbour tides, spring');
      await expect.poll(() => systemPrompt.inputValue()).toBe('Answer in one line.');
      await page.getByRole('button', { name: s.header.settings, exact: true }).click();

      // The CLI, another process, changes the model and adds an exchange: main notices its writes.
      const printed = await hubdesk([
        'chat',
        '--conversation',
        conversation.id,
        '--model',
        'gpt-3.5-turbo',
        'And the low tide?',
      ]);
      expect(printed).toBe('Echo: And the low tide?\n');
      await expect.poll(() => chip.textContent(), { timeout: 15_000 }).toBe(modelLabel('gpt-3.5-turbo'));
      await expect.poll(() => messages.count(), { timeout: 15_000 }).toBe(4);
      const reply = log.locator('article[data-role="assistant"]').last();
      await expect.poll(() => reply.getAttribute('data-status'), { timeout: 15_000 }).toBe('complete');
      expect(await reply.textContent()).toContain('Echo: And the low tide?');
      expect(await messages.first().textContent()).toContain('When is high tide?');
      expect(await composer.inputValue()).toBe(DRAFT);
      expect(await composer.getAttribute('placeholder')).toBe(
        s.composer.placeholder.replace('{{model}}', modelLabel('gpt-3.5-turbo')),
      );
      // The list shows the CLI's exchange too.
      const listed = page.getByRole('button', { name: /^Harbour tides, spring/ }).first();
      await expect.poll(() => listed.textContent()).toContain('Echo: And the low tide?');
      await screenshot(page, `chat-follows-changes-${lang}`, { fullPage: false });
    },
  );
});
