/**
 * The Electron shell: app lifecycle, the window and its security settings, the app:// protocol, menus.
 * Everything else lives in the core (src/main/core.ts), which runs without Electron.
 */
import { basename, dirname, join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  Menu,
  Notification,
  nativeTheme,
  protocol,
  screen,
  shell,
  type WebFrameMain,
} from 'electron';
import type { z } from 'zod';
import type { PathsDialogKind } from '../shared/desktop';
import type { MenuCommand, menuEvents } from '../shared/desktop-menu';
import { type Core, createCore } from './core';
import { fileResponse, libraryFileResponse } from './files/file-response';
import { attachElectronIpc } from './ipc/electron-ipc';
import { defaultDataDir } from './paths';
import { safeAuthorizationUrl, safeExternalUrl } from './shell/external-url';
import { menuLabels, menuTemplate } from './shell/menu';
import { APP_ID, createNotify } from './shell/notifications';
import { openWithDefaultApp } from './shell/open-source';
import {
  defaultWindowState,
  placeOnScreen,
  WINDOW_STATE_KEY,
  type WindowState,
  windowStateSchema,
} from './shell/window-state';
import {
  currentRuntime,
  explainNativeLoadError,
  NativeModuleError,
  runtimeProblem,
} from './store/sqlite-binding';

const here = import.meta.dirname;
const APP_SCHEME = 'app';
const RENDERER_HOST = 'renderer';
const LIBRARY_HOST = 'library';
/** app://transcript-audio/<transcript id>: the audio a transcript plays (its kept copy, else the original file). */
const TRANSCRIPT_AUDIO_HOST = 'transcript-audio';
const devRendererUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

// A second HubDesk hands over to the first (its `second-instance`) and quits. Electron still emits `ready` after
// a quit asked for before it, so start-up below checks this too: a second instance never opens the data.
const primaryInstance = app.requestSingleInstanceLock();
if (!primaryInstance) app.quit();

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

function registerAppProtocol(
  rendererDir: string,
  libraryDir: string,
  transcriptAudio: (id: string) => Promise<string | null>,
): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const path = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    if (url.host === RENDERER_HOST) return fileResponse(request, rendererDir, path || 'index.html');
    if (url.host === LIBRARY_HOST) return libraryFileResponse(request, libraryDir, path);
    if (url.host === TRANSCRIPT_AUDIO_HOST) {
      const file = await transcriptAudio(path).catch(() => null);
      if (file) return libraryFileResponse(request, dirname(file), basename(file));
    }
    return new Response('Not found', { status: 404 });
  });
}

/** A link the user confirmed in the page (app.openLink): only a plain https URL, only to the OS browser. */
function openConfirmedLink(url: string): void {
  const safe = safeExternalUrl(url);
  if (safe) void shell.openExternal(safe);
}

/** The chosen theme drives the page's `prefers-color-scheme` and the native controls; the window's first frame matches it. */
function applyNativeTheme(current: Core): string {
  nativeTheme.themeSource = current.appearance.state().theme;
  return nativeTheme.shouldUseDarkColors ? '#12151a' : '#f5f6f8';
}

function createWindow(current: Core): BrowserWindow {
  const spellcheck = current.spellcheck.state().enabled;
  const backgroundColor = applyNativeTheme(current);
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
    backgroundColor,
    title: 'HubDesk',
    icon: join(here, '../../resources/icon.png'),
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck,
    },
  });
  window.webContents.session.setSpellCheckerEnabled(spellcheck);
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

  // The window never navigates away from the app and never opens another window, and neither opens a link: a
  // middle- or Ctrl-click, a dropped link or window.open would skip the confirmation. Links leave through
  // app.openLink, which the page calls once the user has seen the URL.
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.on('will-redirect', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());

  window.on('closed', () => {
    if (mainWindow === window) mainWindow = undefined;
  });

  if (devRendererUrl) void window.loadURL(devRendererUrl);
  else void window.loadURL(`${APP_SCHEME}://${RENDERER_HOST}/index.html`);
  return window;
}

/** The main window in front: restored, shown and focused; opened again if it was closed (macOS keeps running). */
function showMainWindow(): BrowserWindow | undefined {
  if (!core) return undefined;
  // A new window shows itself when ready (no blank flash).
  if (!mainWindow || mainWindow.isDestroyed()) {
    mainWindow = createWindow(core);
    return mainWindow;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
  return mainWindow;
}

function sendMenuCommand(command: MenuCommand): void {
  const payload: z.input<(typeof menuEvents)['menu.command']> = { command };
  const window = showMainWindow();
  if (!window) return;
  const send = () => window.webContents.send('menu.command', payload);
  // A window opened just now (macOS: the menu bar stays when the last window closes) has no page listening yet.
  if (window.webContents.isLoading()) window.webContents.once('did-finish-load', send);
  else send();
}

function buildMenu(current: Core): void {
  const template = menuTemplate({
    platform: process.platform,
    appName: 'HubDesk',
    development: !app.isPackaged,
    labels: menuLabels(current.language.state().language),
    actions: {
      command: sendMenuCommand,
      openExternal: (url) => {
        const safe = safeExternalUrl(url);
        if (safe) void shell.openExternal(safe);
      },
      openDataFolder: () => {
        void shell.openPath(current.appInfo().dataDir).then((failure) => {
          if (failure) console.log(`[hubdesk] could not open the data folder: ${failure}`);
        });
      },
    },
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** The OS's open dialog over the main window: several folders, or several files. */
async function openPathsDialog(kind: PathsDialogKind): Promise<string[]> {
  const options: Electron.OpenDialogOptions = {
    properties: [kind === 'folders' ? 'openDirectory' : 'openFile', 'multiSelections'],
  };
  const result = mainWindow
    ? await dialog.showOpenDialog(mainWindow, options)
    : await dialog.showOpenDialog(options);
  return result.canceled ? [] : result.filePaths;
}

/** The OS's save dialog over the main window, opened on a suggested name in the Downloads folder. */
async function saveVideoDialog(defaultName: string): Promise<string | null> {
  const options: Electron.SaveDialogOptions = { defaultPath: join(app.getPath('downloads'), defaultName) };
  const result = mainWindow
    ? await dialog.showSaveDialog(mainWindow, options)
    : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
}

/** OS notifications only while no HubDesk window has the focus; a click brings the window back. */
function osNotify(): ((notification: { title: string; body: string }) => void) | undefined {
  if (!Notification.isSupported()) return undefined;
  return createNotify({
    isAppFocused: () => BrowserWindow.getFocusedWindow() !== null,
    show: ({ title, body }, events) => {
      const notification = new Notification({ title, body, icon: join(here, '../../resources/icon.png') });
      notification.on('click', events.onClick);
      notification.on('close', events.onGone);
      notification.on('failed', events.onGone);
      notification.show();
      return notification;
    },
    focusApp: () => void showMainWindow(),
  });
}

/** What the start-up failure dialog says: a native module that cannot load names the fix for this install. */
function startupFailure(failure: unknown): string {
  const error =
    failure instanceof Error && failure.cause instanceof NativeModuleError ? failure.cause : failure;
  if (error instanceof NativeModuleError) {
    const runtime = currentRuntime(app.isPackaged);
    return (explainNativeLoadError(error.cause, runtime) ?? runtimeProblem(runtime) ?? error).message;
  }
  return error instanceof Error ? error.message : String(error);
}

app.on('second-instance', () => {
  showMainWindow();
});

/** The one permission the page gets (copying a code block); every other request and check is denied. */
const allowedPermission = (permission: string) => permission === 'clipboard-sanitized-write';

app.on('web-contents-created', (_event, contents) => {
  contents.session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(allowedPermission(permission)),
  );
  contents.session.setPermissionCheckHandler((_contents, permission) => allowedPermission(permission));
});

app.whenReady().then(() => {
  if (!primaryInstance) return;
  app.setName('HubDesk');
  // Windows shows notifications only for the id the installer gave the Start menu shortcut.
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  const dataDir = defaultDataDir(process.env, process.platform, app.getPath('home'));
  try {
    core = createCore({
      dataDir,
      modelTitles: true,
      syncInBackground: true,
      followOutsideChanges: true,
      log: (line) => console.log(`[hubdesk] ${line}`),
      notify: osNotify(),
      systemLanguages: () => app.getPreferredSystemLanguages(),
      openExternal: openConfirmedLink,
      openSource: (source) => openWithDefaultApp(source, shell, (line) => console.log(`[hubdesk] ${line}`)),
      openPathsDialog,
      videoFileShell: {
        saveDialog: saveVideoDialog,
        showItemInFolder: (path) => shell.showItemInFolder(path),
      },
      openAuthorizationUrl: (url) => {
        const safe = safeAuthorizationUrl(url);
        if (!safe)
          throw new Error(`HubDesk opens only https sign-in pages (or http on this computer), not ${url}`);
        void shell.openExternal(safe);
      },
    });
  } catch (error) {
    // A failed migration is fatal and visible, never a silent reset (docs/architecture.md §Storage). The message says
    // what happened, whether the data was put back as it was before the update, and where the copy taken before is.
    console.log(`[hubdesk] cannot open the database: ${String((error as Error).message)}`);
    dialog.showErrorBox('HubDesk cannot open its database', startupFailure(error));
    app.exit(1);
    return;
  }
  const transcription = core.transcription;
  registerAppProtocol(join(here, '../renderer'), core.paths.libraryDir, (id) =>
    transcription.audioFileOf(id),
  );
  attachElectronIpc(core.router, core.bus, isTrustedFrame);
  buildMenu(core);
  // Knowledge bases pick up what changed in their folders while HubDesk was closed, and follow them while it runs
  // (watched from before the start-up sync, so nothing changed during it is missed).
  core.knowledge.startWatching();
  void core.knowledge.syncAll();
  const opened = core;
  // After a data folder move or a restore, HubDesk starts again from the new data.
  opened.bus.subscribe((event) => {
    if (event === 'language.changed') buildMenu(opened);
    if (event === 'appearance.changed') {
      const backgroundColor = applyNativeTheme(opened);
      for (const window of BrowserWindow.getAllWindows()) window.setBackgroundColor(backgroundColor);
    }
    if (event === 'spellcheck.changed') {
      const { enabled } = opened.spellcheck.state();
      for (const window of BrowserWindow.getAllWindows())
        window.webContents.session.setSpellCheckerEnabled(enabled);
    }
    if (event !== 'data.reopen') return;
    void opened.close().finally(() => {
      app.relaunch();
      app.exit(0);
    });
  });
  // Search by meaning indexes in the background, at low priority, and pauses when offline.
  opened.search.start();
  mainWindow = createWindow(core);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) showMainWindow();
  });
});

// No tray icon: closing the last window quits, except on macOS, where the app stays in the dock until Cmd+Q.
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Electron ends the process right after `will-quit`, before anything asynchronous finishes: hold the quit until
// the services have stopped and the database is closed, then quit again (with no core left, it goes through).
app.on('will-quit', (event) => {
  const closing = core;
  if (!closing) return;
  core = undefined;
  event.preventDefault();
  void closing.close().finally(() => app.quit());
});
