/**
 * A recording stand-in for the `electron` module, for running the BUILT main bundle (out/main/index.js) under
 * plain Node (test/shell/register.ts maps `electron` here). It implements what the shell uses, no more: a call to
 * anything else throws, so a new use shows up as a failing test rather than as a silent no-op.
 *
 * It keeps Electron's rules that the shell depends on: `ready` fires once the main script has run;
 * `registerSchemesAsPrivileged` only before it; `protocol.handle`, `screen` and `new BrowserWindow` only after it;
 * one `ipcMain.handle` per channel. Quitting follows Electron's Browser::Quit: `before-quit`, every window closed,
 * `will-quit` (preventable), `quit`, then the process ends once the pending microtasks have run: nothing that
 * waits for I/O (a socket closing, a file written) gets to finish. So it is in Electron, which posts the end of its
 * message loop at `quit` and then runs no JavaScript while Node's environment is torn down.
 *
 * Every call goes to the test as a JSON line on fd 4 (written synchronously); the test drives the app with commands
 * over the fork IPC channel (see ./protocol.ts). Node runs this file with its built-in type stripping: erasable
 * TypeScript only, and only `import type` from the test's own files.
 */
import { EventEmitter } from 'node:events';
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import type { AppResponse, ChildMessage, SenderFrame, ShellCommand } from './protocol';

const RECORD_FD = 4;
let seq = 0;

function write(message: ChildMessage): void {
  const bytes = Buffer.from(`${JSON.stringify(message)}\n`);
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(RECORD_FD, bytes, offset);
}

/** Plain data for the record: functions and the stand-in's own objects become markers. */
function plain(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'function') return '[function]';
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof BrowserWindow) return { $window: value.id };
  if (value instanceof WebContents) return { $webContents: value.id };
  if (value instanceof Error) return { $error: value.message };
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => plain(item, seen));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item, seen)]));
}

function record(api: string, ...args: unknown[]): void {
  seq += 1;
  write({ type: 'call', seq, api, args: args.map((arg) => plain(arg)) });
}

function exitProcess(code: number): void {
  record('process.exit', code);
  process.exit(code);
}

/** Ends the process once the microtasks queued so far (and those they queue) have run, before any I/O callback. */
function exitAfterMicrotasks(code: number): void {
  queueMicrotask(() => process.nextTick(() => exitProcess(code)));
}

interface Preventable {
  defaultPrevented: boolean;
  preventDefault(): void;
}

function preventable(): Preventable {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

/** An EventEmitter whose `on` and `once` are on record (which events the shell listens to). */
class RecordingEmitter extends EventEmitter {
  private readonly label: string;
  constructor(label: string) {
    super();
    this.label = label;
  }
  override on(event: string | symbol, listener: (...args: never[]) => void): this {
    record(`${this.label}.on`, String(event));
    return super.on(event, listener as (...args: unknown[]) => void);
  }
  override once(event: string | symbol, listener: (...args: never[]) => void): this {
    record(`${this.label}.once`, String(event));
    const once = (...args: unknown[]) => {
      this.removeListener(event, once);
      (listener as (...args: unknown[]) => void)(...args);
    };
    return super.on(event, once);
  }
}

// ---------------------------------------------------------------------------------------------------------- app

let ready = false;
let quitting = false;
let exiting = false;
let shutdown = false;
let exitCode = 0;
let resolveReady: () => void = () => undefined;
const readyPromise = new Promise<void>((resolve) => {
  resolveReady = resolve;
});

class App extends RecordingEmitter {
  readonly isPackaged = process.env.SHELL_STANDIN_PACKAGED === '1';
  private name = 'Electron';

  constructor() {
    super('app');
  }
  whenReady(): Promise<void> {
    record('app.whenReady');
    return readyPromise;
  }
  isReady(): boolean {
    return ready;
  }
  requestSingleInstanceLock(): boolean {
    record('app.requestSingleInstanceLock');
    return process.env.SHELL_STANDIN_SECOND_INSTANCE !== '1';
  }
  setName(name: string): void {
    record('app.setName', name);
    this.name = name;
  }
  getName(): string {
    return this.name;
  }
  getVersion(): string {
    return '0.0.0-stand-in';
  }
  setAppUserModelId(id: string): void {
    record('app.setAppUserModelId', id);
  }
  getPath(name: string): string {
    record('app.getPath', name);
    const home = process.env.HOME ?? '/nonexistent';
    const paths: Record<string, string> = {
      home,
      appData: join(home, '.config'),
      userData: join(home, '.config', this.name),
      temp: join(home, 'tmp'),
    };
    const path = paths[name];
    if (!path) throw new Error(`Failed to get '${name}' path`);
    return path;
  }
  getPreferredSystemLanguages(): string[] {
    record('app.getPreferredSystemLanguages');
    return ['en-US'];
  }
  relaunch(options?: unknown): void {
    record('app.relaunch', options);
  }
  /** Electron's Browser::Quit. */
  quit(): void {
    record('app.quit');
    if (quitting) return;
    const event = preventable();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    quitting = true;
    const open = openWindows();
    if (open.length === 0) notifyAndShutdown();
    else for (const window of open) window.close();
  }
  /** Electron's Browser::Exit: windows destroyed without `close`, no `before-quit` or `will-quit`. */
  exit(code = 0): void {
    record('app.exit', code);
    if (!ready) exitProcess(code);
    exitCode = code;
    quitting = true;
    exiting = true;
    const open = openWindows();
    if (open.length === 0) shutdownNow();
    else for (const window of open) window.destroy();
  }
}

function notifyAndShutdown(): void {
  if (shutdown) return;
  const event = preventable();
  app.emit('will-quit', event);
  record('event:will-quit', { defaultPrevented: event.defaultPrevented });
  if (event.defaultPrevented) {
    quitting = false;
    return;
  }
  shutdownNow();
}

function shutdownNow(): void {
  if (shutdown) return;
  shutdown = true;
  quitting = true;
  app.emit('quit', preventable(), exitCode);
  record('event:quit', exitCode);
  // Before `ready` there is no message loop to end: Electron waits for it (see the `ready` emission below).
  if (ready) exitAfterMicrotasks(exitCode);
}

function onWindowAllClosed(): void {
  if (exiting) shutdownNow();
  else if (quitting) notifyAndShutdown();
  else if (app.listenerCount('window-all-closed') === 0) app.quit();
  else {
    record('event:window-all-closed');
    app.emit('window-all-closed', preventable());
  }
}

export const app = new App();

// `ready` comes after the main script has run: this module is evaluated as one of the bundle's imports, in the same
// synchronous pass as the bundle's own top level, so the first check phase after it is after that top level.
setImmediate(() => {
  ready = true;
  record('event:ready');
  resolveReady();
  app.emit('ready', preventable(), {});
  // An app that quit before `ready` still gets `ready` (Browser::DidFinishLaunching does not look at quitting, and
  // whenReady() resolves); its message loop then ends at once.
  if (shutdown) exitAfterMicrotasks(exitCode);
});

function requireReady(what: string): void {
  if (!ready) throw new Error(`${what} cannot be used before the app is ready`);
}

// ------------------------------------------------------------------------------------------------- webContents

type WindowOpenHandler = (details: { url: string }) => { action: string };
type PermissionHandler = (
  contents: WebContents,
  permission: string,
  callback: (granted: boolean) => void,
) => void;

let nextId = 1;

type PermissionCheckHandler = (
  contents: WebContents | null,
  permission: string,
  requestingOrigin: string,
  details: unknown,
) => boolean;

class Session {
  permissionRequestHandler: PermissionHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  setPermissionRequestHandler(handler: PermissionHandler | null): void {
    record('session.setPermissionRequestHandler', handler);
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    record('session.setPermissionCheckHandler', handler);
    this.permissionCheckHandler = handler;
  }
  setSpellCheckerEnabled(enabled: boolean): void {
    record('session.setSpellCheckerEnabled', enabled);
  }
}

const defaultSession = new Session();

class WebContents extends RecordingEmitter {
  readonly id = nextId++;
  readonly session = defaultSession;
  windowOpenHandler: WindowOpenHandler | null = null;
  loading = false;
  url = '';
  destroyed = false;

  constructor() {
    super('webContents');
  }
  send(channel: string, ...args: unknown[]): void {
    record('webContents.send', this.id, channel, ...args);
  }
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    record('webContents.setWindowOpenHandler', this.id);
    this.windowOpenHandler = handler;
  }
  isLoading(): boolean {
    return this.loading;
  }
  getURL(): string {
    return this.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

// ---------------------------------------------------------------------------------------------- BrowserWindow

const windows: BrowserWindow[] = [];
const openWindows = () => windows.filter((window) => !window.isDestroyed());

export class BrowserWindow extends RecordingEmitter {
  readonly id: number;
  readonly webContents: WebContents;
  private destroyed = false;
  private visible = false;
  private minimized = false;
  private maximized = false;
  private bounds: { x: number; y: number; width: number; height: number };

  constructor(options: { x?: number; y?: number; width?: number; height?: number; show?: boolean } = {}) {
    super('window');
    requireReady('BrowserWindow');
    this.webContents = new WebContents();
    this.id = this.webContents.id;
    this.visible = options.show !== false;
    this.bounds = {
      x: options.x ?? 40,
      y: options.y ?? 40,
      width: options.width ?? 800,
      height: options.height ?? 600,
    };
    record('BrowserWindow.new', this.id, options);
    windows.push(this);
    app.emit('web-contents-created', preventable(), this.webContents);
    app.emit('browser-window-created', preventable(), this);
  }
  static getAllWindows(): BrowserWindow[] {
    return openWindows();
  }
  static getFocusedWindow(): BrowserWindow | null {
    return null;
  }
  loadURL(url: string): Promise<void> {
    record('window.loadURL', this.id, url);
    const contents = this.webContents;
    contents.url = url;
    contents.loading = true;
    // The page "loads" on the next turn: first paint, then the load event.
    setImmediate(() => {
      if (this.destroyed) return;
      contents.loading = false;
      this.emit('ready-to-show', preventable());
      record('event:did-finish-load', contents.id);
      contents.emit('did-finish-load', preventable());
    });
    return Promise.resolve();
  }
  show(): void {
    record('window.show', this.id);
    this.visible = true;
    this.minimized = false;
  }
  focus(): void {
    record('window.focus', this.id);
  }
  isVisible(): boolean {
    return this.visible;
  }
  maximize(): void {
    record('window.maximize', this.id);
    this.maximized = true;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    record('window.restore', this.id);
    this.minimized = false;
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { ...this.bounds };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** As a user closing the window: `close` (preventable), then `closed`. */
  close(): void {
    record('window.close', this.id);
    setImmediate(() => {
      if (this.destroyed) return;
      const event = preventable();
      this.emit('close', event);
      if (event.defaultPrevented) return;
      this.destroy();
    });
  }
  destroy(): void {
    if (this.destroyed) return;
    record('window.destroy', this.id);
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
    if (openWindows().length === 0) onWindowAllClosed();
  }
}

// -------------------------------------------------------------------------------------------- ipcMain, protocol

type IpcHandler = (event: unknown, ...args: unknown[]) => unknown;
const ipcHandlers = new Map<string, IpcHandler>();

export const ipcMain = {
  handle(channel: string, handler: IpcHandler): void {
    record('ipcMain.handle', channel);
    if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    ipcHandlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    record('ipcMain.removeHandler', channel);
    ipcHandlers.delete(channel);
  },
};

type ProtocolHandler = (request: Request) => Response | Promise<Response>;
const protocolHandlers = new Map<string, ProtocolHandler>();
let schemesRegistered = false;

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    record('protocol.registerSchemesAsPrivileged', schemes);
    if (ready) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    if (schemesRegistered) throw new Error('protocol.registerSchemesAsPrivileged can be called only once');
    schemesRegistered = true;
  },
  handle(scheme: string, handler: ProtocolHandler): void {
    record('protocol.handle', scheme);
    requireReady('protocol');
    if (protocolHandlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    protocolHandlers.set(scheme, handler);
  },
};

// ------------------------------------------------------------------------------- Menu, screen, dialog, shell, …

interface MenuItemOptions {
  label?: string;
  role?: string;
  submenu?: MenuItemOptions[];
  click?: (item: unknown, window: unknown, event: unknown) => void;
}

let applicationMenu: { template: MenuItemOptions[] } | null = null;

export const Menu = {
  buildFromTemplate(template: MenuItemOptions[]): { template: MenuItemOptions[] } {
    record('Menu.buildFromTemplate', template);
    return { template };
  },
  setApplicationMenu(menu: { template: MenuItemOptions[] } | null): void {
    record('Menu.setApplicationMenu', menu ? menu.template : null);
    applicationMenu = menu;
  },
};

export const screen = {
  getAllDisplays(): { id: number; workArea: { x: number; y: number; width: number; height: number } }[] {
    requireReady('screen');
    return [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }];
  },
};

export const dialog = {
  showErrorBox(title: string, content: string): void {
    record('dialog.showErrorBox', title, content);
  },
  showOpenDialog(...args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> {
    record('dialog.showOpenDialog', args.at(-1));
    return Promise.resolve({ canceled: true, filePaths: [] });
  },
};

/** The OS's light or dark: the stand-in's OS is light; `themeSource` is what HubDesk asked for. */
export const nativeTheme = {
  themeSource: 'system' as 'system' | 'light' | 'dark',
  get shouldUseDarkColors(): boolean {
    return this.themeSource === 'dark';
  },
};

export const shell = {
  openExternal(url: string): Promise<void> {
    record('shell.openExternal', url);
    return Promise.resolve();
  },
  openPath(path: string): Promise<string> {
    record('shell.openPath', path);
    return Promise.resolve('');
  },
};

export class Notification extends RecordingEmitter {
  static isSupported(): boolean {
    return true;
  }
  constructor(options: unknown) {
    super('notification');
    record('Notification.new', options);
  }
  show(): void {
    record('notification.show');
  }
}

export default { app, BrowserWindow, dialog, ipcMain, Menu, Notification, protocol, screen, shell };

// ------------------------------------------------------------------------------------------ the test's commands

function mainWindow(): BrowserWindow {
  const window = openWindows().at(-1);
  if (!window) throw new Error('No window is open');
  return window;
}

function findMenuItem(path: string[]): MenuItemOptions {
  if (!applicationMenu) throw new Error('No application menu is set');
  let items = applicationMenu.template;
  let found: MenuItemOptions | undefined;
  for (const label of path) {
    found = items.find((item) => item.label === label);
    if (!found) throw new Error(`No menu item "${label}" (menu path ${path.join(' > ')})`);
    items = found.submenu ?? [];
  }
  if (!found) throw new Error('An empty menu path');
  return found;
}

async function appResponse(response: Response): Promise<AppResponse> {
  const body = response.body ? Buffer.from(await response.arrayBuffer()).toString('base64') : null;
  return { status: response.status, headers: [...response.headers.entries()], body };
}

async function run(command: ShellCommand): Promise<unknown> {
  switch (command.cmd) {
    case 'ping':
      return 'pong';
    case 'invoke': {
      const handler = ipcHandlers.get(command.channel);
      if (!handler) throw new Error(`No ipcMain handler for ${command.channel}`);
      const sender = openWindows().at(-1)?.webContents ?? null;
      const senderFrame: SenderFrame = command.frame ? { url: command.frame.url } : null;
      // What an IpcMainInvokeEvent carries; a frame is WebFrameMain-like (the shell reads its url).
      const event = { type: 'frame', sender, senderFrame, frameId: 1, processId: 1 };
      return await handler(event, command.request);
    }
    case 'protocol': {
      const scheme = new URL(command.url).protocol.slice(0, -1);
      const handler = protocolHandlers.get(scheme);
      if (!handler) throw new Error(`No protocol handler for ${scheme}`);
      const request = new Request(command.url, {
        method: command.method ?? 'GET',
        headers: command.headers ?? {},
      });
      return await appResponse(await handler(request));
    }
    case 'menu-click': {
      const item = findMenuItem(command.path);
      if (!item.click) throw new Error(`Menu item ${command.path.join(' > ')} has no click handler`);
      item.click(item, openWindows().at(-1) ?? null, {});
      return null;
    }
    case 'navigate': {
      const event = preventable();
      mainWindow().webContents.emit('will-navigate', event, command.url);
      return { prevented: event.defaultPrevented };
    }
    case 'open-window': {
      const handler = mainWindow().webContents.windowOpenHandler;
      if (!handler) throw new Error('No window open handler');
      return handler({ url: command.url });
    }
    case 'attach-webview': {
      const event = preventable();
      mainWindow().webContents.emit('will-attach-webview', event, {}, {});
      return { prevented: event.defaultPrevented };
    }
    case 'permission': {
      const contents = mainWindow().webContents;
      const handler = contents.session.permissionRequestHandler;
      if (!handler) return 'no handler';
      return await new Promise<boolean>((resolve) => handler(contents, command.permission, resolve));
    }
    case 'permission-check': {
      const contents = mainWindow().webContents;
      const handler = contents.session.permissionCheckHandler;
      if (!handler) return 'no handler';
      return handler(contents, command.permission, 'app://renderer', {});
    }
    case 'close-window':
      mainWindow().close();
      return null;
    case 'app-event':
      record(`event:${command.name}`);
      if (command.name === 'activate') app.emit('activate', preventable(), openWindows().length > 0);
      else app.emit('second-instance', preventable(), [], process.cwd(), null);
      return null;
    case 'quit':
      app.quit();
      return null;
  }
}

process.on('message', (message: { id: number; command: ShellCommand }) => {
  run(message.command).then(
    (value) => write({ type: 'reply', id: message.id, ok: true, value: plain(value) }),
    (error: unknown) =>
      write({ type: 'reply', id: message.id, ok: false, error: String((error as Error)?.stack ?? error) }),
  );
});
