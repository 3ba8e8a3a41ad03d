import type { Browser, BrowserContext, Locator, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../src/shared/i18n';
import { type english, resources } from '../src/shared/locales';
import { launchBrowser, screenshot } from './e2e/browser';
import { ChatPage } from './e2e/pages/chat.page';
import { memoryKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';

const strings = (language: Language) => resources[language] as typeof english;
const languages: Language[] = ['en', 'zh-CN', 'vi'];

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * Main's answers to `chat.send`, held back while `holding` is on: the page's socket to main goes through this
 * route, so the window sees the answer late, as on a slow machine. Everything else passes at once.
 */
class SendAnswers {
  holding = false;
  private readonly sendIds = new Set<number>();
  private held: string[] = [];
  private page: WebSocketRoute | null = null;

  attach(route: WebSocketRoute): void {
    this.page = route;
    const main = route.connectToServer();
    route.onMessage((message) => {
      const text = String(message);
      const parsed = JSON.parse(text) as { type?: string; id?: number; channel?: string };
      if (parsed.type === 'invoke' && parsed.channel === 'chat.send' && typeof parsed.id === 'number')
        this.sendIds.add(parsed.id);
      main.send(message);
    });
    main.onMessage((message) => {
      const text = String(message);
      const parsed = JSON.parse(text) as { type?: string; id?: number };
      if (this.holding && parsed.type === 'result' && this.sendIds.has(parsed.id ?? -1)) this.held.push(text);
      else route.send(message);
    });
  }

  /** How many answers to chat.send are waiting. */
  get waiting(): number {
    return this.held.length;
  }

  release(): void {
    this.holding = false;
    for (const text of this.held) this.page?.send(text);
    this.held = [];
  }
}

describe('Chat in everyday use: branches remembered, the message shown at once, Related in view', () => {
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  let chat: ChatPage;
  let answers: SendAnswers;
  const pageErrors: string[] = [];

  async function open(size = { width: 1280, height: 820 }) {
    stack = await startStack({ keytar: memoryKeytar() });
    await stack.core.settings.setToken(stack.core.settings.activeProfile().id, stack.proxy.token, 'session');
    context = await browser.newContext({ viewport: size });
    page = await context.newPage();
    pageErrors.length = 0;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    answers = new SendAnswers();
    await page.routeWebSocket(/.*/, (route) => answers.attach(route));
    await page.goto(stack.transport.pageUrl);
    chat = new ChatPage(page);
    await chat.open();
  }

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail' && page) {
      await screenshot(page, `failed-everyday-${test.task.name.slice(0, 30).replace(/\W+/g, '-')}`).catch(
        () => undefined,
      );
    }
    expect(pageErrors).toEqual([]);
    await context?.close();
    await stack?.close();
  });

  /** The list's rows in any language (the list's own name is translated). */
  const rows = (role: 'user' | 'assistant') => page.locator(`[role="log"] article[data-role="${role}"]`);

  /** Whether all of `part` is inside the scrolled list's view (not below its bottom edge). */
  const inView = (part: Locator) => async () => {
    const box = await part.boundingBox();
    const view = await page.locator('.message-scroller').boundingBox();
    return (
      box !== null && view !== null && box.y >= view.y - 1 && box.y + box.height <= view.y + view.height + 1
    );
  };

  /** Shows the window in `language`, waits until it is and `check` passes, and saves a screenshot named for it. */
  async function inLanguage(language: Language, name: string, check: () => Promise<unknown>): Promise<void> {
    stack.core.language.set(language);
    await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe(language);
    await check();
    await screenshot(page, `${name}-${language}`, { fullPage: false });
  }

  it('going back to a branch shows the reply chosen below it, not the newest one, after a reload too', async () => {
    await open();
    await chat.send('Original question');
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    // Two replies to the question; the first one chosen again.
    await chat.lastAssistant().getByRole('button', { name: 'Regenerate' }).click();
    await expect.poll(() => chat.lastAssistant().textContent()).toContain('2/2');
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    await chat.lastAssistant().getByRole('button', { name: 'Previous branch' }).click();
    await expect.poll(() => chat.lastAssistant().textContent()).toContain('1/2');

    // A new branch above: an edit of the question.
    const question = chat.messages('user').last();
    await question.hover();
    await question.getByRole('button', { name: 'Edit' }).click();
    await question.getByRole('textbox').fill('Edited question');
    await question.getByRole('button', { name: 'Save & send' }).click();
    await expect.poll(() => chat.lastAssistant().textContent()).toContain('Echo: Edited question');
    await chat.waitForStatus(chat.lastAssistant(), 'complete');

    // Back to the first question: its first reply, as chosen, not the newest (2/2).
    await chat.messages('user').last().getByRole('button', { name: 'Previous branch' }).click();
    await expect.poll(() => chat.messages('user').last().textContent()).toContain('Original question');
    await expect.poll(() => chat.lastAssistant().textContent()).toContain('1/2');

    // To the edit and back once more, then the conversation opened again from scratch.
    await chat.messages('user').last().getByRole('button', { name: 'Next branch' }).click();
    await expect.poll(() => chat.messages('user').last().textContent()).toContain('Edited question');
    await chat.messages('user').last().getByRole('button', { name: 'Previous branch' }).click();
    await expect.poll(() => chat.lastAssistant().textContent()).toContain('1/2');
    await page.reload();
    await chat.log.waitFor();
    await expect.poll(() => chat.messages('user').last().textContent()).toContain('Original question');
    await expect.poll(() => chat.lastAssistant().textContent()).toContain('1/2');
    for (const language of languages) {
      await inLanguage(language, 'chat-branch-remembered', () =>
        rows('assistant')
          .last()
          .getByRole('button', { name: strings(language).chat.message.nextBranch })
          .waitFor(),
      );
    }
  });

  it('shows the message the moment Enter is pressed, before main answers, then the stored one in its place', async () => {
    await open();
    stack.proxy.addFault({ match: '/v1/chat/completions', fault: { type: 'latency', ms: 1500 } });
    answers.holding = true;
    await chat.send('Shown at once');
    // Main's answer to the send is held back, and the proxy has not answered: the message is there all the same.
    const mine = chat.messages('user').filter({ hasText: 'Shown at once' });
    await mine.waitFor();
    await expect.poll(() => answers.waiting).toBe(1);
    expect(await chat.composer.inputValue()).toBe('');
    expect(await chat.messages('assistant').count()).toBe(0);
    const shownId = await mine.getAttribute('data-message-id');
    expect(shownId).toMatch(/^unsent:/);
    await screenshot(page, 'chat-sent-at-once-en', { fullPage: false });

    answers.release();
    await chat.waitForStatus(chat.lastAssistant(), 'complete', 20_000);
    expect(await chat.lastAssistant().textContent()).toContain('Echo: Shown at once');
    // One message, now the stored one (same row), no copy.
    expect(await chat.messages('user').count()).toBe(1);
    const stored = stack.core.chat.open(stack.core.chat.listConversations()[0]?.id ?? '').messages[0];
    expect(await mine.getAttribute('data-message-id')).toBe(stored?.id);
    expect(await mine.getAttribute('data-status')).toBe('complete');
  });

  it('a message main refuses stays where it was shown, with why, and its text goes back to the box', async () => {
    await open();
    // Every new message fails to be stored, as on a full disk (a trigger on the core's own connection).
    stack.core.db.exec(
      "CREATE TEMP TRIGGER refuse_prompt BEFORE INSERT ON messages BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END",
    );
    await chat.send('Refused one');
    const refused = rows('user').filter({ hasText: 'Refused one' });
    await chat.waitForStatus(refused, 'failed');
    expect(await refused.textContent()).toContain('Not sent');
    expect(await refused.locator('.error-message').count()).toBe(1);
    await expect.poll(() => chat.composer.inputValue()).toBe('Refused one');
    // Said once, on the message, not again above the box.
    expect(await page.locator('.composer-error').count()).toBe(0);
    for (const language of languages) {
      await inLanguage(language, 'chat-not-sent', () =>
        refused.getByText(strings(language).chat.message.notSent).waitFor(),
      );
    }
    stack.core.language.set('en');
    await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe('en');

    stack.core.db.exec('DROP TRIGGER refuse_prompt');
    await chat.composer.press('Enter');
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    expect(await chat.messages('user').count()).toBe(1);
    await expect.poll(() => chat.messages('user').first().getAttribute('data-status')).toBe('complete');
  });

  it('Related under a message at the bottom edge of the view opens in view, in every language', async () => {
    await open({ width: 1280, height: 640 });
    await chat.send('Lighthouse keepers lived on rocky islands');
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    await chat.newChat();
    for (const words of [
      'Lighthouse lamps used whale oil',
      'Harbors and their lights',
      'Keepers kept logs',
      'Fog horns and bells',
      'Storms on the northern coast',
      'The last keeper left in 1990',
    ]) {
      await chat.send(words);
      await chat.waitForStatus(chat.lastAssistant(), 'complete');
    }
    // Scrolled up until an earlier reply sits at the bottom edge of the list: its Related opens below it.
    const message = rows('assistant').filter({ hasText: 'Echo: Fog horns and bells' });
    await message.evaluate((element) => element.scrollIntoView({ block: 'end' }));
    await expect.poll(inView(message.locator('footer'))).toBe(true);
    await message.getByRole('button', { name: 'Related' }).click();
    const related = message.locator('section.related');
    await related.waitFor();
    // The list has answered (hits or a note), and its whole box is inside the scrolled list's view.
    await expect.poll(() => related.locator('.related-list, .related-note').first().isVisible()).toBe(true);
    await expect.poll(inView(related)).toBe(true);
    for (const language of languages) {
      await inLanguage(language, 'chat-related-in-view', () =>
        related.getByText(strings(language).search.related.label).first().waitFor(),
      );
      expect(await inView(related)()).toBe(true);
    }
  });

  it('keeps the chat list header on one line, its title whole, in every language at 900 px', async () => {
    await open({ width: 900, height: 640 });
    const head = page.locator('.chat-sidebar-head');
    for (const language of languages) {
      await inLanguage(language, 'chat-list-header', async () => {
        const words = strings(language).chat.sidebar;
        await head.getByRole('button', { name: words.newChat }).waitFor();
        const title = await head.getByRole('heading', { name: words.title }).boundingBox();
        const button = await head.getByRole('button', { name: words.newChat }).boundingBox();
        // Title and buttons side by side on one row: their middles at the same height, the row one button high.
        expect(
          title && button && Math.abs(title.y + title.height / 2 - (button.y + button.height / 2)),
        ).toBeLessThan(4);
        // The title is whole, not cut short with an ellipsis.
        const heading = head.getByRole('heading', { name: words.title });
        expect(await heading.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
        const row = await head.boundingBox();
        expect((row?.height ?? 0) - (button?.height ?? 0)).toBeLessThan(30);
      });
    }
  });
});
