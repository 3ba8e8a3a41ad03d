import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openaiChatFrames, startChatStreamServer } from '../bench/lib/chat-stream';
import { BENCH_TOKEN } from '../bench/lib/client';
import { markdownAnswerTokens } from '../bench/lib/markdown-answer';
import { launchBrowser, screenshot } from './e2e/browser';
import { ChatPage } from './e2e/pages/chat.page';
import { memoryKeytar } from './support/memory-keytar';
import { startStack } from './support/stack';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** An answer with every kind of block, then the bench's long answer: headings, lists, code, tables. */
const opening = [
  'Here is **the plan**, with `code`, math $e^{i\\pi}+1=0$ and [a link](https://example.com/docs).',
  '',
  '1. first',
  '',
  '2. second, with more:',
  '',
  '   ```py',
  '   print("in a list")',
  '   ```',
  '',
  '$$',
  '\\frac{1}{2}',
  '$$',
  '',
  '```js',
  'const answer = 42;',
  '',
  'console.log(answer);',
  '```',
  '',
  '',
].join('\n');

/** What a reader sees of a reply: its text, and each code block with its language, highlighting and copy button. */
async function readReply(page: Page) {
  return page
    .locator('article[data-role="assistant"]')
    .last()
    .evaluate((article) => ({
      text: article.querySelector('.markdown')?.textContent ?? '',
      code: [...article.querySelectorAll('.md-code')].map((block) => ({
        language: block.querySelector('.md-code-bar span')?.textContent,
        code: block.querySelector('pre code')?.textContent,
        highlighted: block.querySelectorAll('pre code [class^="hljs-"]').length > 0,
        copy: block.querySelector('button.md-code-copy')?.textContent,
      })),
      tables: article.querySelectorAll('table').length,
      math: article.querySelectorAll('.katex-display').length,
      links: [...article.querySelectorAll('a[href]')].map((link) => link.getAttribute('href')),
      writing: article.querySelectorAll('.md-piece[data-finished="false"]').length,
    }));
}

describe('A long Markdown answer streaming into the window', () => {
  it('keeps each finished block on the page as it grows, and ends as it renders at once', async () => {
    const server = await startChatStreamServer();
    const stack = await startStack({ keytar: memoryKeytar() });
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    try {
      const profile = stack.core.settings.activeProfile();
      stack.core.settings.updateProfile(profile.id, { baseUrl: server.url });
      await stack.core.settings.setToken(profile.id, BENCH_TOKEN, 'session');
      const tokens = [...(opening.match(/[\s\S]{1,4}/g) ?? []), ...markdownAnswerTokens(1_200)];
      server.serve(openaiChatFrames(tokens), { kind: 'batched', framesPerBatch: 12, intervalMs: 40 });
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(stack.transport.pageUrl);
      const chat = new ChatPage(page);
      await chat.open();

      await chat.send('Explain the client, with code.');
      const reply = chat.lastAssistant();
      const firstCode = reply.locator('.md-code').first();
      await reply.locator('h2', { hasText: 'Step 2' }).waitFor({ timeout: 30_000 });
      expect(await reply.getAttribute('data-status')).toBe('streaming');
      // Finished blocks: the first paragraph, the list with its code, the first highlighted code block.
      const paragraph = await reply.locator('.markdown p').first().elementHandle();
      const listCode = await reply.locator('li pre code').first().elementHandle();
      const heading = await reply.locator('h2', { hasText: 'Step 1' }).elementHandle();
      expect(await firstCode.locator('[class^="hljs-"]').count()).toBeGreaterThan(0);
      await screenshot(page, 'chat-streaming-markdown-midway', { fullPage: false });

      await chat.waitForStatus(reply, 'complete', 60_000);
      await screenshot(page, 'chat-streaming-markdown-end', { fullPage: false });
      for (const element of [paragraph, listCode, heading]) {
        expect(await element?.evaluate((node) => node.isConnected)).toBe(true);
      }
      const streamed = await readReply(page);
      expect(streamed.writing).toBe(0);
      expect(streamed.tables).toBeGreaterThan(3);
      expect(streamed.math).toBe(1);
      expect(streamed.links).toEqual(['https://example.com/docs']);
      expect(streamed.code.slice(0, 3)).toEqual([
        { language: 'py', code: 'print("in a list")\n', highlighted: true, copy: 'Copy code' },
        {
          language: 'js',
          code: 'const answer = 42;\n\nconsole.log(answer);\n',
          highlighted: true,
          copy: 'Copy code',
        },
        expect.objectContaining({ language: 'ts', highlighted: true, copy: 'Copy code' }),
      ]);
      expect(streamed.code.every((block) => block.highlighted && block.copy === 'Copy code')).toBe(true);

      // The stored reply in a fresh page: rendered once, from nothing cached.
      await page.reload();
      await chat.open();
      await chat.waitForStatus(chat.lastAssistant(), 'complete');
      expect(await readReply(page)).toEqual(streamed);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
      await stack.close();
      await server.close();
    }
  });
});
