import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { screenshot } from './e2e/browser';
import { ChatPage } from './e2e/pages/chat.page';
import { browserPerFile, windowPerTest } from './e2e/window-per-test';
import type { Stack } from './support/stack';

const browser = browserPerFile();

/** The page's clock, set by the test: the countdown reads it (its timers keep running). */
const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);

describe('A rate-limited reply, in the window’s language', () => {
  const app = windowPerTest(browser, { failedName: 'failed' });
  let stack: Stack;
  let page: Page;
  let chat: ChatPage;

  beforeEach(async () => {
    ({ stack, page } = app);
    chat = new ChatPage(page);
    await chat.open();
  });

  const lastReply = () => page.locator('article[data-role="assistant"]').last();
  // The composer by its place, not its label: the label changes with the language.
  const send = async (text: string) => {
    const composer = page.locator('textarea.composer-input');
    await composer.fill(text);
    await composer.press('Enter');
  };

  it('says in Chinese that it is rate limited, counts down each retry, then shows the reply', async () => {
    stack.core.language.set('zh-CN');
    await page.clock.setFixedTime(T0);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    stack.proxy.addFault({
      match: '/v1/chat/completions',
      fault: { type: 'status', status: 429, retryAfter: '3' },
      times: 2,
    });
    await send('慢一点');
    const notice = lastReply().getByTestId('retrying');
    await expect
      .poll(async () => (await notice.textContent())?.trim(), { timeout: 5_000 })
      .toBe('已被限流，3 秒后重试（第 1/2 次）');
    expect(await notice.getAttribute('role')).toBe('status');
    await screenshot(page, 'rate-limit-zh-CN', { element: lastReply() });
    await page.clock.setFixedTime(T0 + 1_000);
    await expect
      .poll(async () => (await notice.textContent())?.trim())
      .toBe('已被限流，2 秒后重试（第 1/2 次）');
    // The second 429: the count goes on, and the countdown starts again from the server's wait.
    await expect
      .poll(async () => (await notice.textContent())?.trim(), { timeout: 8_000 })
      .toBe('已被限流，3 秒后重试（第 2/2 次）');
    await chat.waitForStatus(lastReply(), 'complete', 15_000);
    expect(await lastReply().textContent()).toContain('Echo: 慢一点');
    expect(await notice.count()).toBe(0);
    await screenshot(page, 'rate-limit-zh-CN-answered', { element: lastReply() });
  });

  it('in Vietnamese, says when to try again once the proxy asks for a longer wait than HubDesk waits out', async () => {
    stack.core.language.set('vi');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('vi');
    stack.proxy.addFault({
      match: '/v1/chat/completions',
      fault: { type: 'status', status: 429, retryAfter: '45' },
    });
    await send('Chậm lại');
    await chat.waitForStatus(lastReply(), 'failed', 10_000);
    const note = lastReply().locator('.error-message');
    await expect
      .poll(() => note.textContent())
      .toBe('Quá nhiều yêu cầu: proxy đang giới hạn tốc độ (429). Hãy thử lại sau 45 giây.');
    expect(await lastReply().getByTestId('retrying').count()).toBe(0);
    await screenshot(page, 'rate-limit-vi-try-later', { element: lastReply() });
  });
});
