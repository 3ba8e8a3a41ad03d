import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel, RequestOf, ResponseOf } from '../src/shared/contract';
import type { Language } from '../src/shared/i18n';
import { type english, resources } from '../src/shared/locales';
import { screenshot } from './e2e/browser';
import { browserPerFile, openWindow, signedInStack } from './e2e/window-per-test';
import type { Stack } from './support/stack';

const fixtures = join(import.meta.dirname, 'fixtures');
const browser = browserPerFile();

/** An i18next string with its {{values}} filled in, as the window shows it. */
function filled(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? '');
}

async function invoke<C extends Channel>(
  stack: Stack,
  channel: C,
  request: RequestOf<C>,
): Promise<ResponseOf<C>> {
  const result = await stack.core.router.dispatch(channel, request);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as ResponseOf<C>;
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

/** Whether the element is inside its scrolling pane's visible part (not below the fold). */
function inView(element: Locator): Promise<boolean> {
  return element.evaluate((node) => {
    let pane = node.parentElement;
    while (pane && pane.scrollHeight <= pane.clientHeight) pane = pane.parentElement;
    const box = node.getBoundingClientRect();
    const view = pane ? pane.getBoundingClientRect() : { top: 0, bottom: window.innerHeight };
    return box.top >= view.top - 1 && box.bottom <= view.bottom + 1;
  });
}

describe('Transcribe as a new user meets it, in each language (issue 18)', () => {
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail')
      await screenshot(page, `failed-transcribe-everyday-${test.task.name.slice(-8)}`);
    expect(pageErrors).toEqual([]);
    await context?.close();
    await stack?.close();
  });

  for (const language of ['en', 'zh-CN', 'vi'] as const satisfies readonly Language[]) {
    it(`shows the running job, words a refused file without a Retry, plays the original, says when it is gone, and sends the transcript visibly (${language})`, async () => {
      const strings = (resources[language] as typeof english).transcribe;
      const common = (resources[language] as typeof english).common;
      stack = await signedInStack({ systemLanguages: [language] });
      // Short enough that the options push the queue below the fold.
      pageErrors.length = 0;
      ({ context, page } = await openWindow(browser(), stack, pageErrors, {
        viewport: { width: 1280, height: 640 },
      }));
      await page
        .getByRole('navigation')
        .first()
        .getByRole('button', { name: common.nav.transcribe, exact: true })
        .click();
      const zone = page.getByRole('region', { name: strings.drop.region });
      await zone.waitFor();
      const jobs = page.getByRole('list', { name: strings.jobs.label });
      const job = (name: string) => jobs.getByRole('listitem').filter({ hasText: name });

      // 1. The running job comes into view by itself.
      stack.proxy.addFault({
        match: '/v1/audio/transcriptions',
        fault: { type: 'latency', ms: 1500 },
        times: 1,
      });
      await drop(zone, [{ path: join(fixtures, 'speech.wav'), name: 'interview.wav', type: 'audio/wav' }]);
      await expect
        .poll(() => job('interview.wav').getAttribute('data-state'))
        .toMatch(/uploading|transcribing/);
      await expect.poll(() => inView(job('interview.wav'))).toBe(true);
      await screenshot(page, `transcribe-running-${language}`, { fullPage: false });
      await expect
        .poll(() => job('interview.wav').getAttribute('data-state'), { timeout: 15_000 })
        .toBe('done');

      // 2. A file that is not audio: said in the window's language, and no Retry that cannot succeed.
      await drop(zone, [{ path: join(fixtures, 'thumbnail.png'), name: 'song.mp3', type: 'audio/mpeg' }]);
      await expect.poll(() => job('song.mp3').getAttribute('data-state')).toBe('failed');
      const refusal = filled(strings.reasons.notAudio, {
        name: 'song.mp3',
        content: strings.reasons.content.png,
      });
      await expect.poll(() => job('song.mp3').textContent()).toContain(refusal);
      expect(await job('song.mp3').getByRole('button', { name: strings.jobs.retry }).count()).toBe(0);
      expect(await job('song.mp3').getByRole('button', { name: strings.jobs.remove }).count()).toBe(1);
      await screenshot(page, `transcribe-refused-${language}`, { element: job('song.mp3') });

      // 3. The transcript plays from the original file where it is (no copy was asked for).
      await job('interview.wav').getByRole('button', { name: strings.jobs.open }).click();
      const viewer = page.getByRole('region', { name: strings.viewer.region });
      await expect
        .poll(() => viewer.locator('[data-segment-index="0"]').textContent())
        .toContain('interview.wav');
      const transcriptId = (await stack.core.transcription.list()).find(
        (item) => item.fileName === 'interview.wav',
      )?.transcriptId;
      const original = stack.core.transcription.getTranscript(transcriptId ?? '').sourcePath;
      expect(stack.core.transcription.getTranscript(transcriptId ?? '').audioPath).toBeNull();
      const audio = viewer.locator('audio');
      expect(await audio.getAttribute('src')).toContain(`/transcript-audio/${transcriptId}`);
      // The browser read the file's header through the route: it knows how long the audio is.
      await expect
        .poll(() => audio.evaluate((element: HTMLAudioElement) => element.duration))
        .toBeGreaterThan(1);
      expect(await viewer.locator('.tx-source').textContent()).toContain(original);
      await screenshot(page, `transcribe-original-plays-${language}`, { fullPage: false });

      // 4. The original was moved: the viewer says where it was and the text stays.
      const moved = `${original}.moved`;
      await rename(original, moved);
      await page.getByRole('button', { name: strings.viewer.closeTranscript }).click();
      await job('interview.wav').getByRole('button', { name: strings.jobs.open }).click();
      const missing = viewer.getByRole('status').filter({ hasText: original });
      await missing.waitFor();
      expect(await missing.textContent()).toContain(
        strings.viewer.originalMissing.replace(/<strong>(.*?)<\/strong>.*/, '$1'),
      );
      expect(await viewer.locator('audio').count()).toBe(0);
      expect(await viewer.locator('[data-segment-index="0"]').textContent()).toContain('interview.wav');
      await screenshot(page, `transcribe-original-missing-${language}`, { fullPage: false });
      await rename(moved, original);

      // 5. Send to chat: the new chat shows the transcript in its message box, nothing hidden in a prompt.
      await page.getByRole('button', { name: strings.viewer.sendToChat }).click();
      const composer = page.getByRole('textbox', {
        name: (resources[language] as typeof english).chat.composer.label,
      });
      await expect.poll(() => composer.inputValue()).toContain('Transcript of interview.wav.');
      const message = await composer.inputValue();
      expect(message).toContain(strings.chat.question);
      expect(message).toContain('<transcript>');
      const [created] = await invoke(stack, 'conversations.list', {});
      const opened = await invoke(stack, 'conversations.open', { id: created?.id ?? '' });
      expect(opened.conversation.systemPrompt).toBe('');
      await screenshot(page, `transcribe-sent-to-chat-${language}`, { fullPage: false });
    });
  }
});
