/**
 * A segment correction that lost to a concurrent one on another computer shows under its segment in the transcript
 * viewer; "Use this" (by keyboard) makes it the segment's text and the note goes, "Dismiss" only removes the note.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SegmentAlternativesRepo } from '../src/main/store/segment-alternatives-repo';
import type { Language } from '../src/shared/i18n';
import { type english, resources } from '../src/shared/locales';
import { launchBrowser, screenshot } from './e2e/browser';
import { addTimedTranscript } from './support/library-items';
import { memoryKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

function stringsOf(language: Language) {
  const all = resources[language] as typeof english;
  return { transcribe: all.transcribe, common: all.common };
}

describe('a segment also corrected on another computer', () => {
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') await screenshot(page, 'failed-segment-alternative');
    expect(pageErrors).toEqual([]);
    await context?.close();
    await stack?.close();
  });

  it('in English, shows the other correction under its segment; Use this takes it, Dismiss drops the other', async () => {
    stack = await startStack({ keytar: memoryKeytar(), systemLanguages: ['en'] });
    const { common, transcribe } = stringsOf('en');
    const id = addTimedTranscript(
      stack.core,
      'harbour-interview.m4a',
      ['The harbor opened in 1911.', 'Ships called weekly.', 'It closed in 1968.'],
      Date.now() - 60_000,
    );
    const kept = new SegmentAlternativesRepo(stack.core.db);
    kept.keep({
      transcriptId: id,
      segmentIndex: 1,
      version: '0000000000a.00000.desktop',
      text: 'Ships came every week.',
      device: 'desktop',
      keptAt: Date.now(),
    });
    kept.keep({
      transcriptId: id,
      segmentIndex: 2,
      version: '0000000000b.00000.desktop',
      text: 'It shut in 1968.',
      device: 'desktop',
      keptAt: Date.now(),
    });

    context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(stack.transport.pageUrl);
    await page
      .getByRole('navigation')
      .first()
      .getByRole('button', { name: common.nav.transcribe, exact: true })
      .click();
    await page
      .getByRole('list', { name: transcribe.library.label })
      .getByRole('button', { name: /harbour-interview\.m4a/ })
      .click();
    const viewer = page.getByRole('region', { name: transcribe.viewer.region });
    const second = viewer.locator('[data-segment-index="1"]');
    const note = second.getByRole('note');
    await expect
      .poll(() => note.textContent())
      .toContain('Also corrected on another computer: «Ships came every week.»');
    expect(await viewer.locator('[data-segment-index="0"]').getByRole('note').count()).toBe(0);
    await screenshot(page, 'segment-alternative-en', { fullPage: false });

    const use = note.getByRole('button', { name: transcribe.alternative.use });
    await use.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => note.count()).toBe(0);
    expect(await second.locator('.tx-segment-text').textContent()).toContain('Ships came every week.');
    expect(stack.core.transcription.getTranscript(id).segments[1]?.text).toBe('Ships came every week.');

    const third = viewer.locator('[data-segment-index="2"]');
    await third.getByRole('note').getByRole('button', { name: transcribe.alternative.dismiss }).click();
    await expect.poll(() => third.getByRole('note').count()).toBe(0);
    expect(await third.locator('.tx-segment-text').textContent()).toContain('It closed in 1968.');
    expect(stack.core.transcription.alternatives(id)).toEqual([]);
  });
});
