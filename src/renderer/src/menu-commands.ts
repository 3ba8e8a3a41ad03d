import type { MenuCommand } from '../../shared/desktop-menu';
import type { Screen } from './navigation';

const screens: Partial<Record<MenuCommand, Screen>> = {
  'show-chat': 'chat',
  'show-transcribe': 'transcribe',
  'show-videos': 'videos',
  settings: 'settings',
};

/** The keys the pages already answer; a menu command presses the same key, so each shortcut has one code path. */
const keys: Partial<Record<MenuCommand, KeyboardEventInit>> = {
  'new-chat': { key: 'n', ctrlKey: true },
  search: { key: 'k', ctrlKey: true },
  stop: { key: 'Escape' },
  shortcuts: { key: '/', ctrlKey: true },
};

export function runMenuCommand(command: MenuCommand, show: (screen: Screen) => void): void {
  const screen = screens[command];
  if (screen) {
    show(screen);
    return;
  }
  const key = keys[command];
  if (command === 'new-chat') show('chat');
  if (key) {
    // After the screen has rendered; dispatched on document so listeners on document and window both hear it.
    setTimeout(
      () => document.dispatchEvent(new KeyboardEvent('keydown', { ...key, bubbles: true, cancelable: true })),
      0,
    );
  }
}
