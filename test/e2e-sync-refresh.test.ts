/**
 * The window follows a sync (issue 19): two stacks with two data folders play two computers over a folder. A's
 * windows are open on a conversation with a draft in the composer, on Videos and on a transcript; B adds a reply,
 * corrects a transcript line, adds videos and syncs; A's sync runs, and the open thread shows the reply, the
 * transcript the line and Videos the new cards, without a reload, the draft and the view kept.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './e2e/browser';
import { ChatPage } from './e2e/pages/chat.page';
import { TranscribePage } from './e2e/pages/transcribe.page';
import { VideosPage } from './e2e/pages/videos.page';
import { addTimedTranscript, addVideoWith } from './support/library-items';
import { memoryKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';

const PASSPHRASE = 'gulls over the breakwater at noon';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the window after a sync applied another computer’s changes', { timeout: 120_000 }, () => {
  let root: string;
  const stacks: Stack[] = [];
  let context: BrowserContext | undefined;
  const pageErrors: string[] = [];

  afterEach(async () => {
    await context?.close();
    context = undefined;
    for (const stack of stacks.splice(0)) await stack.close();
    await rm(root, { recursive: true, force: true });
    expect(pageErrors).toEqual([]);
    pageErrors.length = 0;
  });

  async function computer(folder: string): Promise<Stack> {
    const stack = await startStack({ keytar: memoryKeytar() });
    stacks.push(stack);
    await stack.core.settings.setToken(stack.core.settings.activeProfile().id, stack.proxy.token, 'session');
    await stack.core.sync.setup({ kind: 'folder', path: folder }, '', PASSPHRASE);
    return stack;
  }

  async function say(stack: Stack, conversationId: string, text: string): Promise<void> {
    const started = await stack.core.chat.send({ conversationId, text });
    await stack.core.chat.whenDone(started.streamId);
  }

  it('shows B’s new reply in A’s open thread and B’s new video in A’s Videos, the draft and the view kept', async () => {
    root = await mkdtemp(join(tmpdir(), 'hubdesk-e2e-sync-refresh-'));
    const folder = join(root, 'library');
    await mkdir(folder);
    const a = await computer(folder);
    const b = await computer(folder);

    const conversation = a.core.chat.createConversation({ model: 'gpt-4o' });
    await say(a, conversation.id, 'When was the north jetty lamp last relit?');
    const transcript = addTimedTranscript(
      a.core,
      'keeper-log.wav',
      ['The lamp was relit at dusk.', 'Wind from the north.'],
      Date.now(),
    );
    await a.core.sync.now();
    await b.core.sync.now();
    expect(b.core.chat.open(conversation.id).messages).toHaveLength(2);

    context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    const chatWindow = await context.newPage();
    chatWindow.on('pageerror', (error) => pageErrors.push(error.message));
    await chatWindow.goto(a.transport.pageUrl);
    const chat = new ChatPage(chatWindow);
    await chat.open();
    await chat.messages('user').filter({ hasText: 'north jetty lamp' }).waitFor();
    await chat.composer.fill('A draft about the fog bell, not sent');

    const videosWindow = await context.newPage();
    videosWindow.on('pageerror', (error) => pageErrors.push(error.message));
    await videosWindow.goto(a.transport.pageUrl);
    const videos = new VideosPage(videosWindow);
    await videos.open();
    expect(await videos.tile('Gulls circling the lighthouse').count()).toBe(0);

    // A third window reads the transcript (the one it had open last time).
    const transcribeWindow = await context.newPage();
    transcribeWindow.on('pageerror', (error) => pageErrors.push(error.message));
    await transcribeWindow.goto(a.transport.pageUrl);
    await transcribeWindow.evaluate((id) => localStorage.setItem('hubdesk.transcribe.open', id), transcript);
    const transcribe = new TranscribePage(transcribeWindow);
    await transcribe.open();
    await transcribe.transcript.getByText('Wind from the north.').waitFor();

    // B, offline from A: a reply in the same conversation, a corrected transcript line and a finished video, then B
    // syncs.
    await say(b, conversation.id, 'And who keeps the fog bell log now?');
    await b.core.transcription.updateSegment(transcript, 1, 'Wind from the north-east, force six.');
    addVideoWith(b.core, {
      vendor: 'sora',
      model: 'sora-2',
      prompt: 'Gulls circling the lighthouse at dusk',
      status: 'succeeded',
      progress: 100,
      createdAt: Date.now(),
    });
    // And one the vendor is still making, which B sent: A leaves asking the vendor to B.
    const running = addVideoWith(b.core, {
      vendor: 'sora',
      model: 'sora-2',
      prompt: 'Waves over the breakwater, being made',
      status: 'running',
      progress: 30,
      createdAt: Date.now(),
    });
    b.core.db.prepare("UPDATE video_jobs SET remote_id = 'video_from_b' WHERE id = ?").run(running);
    const sent = await b.core.sync.now();
    expect(sent.uploaded).toBeGreaterThan(0);

    // Nothing has reached A yet: the window shows what it showed.
    expect(await chat.messages('user').filter({ hasText: 'fog bell log' }).count()).toBe(0);

    const applied = await a.core.sync.now();
    expect(applied.rows).toBeGreaterThan(0);

    await chat.messages('user').filter({ hasText: 'fog bell log' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => chat.messages().count()).toBe(4);
    const lastReply = chat.lastAssistant();
    await expect.poll(() => lastReply.getAttribute('data-status')).toBe('complete');
    expect(await chat.composer.inputValue()).toBe('A draft about the fog bell, not sent');
    // The same list, not one read again from the start: the first message is the same element.
    expect(await chat.messages().first().textContent()).toContain('north jetty lamp');
    await screenshot(chatWindow, 'sync-refresh-thread-en', { fullPage: false });

    await transcribe.transcript
      .getByText('Wind from the north-east, force six.')
      .waitFor({ timeout: 15_000 });
    await screenshot(transcribeWindow, 'sync-refresh-transcript-en', { fullPage: false });

    await videos.tile('Gulls circling the lighthouse').waitFor({ timeout: 15_000 });
    await expect
      .poll(() => videos.tile('Waves over the breakwater').textContent())
      .toContain('On another computer');
    expect(a.core.videos.get(running)).toMatchObject({ status: 'running', madeElsewhere: true });
    await screenshot(videosWindow, 'sync-refresh-videos-en', { fullPage: false });

    // A long thread, read from its start in A's window: B's next reply arrives without moving A's view.
    for (let turn = 1; turn <= 8; turn += 1)
      await say(b, conversation.id, `Lamp round ${turn}: wicks trimmed?`);
    await b.core.sync.now();
    await a.core.sync.now();
    await expect.poll(() => a.core.chat.open(conversation.id).messages.length).toBe(20);
    await chat.messages('user').filter({ hasText: 'Lamp round 8' }).waitFor({ timeout: 15_000 });
    const scroller = chatWindow.locator('.message-scroller');
    await scroller.evaluate((element) => element.scrollTo({ top: 0 }));
    await chat.messages('user').filter({ hasText: 'north jetty lamp' }).waitFor();
    const heightBefore = await scroller.evaluate((element) => element.scrollHeight);
    await say(b, conversation.id, 'Last round: is the lens polished?');
    await b.core.sync.now();
    await a.core.sync.now();
    // The list grew below the view (the new rows are held, not shown), and the view stayed at the start.
    await expect
      .poll(() => scroller.evaluate((element) => element.scrollHeight), { timeout: 15_000 })
      .toBeGreaterThan(heightBefore);
    expect(await scroller.evaluate((element) => element.scrollTop)).toBeLessThan(40);
    await expect(chat.messages('user').filter({ hasText: 'north jetty lamp' }).isVisible()).resolves.toBe(
      true,
    );
    expect(await chat.composer.inputValue()).toBe('A draft about the fog bell, not sent');
    await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    await chat.messages('user').filter({ hasText: 'lens polished' }).waitFor({ timeout: 15_000 });
    await screenshot(chatWindow, 'sync-refresh-thread-end-en', { fullPage: false });

    // B deletes the video for good: the card leaves A's library after A's next sync.
    const videoId = (
      b.core.db.prepare('SELECT id FROM video_jobs WHERE prompt LIKE ?').get('Gulls%') as { id: string }
    ).id;
    b.core.db.prepare('DELETE FROM video_jobs WHERE id = ?').run(videoId);
    await b.core.sync.now();
    await a.core.sync.now();
    await expect
      .poll(() => videos.tile('Gulls circling the lighthouse').count(), { timeout: 15_000 })
      .toBe(0);
  });
});
