/**
 * Settings → Sync with an S3-compatible bucket (s3rver on 127.0.0.1) in Chromium against the real services: a wrong
 * bucket and a wrong access key are refused in the window's language; the right ones set sync up, Sync now sends a
 * conversation and the status reports it; a second computer gets it through the same bucket.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Language } from '../src/shared/i18n';
import { type english, resources } from '../src/shared/locales';
import { seriousViolations } from './e2e/axe';
import { screenshot } from './e2e/browser';
import { SyncPage } from './e2e/pages/sync.page';
import { browserPerFile, openWindow, signedInStack } from './e2e/window-per-test';
import { memoryKeytar } from './support/memory-keytar';
import { type S3Server, startS3Server } from './support/s3-server';
import type { Stack } from './support/stack';

const PASSPHRASE = 'lantern by the north jetty';

const browser = browserPerFile();

interface Computer {
  stack: Stack;
  keychain: ReturnType<typeof memoryKeytar>;
  context: BrowserContext;
  page: Page;
  sync: SyncPage;
}

describe('Settings → Sync with an S3-compatible bucket, in the browser', { timeout: 120_000 }, () => {
  const computers: Computer[] = [];
  const pageErrors: string[] = [];
  let s3: S3Server;

  beforeEach(async () => {
    s3 = await startS3Server();
    pageErrors.length = 0;
  });

  afterEach(async (test) => {
    for (const [index, computer] of computers.entries()) {
      if (test.task.result?.state === 'fail')
        await screenshot(computer.page, `failed-sync-s3-${index}`).catch(() => undefined);
      await computer.context.close();
      await computer.stack.close();
    }
    computers.length = 0;
    await s3?.close();
    expect(pageErrors).toEqual([]);
  });

  async function computer(language: Language): Promise<Computer> {
    const keychain = memoryKeytar();
    const stack = await signedInStack({ keytar: keychain, systemLanguages: [language] });
    const { context, page } = await openWindow(browser(), stack, pageErrors, {
      viewport: { width: 1200, height: 1000 },
    });
    const sync = new SyncPage(page, language);
    await sync.open();
    const made = { stack, keychain, context, page, sync };
    computers.push(made);
    return made;
  }

  async function checkPage(page: Page): Promise<void> {
    expect(await page.evaluate('window.hubdeskMissingKeys()')).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
  }

  async function fillBucket(sync: SyncPage, bucket: { name: string; accessKeyId: string }): Promise<void> {
    await sync.chooseKind('s3');
    await sync.type('endpoint', s3.endpoint);
    await sync.type('bucket', bucket.name);
    // An optional field: its label ends with "(optional)".
    const prefix = sync.section.getByLabel(new RegExp(`^${sync.strings.setup.fields.prefix}`));
    await prefix.fill('hubdesk');
    await sync.type('accessKeyId', bucket.accessKeyId);
    await sync.type('secret', s3.secretAccessKey);
  }

  it('refuses a wrong bucket (vi) and a wrong access key (zh-CN) in words; the right ones sync a conversation to a second computer', async () => {
    const a = await computer('vi');
    const vi = a.sync.strings;

    // A bucket that does not exist: the connection test says so, with what to do.
    await fillBucket(a.sync, { name: 'no-such-bucket', accessKeyId: s3.accessKeyId });
    await a.sync.testConnection();
    await expect
      .poll(() => a.sync.alert.textContent(), { timeout: 30_000 })
      .toContain(vi.test.problem.not_found);
    expect(await a.sync.alert.textContent()).toContain(vi.test.advice.not_found);
    expect(a.stack.core.sync.status().configured).toBe(false);
    await checkPage(a.page);
    await screenshot(a.page, 'sync-s3-no-bucket-vi', { element: a.sync.section });

    // The right bucket: set up, then Sync now sends a conversation and the status reports it.
    await a.sync.type('bucket', s3.bucket);
    await a.sync.testConnection();
    await expect.poll(() => a.sync.testOk.count(), { timeout: 30_000 }).toBe(1);
    await a.sync.type('passphrase', PASSPHRASE);
    await a.sync.type('repeat', PASSPHRASE);
    await a.sync.turnOn();
    await expect.poll(() => a.sync.state.textContent(), { timeout: 30_000 }).toBe(vi.state.upToDate);
    expect(await a.sync.storage.textContent()).toContain(s3.bucket);

    const conversation = a.stack.core.chat.createConversation({ model: 'gpt-4o' });
    const started = await a.stack.core.chat.send({
      conversationId: conversation.id,
      text: 'When does the ferry to Cù Lao Chàm leave?',
    });
    await a.stack.core.chat.whenDone(started.streamId);
    const title = a.stack.core.chat.open(conversation.id).conversation.title;
    const lastBefore = a.stack.core.sync.status().last?.at ?? 0;
    await a.sync.button(vi.actions.now).click();
    await expect
      .poll(() => a.stack.core.sync.status().last?.at ?? 0, { timeout: 30_000 })
      .toBeGreaterThan(lastBefore);
    const report = a.stack.core.sync.status().last?.report;
    expect(report?.uploaded).toBeGreaterThan(0);
    const summaryStart = vi.last.summary.split('{{')[0] ?? '';
    await expect.poll(() => a.sync.last.textContent()).toContain(`${summaryStart}${report?.uploaded}`);
    await expect.poll(() => a.sync.state.textContent()).toBe(vi.state.upToDate);
    // The bucket holds the library under the prefix, by names that say nothing of it.
    const puts = s3.requests.filter((request) => request.method === 'PUT' && request.status === 200);
    expect(puts.length).toBeGreaterThan(0);
    for (const { path } of puts) {
      expect(path.startsWith(`/${s3.bucket}/hubdesk/`)).toBe(true);
      expect(path).not.toContain(conversation.id);
    }
    await checkPage(a.page);
    await screenshot(a.page, 'sync-s3-status-after-now-vi', { element: a.sync.section });

    // B, in Chinese: an access key the storage does not know is refused at Turn on, in words.
    const b = await computer('zh-CN');
    const zh = resources['zh-CN'] as typeof english;
    await fillBucket(b.sync, { name: s3.bucket, accessKeyId: 'NOT-A-KEY' });
    await b.sync.type('passphrase', PASSPHRASE);
    await b.sync.type('repeat', PASSPHRASE);
    await b.sync.turnOn();
    const storageWords = zh.errors.reasons.syncStorage.split('{{')[0] ?? '';
    await expect.poll(() => b.sync.alert.textContent(), { timeout: 30_000 }).toContain(storageWords);
    expect(await b.sync.alert.textContent()).toContain(zh.errors.syncProblems.auth);
    expect(await b.sync.alert.textContent()).toContain(zh.sync.test.advice.auth);
    expect(await b.sync.alert.textContent()).not.toContain(s3.secretAccessKey);
    expect(b.stack.core.sync.status().configured).toBe(false);
    expect([...b.keychain.entries.values()].join('\n')).not.toContain(PASSPHRASE);
    await checkPage(b.page);
    await screenshot(b.page, 'sync-s3-wrong-key-zh-CN', { element: b.sync.section });

    await b.sync.type('accessKeyId', s3.accessKeyId);
    await b.sync.turnOn();
    await expect.poll(() => b.sync.state.textContent(), { timeout: 30_000 }).toBe(zh.sync.state.upToDate);
    await expect.poll(() => b.stack.core.chat.listConversations().map((c) => c.title)).toContain(title);
    const received = b.stack.core.sync.status().last?.report;
    expect(received?.applied).toBeGreaterThan(0);
    await checkPage(b.page);
    await screenshot(b.page, 'sync-s3-status-after-first-sync-zh-CN', { element: b.sync.section });
  });
});
