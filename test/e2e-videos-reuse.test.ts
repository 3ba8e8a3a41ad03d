import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../src/shared/i18n';
import { type english, resources } from '../src/shared/locales';
import type { VideoCreateRequest } from '../src/shared/videos/create-request';
import { launchBrowser, screenshot } from './e2e/browser';
import { VideosPage } from './e2e/pages/videos.page';
import { memoryKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';

const strings = (language: Language) => resources[language].videos as typeof english.videos;
const languages: Language[] = ['en', 'zh-CN', 'vi'];

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('Videos: Reuse prompt brings the images back, and parameters read as words', {
  timeout: 90_000,
}, () => {
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  let videos: VideosPage;
  let folder = '';
  const pageErrors: string[] = [];

  async function open(): Promise<void> {
    folder = await mkdtemp(join(tmpdir(), 'hubdesk-reuse-'));
    stack = await startStack({ keytar: memoryKeytar(), speed: 20 });
    await stack.core.settings.setToken(stack.core.settings.activeProfile().id, stack.proxy.token, 'session');
    context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    page = await context.newPage();
    pageErrors.length = 0;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(stack.transport.pageUrl);
    videos = new VideosPage(page);
    await videos.open();
  }

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail' && page)
      await screenshot(page, `failed-videos-reuse-${test.task.name.slice(0, 30).replace(/\W+/g, '-')}`);
    expect(pageErrors).toEqual([]);
    await context?.close();
    await stack?.close();
    await rm(folder, { recursive: true, force: true });
  });

  /** A job made through main, waited for until it is final. */
  async function made(request: VideoCreateRequest) {
    const job = await stack.core.videos.create(request);
    return stack.core.videos.settled(job.id);
  }

  /** Shows the window in `language`, waits until it is and `check` passes, and saves a screenshot named for it. */
  async function inLanguage(language: Language, name: string, check: () => Promise<unknown>): Promise<void> {
    stack.core.language.set(language);
    await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe(language);
    await check();
    await screenshot(page, `${name}-${language}`, { fullPage: false });
  }

  it('fills the create form with the images of the original, and names those no longer on disk', async () => {
    await open();
    const first = join(folder, 'harbor-first.png');
    const last = join(folder, 'harbor-last.jpg');
    await copyFile(join(import.meta.dirname, 'fixtures/thumbnail.png'), first);
    await copyFile(join(import.meta.dirname, 'fixtures/thumbnail.jpg'), last);
    const job = await made({
      vendor: 'kling',
      model: 'kling-v1-6',
      prompt: 'A harbor at dawn, boats leaving',
      options: { mode: 'pro' },
      imagePath: first,
      imageTailPath: last,
    } as VideoCreateRequest);
    await page.reload();
    await videos.open();
    await videos.tile(job.prompt).getByRole('button').first().click();
    await videos.details.getByRole('button', { name: 'Reuse prompt' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('harbor-first.png').waitFor();
    await dialog.getByText('harbor-last.jpg').waitFor();
    expect(await dialog.locator('img.video-image-preview').count()).toBe(2);
    await screenshot(page, 'videos-reuse-images-en', { fullPage: false });

    // Made again: the new job was sent the same images.
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await expect.poll(() => videos.tile(job.prompt).count()).toBe(2);
    const again = stack.core.videos
      .list({})
      .find((candidate) => candidate.prompt === job.prompt && candidate.id !== job.id);
    expect(again?.params).toMatchObject({ imagePath: first, imageTailPath: last, mode: 'pro' });

    // The end frame is gone from disk: the first one is still filled in, and the form says which is missing.
    await rm(last);
    await videos.tile(job.prompt).last().getByRole('button').first().click();
    for (const language of languages) {
      await inLanguage(language, 'videos-reuse-missing', async () => {
        if (await dialog.isVisible()) await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'hidden' });
        await videos.page
          .locator('section.video-detail')
          .getByRole('button', { name: strings(language).manage.reusePrompt })
          .click();
        await dialog.getByText('harbor-first.png').waitFor();
        const note = strings(language).manage.imagesMissing_other.split('{{names}}')[0] ?? '';
        await dialog.getByText(note.trim(), { exact: false }).waitFor();
        await dialog.getByText('“harbor-last.jpg”', { exact: false }).waitFor();
      });
    }
  });

  it('words each vendor parameter as a person reads it, in every language', async () => {
    await open();
    const job = await made({
      vendor: 'kling',
      model: 'kling-v2-1',
      prompt: 'Lanterns over a quiet river',
      options: { mode: 'pro', duration: '10', aspectRatio: '9:16' },
    } as VideoCreateRequest);
    await page.reload();
    await videos.open();
    await videos.tile(job.prompt).getByRole('button').first().click();
    const parameters = () => page.locator('section.video-detail .video-facts').first();
    const words: Record<Language, string[]> = {
      en: ['Professional mode', '10 seconds', '9:16 · portrait'],
      'zh-CN': ['专业模式', '10 秒', '9:16 · 竖屏'],
      vi: ['Chế độ chuyên nghiệp', '10 giây', '9:16 · dọc'],
    };
    for (const language of languages) {
      await inLanguage(language, 'videos-parameters', async () => {
        for (const text of words[language]) await parameters().getByText(text, { exact: true }).waitFor();
      });
      const values = await parameters().locator('dd').allTextContents();
      for (const raw of ['pro', '10', '9:16']) expect(values).not.toContain(raw);
    }
  });
});
