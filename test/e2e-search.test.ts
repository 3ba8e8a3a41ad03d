import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../src/main/core';
import { ConversationsRepo } from '../src/main/store/conversations-repo';
import { MessagesRepo } from '../src/main/store/messages-repo';
import { english } from '../src/shared/locales';
import { screenshot, screenshotDir } from './e2e/browser';
import { ChatPage } from './e2e/pages/chat.page';
import { SearchPage } from './e2e/pages/search.page';
import { browserPerFile, windowPerTest } from './e2e/window-per-test';
import { newMessage } from './support/builders';
import type { Stack } from './support/stack';
import { speechFile, waitForJob } from './support/transcription-media';

const browser = browserPerFile();

/** A finished conversation written straight to the store: one question and one answer. */
function seedConversation(core: Core, title: string, question: string, answer: string): string[] {
  const conversation = core.chat.createConversation({ model: 'gpt-4.1' });
  const messages = new MessagesRepo(core.db);
  const conversations = new ConversationsRepo(core.db);
  const ids: string[] = [];
  core.db.transaction(() => {
    let parentId: string | null = null;
    for (const [index, text] of [question, answer].entries()) {
      const message = messages.insert(
        newMessage({
          id: `${conversation.id}-m${index}`,
          conversationId: conversation.id,
          parentId,
          role: index === 0 ? 'user' : 'assistant',
          text,
          model: index === 0 ? null : 'gpt-4.1',
          createdAt: Date.now() - 60_000 + index,
        }),
      );
      ids.push(message.id);
      parentId = message.id;
    }
    conversations.setActiveLeaf(conversation.id, parentId);
    conversations.update(conversation.id, { title });
  })();
  return ids;
}

describe('Search everything in the browser, against the real services and the fake proxy', () => {
  let folder: string;
  const app = windowPerTest(browser, {
    failedName: 'failed-search',
    goto: false,
    prepare: async () => {
      folder = await mkdtemp(join(tmpdir(), 'hubdesk-e2e-search-'));
    },
    cleanup: () => rm(folder, { recursive: true, force: true }),
  });
  let stack: Stack;
  let page: Page;
  let search: SearchPage;
  let chat: ChatPage;

  beforeEach(() => {
    ({ stack, page } = app);
    search = new SearchPage(page);
    chat = new ChatPage(page);
  });

  it('finds a word that is only in a tool result, says which tool, and opens the message', async () => {
    const core = stack.core;
    const [, answerId] = seedConversation(core, 'Pasta night', 'How do I fold tortellini?', 'Here is how.');
    const messages = new MessagesRepo(core.db);
    const answer = messages.get(answerId ?? '');
    if (!answer) throw new Error('the seeded answer is missing');
    messages.finish(answer.id, {
      ...answer,
      toolCalls: [
        {
          id: 'call_1',
          name: 'recipes__find_recipe',
          arguments: '{"dish":"tortellini"}',
          server: 'recipes',
          tool: 'find_recipe',
          status: 'done',
          result: {
            content: [{ type: 'text', text: 'Fold each square around ricotta and nutmeg, then boil.' }],
            isError: false,
          },
        },
      ],
    });

    await page.goto(stack.transport.pageUrl);
    await chat.open();
    await search.open();
    await search.search('nutmeg');
    const hit = search.options('message').first();
    await expect.poll(() => hit.textContent(), { timeout: 10_000 }).toContain('Tool find_recipe:');
    expect(await hit.locator('mark').textContent()).toBe('nutmeg');
    expect(await search.options().count()).toBe(1);
    // Nothing is indexed yet (the indexer has not run): the note says how indexing starts and where to follow it.
    await expect
      .poll(() => search.palette.getByText(english.search.notIndexedHow, { exact: true }).count())
      .toBe(1);
    await screenshot(page, 'search-tool-hit');
    await search.input.press('Enter');
    await search.palette.waitFor({ state: 'hidden' });
    await expect.poll(() => page.locator('.chat-header h2').textContent()).toBe('Pasta night');
    await expect
      .poll(() => page.locator(`article.is-highlighted[data-message-id="${answerId}"]`).count())
      .toBe(1);
  });

  it('finds a chat, a transcript and a video by meaning, jumps to each, shows related chats, works offline', async () => {
    const core = stack.core;
    const [keepingQuestion] = seedConversation(
      core,
      'Lighthouse keeping',
      'How do I keep the lighthouse lamp burning through a storm?',
      'Trim the wick, keep spare oil by the lamp and close the storm shutters early.',
    );
    seedConversation(
      core,
      'Harbor history',
      'Who kept the lighthouse lamp of the old harbor burning?',
      'A keeper lived at the harbor and trimmed the lantern every evening.',
    );
    seedConversation(
      core,
      'Sourdough',
      'How long should bread dough rise?',
      'About four hours at room heat.',
    );
    const audio = await speechFile(folder, 'lighthouse-storm.wav');
    const [added] = await core.transcription.add([audio], { model: 'whisper-1', keepCopy: true });
    const job = await waitForJob(core, added?.id ?? '');
    expect(job.state).toBe('done');
    const video = await core.videos.create({
      vendor: 'sora',
      model: 'sora-2',
      prompt: 'A lighthouse in a storm at night, waves breaking on the rocks',
      options: {},
    });

    core.search.start();
    await expect
      .poll(
        () => {
          const status = core.search.status();
          return (
            status.kinds.segment.total > 0 && status.kinds.video.total > 0 && status.indexed === status.total
          );
        },
        { timeout: 20_000 },
      )
      .toBe(true);

    await page.goto(stack.transport.pageUrl);
    await chat.open();

    // Ctrl+K anywhere; "beacon" is in none of the items, so only meaning can find them (every word must match).
    await search.open();
    await search.search('lighthouse storm beacon');
    await expect
      .poll(async () => new Set(await search.kindsShown()), { timeout: 10_000 })
      .toEqual(new Set(['message', 'segment', 'video']));
    for (const kind of ['message', 'segment', 'video'] as const) {
      expect(await search.options(kind).first().textContent()).toMatch(/meaning/);
    }
    expect(await search.note().count()).toBe(0);
    expect(await search.options('segment').first().textContent()).toContain('lighthouse-storm.wav');
    expect(await search.options('video').first().textContent()).toContain('A lighthouse in a storm');
    await screenshot(page, 'search-palette');

    // Arrows move the selection (wrapping); a filter narrows to one kind; Enter opens the selected hit.
    expect(await search.options().first().getAttribute('aria-selected')).toBe('true');
    await search.input.press('ArrowDown');
    expect(await search.options().nth(1).getAttribute('aria-selected')).toBe('true');
    await search.input.press('ArrowUp');
    await search.input.press('ArrowUp');
    expect(await search.options().last().getAttribute('aria-selected')).toBe('true');
    await search.filter('Chats');
    await expect.poll(async () => new Set(await search.kindsShown())).toEqual(new Set(['message']));
    await expect.poll(() => search.options().first().getAttribute('aria-selected')).toBe('true');
    const chosenTitle = (await search.options().first().locator('.palette-hit-title').textContent()) ?? '';
    expect(chosenTitle).toMatch(/Lighthouse keeping|Harbor history/);
    await search.input.press('Enter');
    await search.palette.waitFor({ state: 'hidden' });
    await expect.poll(() => page.locator('.chat-header h2').textContent()).toBe(chosenTitle);
    await expect.poll(() => page.locator('article.is-highlighted').count()).toBe(1);

    // A transcript segment opens its transcript, the segment shown.
    await search.open();
    await search.filter('All');
    await search.options('segment').first().click();
    const transcript = page.getByRole('region', { name: 'Transcript' });
    await expect
      .poll(() => transcript.getByRole('heading').first().textContent())
      .toBe('lighthouse-storm.wav');
    await expect.poll(() => transcript.locator('.tx-segment.is-search-target').count()).toBe(1);

    // A video opens its details.
    await search.open();
    await search.options('video').first().click();
    const details = page.getByRole('region', { name: 'Video details' });
    await expect.poll(() => details.textContent()).toContain(video.prompt);

    // "Related" on a message: the other lighthouse conversation, one click away.
    await chat.open();
    await page
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('button', { name: /Lighthouse keeping/ })
      .click();
    const question = page.locator(`article[data-message-id="${keepingQuestion}"]`);
    await question.hover();
    await question.getByRole('button', { name: 'Related' }).click();
    const related = question.getByRole('region', { name: 'Related conversations' });
    const harbor = related.getByRole('button', { name: /Harbor history/ });
    await harbor.waitFor();
    expect(await related.getByRole('button', { name: /Lighthouse keeping/ }).count()).toBe(0);
    await screenshot(page, 'search-related');
    await harbor.click();
    await expect.poll(() => page.locator('.chat-header h2').textContent()).toBe('Harbor history');
    await expect.poll(() => page.locator('article.is-highlighted').count()).toBe(1);

    // The Index card: every kind indexed, live progress, pause and resume.
    await search.openSettingsIndex();
    for (const label of ['Chat messages', 'Transcript passages', 'Video prompts'] as const) {
      const bar = search.progress(label);
      expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
      expect(await bar.getAttribute('aria-valuenow')).toBe(await bar.getAttribute('aria-valuemax'));
    }
    expect(await search.indexCard.textContent()).toContain('text-embedding-3-small');
    await search.indexCard.scrollIntoViewIfNeeded();
    await search.indexCard.screenshot({ path: join(screenshotDir, 'search-index.png') });
    await search.indexCard.getByRole('button', { name: 'Pause indexing' }).click();
    await search.indexCard.getByRole('button', { name: 'Resume indexing' }).waitFor();
    expect(core.search.status().paused).toBe(true);
    await search.indexCard.getByRole('button', { name: 'Resume indexing' }).click();
    await search.indexCard.getByRole('button', { name: 'Pause indexing' }).waitFor();

    // New dimensions ask first, then rebuild: the bars follow the indexer live back to full.
    await search.indexCard.getByLabel('Dimensions').fill('256');
    await search.indexCard.getByRole('button', { name: 'Apply…' }).click();
    await search.indexCard.getByRole('alert').filter({ hasText: 'Rebuild the index' }).waitFor();
    expect(core.search.status().dimensions).toBeNull();
    await search.indexCard.getByRole('button', { name: 'Rebuild with these settings' }).click();
    await expect.poll(() => core.search.status().dimensions).toBe(256);
    await expect.poll(() => search.indexCard.textContent()).toMatch(/Dimensions256/);
    await expect.poll(() => search.indexCard.textContent(), { timeout: 15_000 }).toContain('9 of 9 items');
    expect(core.search.status()).toMatchObject({ dimensions: 256, indexed: 9, total: 9 });

    // Offline: words still find things, and the palette says meaning needs the network.
    stack.proxy.addFault({ fault: { type: 'reset' }, times: Number.POSITIVE_INFINITY });
    await search.open();
    await search.search('harbor lantern');
    await expect.poll(() => search.note().textContent(), { timeout: 15_000 }).toMatch(/network/i);
    await expect.poll(() => search.options('message').count()).toBeGreaterThan(0);
    expect(await search.options().first().textContent()).toContain('Harbor history');
    expect(await search.options().first().textContent()).toMatch(/words/);
    expect(await search.options().first().locator('mark').first().textContent()).toMatch(/harbor|lantern/i);
    await screenshot(page, 'search-palette-offline');
    await search.input.press('Escape');
    await search.palette.waitFor({ state: 'hidden' });
  }, 60_000);
});
