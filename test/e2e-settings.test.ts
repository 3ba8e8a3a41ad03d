import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './e2e/browser';
import { SettingsPage } from './e2e/pages/settings.page';
import { memoryKeytar, unreachableKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('Settings in the browser, against the real services and the fake proxy', () => {
  let stack: Stack;
  let page: Page;

  afterEach(async () => {
    await page?.close();
    await stack?.close();
  });

  async function open(keytar: Parameters<typeof startStack>[0]['keytar']): Promise<SettingsPage> {
    stack = await startStack({ keytar });
    page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(stack.transport.pageUrl);
    const settings = new SettingsPage(page);
    await settings.open();
    expect(errors).toEqual([]);
    return settings;
  }

  it('sets a token in the keychain, tests the connection, and shows the error for a wrong token', async () => {
    const keytar = memoryKeytar();
    const settings = await open(keytar);
    await expect.poll(() => settings.tokenStatus.textContent()).toMatch(/not set/i);
    await screenshot(page, 'settings-no-token');

    await settings.saveToken(stack.proxy.token);
    await expect.poll(() => settings.tokenStatus.textContent()).toMatch(/set.*keychain/i);
    // The token went to the keychain, and the page never shows it.
    expect([...keytar.entries.values()]).toEqual([stack.proxy.token]);
    expect(await page.content()).not.toContain(stack.proxy.token);

    await settings.testConnection();
    await expect.poll(() => settings.connectionResult.textContent()).toMatch(/Connected in \d+ ms/);
    const chatCalls = stack.proxy.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(chatCalls).toHaveLength(1);
    expect(chatCalls[0]?.headers.authorization).toBe(`Bearer ${stack.proxy.token}`);
    await screenshot(page, 'settings-connected');

    await settings.saveToken('sk-wrong-token-000000');
    await expect.poll(() => settings.tokenStatus.textContent()).toMatch(/set.*keychain/i);
    await settings.testConnection();
    await expect.poll(() => settings.connectionResult.textContent()).toMatch(/401/);
    const text = (await settings.connectionResult.textContent()) ?? '';
    expect(text).toMatch(/token/i);
    expect(text).not.toContain('sk-wrong-token-000000');
    await screenshot(page, 'settings-wrong-token');

    await page.getByRole('button', { name: 'Clear token' }).click();
    await expect.poll(() => settings.tokenStatus.textContent()).toMatch(/not set/i);
    expect(keytar.entries.size).toBe(0);
  });

  it('says plainly when no keychain is reachable and keeps the token for this run only', async () => {
    const settings = await open(unreachableKeytar());
    await expect
      .poll(() =>
        page
          .getByText(/keychain/i)
          .first()
          .textContent(),
      )
      .toMatch(/keychain/i);
    await settings.keepTokenForThisRun(stack.proxy.token);
    await expect.poll(() => settings.tokenStatus.textContent()).toMatch(/this run only/i);
    await settings.testConnection();
    await expect.poll(() => settings.connectionResult.textContent()).toMatch(/Connected in \d+ ms/);
    await screenshot(page, 'settings-no-keychain');
  });

  it('rejects a base URL that is not http(s) with a message next to the field', async () => {
    const settings = await open(memoryKeytar());
    await settings.baseUrlInput.fill('ftp://example.com');
    await page.getByRole('button', { name: 'Save', exact: true }).first().click();
    await expect.poll(() => page.getByText(/must be an http\(s\) URL/).count()).toBeGreaterThan(0);
    const stored = stack.core.profiles.list()[0];
    expect(stored?.baseUrl).toBe(stack.proxy.url);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'settings-invalid-url-dark');
  });
});
