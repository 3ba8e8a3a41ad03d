import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { localDay } from '../src/main/services/desktop/usage-summary';
import { openDatabase } from '../src/main/store/database';
import { migrations } from '../src/main/store/migrations';
import type { UsageSummary } from '../src/shared/desktop';
import { launchBrowser, screenshot, screenshotDir } from './e2e/browser';
import { chooseDay } from './e2e/pages/date-field';
import { memoryKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const DAY = 24 * 60 * 60 * 1000;

describe('Usage page and the Data folder, against the real services', () => {
  let stack: Stack;
  let page: Page;

  const ownDirs: string[] = [];

  afterEach(async () => {
    await page?.close();
    await stack?.close();
    for (const dir of ownDirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  async function open(options: { dataDir?: string } = {}): Promise<void> {
    stack = await startStack({ keytar: memoryKeytar(), ...options });
    await stack.core.settings.setToken(stack.core.settings.activeProfile().id, stack.proxy.token, 'session');
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(stack.transport.pageUrl);
    await page.getByRole('navigation').getByRole('button', { name: 'Chat' }).waitFor();
    expect(errors).toEqual([]);
  }

  async function chat(model: string, text: string): Promise<void> {
    const conversation = stack.core.chat.createConversation({ model });
    const started = await stack.core.chat.send({ conversationId: conversation.id, text });
    expect((await stack.core.chat.whenDone(started.streamId)).status).toBe('complete');
  }

  it('sums the stored replies, transcripts and videos per day, with a chart, in light and dark', async () => {
    await open();
    await chat('gpt-4o', 'Plan a weekend in Da Nang with a budget');
    await chat('gpt-4o', 'Summarise the plot of a detective novel in three sentences');
    await chat('o3-mini', 'Why do ships float? Think step by step.');
    await chat('claude-sonnet-4-5-20250929', 'Write a haiku about the monsoon');
    const at = (daysAgo: number) => Date.now() - daysAgo * DAY;
    const transcript = stack.core.db.prepare(
      `INSERT INTO transcripts (id, job_id, file_name, source_path, size_bytes, duration_sec, model, timestamps,
         created_at, updated_at) VALUES (?, NULL, 'call.mp3', '/tmp/call.mp3', 1000, ?, 'whisper-1', 1, ?, ?)`,
    );
    transcript.run('t1', 750, at(2), at(2));
    transcript.run('t2', 330, at(0), at(0));
    const video = stack.core.db.prepare(
      `INSERT INTO video_jobs (id, vendor, model, prompt, params, status, created_at, updated_at, completed_at)
       VALUES (?, ?, 'm', 'a prompt', ?, 'succeeded', ?, ?, ?)`,
    );
    video.run('v1', 'sora', JSON.stringify({ seconds: '8' }), at(3), at(3), at(3));
    video.run('v2', 'kling', JSON.stringify({ duration: '10' }), at(1), at(1), at(1));

    const summary = (await stack.core.router.dispatch('usage.summary', {
      from: localDay(at(29)),
      to: localDay(at(0)),
    })) as { ok: true; value: UsageSummary };
    const outTokens = summary.value.tokens.reduce((sum, row) => sum + row.outputTokens, 0);
    expect(outTokens).toBeGreaterThan(0);

    await page.getByRole('navigation').getByRole('button', { name: 'Usage' }).click();
    const tile = (label: string) => page.locator('.usage-tile', { hasText: label }).locator('dd');
    await expect.poll(() => tile('Tokens out').textContent()).toBe(outTokens.toLocaleString('en-US'));
    expect(await tile('Audio minutes').textContent()).toBe('18');
    expect(await tile('Video seconds').textContent()).toBe('18');
    const rows = page.getByRole('table').first().getByRole('row');
    expect(await rows.count()).toBe(1 + 3); // header + three models today
    await expect.poll(() => page.locator('.usage-bar').count()).toBeGreaterThanOrEqual(3);
    await screenshot(page, 'usage-tokens');

    await page.getByRole('button', { name: 'Audio minutes' }).click();
    await expect.poll(() => page.locator('.usage-bar').count()).toBe(2);
    await page.getByRole('button', { name: 'Video seconds' }).click();
    await expect.poll(() => page.locator('.usage-bar').count()).toBe(2);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('button', { name: 'Tokens (in + out)' }).click();
    await screenshot(page, 'usage-tokens-dark');

    // A range without anything: the tiles say zero.
    await chooseDay(page, 'From', '2020-01-01');
    await chooseDay(page, 'To', '2020-01-31');
    await expect.poll(() => tile('Tokens out').textContent()).toBe('0');
  });

  it('backs up everything, refuses a corrupted copy of the backup, and nothing changes', async () => {
    await open();
    await chat('gpt-4o', 'Remember the lighthouse');
    const titles = () => stack.core.chat.listConversations().map((conversation) => conversation.title);
    const before = titles();
    await page.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();

    const archive = join(stack.dataDir, '..', `hubdesk-e2e-${process.pid}.hubdesk-backup`);
    const corrupt = `${archive}.corrupt`;
    try {
      await page.getByLabel('Backup file', { exact: true }).fill(archive);
      await page.getByRole('button', { name: 'Back up everything' }).click();
      await expect.poll(() => page.getByText(/Backed up \d+ files? \(/).count()).toBe(1);

      // The same name again: the window asks before the file is replaced, and nothing is written until it is.
      const firstBackup = await stat(archive);
      await page.getByRole('button', { name: 'Back up everything' }).click();
      const question = page.getByRole('alertdialog', { name: 'Replace the existing file' });
      await expect.poll(() => question.textContent()).toContain('A file with this name is already there.');
      expect((await stat(archive)).mtimeMs).toBe(firstBackup.mtimeMs);
      await question.scrollIntoViewIfNeeded();
      await page.screenshot({
        path: join(import.meta.dirname, '../test-results/screenshots/data-backup-replace.png'),
      });
      await question.getByRole('button', { name: 'Choose another name' }).click();
      await expect.poll(() => question.count()).toBe(0);
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('backup-target');
      await page.getByRole('button', { name: 'Back up everything' }).click();
      await question.getByRole('button', { name: 'Replace it' }).click();
      await expect.poll(() => page.getByText(/Backed up \d+ files? \(/).count()).toBe(1);
      expect((await stat(archive)).mtimeMs).toBeGreaterThan(firstBackup.mtimeMs);

      const bytes = await readFile(archive);
      bytes[Math.floor(bytes.length / 3)] = (bytes[Math.floor(bytes.length / 3)] ?? 0) ^ 0x5a;
      await writeFile(corrupt, bytes);
      await page.getByLabel('Backup file to restore').fill(corrupt);
      await page.getByRole('button', { name: 'Restore…' }).click();
      await page.getByRole('button', { name: 'Replace with backup' }).click();
      await expect
        .poll(() => page.getByText(/not a usable HubDesk backup/).textContent())
        .toMatch(/in it is damaged\. Nothing was changed\./);
      expect(titles()).toEqual(before);
      await page.getByText(/not a usable HubDesk backup/).scrollIntoViewIfNeeded();
      await page.screenshot({
        path: join(import.meta.dirname, '../test-results/screenshots/data-restore-refused.png'),
      });
      // Main sent a reason: the refusal is worded in the window's language, as the rest of the page.
      const refusals = {
        vi: /không phải là bản sao lưu HubDesk dùng được: tệp .+ trong đó bị hỏng\. Chưa có gì bị thay đổi\./,
        'zh-CN': /不是可用的 HubDesk 备份：其中的 .+ 已损坏。未做任何更改。/,
      };
      for (const [language, words] of Object.entries(refusals)) {
        stack.core.language.set(language as keyof typeof refusals);
        await expect.poll(() => page.getByText(words).count()).toBe(1);
        await page.getByText(words).scrollIntoViewIfNeeded();
        await page.screenshot({
          path: join(import.meta.dirname, `../test-results/screenshots/data-restore-refused-${language}.png`),
        });
      }
      stack.core.language.set('en');
      await expect.poll(() => page.getByText(/not a usable HubDesk backup/).count()).toBe(1);

      // The good archive restores.
      await page.getByLabel('Backup file to restore').fill(archive);
      await page.getByRole('button', { name: 'Restore…' }).click();
      await page.getByRole('button', { name: 'Replace with backup' }).click();
      await expect.poll(() => page.getByText(/Restored \d+ files?/).count()).toBe(1);
      await expect.poll(() => page.getByText('The backup was restored.').count()).toBe(1);
      expect(titles()).toEqual(before);
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.getByText(/Restored \d+ files?/).scrollIntoViewIfNeeded();
      await page.screenshot({
        path: join(import.meta.dirname, '../test-results/screenshots/data-restored-dark.png'),
      });
    } finally {
      await rm(archive, { force: true });
      await rm(corrupt, { force: true });
    }
  });

  it('after an update, says once where the copy from before it is, and Settings lists the copies', async () => {
    // A data folder an earlier HubDesk wrote (schema version 5).
    const dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-e2e-update-'));
    ownDirs.push(dataDir);
    const earlier = openDatabase(join(dataDir, 'hubdesk.sqlite'), { migrations: migrations.slice(0, 5) });
    earlier.exec(`INSERT INTO conversations (id, title, model, api, created_at, updated_at)
      VALUES ('c1', 'Kept through the update', 'gpt-4o', 'openai-chat', 1, 1)`);
    earlier.close();

    await open({ dataDir });
    const copyPath = stack.core.databaseUpdate?.copyPath ?? 'no copy';
    const notice = page.locator('.app-notice');
    await expect.poll(() => notice.textContent()).toContain(copyPath);
    expect(await notice.textContent()).toContain(
      `HubDesk updated its database (schema version 5 to ${migrations.at(-1)?.version}).`,
    );
    await screenshot(page, 'update-notice', { fullPage: false });
    await notice.getByRole('button', { name: 'OK' }).click();
    await expect.poll(() => notice.count()).toBe(0);

    await page.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();
    const copies = page.locator('.update-copies li');
    await expect.poll(() => copies.count()).toBe(1);
    expect(await copies.first().textContent()).toContain(copyPath);
    expect(await copies.first().textContent()).toMatch(
      new RegExp(`version 5 → ${migrations.at(-1)?.version} · .+ · \\d`),
    );
    await page
      .locator('section[aria-labelledby="data-title"]')
      .screenshot({ path: join(screenshotDir, 'data-update-copies.png') });

    // Once: the window opened again does not show it again.
    await page.reload();
    await page.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();
    await expect.poll(() => page.locator('.update-copies li').count()).toBe(1);
    expect(await page.locator('.app-notice').count()).toBe(0);
    expect(stack.core.chat.listConversations().map((conversation) => conversation.title)).toEqual([
      'Kept through the update',
    ]);
  });
});
