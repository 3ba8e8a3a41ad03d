import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../src/shared/i18n';
import { type english, resources } from '../src/shared/locales';
import { seriousViolations } from './e2e/axe';
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

  async function open(
    keytar: Parameters<typeof startStack>[0]['keytar'],
    language: Language = 'en',
  ): Promise<SettingsPage> {
    stack = await startStack({ keytar, systemLanguages: [language] });
    page = await browser.newPage({
      viewport: { width: 1200, height: 800 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(stack.transport.pageUrl);
    const settings = new SettingsPage(page);
    await settings.open((resources[language] as typeof english).common.nav.settings);
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

  for (const language of ['en', 'zh-CN', 'vi'] as const) {
    it(`Test connection with no token says so in one sentence with where to set one, not that it was refused (${language})`, async () => {
      const strings = resources[language] as typeof english;
      const settings = await open(memoryKeytar(), language);
      const before = stack.proxy.requests.length;
      await page.getByRole('button', { name: strings.settings.connection.test }).click();
      const { message, advice } = strings.common.plainErrors.noToken;
      await expect.poll(() => settings.connectionResult.textContent()).toBe(`${message}${advice}`);
      await expect
        .poll(() => settings.connectionResult.locator('p').allTextContents())
        .toEqual([message, advice]);
      const text = (await settings.connectionResult.textContent()) ?? '';
      expect(text).not.toContain(strings.common.errors.advice.auth);
      expect(text).not.toContain('no_token');
      expect(stack.proxy.requests.length).toBe(before);
      await screenshot(page, `settings-test-no-token-${language}`, {
        element: settings.connectionResult.locator('xpath=..'),
      });
    });
  }

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

  it('asks before a new base URL gets the token, and keeps a proxy password out of the page', async () => {
    const keytar = memoryKeytar();
    const settings = await open(keytar);
    await settings.saveToken(stack.proxy.token);
    await expect.poll(() => settings.tokenStatus.textContent()).toMatch(/set.*keychain/i);
    const save = page.getByRole('button', { name: 'Save', exact: true }).first();
    const dialog = page.getByRole('dialog');

    await settings.baseUrlInput.fill('https://elsewhere.example/v1');
    await save.click();
    await expect.poll(() => dialog.textContent()).toContain('https://elsewhere.example');
    await screenshot(page, 'settings-confirm-token-origin');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(stack.core.profiles.list()[0]?.baseUrl).toBe(stack.proxy.url);

    await save.click();
    await dialog.getByRole('button', { name: 'Save and send the token there' }).click();
    await expect.poll(() => stack.core.profiles.list()[0]?.baseUrl).toBe('https://elsewhere.example/v1');

    // Back to the proxy's own origin (asked again), with an HTTP proxy that has a password.
    const password = 'proxy-pass-e2e-4711';
    await settings.baseUrlInput.fill(stack.proxy.url);
    await page.getByLabel('Proxy URL').fill(`http://me:${password}@127.0.0.1:3128`);
    await save.click();
    await dialog.getByRole('button', { name: 'Save and send the token there' }).click();
    await expect.poll(() => stack.core.profiles.list()[0]?.proxyUrl).toBe('http://127.0.0.1:3128');
    await expect.poll(() => page.getByLabel('Proxy URL').inputValue()).toBe('http://127.0.0.1:3128');
    await expect.poll(() => page.getByText(/password for this proxy are saved/).count()).toBe(1);
    expect([...keytar.entries.values()]).toContain(`me:${password}`);
    expect(await page.content()).not.toContain(password);
  });

  /**
   * The doctor in the window, in each language: English with everything fine, Chinese with no keychain (a warning),
   * Vietnamese with a refused token (a failure). The report copied is English in every language.
   */
  const diagnosticsCases: { language: Language; keychain: 'memory' | 'none'; token: 'good' | 'wrong' }[] = [
    { language: 'en', keychain: 'memory', token: 'good' },
    { language: 'zh-CN', keychain: 'none', token: 'good' },
    { language: 'vi', keychain: 'memory', token: 'wrong' },
  ];
  for (const { language, keychain, token } of diagnosticsCases) {
    it(`runs the diagnostics from the keyboard and copies the English report (${language})`, async () => {
      const settings = await open(keychain === 'memory' ? memoryKeytar() : unreachableKeytar(), language);
      const strings = (resources[language] as typeof english).doctor;
      const profileId = stack.core.settings.activeProfile().id;
      await stack.core.settings.setToken(
        profileId,
        token === 'good' ? stack.proxy.token : 'sk-wrong-token-000000',
        'session',
      );
      const diagnostics = settings.diagnostics(strings);
      await diagnostics.section.scrollIntoViewIfNeeded();
      await expect.poll(() => diagnostics.runButton.textContent()).toBe(strings.run);
      // Before a report there is nothing to copy, so there is no Copy button.
      expect(await diagnostics.copyButton.count()).toBe(0);
      await screenshot(page, `settings-diagnostics-${language}-before`, { element: diagnostics.section });

      // The proxy answers the connection test slowly, so the running state can be seen.
      stack.proxy.addFault({ match: '/v1/chat/completions', fault: { type: 'latency', ms: 1500 } });
      await diagnostics.runWithConnectionTest();
      expect(await diagnostics.includeConnectionTest.isChecked()).toBe(true);
      await expect.poll(() => diagnostics.status.textContent()).toBe(strings.runningOnline);
      expect(await diagnostics.runButton.textContent()).toBe(strings.running);
      expect(await diagnostics.runButton.isDisabled()).toBe(true);
      expect(await diagnostics.runButton.getAttribute('aria-busy')).toBe('true');
      await screenshot(page, `settings-diagnostics-${language}-running`, { element: diagnostics.section });

      const expected = keychain === 'none' ? 'warn' : token === 'wrong' ? 'fail' : 'ok';
      await expect
        .poll(() => diagnostics.status.textContent(), { timeout: 15_000 })
        .toContain(strings.summary[expected]);
      expect(await diagnostics.checks.count()).toBe(8);
      expect(await diagnostics.runButton.textContent()).toBe(strings.runAgain);
      const connection = diagnostics.check(strings.checks.connection);
      expect(await connection.textContent()).toContain(
        token === 'good'
          ? strings.notes.connection.ok
          : strings.notes.connection.failed.replace(/\{\{detail\}\}.*/, ''),
      );
      expect(await connection.textContent()).toContain(strings.status[token === 'good' ? 'ok' : 'fail']);
      if (keychain === 'none') {
        expect(await diagnostics.check(strings.checks.keytar).textContent()).toContain(strings.status.warn);
      }
      const database = await diagnostics.check(strings.checks.database).textContent();
      expect(database).toContain(strings.notes.database.ok);
      expect(database).toContain(strings.facts.quickCheck);
      expect(await page.content()).not.toContain('sk-wrong-token-000000');
      expect(await page.evaluate('window.hubdeskMissingKeys()')).toEqual([]);
      expect(await seriousViolations(page)).toEqual([]);

      // Copy: the English text `hubdesk doctor` prints, whatever the window's language.
      await diagnostics.copyButton.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => diagnostics.status.textContent()).toContain(strings.copied);
      const copied = (await page.evaluate('navigator.clipboard.readText()')) as string;
      const lines = copied.split('\n');
      expect(lines[0]).toMatch(/^HubDesk doctor: HubDesk \d+\.\d+\.\d+, .+ UTC$/);
      expect(lines).toHaveLength(1 + 8 + 1);
      expect(copied).toContain('ok    Database: quick_check finds no problems, and the schema is current.');
      expect(copied).toMatch(
        token === 'good'
          ? /^ok {4}Connection: The base URL answers and the token is accepted\. .*Latency: \d+ ms/m
          : /^FAIL {2}Connection: The test call failed: .*401.* The API token was refused\./m,
      );
      if (keychain === 'none')
        expect(copied).toMatch(
          /^warn {2}Keychain \(keytar\): The keychain module loads, but no keychain answers\./m,
        );
      expect(copied).not.toContain('sk-wrong-token-000000');
      await screenshot(page, `settings-diagnostics-${language}`, { element: diagnostics.section });
      if (token === 'wrong') {
        await page.emulateMedia({ colorScheme: 'dark' });
        expect(await seriousViolations(page)).toEqual([]);
        await screenshot(page, `settings-diagnostics-${language}-dark`, { element: diagnostics.section });
      }
    }, 60_000);
  }
});
