import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { BUILTIN_TOOL_SERVER } from '../src/shared/tools';
import { screenshot } from './e2e/browser';
import { ChatPage } from './e2e/pages/chat.page';
import { browserPerFile, windowPerTest } from './e2e/window-per-test';
import { FolderTools } from './support/file-tools';
import { binDir } from './support/mcp';
import type { Stack } from './support/stack';

const browser = browserPerFile();

describe('Tool calls in the browser: the chat offers a server, the user approves, denies, edits or stops', () => {
  let dir: string;
  const app = windowPerTest(browser, {
    failedName: 'failed-tools',
    prepare: async (stack) => {
      dir = await mkdtemp(join(tmpdir(), 'hubdesk-e2e-tools-'));
      await writeFile(
        join(dir, 'forecasts.json'),
        JSON.stringify({ Paris: 'sunny, 21°', Tokyo: 'rain, 14°' }),
      );
      await writeFile(join(dir, 'clock.txt'), '12:00 UTC\n');
      // A real provider under the built-in server's name, so the chat settings list it and its answers are known.
      stack.core.toolRegistry.register(new FolderTools(BUILTIN_TOOL_SERVER, dir));
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  });
  let stack: Stack;
  let page: Page;
  let chat: ChatPage;

  beforeEach(async () => {
    ({ stack, page } = app);
    chat = new ChatPage(page);
    await chat.open();
  });

  const opened = () => stack.core.chat.open(stack.core.chat.listConversations()[0]!.id);
  const conversation = () => opened().conversation;
  const storedCalls = () => opened().messages.at(-1)?.toolCalls ?? [];
  const approval = (): Locator => chat.lastAssistant().getByTestId('tool-approval');
  const toolCall = (): Locator => chat.lastAssistant().getByTestId('tool-call').first();

  /** Ticks the built-in server in Chat settings and waits until the conversation keeps it. */
  async function offerTools(): Promise<void> {
    await page.getByRole('button', { name: 'Chat settings' }).click();
    const picker = page.getByTestId('tools-picker');
    await picker.getByRole('checkbox', { name: /^hubdesk/ }).check();
    await expect.poll(() => conversation().params.toolServers).toEqual([BUILTIN_TOOL_SERVER]);
    await page.getByText('Tool settings saved').waitFor();
    await page.getByRole('button', { name: 'Close chat settings' }).click();
  }

  it('offers the chosen server, asks with the full arguments, runs the call once allowed, and folds its result', async () => {
    await page.getByRole('button', { name: 'Chat settings' }).click();
    const picker = page.getByTestId('tools-picker');
    await picker.getByLabel('Tool calls').selectOption('ask');
    await picker.getByLabel('Max tool rounds per reply').fill('3');
    await expect.poll(() => conversation().params.maxToolSteps).toBe(3);
    await picker.getByLabel('Max tool rounds per reply').fill('0');
    expect(await picker.getByText('A whole number from 1 to 100.').isVisible()).toBe(true);
    await picker.getByLabel('Max tool rounds per reply').fill('4');
    await expect.poll(() => conversation().params.maxToolSteps).toBe(4);
    await picker.getByRole('checkbox', { name: /^hubdesk/ }).check();
    await expect.poll(() => conversation().params.toolServers).toEqual([BUILTIN_TOOL_SERVER]);
    await screenshot(page, 'tools-chat-settings', { element: picker });
    await picker.getByRole('checkbox', { name: /^hubdesk/ }).uncheck();
    await expect.poll(() => conversation().params.toolServers).toBeUndefined();
    await page.getByRole('button', { name: 'Close chat settings' }).click();
    await offerTools();

    await chat.send('What is the weather in Paris?');
    await approval().waitFor({ timeout: 15_000 });
    expect(await toolCall().getAttribute('data-status')).toBe('waiting');
    expect(await approval().getByText('Run get_weather from hubdesk?').isVisible()).toBe(true);
    const shown = JSON.parse((await approval().locator('pre').textContent()) ?? '');
    expect(shown).toEqual({ city: 'Paris', unit: 'celsius' });
    // Focus moves to the card, so the keyboard can answer it.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('tool-approval');
    // The built-in server's tools can be allowed always too (kept in Settings → Tools under hubdesk).
    expect(await approval().getByRole('button', { name: 'Always allow this tool' }).count()).toBe(1);
    await screenshot(page, 'tools-approval-card', { element: chat.lastAssistant() });

    await approval().getByRole('button', { name: 'Allow once' }).click();
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    expect(await chat.lastAssistant().textContent()).toContain('Tool result: Paris: sunny, 21°');
    expect(await toolCall().getAttribute('data-status')).toBe('done');
    expect(await approval().count()).toBe(0);

    const result = toolCall().getByTestId('tool-result');
    expect(await result.evaluate((node) => (node as HTMLDetailsElement).open)).toBe(false);
    expect(await result.getByText('Paris: sunny, 21°').isVisible()).toBe(false);
    await result.getByText('Result', { exact: true }).click();
    expect(await result.getByText('Paris: sunny, 21°').isVisible()).toBe(true);
    await screenshot(page, 'tools-finished-call', { element: chat.lastAssistant() });
    await result.getByText('Result', { exact: true }).click();
    expect(await result.getByText('Paris: sunny, 21°').isVisible()).toBe(false);

    const [stored] = storedCalls();
    expect(stored).toMatchObject({
      server: 'hubdesk',
      tool: 'get_weather',
      status: 'done',
      approval: 'allowed',
    });
  });

  it('Enter on the focused card allows the call', async () => {
    await offerTools();
    await chat.send('Weather in Tokyo please');
    await approval().waitFor({ timeout: 15_000 });
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('tool-approval');
    await page.keyboard.press('Enter');
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    expect(await chat.lastAssistant().textContent()).toContain('Tool result: Tokyo: rain, 14°');
  });

  it('a denial (with its reason, from Escape) goes to the model instead of a result', async () => {
    await offerTools();
    await chat.send('What is the weather in Paris?');
    await approval().waitFor({ timeout: 15_000 });
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('tool-approval');
    await page.keyboard.press('Escape');
    const reason = approval().getByLabel('Why not? (optional, the model reads it)');
    await reason.fill('Ask about Tokyo instead');
    await reason.press('Enter');
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    expect(await toolCall().getAttribute('data-status')).toBe('denied');
    expect(await chat.lastAssistant().textContent()).toContain('Ask about Tokyo instead');
    await toolCall().getByText('Denied by you').waitFor();
    const [stored] = storedCalls();
    expect(stored).toMatchObject({ status: 'denied', approval: 'denied' });
    expect(JSON.stringify(stored?.result)).toContain('Ask about Tokyo instead');
  });

  it('edited arguments are checked as JSON, then the tool runs with them', async () => {
    await offerTools();
    await chat.send('What is the weather in Paris?');
    await approval().waitFor({ timeout: 15_000 });
    await approval().getByRole('button', { name: 'Edit arguments' }).click();
    const box = approval().getByLabel('Arguments (JSON)');
    expect(JSON.parse(await box.inputValue())).toEqual({ city: 'Paris', unit: 'celsius' });
    await box.fill('{"city": "Tokyo",');
    await approval().getByRole('button', { name: 'Allow with these arguments' }).click();
    expect(await approval().getByRole('alert').textContent()).toBe('Not valid JSON.');
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    await box.fill('["Tokyo"]');
    await approval().getByRole('button', { name: 'Allow with these arguments' }).click();
    expect(await approval().getByRole('alert').textContent()).toBe(
      'The arguments must be a JSON object ({…}).',
    );
    expect(await toolCall().getAttribute('data-status')).toBe('waiting');
    await box.fill('{"city": "Tokyo"}');
    await approval().getByRole('button', { name: 'Allow with these arguments' }).click();
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    expect(await chat.lastAssistant().textContent()).toContain('Tool result: Tokyo: rain, 14°');
    expect(await toolCall().getByText('Ran with arguments you edited.').isVisible()).toBe(true);
    const [stored] = storedCalls();
    expect(stored).toMatchObject({ status: 'done', approval: 'edited' });
    expect(JSON.parse(stored?.runArguments ?? '')).toEqual({ city: 'Tokyo' });
  });

  it('Stop while a call waits for approval ends the reply and cancels the call', async () => {
    await offerTools();
    await chat.send('What is the weather in Paris?');
    await approval().waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Stop' }).click();
    await chat.waitForStatus(chat.lastAssistant(), 'interrupted', 5000);
    await expect.poll(() => toolCall().getAttribute('data-status')).toBe('cancelled');
    expect(await approval().count()).toBe(0);
    expect(storedCalls()[0]?.status).toBe('cancelled');
    const toolCalls = stack.proxy.requests.filter((r) => r.path.startsWith('/v1/chat/completions'));
    expect(toolCalls).toHaveLength(1);
  });

  it('"Always allow this tool" on an MCP server runs the call and stops asking for that tool', async () => {
    const added = await stack.core.router.dispatch('tools.addServer', {
      name: 'everything',
      transport: { type: 'stdio', command: process.execPath, args: [join(binDir, 'mcp-server-everything')] },
    });
    expect(added).toMatchObject({ ok: true });
    const ready = await stack.core.router.dispatch('tools.restart', { name: 'everything' });
    expect(ready, JSON.stringify(ready)).toMatchObject({ ok: true, value: { status: 'ready' } });

    await page.getByRole('button', { name: 'Chat settings' }).click();
    const everything = page.getByTestId('tools-picker').getByRole('checkbox', { name: /^everything/ });
    await everything.check();
    await expect.poll(() => conversation().params.toolServers).toEqual(['everything']);
    await page.getByRole('button', { name: 'Close chat settings' }).click();

    await chat.send('What is the weather in Paris?');
    await approval().waitFor({ timeout: 15_000 });
    const tool = (await toolCall().getAttribute('data-tool')) ?? '';
    expect(tool).not.toBe('');
    await approval().getByRole('button', { name: 'Always allow this tool' }).click();
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    expect(await approval().count()).toBe(0);
    expect(storedCalls()[0]).toMatchObject({ server: 'everything', tool, approval: 'allowed' });
    const servers = await stack.core.router.dispatch('tools.servers', { connect: false });
    expect(JSON.stringify(servers)).toContain(`"autoApprove":["${tool}"]`);

    await chat.send('And the weather in Tokyo?');
    await chat.waitForStatus(chat.lastAssistant(), 'complete');
    expect(storedCalls()[0]).toMatchObject({ server: 'everything', tool });
    expect(storedCalls()[0]?.status).not.toBe('waiting');
    expect(await chat.lastAssistant().getByTestId('tool-approval').count()).toBe(0);
  });
});
