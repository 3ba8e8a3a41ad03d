/**
 * Settings → Tools in Chromium against the real core: the reference "everything" MCP server started for real,
 * run without asking saved in the core, disable/enable, a server that cannot start, a field error from main, a
 * pasted mcpServers JSON, removal, editing a server (rename, a stored env value replaced), "Try it" with Cancel,
 * and run without asking for HubDesk's own tools.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../src/shared/i18n';
import { english, resources } from '../src/shared/locales';
import { seriousViolations } from './e2e/axe';
import { launchBrowser, screenshot } from './e2e/browser';
import { SettingsPage } from './e2e/pages/settings.page';
import { ToolsSection } from './e2e/pages/tools.page';
import { binDir } from './support/mcp';
import { memoryKeytar } from './support/memory-keytar';
import { type Stack, startStack } from './support/stack';

const strings = english.settings.tools;
const node = process.execPath;
// A bare env has no PATH for the script's `#!/usr/bin/env node`: run it with this Node.
const everything = join(binDir, 'mcp-server-everything');
const READY = { timeout: 30_000 };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('Settings → Tools in the browser, with real MCP servers', { timeout: 90_000 }, () => {
  let stack: Stack;
  let page: Page;

  afterEach(async () => {
    await page?.close();
    await stack?.close();
  });

  async function open(): Promise<ToolsSection> {
    stack = await startStack({ keytar: memoryKeytar() });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(stack.transport.pageUrl);
    await new SettingsPage(page).open();
    const tools = new ToolsSection(page);
    await tools.section.scrollIntoViewIfNeeded();
    await expect.poll(() => tools.section.textContent()).toContain(strings.empty);
    expect(errors).toEqual([]);
    return tools;
  }

  it('adds the everything server, lists its tools, saves run-without-asking, disables and enables it', async () => {
    const tools = await open();
    expect(await tools.section.textContent()).toContain('hubdesk');

    await tools.addStdio('everything', node, [everything]);
    await expect.poll(() => tools.status('everything').textContent(), READY).toBe(strings.status.ready);
    expect(stack.core.tools.get('everything').transport).toMatchObject({
      type: 'stdio',
      command: node,
      args: [everything],
    });
    // Its tools are read right after the handshake.
    await expect.poll(() => stack.core.tools.get('everything').tools.length, READY).toBeGreaterThan(3);
    const count = stack.core.tools.get('everything').tools.length;
    await expect.poll(() => tools.server('everything').textContent()).toContain(`${count} tools`);

    const echo = await tools.tool('everything', 'echo');
    expect(await echo.textContent()).toMatch(/echo/i);
    const schema = echo.locator('details.tool-schema');
    await schema.locator('summary').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => schema.locator('pre').textContent()).toContain('"message"');

    const auto = echo.getByRole('checkbox', { name: strings.runWithoutAsking });
    expect(await auto.isChecked()).toBe(false);
    await auto.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => stack.core.tools.get('everything').autoApprove).toEqual(['echo']);
    expect(stack.core.tools.isAutoApproved('everything', 'echo')).toBe(true);
    await expect.poll(() => auto.isChecked()).toBe(true);
    expect(await page.evaluate('window.hubdeskMissingKeys()')).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'settings-tools-list', { element: tools.section });

    // The router agrees: the core's own answer to the window's channel.
    const listed = await stack.core.router.dispatch('tools.servers', {});
    expect(listed).toMatchObject({ ok: true, value: [{ name: 'everything', autoApprove: ['echo'] }] });

    const enabled = tools.server('everything').getByRole('checkbox', { name: strings.enabled });
    await enabled.uncheck();
    await expect.poll(() => tools.status('everything').textContent()).toBe(strings.status.disabled);
    expect(stack.core.tools.get('everything')).toMatchObject({ enabled: false, status: 'stopped' });
    // A disabled server cannot be started by hand.
    const start = tools.server('everything').getByRole('button', { name: strings.start });
    expect(await start.isDisabled()).toBe(true);
    await enabled.check();
    await expect.poll(() => tools.status('everything').textContent(), READY).toBe(strings.status.ready);
    expect(stack.core.tools.get('everything')).toMatchObject({ enabled: true, status: 'ready' });
    // Run-without-asking survives the restart.
    expect(await (await tools.tool('everything', 'echo')).getByRole('checkbox').isChecked()).toBe(true);
  });

  it('shows why a server failed with its stderr, and puts main’s field errors under their fields', async () => {
    const tools = await open();

    await tools.addStdio('ghost', '/nonexistent/hubdesk-no-such-server-7f3a');
    await expect.poll(() => tools.status('ghost').textContent(), READY).toBe(strings.status.failed);
    expect(await tools.server('ghost').getByRole('alert').textContent()).toContain(
      'The MCP server "ghost" cannot start',
    );

    const crash = "console.error('fatal: the API key is missing'); process.exit(3)";
    await tools.addStdio('crashy', node, ['-e', crash], ['API_KEY=']);
    await expect.poll(() => tools.status('crashy').textContent(), READY).toBe(strings.status.failed);
    const failure = tools.server('crashy').getByRole('alert');
    const stderr = failure.locator('details.tool-stderr');
    await stderr.locator('summary').click();
    await expect.poll(() => stderr.locator('pre').textContent()).toContain('fatal: the API key is missing');
    expect(stack.core.tools.get('crashy').status).toBe('failed');
    expect(await tools.server('crashy').textContent()).toContain('Environment: API_KEY');
    await screenshot(page, 'settings-tools-failed', { element: tools.list });

    // Restart tries again and says the same.
    await tools.server('crashy').getByRole('button', { name: strings.restart }).click();
    await expect.poll(() => tools.status('crashy').textContent(), READY).toBe(strings.status.failed);

    // Main refuses the name: the message is under the Name field, and nothing was added.
    await tools.addStdio('bad name!', node);
    const nameField = tools.addForm.getByLabel(strings.add.name, { exact: true });
    await expect.poll(() => nameField.getAttribute('aria-invalid')).toBe('true');
    const nameError = await page
      .locator(`#${(await nameField.getAttribute('aria-describedby')) ?? ''}`.replace(/:/g, '\\:'))
      .textContent();
    expect(nameError).toBe('Name may hold only letters, digits, - and _.');
    expect(stack.core.tools.list().map((server) => server.name)).toEqual(['ghost', 'crashy']);
    await screenshot(page, 'settings-tools-add-name-error', { element: tools.addForm });

    // A line the form cannot read is named before anything is sent.
    await tools.addStdio('envy', node, [], ['NO_EQUALS_SIGN']);
    await expect
      .poll(() => tools.addForm.textContent())
      .toContain('Environment variables: line 1 is not KEY=VALUE.');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'settings-tools-add-error', { element: tools.addForm });

    // An HTTP server: the header value goes to main, the page keeps only its name.
    const secret = 'Bearer e2e-secret-4711';
    await tools.addHttp('remote', 'http://127.0.0.1:9/mcp', [`Authorization: ${secret}`]);
    await expect.poll(() => tools.server('remote').count()).toBe(1);
    expect(await tools.server('remote').textContent()).toContain(`Authorization ${strings.headerSet}`);
    expect(stack.core.tools.get('remote').transport).toEqual({
      type: 'http',
      url: 'http://127.0.0.1:9/mcp',
      headerNames: ['Authorization'],
    });
    expect(await page.content()).not.toContain('e2e-secret-4711');
  });

  it('imports pasted mcpServers JSON, skipping names taken, and removes a server after asking', async () => {
    const tools = await open();
    await tools.addStdio('everything', node, [everything]);
    await expect.poll(() => tools.status('everything').textContent(), READY).toBe(strings.status.ready);

    await tools.importJson('{"mcpServers": {"everything": {"command": "x"}, "broken": ');
    await expect.poll(() => tools.importForm.textContent()).toContain('This is not valid JSON');
    expect(stack.core.tools.list()).toHaveLength(1);

    await tools.importJson(
      JSON.stringify({
        mcpServers: {
          everything: { command: node, args: [everything] },
          imported: { command: node, args: [everything], env: { LEVEL: 'debug' }, disabled: true },
        },
      }),
    );
    const result = tools.importForm.getByTestId('tool-import-result');
    await expect.poll(() => result.textContent()).toContain('Added 1 server: imported.');
    expect(await result.textContent()).toContain(
      'Skipped “everything”: a server with this name already exists.',
    );
    await expect.poll(() => tools.status('imported').textContent()).toBe(strings.status.disabled);
    expect(stack.core.tools.get('imported')).toMatchObject({
      enabled: false,
      transport: { envNames: ['LEVEL'] },
    });

    const dialog = page.getByRole('dialog');
    await tools.server('imported').getByRole('button', { name: strings.remove }).click();
    await expect.poll(() => dialog.textContent()).toContain('Remove “imported”?');
    await dialog.getByRole('button', { name: strings.cancel }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(stack.core.tools.list()).toHaveLength(2);

    await tools.server('imported').getByRole('button', { name: strings.remove }).click();
    await dialog.getByRole('button', { name: strings.removeConfirm }).click();
    await expect.poll(() => tools.server('imported').count()).toBe(0);
    expect(stack.core.tools.list().map((server) => server.name)).toEqual(['everything']);
  });

  it('edits a server (rename, env value replaced, never shown), tries a tool, cancels a slow one; HubDesk’s own tools', async () => {
    const tools = await open();
    await tools.addStdio('everything', node, [everything], ['GREETING=hello-e2e-secret']);
    await expect.poll(() => tools.status('everything').textContent(), READY).toBe(strings.status.ready);
    await expect.poll(() => stack.core.tools.get('everything').tools.length, READY).toBeGreaterThan(3);

    const form = await tools.edit('everything');
    const name = form.getByLabel(strings.add.name, { exact: true });
    await expect.poll(() => name.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await name.inputValue()).toBe('everything');
    expect(await form.textContent()).toContain(`GREETING ${strings.edit.valueSet}`);
    expect(await page.content()).not.toContain('hello-e2e-secret');

    // A name main refuses: the message under Name, nothing changed.
    await name.fill('bad name!');
    await form.getByRole('button', { name: strings.edit.save }).click();
    await expect.poll(() => name.getAttribute('aria-invalid')).toBe('true');
    expect(await form.textContent()).toContain('Name may hold only letters, digits, - and _');
    expect(stack.core.tools.list().map((server) => server.name)).toEqual(['everything']);

    await name.fill('demo');
    expect(await name.getAttribute('aria-invalid')).toBeNull();
    await form.getByRole('button', { name: strings.edit.replaceOf.replace('{{name}}', 'GREETING') }).click();
    await form.getByLabel(strings.edit.newValueOf.replace('{{name}}', 'GREETING')).fill('bonjour-e2e');
    await form.getByLabel(strings.edit.moreEnv, { exact: true }).fill('EXTRA_FLAG=1');
    await screenshot(page, 'settings-tools-edit', { element: form });
    await form.getByRole('button', { name: strings.edit.save }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => tools.server('demo').count(), READY).toBe(1);
    await expect.poll(() => tools.status('demo').textContent(), READY).toBe(strings.status.ready);
    expect(await tools.server('everything').count()).toBe(0);
    expect(stack.core.tools.get('demo').transport).toMatchObject({ envNames: ['GREETING', 'EXTRA_FLAG'] });
    const env = await stack.core.tools.call('demo', 'get-env', {});
    expect(JSON.stringify(env.content)).toContain('bonjour-e2e');
    expect(await page.content()).not.toContain('bonjour-e2e');
    // The Edit button has the focus back.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ''))
      .toBe(strings.edit.open);

    // Try it: the draft holds the required property; a wrong type is named before anything runs.
    const tryEcho = await tools.tryTool('demo', 'echo');
    const args = tryEcho.getByLabel(strings.try.arguments);
    expect(JSON.parse(await args.inputValue())).toEqual({ message: '' });
    await args.fill('{"message": 42}');
    await tryEcho.getByRole('button', { name: strings.try.run }).click();
    await expect.poll(() => tryEcho.textContent()).toContain('“message” must be of type string.');
    await args.fill('{"message": "hi from try it"}');
    await args.press('Control+Enter');
    await expect
      .poll(() => tryEcho.getByTestId('tool-output').textContent(), READY)
      .toBe('Echo: hi from try it');

    // A slow tool, cancelled: main stops the call, the server stays ready and answers the next one.
    const slow = await tools.tryTool('demo', 'trigger-long-running-operation');
    await slow.getByLabel(strings.try.arguments).fill('{"duration": 60, "steps": 60}');
    await slow.getByRole('button', { name: strings.try.run }).click();
    const cancel = slow.getByRole('button', { name: strings.try.cancel });
    await expect.poll(() => cancel.count()).toBe(1);
    await screenshot(page, 'settings-tools-try-running', {
      element: await tools.tool('demo', 'trigger-long-running-operation'),
    });
    await cancel.click();
    await expect.poll(() => slow.textContent(), READY).toContain(strings.try.cancelled);
    expect(stack.core.tools.get('demo').status).toBe('ready');
    await tryEcho.getByRole('button', { name: strings.try.run }).click();
    await expect
      .poll(() => tryEcho.getByTestId('tool-output').textContent(), READY)
      .toBe('Echo: hi from try it');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.evaluate('window.hubdeskMissingKeys()')).toEqual([]);
    await screenshot(page, 'settings-tools-try', { element: tools.server('demo') });

    // HubDesk's own tools: run without asking, saved in the core.
    const builtin = page.getByTestId('builtin-tools');
    await builtin.locator('details.tool-list-details > summary').click();
    const search = builtin.getByRole('listitem', { name: 'search_library', exact: true });
    await search.getByRole('checkbox', { name: strings.runWithoutAsking }).check();
    await expect.poll(() => stack.core.tools.isAutoApproved('hubdesk', 'search_library')).toBe(true);
    const listVideos = builtin.getByRole('listitem', { name: 'list_videos', exact: true });
    await listVideos
      .getByRole('button', { name: strings.try.openOf.replace('{{tool}}', 'list_videos') })
      .click();
    const tryVideos = listVideos.getByTestId('tool-try');
    await tryVideos.getByRole('button', { name: strings.try.run }).click();
    await expect.poll(() => tryVideos.getByTestId('tool-output').textContent(), READY).toContain('No videos');
    await screenshot(page, 'settings-tools-builtin', { element: builtin });
  });
});

describe('tool servers’ refusals, worded in the window’s language', { timeout: 90_000 }, () => {
  let stack: Stack;
  let page: Page;

  afterEach(async () => {
    await page?.close();
    await stack?.close();
  });

  for (const language of ['zh-CN', 'vi'] as const satisfies readonly Language[]) {
    it(`says in ${language} that a server name is taken (adding, renaming) and why a server cannot start`, async () => {
      const words = resources[language] as typeof english;
      const tools = words.settings.tools;
      const taken = (server: string) => words.errors.reasons.mcpServerExists.replace('{{server}}', server);
      stack = await startStack({ keytar: memoryKeytar(), systemLanguages: [language] });
      for (const name of ['docs', 'notes']) {
        const added = await stack.core.router.dispatch('tools.addServer', {
          name,
          transport: { type: 'stdio', command: node, args: [everything] },
        });
        expect(added).toMatchObject({ ok: true });
        await stack.core.tools.setEnabled(name, false);
      }
      const missing = 'hubdesk-no-such-server-7f3a';
      await stack.core.router.dispatch('tools.addServer', {
        name: 'ghost',
        transport: { type: 'stdio', command: missing },
      });
      page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(stack.transport.pageUrl);
      await new SettingsPage(page).open(words.common.nav.settings);
      const section = page.getByTestId('tools-section');
      await section.scrollIntoViewIfNeeded();
      const list = section.getByRole('list', { name: tools.listLabel });
      await expect.poll(() => list.getByRole('listitem', { name: 'notes', exact: true }).count()).toBe(1);

      // Settings starts the enabled server: its command is nowhere, and the window says so in its language.
      const ghost = list.getByRole('listitem', { name: 'ghost', exact: true });
      await expect
        .poll(() => ghost.getByTestId('tool-server-status').textContent(), READY)
        .toBe(tools.status.failed);
      const notFound = words.errors.reasons.mcpCommandNotOnPath
        .replace('{{server}}', 'ghost')
        .replace('{{command}}', missing);
      expect(await ghost.getByRole('alert').locator('.error-message').textContent()).toBe(notFound);
      await screenshot(page, `settings-tools-command-not-found-${language}`, { element: ghost });

      // Adding a second "Docs": main refuses the name (any case), the window says so under Name in its language.
      const addForm = section.locator('form.tool-add-form');
      await addForm.getByRole('radio', { name: tools.add.kinds.stdio }).check();
      const addName = addForm.getByLabel(tools.add.name, { exact: true });
      await addName.fill('Docs');
      await addForm.getByLabel(tools.add.command, { exact: true }).fill(node);
      await addForm.getByRole('button', { name: tools.add.submit }).click();
      await expect.poll(() => addName.getAttribute('aria-invalid')).toBe('true');
      const addError = page.locator(`[id="${(await addName.getAttribute('aria-describedby')) ?? ''}"]`);
      expect(await addError.textContent()).toBe(taken('Docs'));
      expect(await addForm.textContent()).not.toContain('already exists');
      expect(stack.core.tools.list().map((server) => server.name)).toEqual(['docs', 'notes', 'ghost']);
      await screenshot(page, `settings-tools-name-taken-${language}`, { element: addForm });

      // Renaming "notes" to "docs": the same refusal, under the edit form's Name.
      const notes = list.getByRole('listitem', { name: 'notes', exact: true });
      await notes.getByRole('button', { name: tools.edit.openOf.replace('{{name}}', 'notes') }).click();
      const editForm = notes.locator('form.tool-edit-form');
      const editName = editForm.getByLabel(tools.add.name, { exact: true });
      await editName.fill('docs');
      await editForm.getByRole('button', { name: tools.edit.save }).click();
      await expect.poll(() => editName.getAttribute('aria-invalid')).toBe('true');
      expect(await editForm.textContent()).toContain(taken('docs'));
      expect(stack.core.tools.list().map((server) => server.name)).toEqual(['docs', 'notes', 'ghost']);
      expect(await page.evaluate('window.hubdeskMissingKeys()')).toEqual([]);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `settings-tools-rename-taken-${language}`, { element: editForm });
      expect(errors).toEqual([]);
    });
  }
});
