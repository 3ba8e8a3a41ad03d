import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { memoryKeytar } from '../support/memory-keytar';
import { type Stack, type StackOptions, startStack } from '../support/stack';
import { launchBrowser, screenshot } from './browser';

/** One Chromium for the test file: launched before its tests, closed after them. */
export function browserPerFile(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser)
      throw new Error('The browser is launched in beforeAll: ask for it inside a hook or a test.');
    return browser;
  };
}

/** The real services (a memory keychain unless `options.keytar`), signed in to the fake proxy for the session. */
export async function signedInStack(options: StackOptions = {}): Promise<Stack> {
  const stack = await startStack({ keytar: memoryKeytar(), ...options });
  await stack.core.settings.setToken(stack.core.settings.activeProfile().id, stack.proxy.token, 'session');
  return stack;
}

/** A new browser window (1280×820 unless `options.viewport`) on the stack's app; its errors go to `pageErrors`. */
export async function openWindow(
  browser: Browser,
  stack: Stack,
  pageErrors: string[],
  options: BrowserContextOptions & { goto?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const { goto = true, ...contextOptions } = options;
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, ...contextOptions });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  if (goto) await page.goto(stack.transport.pageUrl);
  return { context, page };
}

export interface WindowPerTestOptions {
  /** The failed test's screenshot is named `<failedName>-<the test's name>`, e.g. `failed-search`. */
  failedName: string;
  /** More for the stack, made anew for each test (so what it records starts empty). */
  stack?: () => StackOptions;
  /** Runs once the stack is up and signed in, before the page opens (seed data, register tools). */
  prepare?: (stack: Stack) => Promise<void>;
  /** Open the app's page; default true (false: the test goes to it itself, after seeding). */
  goto?: boolean;
  /** More for the browser context (downloads, another viewport). */
  context?: BrowserContextOptions;
  /** Runs after the stack is closed (remove the test's own folders). */
  cleanup?: () => Promise<void>;
}

export interface WindowPerTest {
  readonly stack: Stack;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Errors the page threw during the test; each test ends by expecting none. */
  readonly pageErrors: readonly string[];
}

/**
 * For each test: the real services signed in to the fake proxy, and a fresh browser window on the app. After it:
 * a screenshot if it failed, no page errors expected, everything closed.
 */
export function windowPerTest(browser: () => Browser, options: WindowPerTestOptions): WindowPerTest {
  let stack: Stack | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  const pageErrors: string[] = [];

  beforeEach(async () => {
    pageErrors.length = 0;
    stack = await signedInStack(options.stack?.());
    await options.prepare?.(stack);
    ({ context, page } = await openWindow(browser(), stack, pageErrors, {
      ...options.context,
      goto: options.goto ?? true,
    }));
  });

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail' && page) {
      await screenshot(
        page,
        `${options.failedName}-${test.task.name.slice(0, 40).replace(/\W+/g, '-')}`,
      ).catch(() => undefined);
    }
    try {
      expect(pageErrors).toEqual([]);
    } finally {
      await context?.close();
      await stack?.close();
      await options.cleanup?.();
      context = undefined;
      page = undefined;
      stack = undefined;
    }
  });

  const opened = <T>(part: T | undefined, name: string): T => {
    if (part === undefined) throw new Error(`The test's ${name} exists only while a test runs.`);
    return part;
  };
  return {
    get stack() {
      return opened(stack, 'stack');
    },
    get context() {
      return opened(context, 'browser context');
    },
    get page() {
      return opened(page, 'page');
    },
    pageErrors,
  };
}
