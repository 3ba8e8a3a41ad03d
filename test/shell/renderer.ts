import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { preloadInitScript } from './preload';
import { preloadBundle, type ShellRun } from './shell-process';

export interface ShellPage {
  page: Page;
  context: BrowserContext;
  /** http://127.0.0.1:PORT: where the test serves what the `app://renderer` handler answers. */
  origin: string;
  /** Every path the page asked for, with the handler's status. */
  served: { path: string; status: number }[];
  /** Content-Security-Policy violations the page reported. */
  cspViolations(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * The built renderer in Chromium, wired to the main bundle the way Electron wires it:
 * - every file comes from the `app` protocol handler the bundle registered (an http server on 127.0.0.1 maps
 *   `/x` to `app://renderer/x` and answers with the handler's status, headers and body, changing nothing);
 * - the built preload runs before the page's scripts, with an `ipcRenderer` whose `invoke` reaches the bundle's
 *   ipcMain handlers with the calling frame's URL as Electron would report it (`app://renderer/...`);
 * - what the bundle sends with `webContents.send` to the window's webContents reaches the preload's listeners,
 *   in order.
 */
export async function openShellPage(shell: ShellRun, browser: Browser): Promise<ShellPage> {
  if (!shell.running()) throw new Error(`The shell is not running.\n${shell.output.join('')}`);
  const served: { path: string; status: number }[] = [];
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const range = request.headers.range;
    shell
      .fetch(`app://renderer${path}`, { method: request.method ?? 'GET', headers: range ? { range } : {} })
      .then(
        (answer) => {
          served.push({ path, status: answer.status });
          response.writeHead(answer.status, Object.fromEntries(answer.headers));
          response.end(request.method === 'HEAD' ? undefined : answer.body);
        },
        (error: unknown) => {
          served.push({ path, status: 500 });
          response.writeHead(500).end(String(error));
        },
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const windows = shell.calls('BrowserWindow.new');
  const windowId = windows.at(-1)?.args[0];
  if (windowId === undefined) throw new Error('The shell opened no window');

  const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
  // The frame URL Electron would show for a page of this origin; any other page keeps its own URL (untrusted).
  const senderUrl = (frameUrl: string) => {
    const url = new URL(frameUrl);
    return url.origin === origin ? `app://renderer${url.pathname}${url.search}${url.hash}` : frameUrl;
  };
  await context.exposeBinding('__shellIpcInvoke', (source, channel: string, request: unknown) =>
    shell.invoke(channel, request, { url: senderUrl(source.frame.url()) }),
  );
  await context.addInitScript(preloadInitScript(await readFile(preloadBundle, 'utf8')));
  await context.addInitScript(`
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) =>
      window.__cspViolations.push(
        [event.violatedDirective, event.blockedURI, event.sourceFile, event.lineNumber, event.sample].join(' ')));
  `);
  const page = await context.newPage();

  let delivery = Promise.resolve();
  const stopForwarding = shell.onRecord((record) => {
    if (record.api !== 'webContents.send' || record.args[0] !== windowId) return;
    const [, channel, payload] = record.args;
    delivery = delivery.then(() =>
      page
        .evaluate(
          ([name, value]) =>
            (globalThis as unknown as { __shellIpcEmit(name: unknown, value: unknown): void }).__shellIpcEmit(
              name,
              value,
            ),
          [channel, payload] as const,
        )
        .catch(() => undefined),
    );
  });

  return {
    page,
    context,
    origin,
    served,
    cspViolations: () =>
      page.evaluate(() => (globalThis as unknown as { __cspViolations: string[] }).__cspViolations),
    async close() {
      stopForwarding();
      await delivery;
      await context.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
