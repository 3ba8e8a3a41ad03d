/**
 * Settings → Sync in Chromium against the real services: two stacks with two data folders play two computers,
 * syncing through a folder and through Debian's apache2 WebDAV. Set up, field errors, the connection test, the
 * status after a sync, a conversation carried from one computer to the other, a wrong passphrase, Pause, Resume
 * and Turn off, in all three languages.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Language } from '../src/shared/i18n';
import { type english, resources } from '../src/shared/locales';
import { seriousViolations } from './e2e/axe';
import { screenshot } from './e2e/browser';
import { SyncPage } from './e2e/pages/sync.page';
import { browserPerFile, openWindow, signedInStack } from './e2e/window-per-test';
import { memoryKeytar } from './support/memory-keytar';
import type { Stack } from './support/stack';
import { apacheAvailable, startWebDavServer, type WebDavServer } from './support/webdav-server';

const PASSPHRASE = 'lantern by the north jetty';

const browser = browserPerFile();

interface Computer {
  stack: Stack;
  keychain: ReturnType<typeof memoryKeytar>;
  context: BrowserContext;
  page: Page;
  sync: SyncPage;
}

describe('Settings → Sync in the browser, two computers, against the real services', {
  timeout: 120_000,
}, () => {
  let root: string;
  const computers: Computer[] = [];
  const pageErrors: string[] = [];
  let dav: WebDavServer | undefined;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'hubdesk-e2e-sync-'));
    pageErrors.length = 0;
  });

  afterEach(async (test) => {
    for (const [index, computer] of computers.entries()) {
      if (test.task.result?.state === 'fail')
        await screenshot(
          computer.page,
          `failed-sync-${index}-${test.task.name.slice(0, 30).replace(/\W+/g, '-')}`,
        ).catch(() => undefined);
      await computer.context.close();
      await computer.stack.close();
    }
    computers.length = 0;
    await dav?.close();
    dav = undefined;
    await rm(root, { recursive: true, force: true });
    expect(pageErrors).toEqual([]);
  });

  /** A computer: its own data folder and keychain, its window in `language`, opened on Settings → Sync. */
  async function computer(language: Language, options: { background?: boolean } = {}): Promise<Computer> {
    const keychain = memoryKeytar();
    const stack = await signedInStack({
      keytar: keychain,
      systemLanguages: [language],
      syncInBackground: options.background ?? false,
    });
    const { context, page } = await openWindow(browser(), stack, pageErrors, {
      viewport: { width: 1200, height: 900 },
    });
    const sync = new SyncPage(page, language);
    await sync.open();
    const made = { stack, keychain, context, page, sync };
    computers.push(made);
    return made;
  }

  /** A conversation made on a computer (a message and the fake model's reply); its title. */
  async function converse(stack: Stack, text: string): Promise<string> {
    const conversation = stack.core.chat.createConversation({ model: 'gpt-4o' });
    const started = await stack.core.chat.send({ conversationId: conversation.id, text });
    await stack.core.chat.whenDone(started.streamId);
    return stack.core.chat.open(conversation.id).conversation.title;
  }

  async function checkPage(page: Page): Promise<void> {
    expect(await page.evaluate('window.hubdeskMissingKeys()')).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
  }

  async function turnOnWithFolder(sync: SyncPage, folder: string, passphrase: string): Promise<void> {
    await sync.chooseKind('folder');
    await sync.type('path', folder);
    await sync.type('passphrase', passphrase);
    await sync.type('repeat', passphrase);
    await sync.turnOn();
  }

  for (const language of ['en', 'zh-CN', 'vi'] as const) {
    it(`refuses wrong fields in words, sets up a folder, pauses, resumes, turns off, refuses a wrong passphrase (${language})`, async () => {
      // The folder exists, as one picked with Choose… does.
      const folder = join(root, 'library');
      await mkdir(folder);
      // Syncing in the background, as in the app: the status says when the next sync is.
      const { stack, page, sync } = await computer(language, { background: true });
      const { strings } = sync;
      await sync.field('url').waitFor();
      expect(stack.core.sync.status().configured).toBe(false);

      // A server address that is not one: said next to the field, and nothing is tried.
      await sync.type('url', 'cloud at home');
      await sync.testConnection();
      await expect.poll(() => sync.fieldError('url')).toBe(strings.setup.problem.url);
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('url');
      await checkPage(page);
      await screenshot(page, `sync-field-error-url-${language}`, { element: sync.section });

      // A folder; a passphrase too short, then two that differ.
      await sync.chooseKind('folder');
      await sync.type('path', folder);
      await sync.type('passphrase', 'short');
      await sync.type('repeat', 'short');
      await sync.turnOn();
      await expect.poll(() => sync.fieldError('passphrase')).toBe(strings.setup.problem.passphraseShort);
      await sync.type('passphrase', PASSPHRASE);
      await sync.type('repeat', `${PASSPHRASE}!`);
      await sync.turnOn();
      await expect.poll(() => sync.fieldError('repeat')).toBe(strings.setup.problem.passphraseDiffers);
      expect(await sync.fieldError('passphrase')).toBeNull();
      expect(stack.core.sync.status().configured).toBe(false);
      await checkPage(page);
      await screenshot(page, `sync-field-error-${language}`, { element: sync.section });

      // The connection test says the folder works.
      await sync.testConnection();
      await expect.poll(() => sync.testOk.count()).toBe(1);

      await sync.type('repeat', PASSPHRASE);
      await sync.turnOn();
      await expect.poll(() => sync.state.textContent(), { timeout: 30_000 }).toBe(strings.state.upToDate);
      expect(await sync.storage.textContent()).toBe(`${strings.setup.kinds.folder} ${folder}`);
      const summaryStart = strings.last.summary.split('{{')[0] ?? '';
      await expect.poll(() => sync.last.textContent()).toContain(summaryStart);
      const planned = stack.core.sync.status().nextAt;
      expect(planned).toBeGreaterThan(Date.now());
      expect(await sync.next.textContent()).toMatch(/\d/);
      expect(stack.core.sync.status().configured).toBe(true);
      await checkPage(page);
      await screenshot(page, `sync-status-${language}`, { element: sync.section });

      // Media: every sync brings all of it until the user picks on demand; all of it is here.
      expect(await sync.mediaMode('eager').isChecked()).toBe(true);
      expect(await sync.section.getByText(strings.facts.mediaAllHere, { exact: true }).count()).toBe(1);
      await sync.mediaMode('on-demand').focus();
      await page.keyboard.press('Space');
      await expect.poll(() => stack.core.sync.status().media.mode).toBe('on-demand');
      await expect.poll(() => sync.mediaMode('on-demand').isChecked()).toBe(true);
      await checkPage(page);
      await screenshot(page, `sync-media-on-demand-${language}`, { element: sync.section });

      // Pause and Resume.
      await sync.button(strings.actions.pause).click();
      await expect.poll(() => sync.state.textContent()).toBe(strings.state.paused);
      expect(await sync.next.textContent()).toBe(strings.facts.nextPaused);
      expect(stack.core.sync.status()).toMatchObject({ paused: true, nextAt: null });
      await sync.button(strings.actions.resume).waitFor();
      await checkPage(page);
      await screenshot(page, `sync-paused-${language}`, { element: sync.section });
      await sync.button(strings.actions.resume).click();
      await expect.poll(() => sync.state.textContent()).toBe(strings.state.upToDate);
      await expect.poll(() => sync.next.textContent()).toMatch(/\d/);
      expect(stack.core.sync.status()).toMatchObject({ paused: false, nextAt: expect.any(Number) });

      // Turn off asks first; Cancel keeps it on.
      const common = (resources[language] as typeof english).common;
      await sync.button(strings.actions.off).click();
      const confirm = sync.section.getByRole('alertdialog', { name: strings.off.confirm });
      await confirm.waitFor();
      // The safe answer has the focus: Enter cancels, and the focus is back on Turn off sync.
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.textContent))
        .toBe(common.actions.cancel);
      await checkPage(page);
      await screenshot(page, `sync-confirm-off-${language}`, { element: sync.section });
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.textContent))
        .toBe(strings.actions.off);
      expect(stack.core.sync.status().configured).toBe(true);
      await sync.button(strings.actions.off).click();
      await sync.button(strings.off.yes).click();
      await sync.field('url').waitFor();
      expect(stack.core.sync.status().configured).toBe(false);

      // Set up again on the same folder with another passphrase: refused in words, nothing kept.
      await turnOnWithFolder(sync, folder, 'not the passphrase at all');
      await expect
        .poll(() => sync.alert.textContent(), { timeout: 30_000 })
        .toContain(sync.errors.reasons.syncWrongPassphrase);
      expect(await sync.alert.textContent()).toContain(strings.errorAdvice.wrongPassphrase);
      // Not the advice of a refused API token: sync never uses one.
      expect(await sync.alert.textContent()).not.toContain(common.errors.advice.auth);
      expect(stack.core.sync.status().configured).toBe(false);
      await checkPage(page);
      await screenshot(page, `sync-wrong-passphrase-${language}`, { element: sync.section });
    });
  }

  it('carries a conversation from computer A (English) to computer B (Chinese) through a folder', async () => {
    const folder = join(root, 'shared-library');
    await mkdir(folder);
    const a = await computer('en');
    await turnOnWithFolder(a.sync, folder, PASSPHRASE);
    await expect
      .poll(() => a.sync.state.textContent(), { timeout: 30_000 })
      .toBe(a.sync.strings.state.upToDate);

    const title = await converse(a.stack, 'Which tide tables did the keeper use in 1911?');
    await a.sync.button(a.sync.strings.actions.now).click();
    await expect
      .poll(() => a.sync.last.textContent(), { timeout: 30_000 })
      .toMatch(/Change sets sent: [1-9]\d* /);
    await expect.poll(() => a.sync.state.textContent()).toBe(a.sync.strings.state.upToDate);
    await screenshot(a.page, 'sync-status-after-now-en', { element: a.sync.section });

    // B: its chat list open in one window, Settings → Sync in another.
    const b = await computer('zh-CN');
    const chatWindow = await b.context.newPage();
    chatWindow.on('pageerror', (error) => pageErrors.push(error.message));
    await chatWindow.goto(b.stack.transport.pageUrl);
    const zh = resources['zh-CN'] as typeof english;
    await chatWindow
      .getByRole('navigation')
      .first()
      .getByRole('button', { name: zh.common.nav.chat, exact: true })
      .click();
    const chatList = chatWindow.getByRole('navigation', { name: zh.chat.list.label });
    await chatList.waitFor();
    expect(await chatList.getByText(title).count()).toBe(0);

    await turnOnWithFolder(b.sync, folder, 'the wrong passphrase');
    await expect
      .poll(() => b.sync.alert.textContent(), { timeout: 30_000 })
      .toContain(zh.errors.reasons.syncWrongPassphrase);
    expect(await b.sync.alert.textContent()).not.toContain(zh.common.errors.advice.auth);
    expect(b.stack.core.sync.status().configured).toBe(false);
    // Nothing kept: no passphrase in B's keychain.
    expect([...b.keychain.entries.values()].join('\n')).not.toContain('the wrong passphrase');
    await screenshot(b.page, 'sync-wrong-passphrase-two-computers-zh-CN', { element: b.sync.section });

    await b.sync.type('passphrase', PASSPHRASE);
    await b.sync.type('repeat', PASSPHRASE);
    await b.sync.turnOn();
    await expect.poll(() => b.sync.state.textContent(), { timeout: 30_000 }).toBe(zh.sync.state.upToDate);
    await expect.poll(() => chatList.getByText(title).count(), { timeout: 15_000 }).toBe(1);
    expect(b.stack.core.chat.listConversations().map((conversation) => conversation.title)).toContain(title);
    await checkPage(b.page);
    await screenshot(b.page, 'sync-status-after-first-sync-zh-CN', { element: b.sync.section });
    await screenshot(chatWindow, 'sync-chat-list-after-sync-zh-CN');
  });

  it.skipIf(!apacheAvailable())(
    'WebDAV: a wrong password is worded in the window’s language; the right one syncs a conversation from A to B',
    async () => {
      dav = await startWebDavServer();
      const server = dav;
      const a = await computer('vi');
      const { strings } = a.sync;
      await a.sync.type('url', server.url);
      await a.sync.type('user', server.user);
      await a.sync.type('secret', 'not the password');
      await a.sync.testConnection();
      await expect
        .poll(() => a.sync.alert.textContent(), { timeout: 30_000 })
        .toContain(strings.test.problem.auth);
      expect(await a.sync.alert.textContent()).toContain(strings.test.advice.auth);
      expect(await a.sync.alert.textContent()).not.toContain('not the password');
      await checkPage(a.page);
      await screenshot(a.page, 'sync-webdav-auth-vi', { element: a.sync.section });

      await a.sync.type('secret', server.password);
      await a.sync.testConnection();
      await expect.poll(() => a.sync.testOk.count(), { timeout: 30_000 }).toBe(1);
      await a.sync.type('passphrase', PASSPHRASE);
      await a.sync.type('repeat', PASSPHRASE);
      await a.sync.turnOn();
      await expect.poll(() => a.sync.state.textContent(), { timeout: 30_000 }).toBe(strings.state.upToDate);
      expect(await a.sync.storage.textContent()).toBe(
        `${strings.setup.kinds.webdav} ${server.url} ${strings.facts.user.replace('{{user}}', server.user)}`,
      );

      const title = await converse(a.stack, 'Where are the spare lamp wicks kept?');
      await a.sync.button(strings.actions.now).click();
      await expect
        .poll(() => a.stack.core.sync.status().last?.report?.uploaded ?? 0, { timeout: 30_000 })
        .toBeGreaterThan(0);

      const b = await computer('en');
      await b.sync.type('url', server.url);
      await b.sync.type('user', server.user);
      await b.sync.type('secret', server.password);
      await b.sync.type('passphrase', PASSPHRASE);
      await b.sync.type('repeat', PASSPHRASE);
      await b.sync.turnOn();
      await expect
        .poll(() => b.sync.state.textContent(), { timeout: 30_000 })
        .toBe(b.sync.strings.state.upToDate);
      await expect.poll(() => b.stack.core.chat.listConversations().map((c) => c.title)).toContain(title);
      await b.page.getByRole('navigation').first().getByRole('button', { name: 'Chat', exact: true }).click();
      await expect
        .poll(() => b.page.getByRole('navigation', { name: 'Conversations' }).getByText(title).count())
        .toBeGreaterThan(0);
    },
  );
});
