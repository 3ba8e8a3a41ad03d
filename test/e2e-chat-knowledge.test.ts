/** From a knowledge base over a real folder to a cited answer in Chromium: pick the base, ask, open a citation. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KbSource } from '../src/shared/chat-knowledge';
import { seriousViolations } from './e2e/axe';
import { screenshot } from './e2e/browser';
import { ChatPage } from './e2e/pages/chat.page';
import { KnowledgePage } from './e2e/pages/knowledge.page';
import { browserPerFile, windowPerTest } from './e2e/window-per-test';
import { pdfWithPages } from './support/documents';
import { memoryKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';

const browser = browserPerFile();

describe('Chat with documents in the browser: a base chosen in chat settings, a cited answer, a source opened', () => {
  let docs: string;
  const opened: Pick<KbSource, 'path' | 'page' | 'line'>[] = [];
  const app = windowPerTest(browser, {
    failedName: 'failed-kb',
    stack: () => {
      opened.length = 0;
      return { openSource: ({ path, page: at, line }) => opened.push({ path, page: at, line }) };
    },
    prepare: async (stack) => {
      docs = await mkdtemp(join(tmpdir(), 'hubdesk-e2e-kb-'));
      await writeFile(
        join(docs, 'fruit.pdf'),
        await pdfWithPages([
          ['Apricots ripen slowly in the sun.'],
          ['Bananas are yellow when they are ripe.'],
        ]),
      );
      await writeFile(join(docs, 'market.md'), '# Market\n\n## Prices\nBananas cost two euros a kilo.\n');
      await stack.core.knowledge.addBase('Groceries', [docs]);
    },
    cleanup: () => rm(docs, { recursive: true, force: true }),
  });
  let stack: Stack;
  let page: Page;
  let chat: ChatPage;

  beforeEach(async () => {
    ({ stack, page } = app);
    chat = new ChatPage(page);
    await chat.open();
  });

  const conversation = () => stack.core.chat.open(stack.core.chat.listConversations()[0]!.id).conversation;

  it('cites the passages it was sent, lists them under the reply, and opens a PDF at its page', {
    timeout: 120_000,
  }, async () => {
    await page.getByRole('button', { name: 'Chat settings' }).click();
    const picker = page.getByTestId('knowledge-picker');
    await picker.getByRole('checkbox', { name: /^Groceries/ }).check();
    const [base] = stack.core.knowledge.list();
    await expect.poll(() => conversation().params.knowledgeBases).toEqual([base?.id]);
    await page.getByText('Knowledge bases saved').waitFor();
    await screenshot(page, 'kb-chat-settings', { element: picker });
    await page.getByRole('button', { name: 'Close chat settings' }).click();

    await chat.send('bananas');
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    const reply = chat.lastAssistant();
    const citations = reply.getByTestId('citation');
    await citations.first().waitFor();
    expect(await citations.allTextContents()).toEqual(['1', '2']);

    const sources = reply.getByTestId('sources');
    expect(await sources.getByRole('heading', { name: 'Sources' }).isVisible()).toBe(true);
    const items = sources.getByTestId('source');
    expect(await items.count()).toBe(2);
    const listed = (await items.allTextContents()).join('\n');
    expect(listed).toContain('fruit.pdf · page 2');
    expect(listed).toMatch(/market\.md · line \d/);
    // The passage shows when the source is expanded.
    const pdfItem = items.filter({ hasText: 'fruit.pdf' });
    expect(await pdfItem.getByText('Bananas are yellow', { exact: false }).isVisible()).toBe(false);
    await pdfItem.getByText('Passage').click();
    expect(await pdfItem.getByText('Bananas are yellow', { exact: false }).isVisible()).toBe(true);
    await screenshot(page, 'kb-cited-answer-en', { element: reply });
    expect(await seriousViolations(page)).toEqual([]);

    // A citation opens its file through the OS at its page: the stored path, never one from the page.
    const stored = stack.core.chat.open(conversation().id).messages.at(-1)?.sources ?? [];
    const pdf = stored.find((source) => source.path.endsWith('fruit.pdf'));
    await reply.getByRole('button', { name: `Source ${pdf?.n}: fruit.pdf, page 2` }).click();
    await expect.poll(() => opened).toEqual([{ path: join(docs, 'fruit.pdf'), page: 2, line: null }]);
    const markdown = stored.find((source) => source.path.endsWith('market.md'));
    await sources.getByRole('button', { name: `Open market.md at line ${markdown?.line}` }).click();
    await expect.poll(() => opened.at(-1)).toEqual({ path: join(docs, 'market.md'), page: null, line: 3 });

    // The same answer in the other two languages (the log's name changes with them: the reply is found by its role).
    const shown = page.locator('article[data-role="assistant"]').last();
    for (const [language, heading] of [
      ['vi', 'Nguồn'],
      ['zh-CN', '来源'],
    ] as const) {
      stack.core.language.set(language);
      await shown.getByRole('heading', { name: heading }).waitFor();
      await screenshot(page, `kb-cited-answer-${language}`, { element: shown });
    }
  });

  it('a message can use the base on its own, and a chat without one sends no sources', async () => {
    await chat.send('bananas');
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    expect(await chat.lastAssistant().getByTestId('sources').count()).toBe(0);
    expect(await chat.lastAssistant().textContent()).toContain('Echo: bananas');

    const forMessage = page.getByTestId('message-knowledge');
    // The summary says what the chat's settings are, not only that they apply.
    expect(await forMessage.getByText('None — as in the chat’s settings').isVisible()).toBe(true);
    await forMessage.getByText('Knowledge bases for this message').click();
    await forMessage.getByRole('checkbox', { name: 'Groceries' }).check();
    expect(await forMessage.locator('summary strong').textContent()).toBe('Groceries');
    await screenshot(page, 'kb-message-choice', { element: forMessage });
    await chat.send('bananas');
    await expect.poll(() => chat.messages('assistant').count()).toBe(2);
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    expect(await chat.lastAssistant().getByTestId('citation').count()).toBe(2);
    // The choice was for that message: the next one follows the chat again.
    expect(await forMessage.getByText('None — as in the chat’s settings').isVisible()).toBe(true);
    expect(conversation().params.knowledgeBases).toBeUndefined();
  });
});

describe('The whole way in the browser: a folder added on the Knowledge page, then a cited answer in chat', () => {
  let stack: Stack;
  let context: BrowserContext;
  let docs: string;
  const opened: Pick<KbSource, 'path' | 'page' | 'line'>[] = [];

  afterEach(async () => {
    await context?.close();
    await stack?.close();
    await rm(docs, { recursive: true, force: true });
  });

  it('adds the folder, finds and opens a passage, then answers with its sources', {
    timeout: 120_000,
  }, async () => {
    stack = await startStack({
      keytar: memoryKeytar(),
      openSource: ({ path, page: at, line }) => opened.push({ path, page: at, line }),
    });
    await stack.core.settings.setToken(stack.core.settings.activeProfile().id, stack.proxy.token, 'session');
    docs = await mkdtemp(join(tmpdir(), 'hubdesk-e2e-kb-whole-'));
    await writeFile(
      join(docs, 'fruit.pdf'),
      await pdfWithPages([['Apricots ripen slowly in the sun.'], ['Bananas are yellow when they are ripe.']]),
    );
    await writeFile(join(docs, 'market.md'), '# Market\n\n## Prices\nBananas cost two euros a kilo.\n');
    context = await browser().newContext({ viewport: { width: 1280, height: 820 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(stack.transport.pageUrl);

    const knowledge = new KnowledgePage(page);
    await knowledge.open();
    await page.getByRole('button', { name: knowledge.strings.create.open }).click();
    const dialog = knowledge.dialog;
    await dialog.getByLabel(knowledge.strings.create.name, { exact: true }).fill('Groceries');
    // No OS dialog in the browser harness: the path is typed.
    const pathField = dialog.getByLabel(knowledge.strings.create.typePath);
    await pathField.fill(docs);
    await pathField.press('Enter');
    await dialog.getByRole('button', { name: knowledge.strings.create.submit }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect
      .poll(() => knowledge.base('Groceries').locator('.kb-base-counts').textContent(), { timeout: 60_000 })
      .toMatch(/^2 files · \d+ passages$/);

    await knowledge.searchBox.fill('yellow bananas');
    await knowledge.hits.first().waitFor();
    expect(await knowledge.hits.first().textContent()).toContain('fruit.pdf');
    await knowledge.hits
      .first()
      .getByRole('button', { name: /fruit\.pdf/ })
      .click();
    await expect.poll(() => opened).toEqual([{ path: join(docs, 'fruit.pdf'), page: 2, line: null }]);
    await screenshot(page, 'kb-whole-way-search', { fullPage: false });

    const chat = new ChatPage(page);
    await chat.open();
    await chat.useKnowledgeBase('Groceries');
    await chat.send('bananas');
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    const reply = chat.lastAssistant();
    expect(await reply.getByTestId('citation').allTextContents()).toEqual(['1', '2']);
    const listed = (await reply.getByTestId('source').allTextContents()).join('\n');
    expect(listed).toContain('fruit.pdf · page 2');
    expect(listed).toContain('market.md');
    await screenshot(page, 'kb-whole-way-answer', { fullPage: false });
    expect(errors).toEqual([]);
  });
});
