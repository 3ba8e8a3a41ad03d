import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../src/shared/i18n';
import { type english, resources } from '../src/shared/locales';
import type { VideoJob } from '../src/shared/videos/job';
import { launchBrowser, screenshot, screenshotDir } from './e2e/browser';
import { VideosPage } from './e2e/pages/videos.page';
import { memoryKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';

/** The videos strings of a language (every language has the English keys: test/i18n-resources.test.ts). */
const strings = (language: Language) => resources[language].videos as typeof english.videos;
const otherLanguages = ['zh-CN', 'vi'] as const;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('Managing videos in the browser: retry, the remix source, delete, save, reuse', {
  timeout: 90_000,
}, () => {
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  let videos: VideosPage;
  const pageErrors: string[] = [];
  const shown: string[] = [];
  let saveTarget: string | null = null;

  async function open(options: { shell?: boolean } = {}): Promise<void> {
    stack = await startStack({
      keytar: memoryKeytar(),
      speed: 20,
      ...(options.shell
        ? {
            videoFileShell: {
              saveDialog: async () => saveTarget,
              showItemInFolder: (path: string) => {
                shown.push(path);
              },
            },
          }
        : {}),
    });
    await stack.core.settings.setToken(stack.core.settings.activeProfile().id, stack.proxy.token, 'session');
    context = await browser.newContext({ viewport: { width: 1280, height: 820 }, acceptDownloads: true });
    page = await context.newPage();
    pageErrors.length = 0;
    shown.length = 0;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(stack.transport.pageUrl);
    videos = new VideosPage(page);
    await videos.open();
  }

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail' && page)
      await screenshot(page, `failed-videos-manage-${test.task.name.slice(0, 30)}`);
    expect(pageErrors).toEqual([]);
    await stack?.core.language.set('en');
    await context?.close();
    await stack?.close();
  });

  /** A job made through main (faster than the form), waited for until it is final and downloaded. */
  async function made(vendor: VideoJob['vendor'], prompt: string, options: Record<string, unknown> = {}) {
    const model = stack.core.videos.vendors().find((spec) => spec.vendor === vendor)?.models[0]?.id ?? '';
    const job = await stack.core.videos.create({ vendor, model, prompt, options } as never);
    return stack.core.videos.settled(job.id);
  }

  /** The details panel in any language (its accessible name is translated). */
  const detailsPanel = () => page.locator('section.video-detail');

  /** The detail panel (or the whole window with a dialog) in each other language, then back to English. */
  async function inEveryLanguage(name: string, check: (language: Language) => Promise<void>): Promise<void> {
    await check('en');
    await screenshot(page, `${name}-en`, { fullPage: false });
    for (const language of otherLanguages) {
      stack.core.language.set(language);
      await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe(language);
      await check(language);
      await screenshot(page, `${name}-${language}`, { fullPage: false });
    }
    stack.core.language.set('en');
    await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe('en');
  }

  it('retries a failed job as a new job with the same prompt and parameters; the failed one stays', async () => {
    await open();
    const prompt = 'A fox running through deep snow [fail]';
    const failed = await made('kling', prompt, { mode: 'pro', duration: '10', externalTaskId: 'fox-1' });
    expect(failed.status).toBe('failed');

    await videos.tile(prompt).getByRole('button').first().click();
    await inEveryLanguage('videos-retry', async (language) => {
      await videos.page.getByRole('button', { name: strings(language).manage.retry, exact: true }).waitFor();
    });
    const creates = () =>
      stack.proxy.requests.filter((r) => r.method === 'POST' && r.path.includes('kling')).length;
    const sentBefore = creates();
    await videos.details.getByRole('button', { name: 'Retry', exact: true }).click();

    await expect.poll(() => videos.tile(prompt).count()).toBe(2);
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/new job was started/);
    const jobs = stack.core.videos.list({}).filter((job) => job.prompt === prompt);
    expect(jobs).toHaveLength(2);
    const again = jobs.find((job) => job.id !== failed.id);
    expect(again?.params).toMatchObject({ mode: 'pro', duration: '10' });
    expect(again?.params.externalTaskId).toBeUndefined();
    expect(again?.model).toBe(failed.model);
    // The old job was not sent again: it is still the failed one, and one new create left.
    expect(stack.core.videos.get(failed.id)).toMatchObject({ status: 'failed', remoteId: failed.remoteId });
    expect(creates()).toBe(sentBefore + 1);
    // The new job is the one the details now show.
    await expect
      .poll(() => videos.grid.locator('[aria-current="true"]').locator('..').getAttribute('data-job-id'))
      .toBe(again?.id);
  });

  it('links a remix to its original, and says so when the original is deleted', async () => {
    await open();
    const original = await made('sora', 'A lighthouse in a storm at night');
    await page.reload();
    await videos.open();
    await videos.tile(original.prompt).getByRole('button').first().click();
    await videos.details.getByRole('button', { name: 'Remix' }).click();
    await page.getByLabel('Remix prompt').fill('The same lighthouse at dawn');
    await page.getByRole('button', { name: 'Create remix' }).click();
    await expect
      .poll(() => videos.tile('The same lighthouse at dawn').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('succeeded');

    // No raw vendor id: the original, by its prompt, as a link that opens it.
    const link = videos.details.getByRole('button', { name: `Open the original: ${original.prompt}` });
    await link.waitFor();
    expect(await videos.details.textContent()).not.toContain(`Remix of${original.remoteId}`);
    await inEveryLanguage('videos-remix-of', async (language) => {
      await detailsPanel()
        .getByRole('button', {
          name: strings(language).manage.openOriginal.replace('{{prompt}}', original.prompt),
        })
        .waitFor();
    });
    await link.click();
    await expect
      .poll(() => videos.tile(original.prompt).getByRole('button').first().getAttribute('aria-current'))
      .toBe('true');

    await videos.details.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('radio', { name: 'Both' }).check();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => videos.tile(original.prompt).count()).toBe(0);
    await videos.tile('The same lighthouse at dawn').getByRole('button').first().click();
    await inEveryLanguage('videos-remix-of-deleted', async (language) => {
      await detailsPanel().getByText(strings(language).manage.originalDeleted, { exact: true }).waitFor();
    });
  });

  it('offers on Kling only the deletes Kling can do, and says why', async () => {
    await open();
    const job = await made('kling', 'A rabbit in a vegetable garden');
    expect(job.download).toBe('done');
    await page.reload();
    await videos.open();
    await videos.tile(job.prompt).getByRole('button').first().click();
    await videos.details.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    await inEveryLanguage('videos-delete-kling', async (language) => {
      const text = strings(language);
      await dialog.getByText(text.manage.vendorCannotDelete.split('{{vendor}}')[1] ?? '').waitFor();
      expect(await dialog.getByRole('radio').count()).toBe(2);
      await dialog.getByRole('radio', { name: text.manage.removeFromLibrary }).waitFor();
    });
    expect(await dialog.getByRole('radio', { name: 'Both' }).count()).toBe(0);
    expect(await dialog.getByRole('radio', { name: 'Remote only' }).count()).toBe(0);
    await dialog.getByRole('radio', { name: 'Remove from library' }).check();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => videos.tile(job.prompt).count()).toBe(0);
  });

  it('keeps the selected card in view when the details open beside the grid', async () => {
    await open();
    for (let n = 1; n <= 14; n += 1) await made('seedance', `Scene number ${n} of a long library`);
    await page.reload();
    await videos.open();
    const first = stack.core.videos.list({}).find((job) => job.prompt === 'Scene number 1 of a long library');
    // By its id: the list's accessible name is translated.
    const last = page.locator(`li[data-job-id="${first?.id}"]`);
    await last.scrollIntoViewIfNeeded();
    await last.getByRole('button').first().click();
    await videos.details.waitFor();
    const inView = () =>
      last.evaluate((element) => {
        const box = element.getBoundingClientRect();
        return Math.ceil(box.top) >= 0 && Math.floor(box.bottom) <= window.innerHeight;
      });
    await expect.poll(inView).toBe(true);
    // The window as scrolled (the shared helper scrolls to the top first).
    for (const language of ['en', ...otherLanguages] as const) {
      stack.core.language.set(language);
      await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe(language);
      expect(await inView()).toBe(true);
      await page.screenshot({ path: join(screenshotDir, `videos-selected-in-view-${language}.png`) });
    }
  });

  it('in the browser: Save as downloads the file, Show in folder is not offered', async () => {
    await open();
    const job = await made('seedance', 'Waves on a pebble beach');
    await page.reload();
    await videos.open();
    await videos.tile(job.prompt).getByRole('button').first().click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      videos.details.getByRole('link', { name: 'Save as…' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('seedance - Waves on a pebble beach.mp4');
    const saved = await download.path();
    const original = stack.core.videos.localPath(stack.core.videos.get(job.id)) ?? '';
    expect((await stat(saved)).size).toBe((await stat(original)).size);
    expect(await videos.details.getByRole('button', { name: 'Show in folder' }).count()).toBe(0);
  });

  it('with the desktop shell: Save as copies through the save dialog, Show in folder, Reuse prompt', async () => {
    await open({ shell: true });
    const folder = await mkdtemp(join(tmpdir(), 'hubdesk-save-'));
    try {
      const job = await made('kling', 'A paper lantern drifting on a river', { mode: 'pro', duration: '10' });
      await page.reload();
      await videos.open();
      await videos.tile(job.prompt).getByRole('button').first().click();
      await inEveryLanguage('videos-file-actions', async (language) => {
        const text = strings(language).manage;
        for (const name of [text.saveAs, text.showInFolder, text.reusePrompt])
          await detailsPanel().getByRole('button', { name, exact: true }).waitFor();
      });

      saveTarget = join(folder, 'lantern.mp4');
      await videos.details.getByRole('button', { name: 'Save as…' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain(saveTarget);
      const original = stack.core.videos.localPath(stack.core.videos.get(job.id)) ?? '';
      expect(await readFile(saveTarget)).toEqual(await readFile(original));

      await videos.details.getByRole('button', { name: 'Show in folder' }).click();
      await expect.poll(() => shown).toEqual([original]);

      await videos.details.getByRole('button', { name: 'Reuse prompt' }).click();
      const dialog = page.getByRole('dialog');
      await expect.poll(() => dialog.getByLabel('Vendor', { exact: true }).inputValue()).toBe('kling');
      expect(await dialog.getByLabel('Prompt', { exact: true }).inputValue()).toBe(job.prompt);
      await screenshot(page, 'videos-reuse-prompt', { fullPage: false });
      await dialog.getByRole('button', { name: 'Create', exact: true }).click();
      await expect.poll(() => videos.tile(job.prompt).count()).toBe(2);
      const copies = stack.core.videos.list({}).filter((candidate) => candidate.prompt === job.prompt);
      const reused = copies.find((candidate) => candidate.id !== job.id);
      expect(reused?.model).toBe(job.model);
      expect(reused?.params).toMatchObject({ mode: 'pro', duration: '10' });
    } finally {
      saveTarget = null;
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('Refusals made in main, worded in the window’s language (issue 18)', { timeout: 90_000 }, () => {
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const errors = (language: Language) => resources[language].errors as typeof english.errors;
  const filled = (template: string, values: Record<string, string>) =>
    template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? '');

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail' && page)
      await screenshot(page, `failed-videos-refusals-${test.task.name.slice(0, 30)}`);
    expect(pageErrors).toEqual([]);
    await context?.close();
    await stack?.close();
  });

  it('in Vietnamese: an undo that would overwrite a newer file, and in Chinese: a trash that cannot be written', async () => {
    stack = await startStack({ keytar: memoryKeytar(), speed: 20 });
    await stack.core.settings.setToken(stack.core.settings.activeProfile().id, stack.proxy.token, 'session');
    const model = stack.core.videos.vendors().find((spec) => spec.vendor === 'seedance')?.models[0]?.id ?? '';
    const make = async (prompt: string) =>
      stack.core.videos.settled(
        (await stack.core.videos.create({ vendor: 'seedance', model, prompt, options: {} })).id,
      );
    const job = await make('Lanterns floating over a night market');
    const other = await make('A tram crossing a bridge in the fog');
    context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    page = await context.newPage();
    pageErrors.length = 0;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(stack.transport.pageUrl);
    const videos = new VideosPage(page);
    await videos.open();

    // The local file goes to the trash; a newer download lands where it was before Undo is pressed.
    await videos.tile(job.prompt).getByRole('button').first().click();
    await videos.details.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('radio', { name: 'Local file only' }).check();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const file = job.localFile ?? '';
    await writeFile(join(stack.core.paths.libraryDir, file), 'a newer download');
    stack.core.language.set('vi');
    await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe('vi');
    const toast = page.locator('.video-toast');
    // The toast that was on screen in English follows the switch.
    await expect.poll(() => toast.textContent()).toContain(strings('vi').toast.localDeleted);
    await toast.getByRole('button', { name: strings('vi').toast.undo, exact: true }).click();
    const refusal = filled(errors('vi').reasons.videoFileExistsAgain, { path: file });
    await expect
      .poll(() => toast.textContent())
      .toContain(filled(strings('vi').toast.undoFailed, { message: refusal }));
    expect(await toast.textContent()).not.toContain('exists again');
    await screenshot(page, 'videos-refused-undo-vi', { fullPage: false });
    await toast.getByRole('button', { name: strings('vi').toast.dismiss }).click();

    // A file where the trash folder belongs: nothing is deleted, and the dialog says why in Chinese.
    stack.core.language.set('zh-CN');
    await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    const trash = join(stack.core.paths.libraryDir, '.trash');
    await rm(trash, { recursive: true, force: true });
    await writeFile(trash, 'not a folder');
    await page.locator(`li[data-job-id="${other.id}"]`).getByRole('button').first().click();
    const manage = strings('zh-CN');
    await page
      .locator('section.video-detail')
      .getByRole('button', { name: manage.detail.delete, exact: true })
      .click();
    await dialog.getByRole('radio', { name: manage.delete.scopes.local }).check();
    await dialog.getByRole('button', { name: manage.delete.delete, exact: true }).click();
    const note = dialog.locator('.error-message');
    await expect.poll(() => note.textContent()).toMatch(/^无法把文件移到回收站（.+），未删除任何内容。/);
    expect(await note.textContent()).not.toMatch(/trash|ENOTDIR|EEXIST/);
    // A disk problem here, not the proxy's: the advice says to check the disk and the folder.
    await dialog
      .getByText((resources['zh-CN'].common as typeof english.common).errors.advice.file, { exact: true })
      .waitFor();
    expect(stack.core.videos.get(other.id).localFile).toBe(other.localFile);
    await screenshot(page, 'videos-refused-trash-zh-CN', { fullPage: false });
  });
});
