import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { screenshot } from './e2e/browser';
import { VideosPage } from './e2e/pages/videos.page';
import { browserPerFile, windowPerTest } from './e2e/window-per-test';
import type { Stack } from './support/stack';

const browser = browserPerFile();

describe('Videos in the browser, against the real services and the fake proxy', () => {
  const app = windowPerTest(browser, { failedName: 'failed-videos', stack: () => ({ speed: 20 }) });
  let stack: Stack;
  let page: Page;
  let videos: VideosPage;

  beforeEach(async () => {
    ({ stack, page } = app);
    videos = new VideosPage(page);
    await videos.open();
  });

  it('creates a job on each vendor, shows progress, and keeps every finished video', async () => {
    const prompts = {
      sora: 'A calico cat playing a piano on stage',
      seedance: 'A girl walking through a sunlit meadow',
      kling: 'A cute little rabbit in a garden',
      veo: 'A cinematic drone shot over mountains',
    } as const;
    for (const [vendor, prompt] of Object.entries(prompts) as [keyof typeof prompts, string][]) {
      await videos.create(vendor, prompt);
      await expect.poll(() => videos.tile(prompt).getAttribute('data-vendor')).toBe(vendor);
    }
    for (const prompt of Object.values(prompts)) {
      await expect
        .poll(() => videos.tile(prompt).getAttribute('data-status'), { timeout: 20_000 })
        .toBe('succeeded');
    }
    await expect
      .poll(() => stack.core.videos.list({}).filter((job) => job.download === 'done').length, {
        timeout: 20_000,
      })
      .toBe(4);
    // The CDN host never saw the token.
    const cdn = stack.proxy.requests.filter((r) => r.host.startsWith('127.0.0.2'));
    expect(cdn.length).toBeGreaterThan(0);
    expect(cdn.every((r) => !r.headers.authorization)).toBe(true);
    await expect.poll(() => videos.grid.locator('img').count()).toBeGreaterThanOrEqual(4);
    await screenshot(page, 'videos-grid');
  });

  it('plays a finished video with seeking, remixes it, and deletes it with undo', async () => {
    const prompt = 'A paper boat sailing down a rainy street';
    await videos.create('sora', prompt);
    await expect
      .poll(() => videos.tile(prompt).getAttribute('data-status'), { timeout: 20_000 })
      .toBe('succeeded');
    await expect
      .poll(() => stack.core.videos.list({}).find((job) => job.prompt === prompt)?.download, {
        timeout: 20_000,
      })
      .toBe('done');

    await videos.tile(prompt).getByRole('button').first().click();
    const player = videos.details.locator('video');
    await player.waitFor();
    await expect
      .poll(() => player.evaluate((video: HTMLVideoElement) => video.duration), { timeout: 15_000 })
      .toBeGreaterThan(1);
    await player.evaluate((video: HTMLVideoElement) => {
      video.currentTime = 1.2;
    });
    await expect
      .poll(() => player.evaluate((video: HTMLVideoElement) => video.currentTime))
      .toBeGreaterThan(1);
    await screenshot(page, 'videos-detail');

    await videos.details.getByRole('button', { name: 'Remix' }).click();
    await page.getByLabel('Remix prompt').fill('The same boat, at night');
    await page.getByRole('button', { name: 'Create remix' }).click();
    await expect
      .poll(() => videos.tile('The same boat, at night').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('succeeded');
    const remix = stack.core.videos.list({}).find((job) => job.prompt === 'The same boat, at night');
    const parent = stack.core.videos.list({}).find((job) => job.prompt === prompt);
    expect(remix?.parentId).toBe(parent?.id);

    await videos.tile(prompt).getByRole('button').first().click();
    await videos.details.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('radio', { name: 'Both' }).check();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => videos.tile(prompt).count()).toBe(0);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => videos.tile(prompt).count()).toBe(1);
  });
});
