import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { englishMenuLabels, type MenuActions, menuTemplate, PROXY_DOCS_URL } from '../src/main/shell/menu';
import { type MenuCommand, menuCommands, menuEvents } from '../src/shared/desktop-menu';

type Calls = { commands: MenuCommand[]; urls: string[]; dataFolder: number };

function build(platform: NodeJS.Platform, development = false) {
  const calls: Calls = { commands: [], urls: [], dataFolder: 0 };
  const actions: MenuActions = {
    command: (command) => calls.commands.push(command),
    openExternal: (url) => calls.urls.push(url),
    openDataFolder: () => {
      calls.dataFolder += 1;
    },
  };
  return { template: menuTemplate({ platform, appName: 'HubDesk', development, actions }), calls };
}

function submenuOf(menu: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  const submenu = menu?.submenu;
  if (!Array.isArray(submenu)) throw new Error(`menu ${menu?.label} has no item list`);
  return submenu;
}

/** Every item of the menu bar, submenus included. */
function allItems(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? allItems(item.submenu) : [])]);
}

const topLabels = (template: MenuItemConstructorOptions[]) => template.map((menu) => menu.label);
const rolesIn = (menu: MenuItemConstructorOptions | undefined) =>
  submenuOf(menu).flatMap((item) => (item.role ? [item.role] : []));
const find = (template: MenuItemConstructorOptions[], label: string) =>
  template.find((menu) => menu.label === label);
const click = (item: MenuItemConstructorOptions | undefined) => (item?.click as (() => void) | undefined)?.();

const platforms: NodeJS.Platform[] = ['darwin', 'win32', 'linux'];

describe('application menu', () => {
  it('on macOS starts with the app menu (About, Settings, Hide, Quit); elsewhere File holds Settings and Quit', () => {
    const mac = build('darwin').template;
    expect(topLabels(mac)).toEqual(['HubDesk', 'File', 'Edit', 'View', 'Window', 'Help']);
    expect(rolesIn(mac[0])).toEqual(['about', 'services', 'hide', 'hideOthers', 'unhide', 'quit']);
    expect(submenuOf(mac[0]).some((item) => item.label === 'Settings…')).toBe(true);
    expect(rolesIn(find(mac, 'File'))).toEqual(['close']);

    for (const platform of ['win32', 'linux'] as const) {
      const template = build(platform).template;
      expect(topLabels(template)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
      const file = submenuOf(find(template, 'File'));
      expect(file.map((item) => item.label ?? item.role ?? item.type)).toEqual([
        'New Chat',
        'Stop Reply',
        'Focus Message Box',
        'separator',
        'Settings…',
        'separator',
        'quit',
      ]);
      // About lives in Help where there is no app menu.
      expect(rolesIn(find(template, 'Help'))).toEqual(['about']);
    }
  });

  it('has an Edit menu with the clipboard roles on every OS, so copy and paste work in the window', () => {
    for (const platform of platforms) {
      const roles = rolesIn(find(build(platform).template, 'Edit'));
      expect(roles).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']));
    }
    expect(rolesIn(find(build('darwin').template, 'Edit'))).toContain('pasteAndMatchStyle');
  });

  it('gives macOS its Window and Help menus (window list, Help search) and Windows/Linux a Close item', () => {
    const mac = build('darwin').template;
    expect(find(mac, 'Window')?.role).toBe('window');
    expect(find(mac, 'Help')?.role).toBe('help');
    expect(rolesIn(find(mac, 'Window'))).toEqual(['minimize', 'zoom', 'front']);
    const linux = build('linux').template;
    expect(find(linux, 'Window')?.role).toBeUndefined();
    expect(rolesIn(find(linux, 'Window'))).toEqual(['minimize', 'close']);
  });

  it('sends each app command to the window, and every command of the contract has a menu item', () => {
    for (const platform of platforms) {
      const { template, calls } = build(platform);
      const commandItems = allItems(template).filter(
        (item) =>
          item.click &&
          item.label &&
          !['TikHub AI Proxy Documentation', 'Open Data Folder'].includes(item.label),
      );
      for (const item of commandItems) click(item);
      expect(new Set(calls.commands)).toEqual(new Set(menuCommands));
      for (const command of calls.commands) {
        expect(menuEvents['menu.command'].safeParse({ command }).success).toBe(true);
      }
    }
    const { template, calls } = build('linux');
    click(submenuOf(find(template, 'File')).find((item) => item.label === 'New Chat'));
    click(submenuOf(find(template, 'Edit')).find((item) => item.label === 'Search Everything…'));
    expect(calls.commands).toEqual(['new-chat', 'search']);
  });

  it('shows the shortcuts without registering them, so a key the page handles does not fire twice', () => {
    const items = allItems(build('win32').template).filter((item) => item.accelerator);
    const keys = items.map((item) => item.accelerator);
    expect(keys).toEqual(
      expect.arrayContaining(['CmdOrCtrl+N', 'CmdOrCtrl+K', 'CmdOrCtrl+,', 'CmdOrCtrl+/']),
    );
    expect(new Set(keys).size).toBe(keys.length);
    for (const item of items) expect(item.registerAccelerator).toBe(false);
    // Escape also closes dialogs: Stop carries no accelerator.
    const stop = allItems(build('darwin').template).find((item) => item.label === 'Stop Reply');
    expect(stop?.accelerator).toBeUndefined();
  });

  it("Help opens the proxy's documentation and the data folder", () => {
    const { template, calls } = build('darwin');
    const help = submenuOf(find(template, 'Help'));
    click(help.find((item) => item.label === 'TikHub AI Proxy Documentation'));
    click(help.find((item) => item.label === 'Open Data Folder'));
    expect(calls.urls).toEqual([PROXY_DOCS_URL]);
    expect(PROXY_DOCS_URL).toBe('https://ai-docs.tikhub.io');
    expect(calls.dataFolder).toBe(1);
    expect(
      help.some((item) => item.label === 'Keyboard Shortcuts' && item.accelerator === 'CmdOrCtrl+/'),
    ).toBe(true);
  });

  it('offers reload and developer tools only in a development run', () => {
    const roles = (development: boolean) =>
      allItems(build('linux', development).template).map((item) => item.role);
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(false)).not.toContain('reload');
    expect(roles(true)).toEqual(expect.arrayContaining(['toggleDevTools', 'reload']));
  });

  it('takes translated labels', () => {
    const translated = menuTemplate({
      platform: 'linux',
      appName: 'HubDesk',
      development: false,
      actions: { command: () => {}, openExternal: () => {}, openDataFolder: () => {} },
      labels: { ...englishMenuLabels, file: '文件', newChat: '新建对话' },
    });
    expect(topLabels(translated)[0]).toBe('文件');
    expect(submenuOf(translated[0])[0]?.label).toBe('新建对话');
  });
});
