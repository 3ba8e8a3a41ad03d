import type { Locator, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { screenshot } from './e2e/browser';
import { ChatPage } from './e2e/pages/chat.page';
import { browserPerFile, windowPerTest } from './e2e/window-per-test';
import type { Stack } from './support/stack';

const browser = browserPerFile();

/** The page's clock, set by the test: counters on the page read it (its timers keep running). */
const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);

describe('A reply in chat: thinking, waiting to retry, how it ended, editing, a failure note', () => {
  const app = windowPerTest(browser, { failedName: 'failed' });
  let stack: Stack;
  let page: Page;
  let chat: ChatPage;

  beforeEach(async () => {
    ({ stack, page } = app);
    chat = new ChatPage(page);
    await chat.open();
  });

  // Found by role, not through the log: the log's name changes with the language.
  const lastReply = () => page.locator('article[data-role="assistant"]').last();
  const lastPrompt = () => page.locator('article[data-role="user"]').last();

  /** Shows the window in each language in turn, waiting for `expected` in `where`, and saves a screenshot. */
  async function inEachLanguage(
    name: string,
    where: Locator,
    expected: Record<'en' | 'vi' | 'zh-CN', string | RegExp>,
    element: Locator = lastReply(),
  ): Promise<void> {
    for (const language of ['vi', 'zh-CN', 'en'] as const) {
      stack.core.language.set(language);
      await expect.poll(() => where.textContent(), { timeout: 5_000 }).toMatch(expected[language]);
      await screenshot(page, `${name}-${language}`, { element });
    }
  }

  it('counts the seconds while a reasoning model thinks, streams its reasoning, then folds it away', async () => {
    await page.clock.setFixedTime(T0);
    await chat.chooseModel('deepseek-reasoner');
    stack.proxy.addFault({ match: '/v1/chat/completions', fault: { type: 'trickle', delayMs: 80 } });
    // Long enough to see the counter in three languages before the answer (the trickle sends a few bytes at a time).
    const question = Array.from({ length: 60 }, (_, i) => `why${i}`).join(' ');
    await chat.send(question);
    const reasoning = lastReply().getByTestId('reasoning');
    const summary = reasoning.locator('summary');
    await expect.poll(() => summary.textContent(), { timeout: 5_000 }).toBe('Thinking… 0 s');
    expect(await reasoning.getAttribute('open')).not.toBeNull();

    await page.clock.setFixedTime(T0 + 12_400);
    await expect.poll(() => summary.textContent()).toBe('Thinking… 12 s');
    // The reasoning shows as it streams, before any answer.
    await expect
      .poll(() => reasoning.locator('.reasoning-text').textContent())
      .toMatch(/^Thinking about: why0/);
    expect(await lastReply().locator('.markdown').count()).toBe(0);
    await inEachLanguage('chat-thinking', summary, {
      en: 'Thinking… 12 s',
      vi: 'Đang suy nghĩ… 12 giây',
      'zh-CN': '思考中… 12 秒',
    });
    expect(await lastReply().getAttribute('data-status')).toBe('streaming');

    // The answer begins: the reasoning folds away with the time main measured (the proxy thought for seconds).
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toMatch(/^Thought for \d+ s$/);
    expect(await reasoning.getAttribute('open')).toBeNull();
    await chat.waitForStatus(lastReply(), 'complete', 30_000);
    expect(await lastReply().textContent()).toContain(`Echo: ${question}`);
    const stored = stack.core.chat.open(stack.core.chat.listConversations()[0]!.id).messages.at(-1);
    const seconds = Math.max(1, Math.round((stored?.usage?.reasoningMs ?? 0) / 1000));
    expect(stored?.usage?.reasoningMs).toBeGreaterThan(1000);
    expect(await summary.textContent()).toBe(`Thought for ${seconds} s`);

    // Folded, it opens again on a click; the meta line words how the reply ended.
    await summary.click();
    expect(await reasoning.getAttribute('open')).not.toBeNull();
    await inEachLanguage('chat-thought', summary, {
      en: `Thought for ${seconds} s`,
      vi: `Đã suy nghĩ ${seconds} giây`,
      'zh-CN': `已思考 ${seconds} 秒`,
    });
    const meta = lastReply().getByTestId('message-meta');
    await inEachLanguage('chat-finish', meta, {
      en: /finish: complete/,
      vi: /kết thúc: hoàn tất/,
      'zh-CN': /结束原因：正常结束/,
    });
    // A reload keeps the measured time.
    await page.reload();
    await chat.open();
    await page
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('button', { name: /why0/ })
      .first()
      .click();
    await expect
      .poll(() => lastReply().getByTestId('reasoning').locator('summary').textContent())
      .toBe(`Thought for ${seconds} s`);
  }, 120_000);

  it('shows how long every family thought: Claude, Gemini and the Responses API', async () => {
    const families = [
      {
        model: 'claude-sonnet-4-5-20250929',
        api: 'claude-messages',
        params: { thinkingBudget: 2048, maxTokens: 4096 },
      },
      { model: 'gemini-2.5-pro', api: 'gemini', params: {} },
      { model: 'gpt-5', api: 'openai-responses', params: {} },
    ] as const;
    const conversation = stack.core.chat.listConversations()[0]!;
    for (const [index, family] of families.entries()) {
      stack.core.chat.updateConversation(conversation.id, {
        model: family.model,
        api: family.api,
        params: { ...family.params },
      });
      await chat.send(`Think about the family ${family.api}`);
      await expect.poll(() => page.locator('article[data-role="assistant"]').count()).toBe(index + 1);
      await chat.waitForStatus(lastReply(), 'complete');
      const summary = lastReply().getByTestId('reasoning').locator('summary');
      expect(await summary.textContent(), family.api).toMatch(/^Thought for \d+ s$/);
      expect(await lastReply().getByTestId('reasoning').textContent()).toContain(
        `Think about the family ${family.api}`,
      );
    }
  });

  it('counts down the wait of a rate-limited request, in the UI language, until the reply streams', async () => {
    await page.clock.setFixedTime(T0);
    stack.proxy.addFault({
      match: '/v1/chat/completions',
      fault: { type: 'status', status: 429, retryAfter: '6' },
    });
    await chat.send('Slow down');
    const notice = lastReply().getByTestId('retrying');
    await expect
      .poll(async () => (await notice.textContent())?.trim(), { timeout: 5_000 })
      .toBe('Rate limited — retrying in 6 s (1 of 2)');
    await page.clock.setFixedTime(T0 + 2_000);
    await expect
      .poll(async () => (await notice.textContent())?.trim())
      .toBe('Rate limited — retrying in 4 s (1 of 2)');
    await inEachLanguage('chat-rate-limited', notice, {
      en: 'Rate limited — retrying in 4 s (1 of 2)',
      vi: 'Bị giới hạn tần suất — thử lại sau 4 giây (lần 1/2)',
      'zh-CN': '已被限流，4 秒后重试（第 1/2 次）',
    });
    await page.clock.setFixedTime(T0 + 5_500);
    await expect
      .poll(async () => (await notice.textContent())?.trim())
      .toBe('Rate limited — retrying in 1 s (1 of 2)');
    await chat.waitForStatus(lastReply(), 'complete', 15_000);
    expect(await lastReply().textContent()).toContain('Echo: Slow down');
    expect(await notice.count()).toBe(0);
  });

  it('offers Continue under a reply cut at the token limit, and sends it on as a new prompt', async () => {
    const conversation = stack.core.chat.listConversations()[0]!;
    const { params } = stack.core.chat.open(conversation.id).conversation;
    stack.core.chat.updateConversation(conversation.id, { params: { ...params, maxTokens: 4 } });
    await chat.send('Tell me a long story about a lighthouse keeper and the sea');
    await chat.waitForStatus(lastReply(), 'complete');
    const cut = lastReply();
    const continueButton = cut.getByRole('button', { name: 'Continue', exact: true });
    await continueButton.waitFor();
    await inEachLanguage(
      'chat-continue',
      cut,
      {
        en: /token limit\..*Continue.*finish: token limit reached/,
        vi: /giới hạn token\..*Tiếp tục.*kết thúc: đạt giới hạn token/,
        'zh-CN': /Token 上限而中止。.*继续.*结束原因：达到 Token 上限/,
      },
      cut,
    );
    const cutText = (await cut.locator('.markdown').textContent()) ?? '';
    stack.core.chat.updateConversation(conversation.id, { params });
    await continueButton.click();
    await expect.poll(() => page.locator('article[data-role="assistant"]').count()).toBe(2);
    await chat.waitForStatus(lastReply(), 'complete');
    // What was sent is shown: the prompt that asked to go on, after the cut reply, which keeps its place.
    expect(await lastPrompt().textContent()).toContain('Continue from exactly where your last reply stopped');
    const sent = stack.proxy.requests.filter((r) => r.path.startsWith('/v1/chat/completions')).at(-1)
      ?.json as {
      messages: { role: string; content: unknown }[];
    };
    expect(sent.messages.slice(-2).map((m) => m.role)).toEqual(['assistant', 'user']);
    expect(JSON.stringify(sent.messages.at(-2)?.content)).toContain(cutText.trim().slice(0, 10));
    await screenshot(page, 'chat-continued');
    // Only the last reply of the branch offers it, and only when cut.
    expect(await page.getByRole('button', { name: 'Continue', exact: true }).count()).toBe(0);
  });

  it('words a stopped reply’s finish reason in each language', async () => {
    stack.proxy.addFault({ match: '/v1/chat/completions', fault: { type: 'trickle', delayMs: 120 } });
    await chat.send(Array.from({ length: 60 }, (_, i) => `part${i}`).join(' '));
    await expect.poll(() => lastReply().textContent()).toContain('Echo: part0');
    await page.getByRole('button', { name: 'Stop' }).click();
    await chat.waitForStatus(lastReply(), 'interrupted', 5_000);
    await inEachLanguage('chat-finish-stopped', lastReply().getByTestId('message-meta'), {
      en: /finish: stopped by you/,
      vi: /kết thúc: bạn đã dừng/,
      'zh-CN': /结束原因：已手动停止/,
    });
  });

  it('the edit box of a long message keeps the message’s height, up to 60 % of the window', async () => {
    const paragraph = (n: number) => Array.from({ length: 45 }, (_, i) => `word${n}-${i}`).join(' ');
    const long = [0, 1, 2, 3].map(paragraph).join('\n\n');
    await chat.send(long);
    await chat.waitForStatus(lastReply(), 'complete');
    const prompt = lastPrompt();
    const shown = await prompt.locator('.user-text').boundingBox();
    const shownHeight = shown?.height ?? 0;
    expect(shownHeight).toBeGreaterThan(250);
    await prompt.hover();
    await prompt.getByRole('button', { name: 'Edit' }).click();
    const editor = prompt.getByRole('textbox');
    const editHeight = (await editor.boundingBox())?.height ?? 0;
    expect(editHeight).toBeCloseTo(Math.min(shownHeight + 16, 820 * 0.6), 0);
    expect(editHeight).toBeGreaterThan(250);
    // As wide as the message was, so its lines wrap where they did.
    expect((await editor.boundingBox())?.width).toBeGreaterThanOrEqual(shown?.width ?? 0);
    await screenshot(page, 'chat-edit-long-en', { element: prompt });
    await inEachLanguage(
      'chat-edit-long',
      prompt.getByRole('button').last(),
      { en: 'Save & send', vi: 'Lưu và gửi', 'zh-CN': '保存并发送' },
      prompt,
    );

    // A very long message: the box stops at 60 % of the window and scrolls.
    await prompt.getByRole('button', { name: 'Cancel' }).click();
    await chat.send([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(paragraph).join('\n\n'));
    await chat.waitForStatus(lastReply(), 'complete');
    const longer = lastPrompt();
    await longer.hover();
    await longer.getByRole('button', { name: 'Edit' }).click();
    expect((await longer.getByRole('textbox').boundingBox())?.height).toBeCloseTo(820 * 0.6, 0);
  });

  it('a reply that fails for want of a token says so in the UI language, not main’s English', async () => {
    await stack.core.settings.clearToken(stack.core.settings.activeProfile().id);
    await chat.send('Hello without a token');
    await chat.waitForStatus(lastReply(), 'failed', 10_000);
    const note = lastReply().locator('.message-error');
    await inEachLanguage('chat-no-token', note, {
      en: /No API token is set\..*Enter your API key in Settings/,
      vi: /Chưa đặt token API\..*Hãy nhập khóa API/,
      'zh-CN': /尚未设置 API 令牌。.*请在“设置 → API 令牌”中/,
    });
    expect(stack.proxy.requests.filter((r) => r.path.startsWith('/v1/chat/completions'))).toHaveLength(0);
  });
});
