/**
 * The Electron shell: app lifecycle, the window and its security settings, the app:// protocol, menus.
 * Everything else lives in the core (src/main/core.ts), which runs without Electron.
 */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, Menu, protocol, screen, shell, type WebFrameMain } from 'electron';
import { type Core, createCore } from './core';
import { fileResponse } from './files/file-response';
import { attachElectronIpc } from './ipc/electron-ipc';
import { defaultDataDir } from './paths';
import { safeExternalUrl } from './shell/external-url';
import {
  defaultWindowState,
  placeOnScreen,
  WINDOW_STATE_KEY,
  type WindowState,
  windowStateSchema,
} from './shell/window-state';

const here = import.meta.dirname;
const APP_SCHEME = 'app';
const RENDERER_HOST = 'renderer';
const LIBRARY_HOST = 'library';
const devRendererUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

if (!app.requestSingleInstanceLock()) app.quit();

let core: Core | undefined;
let mainWindow: BrowserWindow | undefined;

function isTrustedFrame(frame: WebFrameMain | null): boolean {
  if (!frame) return false;
  try {
    const url = new URL(frame.url);
    if (url.protocol === `${APP_SCHEME}:` && url.host === RENDERER_HOST) return true;
    return devRendererUrl !== undefined && url.origin === new URL(devRendererUrl).origin;
  } catch {
    return false;
  }
}

function registerAppProtocol(rendererDir: string, libraryDir: string): void {
  protocol.handle(APP_SCHEME, (request) => {
    const url = new URL(request.url);
    const path = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    if (url.host === RENDERER_HOST) return fileResponse(request, rendererDir, path || 'index.html');
    if (url.host === LIBRARY_HOST) return fileResponse(request, libraryDir, path);
    return new Response('Not found', { status: 404 });
  });
}

function createWindow(current: Core): BrowserWindow {
  const saved = current.settingsRepo.get(WINDOW_STATE_KEY, windowStateSchema) ?? defaultWindowState;
  const state = placeOnScreen(
    saved,
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const window = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'HubDesk',
    icon: join(here, '../../resources/icon.png'),
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: true,
    },
  });
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());

  const remember = () => {
    if (window.isDestroyed()) return;
    const bounds = window.getNormalBounds();
    const next: WindowState = { ...bounds, maximized: window.isMaximized() };
    current.settingsRepo.set(WINDOW_STATE_KEY, next);
  };
  window.on('resized', remember);
  window.on('moved', remember);
  window.on('close', remember);

  // The window never navigates away from the app and never opens another window; https links go to the OS browser.
  window.webContents.on('will-navigate', (event, url) => {
    event.preventDefault();
    const safe = safeExternalUrl(url);
    if (safe) void shell.openExternal(safe);
  });
  window.webContents.on('will-redirect', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    const safe = safeExternalUrl(url);
    if (safe) void shell.openExternal(safe);
    return { action: 'deny' };
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());

  if (devRendererUrl) void window.loadURL(devRendererUrl);
  else void window.loadURL(`${APP_SCHEME}://${RENDERER_HOST}/index.html`);
  return window;
}

function buildMenu(): void {
  const isMac = process.platform === 'darwin';
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(isMac ? [{ role: 'appMenu' as const }] : []),
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );
}

app.on('second-instance', () => {
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
});

app.on('web-contents-created', (_event, contents) => {
  contents.session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(permission === 'clipboard-sanitized-write'),
  );
});

app.whenReady().then(() => {
  app.setName('HubDesk');
  const dataDir = defaultDataDir(process.env, process.platform, app.getPath('home'));
  try {
    core = createCore({ dataDir, log: (line) => console.log(`[hubdesk] ${line}`) });
  } catch (error) {
    // A failed migration is fatal and visible, never a silent reset (DESIGN.md, Storage).
    dialog.showErrorBox('HubDesk cannot open its database', String((error as Error).message));
    app.exit(1);
    return;
  }
  registerAppProtocol(join(here, '../renderer'), core.paths.libraryDir);
  attachElectronIpc(core.router, core.bus, isTrustedFrame);
  buildMenu();
  mainWindow = createWindow(core);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && core) mainWindow = createWindow(core);
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  void core?.close();
});
