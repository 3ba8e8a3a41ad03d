import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/desktop-menu';
import type { Language } from '../../shared/i18n';
import { english, resources } from '../../shared/locales';
import { commandShortcuts } from '../../shared/shortcuts';

/** The TikHub AI Proxy's documentation, linked from Help. */
export const PROXY_DOCS_URL = 'https://ai-docs.tikhub.io';

/**
 * The keys shown next to each command, from the app's one shortcut table. The page handles these keys itself (and
 * calls preventDefault), so they are displayed without being registered: on Windows and Linux
 * `registerAccelerator: false` does that; on macOS the menu sees a key only when the page left it unhandled, so
 * nothing fires twice.
 */
export const menuAccelerators: Readonly<Record<MenuCommand, string | null>> = {
  ...commandShortcuts,
  // Escape also closes dialogs; as a menu accelerator it would stop a reply when a dialog was meant.
  stop: null,
};

export const englishMenuLabels = english.menu;
export type MenuLabels = typeof englishMenuLabels;

/** The menu's labels in a language. */
export function menuLabels(language: Language): MenuLabels {
  return { ...englishMenuLabels, ...(resources[language].menu as Partial<MenuLabels>) };
}

/** What the menu's own items do; the shell supplies them (send to the window, open a URL or a folder). */
export interface MenuActions {
  command(command: MenuCommand): void;
  openExternal(url: string): void;
  openDataFolder(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  /** Reload and developer tools are offered only in a development run. */
  development: boolean;
  actions: MenuActions;
  labels?: MenuLabels;
}

const separator: MenuItemConstructorOptions = { type: 'separator' };

/** The application menu as an Electron template, following each OS's conventions. */
export function menuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { actions } = options;
  const labels = options.labels ?? englishMenuLabels;
  const isMac = options.platform === 'darwin';
  type Items = MenuItemConstructorOptions[];
  const mac = (items: Items): Items => (isMac ? items : []);
  const others = (items: Items): Items => (isMac ? [] : items);
  const development = (items: Items): Items => (options.development ? items : []);
  const item = (label: string, command: MenuCommand): MenuItemConstructorOptions => {
    const accelerator = menuAccelerators[command];
    return {
      label,
      ...(accelerator ? { accelerator, registerAccelerator: false } : {}),
      click: () => actions.command(command),
    };
  };
  const settings = item(labels.settings, 'settings');

  const appMenu: MenuItemConstructorOptions = {
    label: options.appName,
    submenu: [
      { role: 'about' },
      separator,
      settings,
      separator,
      { role: 'services' },
      separator,
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      separator,
      { role: 'quit' },
    ],
  };
  const fileMenu: MenuItemConstructorOptions = {
    label: labels.file,
    submenu: [
      item(labels.newChat, 'new-chat'),
      item(labels.stop, 'stop'),
      item(labels.focusComposer, 'focus-composer'),
      separator,
      ...mac([{ role: 'close' }]),
      ...others([settings, separator, { role: 'quit' }]),
    ],
  };
  const editMenu: MenuItemConstructorOptions = {
    label: labels.edit,
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...mac([{ role: 'pasteAndMatchStyle' }]),
      { role: 'delete' },
      { role: 'selectAll' },
      separator,
      item(labels.search, 'search'),
      ...mac([
        separator,
        { label: labels.speech, submenu: [{ role: 'startSpeaking' }, { role: 'stopSpeaking' }] },
      ]),
    ],
  };
  const viewMenu: MenuItemConstructorOptions = {
    label: labels.view,
    submenu: [
      item(labels.chat, 'show-chat'),
      item(labels.transcribe, 'show-transcribe'),
      item(labels.videos, 'show-videos'),
      item(labels.knowledge, 'show-knowledge'),
      item(labels.usage, 'show-usage'),
      separator,
      item(labels.toggleSidebar, 'toggle-sidebar'),
      item(labels.toggleConversations, 'toggle-conversations'),
      separator,
      ...development([{ role: 'reload' }, { role: 'toggleDevTools' }, separator]),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };
  // On macOS the `window` and `help` roles make these the menus the OS fills in (window list, Help search).
  const windowMenu: MenuItemConstructorOptions = {
    label: labels.window,
    ...(isMac ? { role: 'window' } : {}),
    submenu: [
      { role: 'minimize' },
      ...mac([{ role: 'zoom' }, separator, { role: 'front' }]),
      ...others([{ role: 'close' }]),
    ],
  };
  const helpMenu: MenuItemConstructorOptions = {
    label: labels.help,
    ...(isMac ? { role: 'help' } : {}),
    submenu: [
      { label: labels.proxyDocs, click: () => actions.openExternal(PROXY_DOCS_URL) },
      item(labels.shortcuts, 'shortcuts'),
      separator,
      { label: labels.dataFolder, click: () => actions.openDataFolder() },
      ...others([separator, { role: 'about' }]),
    ],
  };
  return [...mac([appMenu]), fileMenu, editMenu, viewMenu, windowMenu, helpMenu];
}
