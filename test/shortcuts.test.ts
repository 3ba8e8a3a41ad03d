import { describe, expect, it } from 'vitest';
import { menuAccelerators } from '../src/main/shell/menu';
import { menuCommands } from '../src/shared/desktop-menu';
import { acceleratorLabel, commandForKey, commandShortcuts, pageShortcuts } from '../src/shared/shortcuts';

const press = (
  key: string,
  mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {},
) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('keyboard shortcuts', () => {
  it('give every menu command one key, none shared, and the menu shows the same keys (Stop excepted)', () => {
    expect(Object.keys(commandShortcuts).sort()).toEqual([...menuCommands].sort());
    const keys = Object.values(commandShortcuts);
    expect(new Set(keys).size).toBe(keys.length);
    for (const command of menuCommands) {
      expect(menuAccelerators[command]).toBe(command === 'stop' ? null : commandShortcuts[command]);
    }
  });

  it('map a key press to its command with Ctrl (Windows, Linux) or Cmd (macOS)', () => {
    expect(commandForKey(press('k', { ctrlKey: true }))).toBe('search');
    expect(commandForKey(press('K', { metaKey: true }))).toBe('search');
    expect(commandForKey(press('n', { ctrlKey: true }))).toBe('new-chat');
    expect(commandForKey(press('1', { ctrlKey: true }))).toBe('show-chat');
    expect(commandForKey(press('4', { metaKey: true }))).toBe('show-usage');
    expect(commandForKey(press(',', { ctrlKey: true }))).toBe('settings');
    expect(commandForKey(press('l', { ctrlKey: true }))).toBe('focus-composer');
    expect(commandForKey(press('Escape'))).toBe('stop');
  });

  it('leave other keys alone: plain letters, extra modifiers, Shift with a letter', () => {
    expect(commandForKey(press('k'))).toBeNull();
    expect(commandForKey(press('k', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(commandForKey(press('K', { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(commandForKey(press('Escape', { ctrlKey: true }))).toBeNull();
    expect(commandForKey(press('9', { ctrlKey: true }))).toBeNull();
  });

  it('accept "/" typed with Shift, as on layouts where it needs Shift (German: Shift+7)', () => {
    expect(commandForKey(press('/', { ctrlKey: true }))).toBe('shortcuts');
    expect(commandForKey(press('/', { ctrlKey: true, shiftKey: true }))).toBe('shortcuts');
  });

  it('are written as each OS writes them', () => {
    expect(acceleratorLabel('CmdOrCtrl+K', true)).toEqual(['⌘', 'K']);
    expect(acceleratorLabel('CmdOrCtrl+K', false)).toEqual(['Ctrl', 'K']);
    expect(acceleratorLabel(pageShortcuts.chat.newLine, false)).toEqual(['Shift', 'Enter']);
    expect(acceleratorLabel('Escape', true)).toEqual(['Esc']);
  });
});
