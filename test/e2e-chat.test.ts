import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConversationsRepo } from '../src/main/store/conversations-repo';
import { MessagesRepo } from '../src/main/store/messages-repo';
import { screenshot } from './e2e/browser';
import { ChatPage } from './e2e/pages/chat.page';
import { browserPerFile, windowPerTest } from './e2e/window-per-test';
import { newMessage } from './support/builders';
import type { Stack } from './support/stack';

const browser = browserPerFile();

describe('Chat in the browser, against the real services and the fake proxy', () => {
  /** What main handed to the OS browser (app.openLink). */
  const linksOpened: string[] = [];
  const app = windowPerTest(browser, {
    failedName: 'failed',
    stack: () => {
      linksOpened.length = 0;
      return { openExternal: (url) => linksOpened.push(url) };
    },
  });
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  let chat: ChatPage;

  beforeEach(async () => {
    ({ stack, context, page } = app);
    chat = new ChatPage(page);
    await chat.open();
  });

  const chatCalls = () => stack.proxy.requests.filter((r) => r.path.startsWith('/v1/chat/completions'));

  it('sends with Enter, streams the reply into the list, and stops a stream at once', async () => {
    await chat.send('Hello HubDesk');
    await expect.poll(() => chat.messages('user').last().textContent()).toContain('Hello HubDesk');
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    expect(await chat.lastAssistant().textContent()).toContain('Echo: Hello HubDesk');
    await expect
      .poll(() => chat.lastAssistant().getByTestId('message-meta').textContent())
      .toMatch(/finish: complete/);

    stack.proxy.addFault({ match: '/v1/chat/completions', fault: { type: 'trickle', delayMs: 120 } });
    const long = Array.from({ length: 60 }, (_, i) => `part${i}`).join(' ');
    await chat.send(long);
    await chat.waitForStatus(chat.lastAssistant(), 'streaming');
    await expect.poll(() => chat.lastAssistant().textContent()).toContain('Echo: part0 part1');
    await page.getByRole('button', { name: 'Stop' }).click();
    await chat.waitForStatus(chat.lastAssistant(), 'interrupted', 3000);
    const kept = (await chat.lastAssistant().textContent()) ?? '';
    expect(kept).toContain('Echo: part0');
    await page.waitForTimeout(400);
    expect(await chat.lastAssistant().textContent()).toBe(kept);
    const stored = stack.core.chat.open(stack.core.chat.listConversations()[0]!.id).messages.at(-1);
    expect(stored?.status).toBe('interrupted');
  });

  it('says a rate-limited request is retried and in how long, until the reply streams', async () => {
    stack.proxy.addFault({
      match: '/v1/chat/completions',
      fault: { type: 'status', status: 429, retryAfter: '2' },
    });
    await chat.send('Slow down');
    const notice = chat.lastAssistant().getByTestId('retrying');
    await expect
      .poll(async () => (await notice.textContent())?.trim(), { timeout: 5_000 })
      .toBe('Rate limited — retrying in 2 s (1 of 2)');
    expect(await notice.getAttribute('role')).toBe('status');
    // Seen, not only in the DOM (the list stays hidden until it has measured its rows).
    await expect.poll(() => notice.isVisible()).toBe(true);
    await screenshot(page, 'chat-retrying');
    await chat.waitForStatus(chat.lastAssistant(), 'complete', 10_000);
    expect(await chat.lastAssistant().textContent()).toContain('Echo: Slow down');
    expect(await notice.count()).toBe(0);
    expect(chatCalls()).toHaveLength(2);
  });

  it('a reply that cannot be saved ends as failed, says why and still shows the text it got', async () => {
    // Every write to a streaming reply fails, as on a full disk (a trigger on the core's own connection).
    stack.core.db.exec(
      "CREATE TEMP TRIGGER refuse_reply BEFORE UPDATE ON messages WHEN OLD.status = 'streaming' BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END",
    );
    stack.proxy.addFault({ match: '/v1/chat/completions', fault: { type: 'trickle', delayMs: 40 } });
    const long = Array.from({ length: 60 }, (_, i) => `piece${i}`).join(' ');
    await chat.send(long);
    await chat.waitForStatus(chat.lastAssistant(), 'failed', 10_000);
    const reply = chat.lastAssistant();
    expect(await reply.locator('.error-message').textContent()).toMatch(/could not be saved/);
    const shown = (await reply.locator('.message-body').textContent()) ?? '';
    expect(shown).toContain('Echo: piece0');
    expect(await page.getByRole('button', { name: 'Stop' }).count()).toBe(0);
    stack.core.db.exec('DROP TRIGGER refuse_reply');
  });

  it('regenerates a reply and edits a prompt into a new branch, keeping the old one reachable', async () => {
    await chat.send('Original question');
    await chat.waitForStatus(chat.lastAssistant(), 'complete');

    await chat.lastAssistant().getByRole('button', { name: 'Regenerate' }).click();
    await expect.poll(() => chat.lastAssistant().textContent()).toContain('2/2');
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    expect(chatCalls()).toHaveLength(2);

    const userMessage = chat.messages('user').last();
    await userMessage.hover();
    await userMessage.getByRole('button', { name: 'Edit' }).click();
    const editor = userMessage.getByRole('textbox');
    await editor.fill('Edited question');
    await userMessage.getByRole('button', { name: 'Save & send' }).click();
    // The old branch's reply stays on screen, complete, until the new branch shows: wait for the new one.
    await expect.poll(() => chat.lastAssistant().textContent()).toContain('Echo: Edited question');
    await chat.waitForStatus(chat.lastAssistant(), 'complete');

    await chat.messages('user').last().getByRole('button', { name: 'Previous branch' }).click();
    await expect.poll(() => chat.messages('user').last().textContent()).toContain('Original question');
    await expect.poll(() => chat.lastAssistant().textContent()).toContain('Echo: Original question');
  });

  it('finds an old answer with search, offline too, and jumps to it', async () => {
    await chat.send('The capital of Mongolia is Ulaanbaatar');
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    await chat.newChat();
    await chat.send('Something else entirely');
    await chat.waitForStatus(chat.lastAssistant(), 'complete');

    // No network for anyone: the window is offline and the proxy cannot be reached.
    await chat.goOffline();
    stack.proxy.addFault({ fault: { type: 'reset' }, times: Number.POSITIVE_INFINITY });
    await chat.search.fill('Ulaanbaatar');
    const hit = page.getByRole('button', { name: /Ulaanbaatar/ }).first();
    await hit.waitFor();
    expect(await page.locator('mark', { hasText: 'Ulaanbaatar' }).count()).toBeGreaterThan(0);
    await screenshot(page, 'chat-search');
    await hit.click();
    await expect.poll(() => chat.messages('user').first().textContent()).toContain('Mongolia');
    await expect.poll(() => page.locator('article.is-highlighted').count()).toBe(1);
  });

  it('refuses to send while offline, says so once, and keeps the draft', async () => {
    await chat.goOffline();
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: /offline/i })
          .count(),
      )
      .toBe(1);
    await chat.composer.fill('Draft written on a plane');
    await chat.composer.press('Enter');
    await page.waitForTimeout(300);
    expect(chatCalls()).toHaveLength(0);
    expect(await chat.messages().count()).toBe(0);
    expect(await chat.composer.inputValue()).toBe('Draft written on a plane');
    await screenshot(page, 'chat-offline');
    await chat.goOnline();
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: /offline/i })
          .count(),
      )
      .toBe(0);
  });

  it('renders code, a table, math, reasoning and an error readably (screenshots)', async () => {
    await chat.chooseModel('deepseek-reasoner');
    const markdown = [
      'Here is **Markdown**:',
      '',
      '```ts',
      'const answer: number = 42;',
      'console.log(answer);',
      '```',
      '',
      '| Model | Context |',
      '| --- | --- |',
      '| gpt-4.1 | 1M |',
      '| claude | 200k |',
      '',
      'Euler: $e^{i\\pi} + 1 = 0$',
      '',
      '[a link](https://example.com/docs) and <script>alert(1)</script>',
    ].join('\n');
    await chat.composer.fill(markdown);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    const reply = chat.lastAssistant();
    expect(await reply.locator('pre code').count()).toBeGreaterThan(0);
    expect(await reply.locator('table').count()).toBe(1);
    expect(await reply.locator('.katex').count()).toBeGreaterThan(0);
    expect(await reply.locator('script').count()).toBe(0);
    expect(await reply.locator('details summary', { hasText: /^Thought for \d+ s$/ }).count()).toBe(1);
    await screenshot(page, 'chat-markdown-reasoning');

    stack.proxy.addFault({
      match: '/v1/chat/completions',
      fault: { type: 'midstream-error', afterEvents: 3 },
    });
    await chat.send('This reply will break');
    await chat.waitForStatus(chat.lastAssistant(), 'interrupted');
    const broken = (await chat.lastAssistant().textContent()) ?? '';
    expect(broken).toMatch(/partial reply kept/);
    expect(broken).toContain('The server had an error while processing your request');
    await screenshot(page, 'chat-error');
  });

  it('attaches an image, asks before opening a link, and deletes a chat with undo', async () => {
    await chat.chooseModel('gpt-4o');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach files' }).click();
    await (await chooser).setFiles(join(import.meta.dirname, 'fixtures/thumbnail.png'));
    await page.getByRole('button', { name: 'Remove thumbnail.png' }).waitFor();
    await chat.send('Look at [the docs](https://example.com/docs) please');
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    const body = chatCalls().at(-1)?.json as {
      messages: { content: { type: string; image_url?: { url: string } }[] }[];
    };
    const parts = body.messages.at(-1)?.content ?? [];
    expect(parts.find((part) => part.type === 'image_url')?.image_url?.url).toMatch(
      /^data:image\/png;base64,iVBOR/,
    );

    const windowOpens: string[] = [];
    await page.exposeFunction('__noteOpen', (url: string) => windowOpens.push(url));
    await page.evaluate('window.open = (url) => { window.__noteOpen(String(url)); return null; }');
    const popups: string[] = [];
    context.on('page', (popup) => popups.push(popup.url()));
    const link = chat.lastAssistant().getByRole('link', { name: 'the docs' });
    const dialog = page.getByRole('dialog');
    // A click, a middle click and a click with Ctrl/Cmd or Shift all show the full URL first and open nothing.
    const clicks: Parameters<typeof link.click>[0][] = [
      {},
      { button: 'middle' },
      { modifiers: ['ControlOrMeta'] },
      { modifiers: ['Shift'] },
    ];
    for (const click of clicks) {
      await link.click(click);
      await expect
        .poll(() => dialog.textContent(), { message: JSON.stringify(click) })
        .toContain('https://example.com/docs');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => dialog.count()).toBe(0);
    }
    expect(linksOpened).toEqual([]);
    await link.click({ button: 'middle' });
    await page.getByRole('dialog').getByRole('button', { name: 'Open in browser' }).click();
    // Confirmed, the link goes to main (app.openLink), never through window.open or a new window.
    await expect.poll(() => linksOpened).toEqual(['https://example.com/docs']);
    expect(windowOpens).toEqual([]);
    expect(popups).toEqual([]);

    const title = (await stack.core.chat.listConversations()[0]?.title) ?? '';
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => stack.core.chat.listConversations().length).toBe(0);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => stack.core.chat.listConversations().map((c) => c.title)).toEqual([title]);
    await page
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('button', { name: title })
      .waitFor();
  });

  it('opens a conversation of 10,000 messages with a virtualized list', async () => {
    const conversation = stack.core.chat.createConversation({ model: 'gpt-4.1' });
    const messages = new MessagesRepo(stack.core.db);
    const conversations = new ConversationsRepo(stack.core.db);
    stack.core.db.transaction(() => {
      let parentId: string | null = null;
      for (let i = 0; i < 10_000; i++) {
        const message = messages.insert(
          newMessage({
            id: `m${i}`,
            conversationId: conversation.id,
            parentId,
            role: i % 2 ? 'assistant' : 'user',
            text: `Message number ${i}`,
            createdAt: 1_700_000_000_000 + i,
          }),
        );
        parentId = message.id;
      }
      conversations.setActiveLeaf(conversation.id, parentId);
      conversations.update(conversation.id, { title: 'Ten thousand' });
    })();
    await page.reload();
    await chat.open();
    await page
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('button', { name: 'Ten thousand' })
      .click();
    await expect.poll(() => chat.log.textContent(), { timeout: 15_000 }).toContain('Message number 9999');
    expect(await chat.messages().count()).toBeLessThan(100);
    await chat.log.hover();
    for (let i = 0; i < 5; i++) await page.mouse.wheel(0, -20_000);
    await expect.poll(async () => (await chat.messages().count()) > 0).toBe(true);
    expect(await chat.messages().count()).toBeLessThan(100);
  });
});
