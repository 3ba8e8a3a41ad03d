import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConversationsRepo } from '../src/main/store/conversations-repo';
import { MessagesRepo } from '../src/main/store/messages-repo';
import { screenshot } from './e2e/browser';
import { ChatPage } from './e2e/pages/chat.page';
import { browserPerFile, windowPerTest } from './e2e/window-per-test';
import { newMessage } from './support/builders';
import type { Stack } from './support/stack';

const COUNT = 3000;
/** The one message that mentions Zanzibar, far up the conversation. */
const OLD_HIT = 120;
/** An answer near it with a second version. */
const BRANCHED = 125;

const browser = browserPerFile();

describe('A long conversation in the browser, against the real services', () => {
  const app = windowPerTest(browser, { failedName: 'failed-history', goto: false });
  let stack: Stack;
  let page: Page;
  let chat: ChatPage;

  beforeEach(() => {
    ({ stack, page } = app);
    chat = new ChatPage(page);
  });

  /** `COUNT` messages in one line written straight to the SQLite file, as years of use would leave them. */
  function seedLongConversation(): string {
    const core = stack.core;
    const conversation = core.chat.createConversation({ model: 'gpt-4.1' });
    const messages = new MessagesRepo(core.db);
    const conversations = new ConversationsRepo(core.db);
    core.db.transaction(() => {
      let parentId: string | null = null;
      for (let index = 0; index < COUNT; index++) {
        const id = `m${index}`;
        const topic = index === OLD_HIT ? 'the spice markets of Zanzibar' : 'the tides of the northern sea';
        messages.insert(
          newMessage({
            id,
            conversationId: conversation.id,
            parentId,
            role: index % 2 === 0 ? 'user' : 'assistant',
            text: `Message number ${index}, about ${topic}.`,
            model: index % 2 === 0 ? null : 'gpt-4.1',
            createdAt: Date.now() - 10_000_000 + index,
          }),
        );
        parentId = id;
      }
      // An older answer regenerated once, left on the branch not shown.
      messages.insert(
        newMessage({
          id: `m${BRANCHED}b`,
          conversationId: conversation.id,
          parentId: `m${BRANCHED - 1}`,
          role: 'assistant',
          text: 'The other answer, on its own branch.',
          model: 'gpt-4.1',
          createdAt: Date.now() - 5_000_000,
        }),
      );
      conversations.setActiveLeaf(conversation.id, parentId);
      conversations.update(conversation.id, { title: 'Long history' });
    })();
    return conversation.id;
  }

  const article = (index: number) => page.locator(`article[data-message-id="m${index}"]`);
  /** Where a message's top edge is in the window, or null when it is not in the DOM. */
  const topOf = async (index: number) => (await article(index).boundingBox())?.y ?? null;

  it('opens at the newest message, loads older pages as you scroll up keeping your place, jumps to an old hit', async () => {
    seedLongConversation();
    await page.goto(stack.transport.pageUrl);
    await chat.open();
    await page
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('button', { name: /Long history/ })
      .click();

    await article(COUNT - 1).waitFor();
    expect(await chat.messages().count()).toBeLessThan(60);
    await screenshot(page, 'history-opened');

    // Scrolled to the top of the newest page: the page before is put above it, and the view stays put.
    const scroller = page.locator('.message-scroller');
    let oldest = COUNT - 50;
    for (let page_ = 0; page_ < 3; page_++) {
      await scroller.evaluate((element) => {
        element.scrollTop = 0;
      });
      await article(oldest).waitFor();
      const before = await topOf(oldest);
      await article(oldest - 1).waitFor({ state: 'attached' });
      await page.waitForTimeout(300);
      const after = await topOf(oldest);
      expect(before).not.toBeNull();
      expect(after).not.toBeNull();
      expect(Math.abs((after ?? 0) - (before ?? 0))).toBeLessThan(40);
      oldest -= 50;
    }
    const scrollTop = await scroller.evaluate((element) => element.scrollTop);
    expect(scrollTop).toBeGreaterThan(0);
    await screenshot(page, 'history-older-pages');

    // A search hit 2,880 messages up: its page is loaded and it is shown, flashed.
    await chat.search.fill('Zanzibar');
    const hit = page.getByRole('button', { name: /Zanzibar/ }).first();
    await hit.waitFor();
    await hit.click();
    await article(OLD_HIT).waitFor();
    await expect.poll(() => page.locator('article.is-highlighted').count()).toBe(1);
    expect(await page.locator('article.is-highlighted').getAttribute('data-message-id')).toBe(`m${OLD_HIT}`);
    const box = await article(OLD_HIT).boundingBox();
    expect(box && box.y > 0 && box.y < 820).toBe(true);
    await screenshot(page, 'history-old-hit');

    // From there, scrolling down reads on towards the newest message.
    for (let step = 0; step < 200 && (await article(OLD_HIT + 60).count()) === 0; step++) {
      await scroller.evaluate((element) => {
        element.scrollTop = element.scrollHeight;
      });
      await page.waitForTimeout(50);
    }
    await article(OLD_HIT + 60).waitFor({ state: 'attached' });

    // Sending from deep in the past shows the end of the conversation, with the new message and its reply.
    await chat.send('Back to the present');
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    expect(await chat.lastAssistant().textContent()).toContain('Echo: Back to the present');
    await article(COUNT - 1).waitFor({ state: 'attached' });
    expect(await article(OLD_HIT).count()).toBe(0);
    await screenshot(page, 'history-sent-from-the-past');

    // Back at the hit, switching to the other version of an answer near it shows that branch, without flashing
    // the hit again.
    await hit.click();
    await expect.poll(() => page.locator('article.is-highlighted').count()).toBe(1);
    await expect.poll(() => page.locator('article.is-highlighted').count(), { timeout: 5000 }).toBe(0);
    await article(BRANCHED).getByRole('button', { name: 'Next branch' }).click();
    await page.locator(`article[data-message-id="m${BRANCHED}b"]`).waitFor();
    expect(await article(BRANCHED + 1).count()).toBe(0);
    await page.waitForTimeout(300);
    expect(await page.locator('article.is-highlighted').count()).toBe(0);
    await screenshot(page, 'history-other-branch');
  });
  it('a long list of conversations shows its newest first at once and every one of them right after', async () => {
    const total = 300;
    for (let index = 0; index < total; index++) {
      const conversation = stack.core.chat.createConversation({ model: 'gpt-4.1' });
      new ConversationsRepo(stack.core.db, () => 1_700_000_000_000 + index).update(conversation.id, {
        title: `Chat number ${index}`,
      });
    }
    await page.goto(stack.transport.pageUrl);
    const nav = page.getByRole('navigation', { name: 'Conversations' });
    await nav.getByRole('button', { name: /Chat number 299/ }).waitFor();
    await expect.poll(() => nav.getByRole('button').count()).toBe(total);
    await nav.getByRole('button', { name: /Chat number 0\b/ }).scrollIntoViewIfNeeded();
    await nav.getByRole('button', { name: /Chat number 0\b/ }).click();
    await expect.poll(() => page.locator('.chat-title h2').textContent()).toBe('Chat number 0');
  });
});
