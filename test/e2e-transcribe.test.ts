import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { screenshot } from './e2e/browser';
import { TranscribePage } from './e2e/pages/transcribe.page';
import { browserPerFile, windowPerTest } from './e2e/window-per-test';
import type { Stack } from './support/stack';

const fixtures = join(import.meta.dirname, 'fixtures');
const browser = browserPerFile();

describe('Transcribe in the browser, against the real services and the fake proxy', () => {
  const app = windowPerTest(browser, { failedName: 'failed-transcribe', context: { acceptDownloads: true } });
  let stack: Stack;
  let page: Page;
  let transcribe: TranscribePage;

  beforeEach(async () => {
    ({ stack, page } = app);
    transcribe = new TranscribePage(page);
    await transcribe.open();
  });

  it('takes two dropped files through the queue, then opens, edits and exports a transcript', async () => {
    stack.proxy.addFault({
      match: '/v1/audio/transcriptions',
      fault: { type: 'latency', ms: 700 },
      times: 2,
    });
    await transcribe.drop([
      { path: join(fixtures, 'speech.wav'), name: 'interview.wav', type: 'audio/wav' },
      { path: join(fixtures, 'speech.mp3'), name: 'memo.mp3', type: 'audio/mpeg' },
    ]);
    await expect.poll(() => transcribe.jobs.getByRole('listitem').count()).toBe(2);
    // While the proxy works on them, the jobs say so.
    await expect
      .poll(() => transcribe.job('interview.wav').getAttribute('data-state'))
      .toMatch(/uploading|transcribing/);
    await screenshot(page, 'transcribe-queue');
    for (const name of ['interview.wav', 'memo.mp3']) {
      await expect.poll(() => transcribe.job(name).getAttribute('data-state')).toBe('done');
    }
    const uploads = stack.proxy.requests.filter((r) => r.path === '/v1/audio/transcriptions');
    expect(uploads).toHaveLength(2);

    await transcribe.job('interview.wav').getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => transcribe.segment(0).textContent()).toContain('Transcript of interview.wav');
    expect(
      await transcribe
        .segment(0)
        .getByRole('button', { name: /^Play from 00:00/ })
        .count(),
    ).toBe(1);

    await transcribe.segment(0).getByRole('button', { name: 'Edit segment' }).click();
    await transcribe.segment(0).getByLabel('Segment text').fill('Edited by a person.');
    await transcribe.segment(0).getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => transcribe.segment(0).textContent()).toContain('Edited by a person.');

    await page.getByLabel('Find in transcript').fill('person');
    await expect.poll(() => transcribe.transcript.locator('mark').count()).toBeGreaterThan(0);
    await screenshot(page, 'transcribe-viewer');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export SRT' }).click();
    const srt = await readFile((await (await download).path())!, 'utf8');
    expect(srt).toMatch(/^1\r?\n00:00:00,000 --> 00:00:\d\d,\d{3}\r?\nEdited by a person\./);
  });

  it('refuses a file that is not audio, whatever its name, without uploading it', async () => {
    await transcribe.drop([{ path: join(fixtures, 'thumbnail.png'), name: 'song.mp3', type: 'audio/mpeg' }]);
    await expect.poll(() => transcribe.job('song.mp3').getAttribute('data-state')).toBe('failed');
    expect(await transcribe.job('song.mp3').textContent()).toMatch(/is not an audio or video file/);
    expect(stack.proxy.requests.filter((r) => r.path === '/v1/audio/transcriptions')).toHaveLength(0);
  });
});
