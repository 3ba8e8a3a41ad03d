/**
 * The Electron shell as it is built: out/main/index.js (what Electron runs) under plain Node with a recording
 * stand-in for `electron` (test/shell/), out/preload/index.cjs in a world where only `electron` can be required,
 * and out/renderer in Chromium wired to both. `npm test` builds out/ first (`npm run build`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invalidInput } from '../src/main/base/errors';
import { englishMenuLabels, menuLabels, PROXY_DOCS_URL } from '../src/main/shell/menu';
import { APP_ID } from '../src/main/shell/notifications';
import { channelNames, channels, eventNames } from '../src/shared/contract';
import { launchBrowser, screenshot } from './e2e/browser';
import { ChatPage } from './e2e/pages/chat.page';
import { type FakeProxy, startFakeProxy } from './fake-proxy/index';
import { evaluatePreload } from './shell/preload';
import type { CallRecord } from './shell/protocol';
import { openShellPage } from './shell/renderer';
import {
  firstArgs,
  outDir,
  preloadBundle,
  rendererDir,
  type ShellRun,
  startShell,
} from './shell/shell-process';

interface MenuItem {
  label?: string;
  role?: string;
  submenu?: MenuItem[];
}

const REFUSED = {
  ok: false,
  error: { kind: 'invalid_input', message: 'Calls are accepted only from HubDesk.' },
};

/** The application menu the shell set last. */
function currentMenu(shell: ShellRun): MenuItem[] {
  const record = shell.calls('Menu.setApplicationMenu').at(-1);
  if (!record) throw new Error('No application menu was set');
  return record.args[0] as MenuItem[];
}

function allItems(items: MenuItem[]): MenuItem[] {
  return items.flatMap((item) => [item, ...allItems(item.submenu ?? [])]);
}

const seqOf = (record: CallRecord | undefined) => record?.seq ?? Number.NaN;

/**
 * The database file as the shell opened it (from `app.info`, resolved against the shell's working folder). On the
 * Windows run the bundle resolves HUBDESK_DATA_DIR with path.win32, which on this POSIX machine yields a relative
 * `\tmp\…\data` folder name: it lands under the working folder, still inside the run's temporary folder.
 */
async function databasePath(shell: ShellRun): Promise<string> {
  const info = (await shell.invoke('app.info', {})) as { ok: true; value: { databasePath: string } };
  return resolve(shell.cwd, info.value.databasePath);
}

/**
 * A chat reply streamed from the proxy through the app's own HTTP client, as in any session: quitting then has
 * keep-alive connections to end before the database closes, not just a file.
 */
async function chatOnce(shell: ShellRun): Promise<void> {
  const created = (await shell.invoke('conversations.create', {})) as { ok: true; value: { id: string } };
  const sent = (await shell.invoke('chat.send', {
    conversationId: created.value.id,
    text: 'One more before quitting',
  })) as { ok: true; value: { streamId: string } };
  const end = await shell.waitFor(
    'webContents.send',
    (record) =>
      record.args[1] === 'chat.end' &&
      (record.args[2] as { streamId: string }).streamId === sent.value.streamId,
  );
  expect((end.args[2] as { message: { status: string } }).message.status).toBe('complete');
}

/** After the process has ended: SQLite removes the -wal file only when the last connection closes cleanly. */
function expectClosedCleanly(dbPath: string): void {
  expect(existsSync(dbPath)).toBe(true);
  expect(existsSync(`${dbPath}-wal`), 'the database was not closed before the process ended').toBe(false);
}

let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
});

describe('the built shell on Linux (packaged)', () => {
  let root: string;
  let proxy: FakeProxy;
  let shell: ShellRun;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hubdesk-shell-'));
    proxy = await startFakeProxy({ speed: 50 });
    shell = await startShell({
      root,
      platform: 'linux',
      env: {
        HUBDESK_TOKEN: proxy.token,
        HUBDESK_BASE_URL: proxy.url,
        // A packaged app must not trust (or load) a dev server named by its environment.
        ELECTRON_RENDERER_URL: 'http://127.0.0.1:1/',
      },
    });
  });

  afterAll(async () => {
    await shell?.kill();
    await proxy?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('starts and keeps running', () => {
    expect(shell.running(), `the shell ended at start-up:\n${shell.output.join('')}`).toBe(true);
    expect(shell.calls('dialog.showErrorBox')).toEqual([]);
  });

  it('registers the privileged app:// scheme before ready, and the protocol handler after it', () => {
    const schemes = shell.calls('protocol.registerSchemesAsPrivileged');
    expect(schemes).toHaveLength(1);
    expect(schemes[0]?.args[0]).toEqual([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ]);
    const ready = shell.calls('event:ready')[0];
    expect(seqOf(schemes[0])).toBeLessThan(seqOf(ready));
    expect(firstArgs(shell, 'protocol.handle')).toEqual(['app']);
  });

  it('registers one ipcMain handler per contract channel and answers only the app’s own frame', async () => {
    const handled = firstArgs(shell, 'ipcMain.handle') as string[];
    expect([...handled].sort()).toEqual([...channelNames].sort());
    expect(new Set(handled).size).toBe(handled.length);

    expect(await shell.invoke('app.info', {})).toMatchObject({
      ok: true,
      value: { dataDir: shell.dataDir, databasePath: join(shell.dataDir, 'hubdesk.sqlite') },
    });

    const intruder = { name: 'Intruder', baseUrl: 'https://evil.example' };
    const untrusted = [
      null,
      { url: 'https://evil.example/index.html' },
      { url: 'app://library/clip.txt' },
      { url: 'app://renderer.evil.example/index.html' },
      { url: pathToFileURL(join(rendererDir, 'index.html')).href },
      { url: 'http://127.0.0.1:1/' },
      { url: 'not a url' },
    ];
    for (const frame of untrusted) {
      expect(await shell.invoke('profiles.create', intruder, frame), JSON.stringify(frame)).toEqual(REFUSED);
    }
    const profiles = (await shell.invoke('profiles.list', {})) as {
      ok: true;
      value: { profiles: unknown[] };
    };
    expect(JSON.stringify(profiles.value.profiles)).not.toContain('Intruder');

    // Each handler reaches its own route: a request that is wrong for a channel fails that channel's schema.
    const probe = { unexpected: true };
    let compared = 0;
    for (const channel of channelNames) {
      const parsed = channels[channel].request.safeParse(probe);
      if (parsed.success) continue;
      compared += 1;
      expect(await shell.invoke(channel, probe), channel).toEqual({
        ok: false,
        error: invalidInput(parsed.error.issues),
      });
    }
    expect(compared).toBeGreaterThan(channelNames.length / 2);
  });

  it('opens one sandboxed, context-isolated window with the built preload and the app’s own page', () => {
    const windows = shell.calls('BrowserWindow.new');
    expect(windows).toHaveLength(1);
    const options = windows[0]?.args[1] as { show?: boolean; webPreferences: Record<string, unknown> };
    const preferences = options.webPreferences;
    expect(preferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    for (const risky of ['nodeIntegrationInWorker', 'nodeIntegrationInSubFrames', 'webviewTag']) {
      expect(preferences[risky], risky).not.toBe(true);
    }
    expect(preferences.webSecurity).not.toBe(false);
    expect(preferences.allowRunningInsecureContent).not.toBe(true);
    const preload = preferences.preload as string;
    expect(isAbsolute(preload)).toBe(true);
    expect(resolve(preload)).toBe(preloadBundle);
    expect(existsSync(preload)).toBe(true);

    expect(shell.calls('window.loadURL').map((record) => record.args[1])).toEqual([
      'app://renderer/index.html',
    ]);
    // Shown once painted, not as a blank window.
    expect(options.show).toBe(false);
    expect(seqOf(shell.calls('window.show')[0])).toBeGreaterThan(seqOf(shell.calls('window.loadURL')[0]));
  });

  it('keeps the window on the app: no navigation, no new windows, no webviews, no permissions but the clipboard', async () => {
    expect(await shell.command({ cmd: 'navigate', url: 'https://example.com/page' })).toEqual({
      prevented: true,
    });
    for (const url of [
      'app://renderer/other.html',
      'file:///etc/passwd',
      'http://example.com/',
      'javascript:1',
    ]) {
      expect(await shell.command({ cmd: 'navigate', url }), url).toEqual({ prevented: true });
    }
    expect(await shell.command({ cmd: 'open-window', url: 'https://example.org/x' })).toEqual({
      action: 'deny',
    });
    expect(await shell.command({ cmd: 'open-window', url: 'file:///etc/passwd' })).toEqual({
      action: 'deny',
    });
    // A middle- or Ctrl-click on a link reaches the window open handler: it opens nothing. A link leaves only
    // through app.openLink, which the page calls once the user has confirmed the full URL; only https, only to
    // the OS browser.
    expect(firstArgs(shell, 'shell.openExternal')).toEqual([]);
    expect(await shell.invoke('app.openLink', { url: 'https://example.org/x' })).toEqual({
      ok: true,
      value: { opened: true },
    });
    for (const url of [
      'file:///etc/passwd',
      'http://example.com/',
      'javascript:1',
      'https://u:p@example.com/',
    ]) {
      expect(await shell.invoke('app.openLink', { url }), url).toMatchObject({
        ok: false,
        error: { kind: 'invalid_input' },
      });
    }
    expect(
      await shell.invoke('app.openLink', { url: 'https://example.org/y' }, { url: 'https://evil.example/' }),
    ).toEqual(REFUSED);
    expect(firstArgs(shell, 'shell.openExternal')).toEqual(['https://example.org/x']);
    expect(await shell.command({ cmd: 'attach-webview' })).toEqual({ prevented: true });

    // Chromium asks the request handler before it prompts and the check handler when a page only asks whether it
    // may (navigator.permissions, the clipboard): both answer from the same list.
    expect(await shell.command({ cmd: 'permission', permission: 'clipboard-sanitized-write' })).toBe(true);
    expect(await shell.command({ cmd: 'permission-check', permission: 'clipboard-sanitized-write' })).toBe(
      true,
    );
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'hid',
      'serial',
      'usb',
      'fullscreen',
    ]) {
      expect(await shell.command({ cmd: 'permission', permission }), permission).toBe(false);
      expect(await shell.command({ cmd: 'permission-check', permission }), permission).toBe(false);
    }
  });

  it('leaves spellcheck off on Linux (its dictionaries come from Google) until the user turns it on', async () => {
    const options = shell.calls('BrowserWindow.new')[0]?.args[1] as {
      webPreferences: { spellcheck?: boolean };
    };
    expect(options.webPreferences.spellcheck).toBe(false);
    expect(firstArgs(shell, 'session.setSpellCheckerEnabled')).toEqual([false]);
    expect(await shell.invoke('spellcheck.get', {})).toEqual({ ok: true, value: { enabled: false } });
    expect(await shell.invoke('spellcheck.set', { enabled: true })).toEqual({
      ok: true,
      value: { enabled: true },
    });
    await shell.waitFor('session.setSpellCheckerEnabled', (record) => record.args[0] === true);
    expect(await shell.invoke('spellcheck.set', { enabled: false })).toEqual({
      ok: true,
      value: { enabled: false },
    });
    expect(firstArgs(shell, 'session.setSpellCheckerEnabled')).toEqual([false, true, false]);
  });

  it('serves the renderer and the library through app://, and nothing outside them', async () => {
    const index = await shell.fetch('app://renderer/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.body.equals(readFileSync(join(rendererDir, 'index.html')))).toBe(true);
    expect((await shell.fetch('app://renderer/')).body.equals(index.body)).toBe(true);
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(index.body.toString())?.[1];
    expect(script).toBeDefined();
    const asset = await shell.fetch(`app://renderer/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);

    const library = join(shell.dataDir, 'library');
    await mkdir(join(library, 'videos'), { recursive: true });
    await writeFile(join(library, 'videos', 'clip one.txt'), '0123456789');
    await symlink(tmpdir(), join(library, 'outside'));
    await writeFile(join(root, 'secret.txt'), 'not for the page');
    const clip = await shell.fetch('app://library/videos/clip%20one.txt');
    expect([clip.status, clip.body.toString()]).toEqual([200, '0123456789']);
    const part = await shell.fetch('app://library/videos/clip%20one.txt', {
      headers: { range: 'bytes=2-5' },
    });
    expect([part.status, part.body.toString(), part.headers.get('content-range')]).toEqual([
      206,
      '2345',
      'bytes 2-5/10',
    ]);

    // Files in the library are the user's and the providers': nothing there may run as a page of the app.
    const scriptable = '<script>parent.hub.invoke["token.status"]()</script>';
    for (const name of [
      'page.html',
      'page.htm',
      'image.svg',
      'feed.xml',
      'page.xhtml',
      'code.js',
      'style.css',
    ]) {
      await writeFile(join(library, 'videos', name), scriptable);
      const answer = await shell.fetch(`app://library/videos/${name}`);
      expect(answer.status, name).toBe(200);
      expect(answer.headers.get('content-type'), name).toBe('application/octet-stream');
      expect(answer.headers.get('content-disposition'), name).toBe('attachment');
      expect(answer.headers.get('x-content-type-options'), name).toBe('nosniff');
      expect(answer.headers.get('content-security-policy'), name).toBe("default-src 'none'; sandbox");
    }
    expect(
      (await shell.fetch('app://library/videos/clip%20one.txt')).headers.get('content-security-policy'),
    ).toBe("default-src 'none'; sandbox");

    // A transcript's audio: by its id, the original file where the user keeps it, and nothing else.
    const original = join(root, 'original interview.mp3');
    await writeFile(original, '0123456789');
    const db = new Database(await databasePath(shell), { fileMustExist: true });
    try {
      db.prepare(
        `INSERT INTO transcripts (id, file_name, source_path, size_bytes, model, timestamps, created_at, updated_at)
         VALUES ('t-shell', 'original interview.mp3', ?, 10, 'whisper-1', 1, 0, 0)`,
      ).run(original);
    } finally {
      db.close();
    }
    const audio = await shell.fetch('app://transcript-audio/t-shell', { headers: { range: 'bytes=1-3' } });
    expect([audio.status, audio.body.toString(), audio.headers.get('content-type')]).toEqual([
      206,
      '123',
      'audio/mpeg',
    ]);

    const secretFromTemp = `outside/${root.slice(tmpdir().length + 1)}/secret.txt`;
    const refused = [
      'app://renderer/..%2fmain%2findex.js',
      'app://renderer/%2e%2e%2fmain%2findex.js',
      'app://renderer/..%5cmain%5cindex.js',
      'app://renderer/%2fetc%2fpasswd',
      'app://library/..%2fhubdesk.sqlite',
      'app://library/..%2f..%2fsecret.txt',
      `app://library/${secretFromTemp}`,
      'app://library/',
      'app://transcript-audio/unknown',
      `app://transcript-audio/${encodeURIComponent(original)}`,
      'app://transcript-audio/..%2fhubdesk.sqlite',
      'app://main/index.js',
      'app://evil.example/index.html',
      'app://renderer.evil.example/index.html',
    ];
    for (const url of refused) {
      const answer = await shell.fetch(url);
      expect(answer.status, url).toBe(404);
      expect(answer.body.toString(), url).not.toMatch(/import|SQLite|not for the page|root:/);
    }
    expect((await shell.fetch('app://renderer/index.html', { method: 'POST' })).status).toBe(405);
    // Sanity: those files exist, so a 404 above was a refusal.
    expect(existsSync(join(outDir, 'main/index.js'))).toBe(true);
    expect(existsSync(join(shell.dataDir, 'hubdesk.sqlite'))).toBe(true);
  });

  it('sets the Linux menu, whose items reach the page, the browser and the data folder, and follows the language', async () => {
    const labels = englishMenuLabels;
    expect(currentMenu(shell).map((menu) => menu.label)).toEqual([
      labels.file,
      labels.edit,
      labels.view,
      labels.window,
      labels.help,
    ]);
    const roles = allItems(currentMenu(shell)).map((item) => item.role);
    expect(roles).toContain('quit');
    expect(roles).not.toContain('reload');
    expect(roles).not.toContain('toggleDevTools');

    const windowId = shell.calls('BrowserWindow.new')[0]?.args[0];
    await shell.command({ cmd: 'menu-click', path: [labels.file, labels.newChat] });
    const sent = await shell.waitFor('webContents.send', (record) => record.args[1] === 'menu.command');
    expect(sent.args).toEqual([windowId, 'menu.command', { command: 'new-chat' }]);

    await shell.command({ cmd: 'menu-click', path: [labels.help, labels.proxyDocs] });
    await shell.command({ cmd: 'menu-click', path: [labels.help, labels.dataFolder] });
    expect(firstArgs(shell, 'shell.openExternal')).toContain(new URL(PROXY_DOCS_URL).href);
    expect(firstArgs(shell, 'shell.openPath')).toEqual([shell.dataDir]);

    const menus = shell.calls('Menu.setApplicationMenu').length;
    expect(await shell.invoke('language.set', { setting: 'zh-CN' })).toMatchObject({ ok: true });
    await shell.waitFor(
      'Menu.setApplicationMenu',
      () => shell.calls('Menu.setApplicationMenu').length > menus,
    );
    expect(currentMenu(shell)[0]?.label).toBe(menuLabels('zh-CN').file);
    expect(await shell.invoke('language.set', { setting: 'system' })).toMatchObject({ ok: true });
    await shell.waitFor('Menu.setApplicationMenu', () => currentMenu(shell)[0]?.label === labels.file);
  });

  it('runs the built renderer in Chromium on the shell’s IPC and protocol: a streamed chat reply', async () => {
    browser ??= await launchBrowser();
    const shellPage = await openShellPage(shell, browser);
    const { page } = shellPage;
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await page.goto(`${shellPage.origin}/index.html`);
      expect(await page.evaluate(() => Object.keys((window as unknown as { hub: object }).hub))).toEqual([
        'invoke',
        'on',
        'pathForFile',
      ]);
      const chat = new ChatPage(page);
      await chat.open();
      await chat.send('Hello from the shell');
      await chat.waitForStatus(chat.lastAssistant(), 'complete');
      expect(await chat.lastAssistant().textContent()).toContain('Echo: Hello from the shell');
      await screenshot(page, 'shell-chat');

      // The reply came from the fake proxy, with the token of this run, and reached the page as events the
      // shell sent to its window.
      // After it, the shell asks the model for the conversation's title (one more request, never streamed).
      const calls = proxy.requests.filter((request) => request.path.startsWith('/v1/chat/completions'));
      const [reply, title] = calls;
      expect(calls).toHaveLength(2);
      expect(reply?.headers.authorization).toBe(`Bearer ${proxy.token}`);
      expect(reply?.body.toString()).toContain('Hello from the shell');
      expect(title?.body.toString()).toContain('Write a short title for this conversation.');
      await expect.poll(() => page.getByRole('heading', { name: 'About Hello from the' }).count()).toBe(1);
      const sentEvents = shell.calls('webContents.send').map((record) => record.args[1]);
      expect(sentEvents).toContain('chat.delta');
      expect(sentEvents.filter((event) => event === 'chat.end')).toHaveLength(1);
      // Every file the page loaded came from the protocol handler.
      expect(shellPage.served.length).toBeGreaterThan(1);
      expect(shellPage.served.filter((entry) => entry.status !== 200)).toEqual([]);

      // A menu item reaches the page through webContents.send: a new, empty chat.
      await shell.command({ cmd: 'menu-click', path: [englishMenuLabels.file, englishMenuLabels.newChat] });
      await expect.poll(() => chat.messages().count()).toBe(0);
      await expect
        .poll(() => page.getByRole('navigation', { name: 'Conversations' }).getByRole('button').count())
        .toBe(2);

      // The page's CSP refused nothing it needs. The one report is zod probing for eval (new Function) in the
      // app's own bundle: it catches the refusal and parses without it, as it does in Electron under this CSP.
      const violations = await shellPage.cspViolations();
      expect(
        violations.filter((violation) => !/^script-src eval \S+\/assets\/index-/.test(violation)),
      ).toEqual([]);
      expect(pageErrors).toEqual([]);
    } catch (error) {
      await screenshot(page, 'failed-shell-chat').catch(() => undefined);
      throw error;
    } finally {
      await shellPage.close();
    }
  });

  it('closing the last window quits, with the window state saved and the database closed', async () => {
    const dbPath = await databasePath(shell);
    expect(dbPath).toBe(join(shell.dataDir, 'hubdesk.sqlite'));
    await shell.command({ cmd: 'close-window' });
    const { code } = await shell.exited;
    expect(code).toBe(0);
    expect(shell.calls('app.quit').length).toBeGreaterThan(0);
    expectClosedCleanly(dbPath);

    const db = new Database(dbPath, { fileMustExist: true });
    try {
      const reply = db
        .prepare("SELECT status FROM messages WHERE role = 'assistant' AND text LIKE ?")
        .all('%Echo: Hello from the shell%');
      expect(reply).toEqual([{ status: 'complete' }]);
      expect(db.prepare("SELECT key FROM settings WHERE key = 'window.state'").all()).toHaveLength(1);
    } finally {
      db.close();
    }
  });
});

describe('the built shell on macOS (development run)', () => {
  let root: string;
  let proxy: FakeProxy;
  let shell: ShellRun;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hubdesk-shell-mac-'));
    proxy = await startFakeProxy({ speed: 50 });
    shell = await startShell({
      root,
      platform: 'darwin',
      packaged: false,
      env: { HUBDESK_TOKEN: proxy.token, HUBDESK_BASE_URL: proxy.url },
    });
  });

  afterAll(async () => {
    await shell?.kill();
    await proxy?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('turns spellcheck on by default outside Linux', async () => {
    const options = shell.calls('BrowserWindow.new')[0]?.args[1] as {
      webPreferences: { spellcheck?: boolean };
    };
    expect(options.webPreferences.spellcheck).toBe(true);
    expect(firstArgs(shell, 'session.setSpellCheckerEnabled')).toEqual([true]);
    expect(await shell.invoke('spellcheck.get', {})).toEqual({ ok: true, value: { enabled: true } });
  });

  it('puts the app menu first and offers reload and developer tools', () => {
    const labels = englishMenuLabels;
    expect(currentMenu(shell).map((menu) => menu.label)).toEqual([
      'HubDesk',
      labels.file,
      labels.edit,
      labels.view,
      labels.window,
      labels.help,
    ]);
    const roles = allItems(currentMenu(shell)).map((item) => item.role);
    expect(roles).toEqual(expect.arrayContaining(['about', 'hide', 'quit', 'reload', 'toggleDevTools']));
    expect(shell.calls('app.setAppUserModelId')).toEqual([]);
  });

  it('stays running with no window; a menu command and the dock icon bring one back', async () => {
    const first = shell.calls('BrowserWindow.new')[0]?.args[0];
    await shell.command({ cmd: 'close-window' });
    await shell.waitFor('window.destroy', (record) => record.args[0] === first);
    await shell.command({ cmd: 'ping' });
    expect(shell.calls('event:window-all-closed')).toHaveLength(1);
    expect(shell.calls('app.quit')).toEqual([]);

    // File > New Chat with no window: a window opens and hears the command once its page has loaded.
    await shell.command({ cmd: 'menu-click', path: [englishMenuLabels.file, englishMenuLabels.newChat] });
    const sent = await shell.waitFor('webContents.send', (record) => record.args[1] === 'menu.command');
    const second = shell.calls('BrowserWindow.new')[1];
    expect(second).toBeDefined();
    expect(sent.args).toEqual([second?.args[0], 'menu.command', { command: 'new-chat' }]);
    const loaded = shell.calls('event:did-finish-load').find((record) => record.args[0] === second?.args[0]);
    expect(seqOf(loaded)).toBeLessThan(seqOf(sent));

    // The dock icon: nothing new while a window is open; a window when none is.
    await shell.command({ cmd: 'app-event', name: 'activate' });
    expect(shell.calls('BrowserWindow.new')).toHaveLength(2);
    await shell.command({ cmd: 'close-window' });
    await shell.waitFor('window.destroy', (record) => record.args[0] === second?.args[0]);
    await shell.command({ cmd: 'app-event', name: 'activate' });
    expect(shell.calls('BrowserWindow.new')).toHaveLength(3);
  });

  it('quits on Cmd+Q with the database closed', async () => {
    const dbPath = await databasePath(shell);
    await chatOnce(shell);
    await shell.command({ cmd: 'quit' });
    expect((await shell.exited).code).toBe(0);
    expectClosedCleanly(dbPath);
  });
});

describe('the built shell on Windows (packaged)', () => {
  let root: string;
  let proxy: FakeProxy;
  let shell: ShellRun;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hubdesk-shell-win-'));
    proxy = await startFakeProxy({ speed: 50 });
    shell = await startShell({
      root,
      platform: 'win32',
      env: { HUBDESK_TOKEN: proxy.token, HUBDESK_BASE_URL: proxy.url },
    });
  });

  afterAll(async () => {
    await shell?.kill();
    await proxy?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('sets the app user model id before any window, and Settings and Quit are in File', () => {
    expect(firstArgs(shell, 'app.setAppUserModelId')).toEqual([APP_ID]);
    expect(seqOf(shell.calls('app.setAppUserModelId')[0])).toBeLessThan(
      seqOf(shell.calls('BrowserWindow.new')[0]),
    );
    const labels = englishMenuLabels;
    const menu = currentMenu(shell);
    expect(menu.map((item) => item.label)).toEqual([
      labels.file,
      labels.edit,
      labels.view,
      labels.window,
      labels.help,
    ]);
    const file = menu[0]?.submenu ?? [];
    expect(file.map((item) => item.label ?? item.role).filter(Boolean)).toEqual([
      labels.newChat,
      labels.stop,
      labels.focusComposer,
      labels.settings,
      'quit',
    ]);
    expect(allItems(menu).map((item) => item.role)).not.toContain('toggleDevTools');
  });

  it('quits when its last window closes, with the database closed', async () => {
    const dbPath = await databasePath(shell);
    await chatOnce(shell);
    await shell.command({ cmd: 'close-window' });
    expect((await shell.exited).code).toBe(0);
    expectClosedCleanly(dbPath);
  });
});

describe('the built shell as a second instance', () => {
  it('hands over to the running HubDesk without opening the data, a window or any handler', async () => {
    const root = await mkdtemp(join(tmpdir(), 'hubdesk-shell-second-'));
    try {
      const shell = await startShell({ root, platform: 'linux', secondInstance: true });
      expect((await shell.exited).code).toBe(0);
      expect(shell.calls('app.quit')).toHaveLength(1);
      // Electron still emits `ready` after a quit before it; the shell must not start up then.
      expect(shell.calls('event:ready')).toHaveLength(1);
      expect(shell.calls('BrowserWindow.new')).toEqual([]);
      expect(shell.calls('ipcMain.handle')).toEqual([]);
      expect(shell.calls('protocol.handle')).toEqual([]);
      expect(existsSync(join(shell.dataDir, 'hubdesk.sqlite'))).toBe(false);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('the built preload', () => {
  const source = readFileSync(preloadBundle, 'utf8');

  it('requires only electron and exposes exactly the contract on window.hub', () => {
    const world = evaluatePreload(source);
    expect(world.required).toEqual(['electron']);
    expect(world.exposed.map((entry) => entry.key)).toEqual(['hub']);
    const hub = world.exposed[0]?.api as Record<string, unknown>;
    expect(Object.keys(hub).sort()).toEqual(['invoke', 'on', 'pathForFile']);
    const invoke = hub.invoke as Record<string, unknown>;
    expect(Object.keys(invoke).sort()).toEqual([...channelNames].sort());
    for (const channel of channelNames) expect(typeof invoke[channel], channel).toBe('function');
  });

  it('sends each function to its own channel and passes events on without the IPC event', async () => {
    const world = evaluatePreload(source);
    const hub = world.exposed[0]?.api as {
      invoke: Record<string, (request: unknown) => Promise<unknown>>;
      on(event: string, listener: (...args: unknown[]) => void): () => void;
      pathForFile(file: { name: string }): Promise<string>;
    };
    world.answer = { ok: true, value: 'answer' };
    for (const channel of channelNames) {
      expect(await hub.invoke[channel]?.({ channel })).toEqual({ ok: true, value: 'answer' });
    }
    expect(world.invoked).toEqual(channelNames.map((channel) => ({ channel, request: { channel } })));

    const heard: unknown[][] = [];
    const off = hub.on('chat.delta', (...args) => heard.push(args));
    const listeners = [...(world.listeners.get('chat.delta') ?? [])];
    expect(listeners).toHaveLength(1);
    // The IPC event (whose `sender` is ipcRenderer itself) must never reach the page.
    listeners[0]?.({ sender: 'ipcRenderer' }, { streamId: 's1' });
    expect(heard).toEqual([[{ streamId: 's1' }]]);
    off();
    expect(world.listeners.get('chat.delta')?.size).toBe(0);

    expect(() => hub.on('ipc.anything', () => undefined)).toThrow(/Unknown event/);
    expect([...world.listeners.keys()].every((event) => (eventNames as string[]).includes(event))).toBe(true);
    expect(await hub.pathForFile({ name: 'talk.mp3' })).toBe('/picked/talk.mp3');
  });
});
