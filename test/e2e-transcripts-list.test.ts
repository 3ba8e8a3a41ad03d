import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Language } from '../src/shared/i18n';
import { type english, resources } from '../src/shared/locales';
import { screenshot } from './e2e/browser';
import { browserPerFile, openWindow, signedInStack } from './e2e/window-per-test';
import { addTimedTranscript } from './support/library-items';
import type { Stack } from './support/stack';

const fixtures = join(import.meta.dirname, 'fixtures');
/** The page's clock, set by the test: the retry countdown reads it. */
const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);

const browser = browserPerFile();

function stringsOf(language: Language) {
  const all = resources[language] as typeof english;
  return { transcribe: all.transcribe, common: all.common };
}

/** Drops files on the drop zone the way the OS does: a drop event carrying File objects. */
async function drop(zone: Locator, files: { path: string; name: string; type: string }[]): Promise<void> {
  const payload = await Promise.all(
    files.map(async (file) => ({ ...file, base64: (await readFile(file.path)).toString('base64') })),
  );
  await zone.evaluate((element, items) => {
    const transfer = new DataTransfer();
    for (const item of items) {
      const bytes = Uint8Array.from(atob(item.base64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], item.name, { type: item.type }));
    }
    for (const type of ['dragenter', 'dragover', 'drop']) {
      element.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, payload);
}

describe('The library’s transcripts on the Transcribe screen, and a transcription that waits out a 429', () => {
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  async function openTranscribe(language: Language): Promise<void> {
    const { common, transcribe } = stringsOf(language);
    pageErrors.length = 0;
    ({ context, page } = await openWindow(browser(), stack, pageErrors));
    await page
      .getByRole('navigation')
      .first()
      .getByRole('button', { name: common.nav.transcribe, exact: true })
      .click();
    await page.getByRole('region', { name: transcribe.drop.region }).waitFor();
  }

  async function startIn(language: Language): Promise<void> {
    stack = await signedInStack({ systemLanguages: [language] });
  }

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail')
      await screenshot(page, `failed-transcripts-list-${test.task.name.slice(0, 30).replace(/\W+/g, '-')}`);
    expect(pageErrors).toEqual([]);
    await context?.close();
    await stack?.close();
  });

  it('lists, in Vietnamese, a transcript that has no job, newest first with its date, length, language and edit, and opens it by keyboard', async () => {
    await startIn('vi');
    const { transcribe } = stringsOf('vi');
    const now = Date.now();
    const older = addTimedTranscript(stack.core, 'phong-van.wav', ['Xin chào.', 'Cảm ơn.'], now - 86_400_000);
    const newest = addTimedTranscript(stack.core, 'ghi-chu.mp3', ['Một câu từ máy khác.'], now - 60_000);
    stack.core.transcription.updateSegment(older, 1, 'Cảm ơn nhiều.');
    expect(stack.core.transcription.list()).toEqual([]);

    await openTranscribe('vi');
    const library = page.getByRole('list', { name: transcribe.library.label });
    const rows = library.getByRole('listitem');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).getAttribute('data-transcript-id')).toBe(newest);
    expect(await rows.nth(1).getAttribute('data-transcript-id')).toBe(older);
    const olderText = await rows.nth(1).textContent();
    expect(olderText).toContain('phong-van.wav');
    expect(olderText).toContain('20 giây');
    expect(olderText).toContain(transcribe.languages.en);
    expect(olderText).toContain(transcribe.library.edited);
    expect(await rows.nth(0).textContent()).not.toContain(transcribe.library.edited);
    expect(await page.getByText(transcribe.library.empty).count()).toBe(0);
    await screenshot(page, 'transcripts-list-vi', { fullPage: false });

    const olderButton = rows.nth(1).getByRole('button');
    await olderButton.focus();
    await page.keyboard.press('Enter');
    const viewer = page.getByRole('region', { name: transcribe.viewer.region });
    await expect
      .poll(() => viewer.locator('[data-segment-index="1"]').textContent())
      .toContain('Cảm ơn nhiều.');
    expect(await olderButton.getAttribute('aria-current')).toBe('true');
    await screenshot(page, 'transcripts-list-vi-open', { fullPage: false });
  });

  it('in Chinese, says the library is empty, then lists a transcript that a sync applied', async () => {
    await startIn('zh-CN');
    const { transcribe } = stringsOf('zh-CN');
    await openTranscribe('zh-CN');
    await expect.poll(() => page.getByText(transcribe.library.empty).count()).toBe(1);
    await screenshot(page, 'transcripts-list-zh-CN-empty', { fullPage: false });

    const arrived = addTimedTranscript(stack.core, '会议记录.m4a', ['来自另一台电脑。'], Date.now());
    stack.core.bus.emit('sync.applied', { conversations: [], videos: [], transcripts: [arrived] });
    const library = page.getByRole('list', { name: transcribe.library.label });
    await expect.poll(() => library.getByRole('listitem').count()).toBe(1);
    await library.getByRole('button', { name: /会议记录\.m4a/ }).click();
    const viewer = page.getByRole('region', { name: transcribe.viewer.region });
    await expect
      .poll(() => viewer.locator('[data-segment-index="0"]').textContent())
      .toContain('来自另一台电脑。');
  });

  it('in Chinese, says in the job row that an upload is rate limited and counts down, then lists the finished transcript', async () => {
    await startIn('zh-CN');
    const { transcribe } = stringsOf('zh-CN');
    await openTranscribe('zh-CN');
    await page.clock.setFixedTime(T0);
    stack.proxy.addFault({
      match: '/v1/audio/transcriptions',
      fault: { type: 'status', status: 429, retryAfter: '3' },
      times: 1,
    });
    const zone = page.getByRole('region', { name: transcribe.drop.region });
    await drop(zone, [{ path: join(fixtures, 'speech.wav'), name: 'interview.wav', type: 'audio/wav' }]);
    const job = page
      .getByRole('list', { name: transcribe.jobs.label })
      .getByRole('listitem')
      .filter({ hasText: 'interview.wav' });
    const notice = job.getByTestId('retrying');
    await expect
      .poll(async () => (await notice.textContent())?.trim(), { timeout: 10_000 })
      .toBe('已被限流，3 秒后重试（第 1/2 次）');
    expect(await notice.getAttribute('role')).toBe('status');
    await screenshot(page, 'transcribe-rate-limit-zh-CN', { element: job });
    await page.clock.setFixedTime(T0 + 1_000);
    await expect
      .poll(async () => (await notice.textContent())?.trim())
      .toBe('已被限流，2 秒后重试（第 1/2 次）');

    await expect.poll(() => job.getAttribute('data-state'), { timeout: 15_000 }).toBe('done');
    expect(await notice.count()).toBe(0);
    const library = page.getByRole('list', { name: transcribe.library.label });
    await expect
      .poll(() => library.getByRole('listitem').filter({ hasText: 'interview.wav' }).count())
      .toBe(1);
  });
});
