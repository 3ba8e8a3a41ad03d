/**
 * Settings → Tools in Chromium: an HTTP MCP server that requires OAuth (a real SDK server on 127.0.0.1) says it
 * needs a sign-in; "Sign in" from the keyboard sends main's browser (played by the test: it follows the URL with
 * fetch) to the authorization page, which comes back to HubDesk's loopback listener; "Sign out" forgets it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { english } from '../src/shared/locales';
import { seriousViolations } from './e2e/axe';
import { launchBrowser, screenshot } from './e2e/browser';
import { SettingsPage } from './e2e/pages/settings.page';
import { ToolsSection } from './e2e/pages/tools.page';
import { type McpOAuthServer, startMcpOAuthServer } from './support/mcp-oauth-server';
import { memoryKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';

const strings = english.settings.tools;
const READY = { timeout: 30_000 };

let browser: Browser;
let server: McpOAuthServer;
beforeAll(async () => {
  browser = await launchBrowser();
  server = await startMcpOAuthServer();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Settings → Tools: signing in to an MCP server with OAuth', { timeout: 90_000 }, () => {
  let stack: Stack;
  let page: Page;

  afterAll(async () => {
    await page?.close();
    await stack?.close();
  });

  it('needs sign-in, signs in from the keyboard, then signs out', async () => {
    const opened: string[] = [];
    const pages: { status: number; text: string }[] = [];
    stack = await startStack({
      keytar: memoryKeytar(),
      openAuthorizationUrl: (url) => {
        opened.push(url);
      },
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(stack.transport.pageUrl);
    await new SettingsPage(page).open();
    const tools = new ToolsSection(page);
    await tools.section.scrollIntoViewIfNeeded();

    await tools.addHttp('secure', server.mcpUrl, []);
    await expect
      .poll(() => tools.status('secure').textContent(), READY)
      .toBe(strings.status['needs-sign-in']);
    const item = tools.server('secure');
    await expect.poll(() => item.getByTestId('tool-server-sign-in').textContent()).toBe(strings.signInNeeded);
    expect(await item.getByRole('button', { name: strings.signOut }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'tools-needs-sign-in', { element: item });

    const signIn = item.getByRole('button', { name: strings.signIn });
    await signIn.focus();
    await page.keyboard.press('Enter');
    // Main opened the browser; until it comes back, the item says what it waits for.
    await expect.poll(() => opened.length, READY).toBe(1);
    await expect
      .poll(() => item.getByRole('button', { name: strings.signingIn }).getAttribute('aria-busy'))
      .toBe('true');
    expect(await item.textContent()).toContain(strings.signInWaiting);
    expect(await tools.status('secure').textContent()).toBe(strings.status['needs-sign-in']);
    await screenshot(page, 'tools-signing-in', { element: item });
    const response = await fetch(opened[0] ?? '');
    pages.push({ status: response.status, text: await response.text() });
    await expect.poll(() => tools.status('secure').textContent(), READY).toBe(strings.status.ready);
    expect(new URL(opened[0] ?? '').origin).toBe(server.url);
    expect(pages).toEqual([expect.objectContaining({ status: 200 })]);
    await expect.poll(() => item.textContent()).toContain('1 tool');
    const signOut = item.getByRole('button', { name: strings.signOut });
    expect(await signOut.isVisible()).toBe(true);
    expect(await item.getByRole('button', { name: strings.signIn }).count()).toBe(0);
    await screenshot(page, 'tools-signed-in', { element: item });

    await signOut.focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => tools.status('secure').textContent(), READY)
      .toBe(strings.status['needs-sign-in']);
    expect(await item.getByRole('button', { name: strings.signIn }).isVisible()).toBe(true);
    expect(errors).toEqual([]);
  });
});
