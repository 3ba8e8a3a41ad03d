/**
 * Media on demand in Chromium: computer A has a video with its thumbnail; computer B, set to download media when
 * opened, shows the video with its picture and "on your other computer", and plays it after Download now.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MessagesRepo } from '../src/main/store/messages-repo';
import { english } from '../src/shared/locales';
import { seriousViolations } from './e2e/axe';
import { launchBrowser, screenshot } from './e2e/browser';
import { VideosPage } from './e2e/pages/videos.page';
import { newMessage } from './support/builders';
import { memoryKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';

const PASSPHRASE = 'lantern by the north jetty';
const fixtures = join(import.meta.dirname, 'fixtures');

let browser: Browser;
const stacks: Stack[] = [];
let root: string;
beforeAll(async () => {
  browser = await launchBrowser();
  root = await mkdtemp(join(tmpdir(), 'hubdesk-e2e-sync-media-'));
});
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((stack) => stack.close()));
});
afterAll(async () => {
  await browser?.close();
  await rm(root, { recursive: true, force: true });
});

async function stack(): Promise<Stack> {
  const made = await startStack({ keytar: memoryKeytar(), systemLanguages: ['en'], syncInBackground: false });
  stacks.push(made);
  return made;
}

describe('media from another computer, on demand, in the window', { timeout: 120_000 }, () => {
  it('shows a synced video as on the other computer, with its thumbnail, and plays it after Download now', async () => {
    const folder = join(root, 'storage');
    await mkdir(folder);
    const target = { kind: 'folder' as const, path: folder };

    const a = await stack();
    const library = a.core.paths.libraryDir;
    await mkdir(join(library, 'videos'), { recursive: true });
    await copyFile(join(fixtures, 'video.mp4'), join(library, 'videos', 'v1.mp4'));
    await copyFile(join(fixtures, 'thumbnail.jpg'), join(library, 'videos', 'v1.thumb.jpg'));
    const video = await readFile(join(library, 'videos', 'v1.mp4'));
    a.core.db
      .prepare(
        `INSERT INTO video_jobs (id, vendor, remote_id, model, prompt, status, download, local_file, file_size,
                                 thumbnail, created_at, updated_at, completed_at)
         VALUES ('v1', 'sora', 'r1', 'sora-2', 'a lighthouse keeper at dawn', 'succeeded', 'done', 'videos/v1.mp4', ?,
                 'videos/v1.thumb.jpg', 1, 1, 1)`,
      )
      .run(video.length);
    await a.core.sync.setup(target, '', PASSPHRASE);
    expect((await a.core.sync.now()).problems).toEqual([]);

    const b = await stack();
    await b.core.sync.setup(target, '', PASSPHRASE);
    b.core.sync.setMediaMode('on-demand');
    expect((await b.core.sync.now()).problems).toEqual([]);
    expect(b.core.videos.get('v1')).toMatchObject({ localFile: null, thumbnail: 'videos/v1.thumb.jpg' });

    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(b.transport.pageUrl);
    const videos = new VideosPage(page);
    await videos.open();
    await videos.tile('a lighthouse keeper at dawn').getByRole('button').first().click();
    const strings = english.sync.elsewhere;
    const note = videos.details
      .getByRole('status')
      .filter({ hasText: strings.note.split('(')[0]?.trim() ?? '' });
    await note.waitFor();
    // The thumbnail came with the sync: the stage shows the picture, not a placeholder.
    expect(await videos.details.locator('img.video-poster').count()).toBe(1);
    expect(await videos.details.locator('video.video-player').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'sync-media-video-elsewhere-en', { element: videos.details });

    await note.getByRole('button', { name: strings.fetch, exact: true }).click();
    await videos.details.locator('video.video-player').waitFor({ timeout: 30_000 });
    expect(await note.count()).toBe(0);
    expect(await readFile(join(b.core.paths.libraryDir, 'videos', 'v1.mp4'))).toEqual(video);
    await screenshot(page, 'sync-media-video-fetched-en', { element: videos.details });
    expect(await page.evaluate('window.hubdeskMissingKeys()')).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('a chat image whose file failed its check says it is not here, instead of a broken picture', async () => {
    const folder = join(root, 'storage-images');
    await mkdir(folder);
    const target = { kind: 'folder' as const, path: folder };
    const a = await stack();
    const library = a.core.paths.libraryDir;
    await mkdir(join(library, 'attachments'), { recursive: true });
    await copyFile(join(fixtures, 'thumbnail.png'), join(library, 'attachments', 'i1.png'));
    const conversation = a.core.chat.createConversation({});
    a.core.chat.updateConversation(conversation.id, { title: 'The keeper’s logbook' });
    new MessagesRepo(a.core.db).insert(
      newMessage({
        conversationId: conversation.id,
        text: 'What does this page of the logbook say?',
        images: [{ path: 'attachments/i1.png', mimeType: 'image/png', name: 'logbook.png' }],
      }),
    );
    await a.core.sync.setup(target, '', PASSPHRASE);
    await a.core.sync.now();
    for (const key of await readdir(join(folder, 'm'))) {
      const sealed = await readFile(join(folder, 'm', key));
      sealed[1000] = (sealed[1000] ?? 0) ^ 1;
      await writeFile(join(folder, 'm', key), sealed);
    }

    const b = await stack();
    await b.core.sync.setup(target, '', PASSPHRASE);
    expect((await b.core.sync.now()).problems).toMatchObject([{ code: 'media' }]);
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(b.transport.pageUrl);
    await page.getByRole('navigation').first().getByRole('button', { name: 'Chat', exact: true }).click();
    await page.getByRole('navigation', { name: 'Conversations' }).getByText('The keeper’s logbook').click();
    const missing = page.locator('.message-image-missing');
    await missing.waitFor();
    expect(await missing.textContent()).toBe(english.sync.elsewhere.image.replace('{{name}}', 'logbook.png'));
    expect(await page.locator('img.message-image').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'sync-media-chat-image-missing-en', { element: page.locator('.message-images') });
    await context.close();
  });
});
