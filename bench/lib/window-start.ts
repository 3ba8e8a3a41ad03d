import { launchBrowser } from '../../test/e2e/browser';
import { memoryKeytar } from '../../test/support/memory-keytar';
import { startStack } from '../../test/support/stack';
import { BENCH_TOKEN } from './client';
import { median } from './measure';

/**
 * Runs in the page before the app's scripts: the time (from navigation start) of the first frame in which the
 * conversation list shows a conversation, i.e. what a user sees as "the app is open with my chats".
 */
const FIRST_LIST_PAINT_SCRIPT = `
  window.__firstListPaint = 0;
  const poll = () => {
    if (document.querySelector('nav[aria-label="Conversations"] button')) {
      requestAnimationFrame(() => { window.__firstListPaint = performance.now(); });
      return;
    }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
`;

/** Runs in the page (passed as a function: the renderer's CSP forbids string evaluation). */
const listPainted = (): boolean => ((globalThis as { __firstListPaint?: number }).__firstListPaint ?? 0) > 0;

/**
 * The window's first paint with its conversation list, in headless Chromium against the real core and transport
 * on `dataDir`: a fresh page (new context, so nothing cached in the page) per run, median of `runs`.
 */
export async function windowFirstListPaint(dataDir: string, runs: number): Promise<number> {
  const stack = await startStack({ dataDir, keytar: memoryKeytar(), keychainService: 'HubDesk-bench' });
  const profile = stack.core.settings.activeProfile();
  await stack.core.settings.setToken(profile.id, BENCH_TOKEN, 'session'); // without a token the window opens Settings
  const browser = await launchBrowser();
  try {
    const samples: number[] = [];
    for (let run = 0; run <= runs; run++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript(FIRST_LIST_PAINT_SCRIPT);
      await page.goto(stack.transport.pageUrl);
      await page.waitForFunction(listPainted, undefined, { timeout: 60_000 });
      const ms = (await page.evaluate('window.__firstListPaint')) as number;
      if (run > 0) samples.push(ms); // run 0 warms the stack's caches and Chromium's code cache
      await context.close();
    }
    return median(samples);
  } finally {
    await browser.close();
    await stack.close();
  }
}
