/**
 * Every keyboard shortcut, as data: the app-wide ones (each a menu command, so the native menu shows the same
 * keys) and the ones a page answers by itself. The renderer matches key presses against this table and lists it
 * in the shortcuts sheet (Ctrl/Cmd+/); the shell's menu reads its accelerators from here.
 */
import type { MenuCommand } from './desktop-menu';

/** Keys in Electron's accelerator syntax: `CmdOrCtrl` is Cmd on macOS and Ctrl elsewhere. */
export type Accelerator = string;

export const commandShortcuts: Readonly<Record<MenuCommand, Accelerator>> = {
  'new-chat': 'CmdOrCtrl+N',
  search: 'CmdOrCtrl+K',
  stop: 'Escape',
  'toggle-sidebar': 'CmdOrCtrl+B',
  'toggle-conversations': 'CmdOrCtrl+Shift+B',
  'focus-composer': 'CmdOrCtrl+L',
  'show-chat': 'CmdOrCtrl+1',
  'show-transcribe': 'CmdOrCtrl+2',
  'show-videos': 'CmdOrCtrl+3',
  'show-usage': 'CmdOrCtrl+4',
  'show-knowledge': 'CmdOrCtrl+5',
  settings: 'CmdOrCtrl+,',
  shortcuts: 'CmdOrCtrl+/',
};

/** Keys a page handles while it is shown; listed in the sheet, not in the menu. */
export const pageShortcuts = {
  chat: {
    send: 'Enter',
    newLine: 'Shift+Enter',
    findInConversation: 'CmdOrCtrl+F',
  },
  transcribe: {
    openFiles: 'CmdOrCtrl+O',
    findInTranscript: 'CmdOrCtrl+F',
    saveSegment: 'CmdOrCtrl+Enter',
  },
  videos: {
    createVideo: 'CmdOrCtrl+Enter',
  },
  everywhere: {
    closeDialog: 'Escape',
    moveFocus: 'Tab',
  },
} as const satisfies Record<string, Record<string, Accelerator>>;

interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

function parse(accelerator: Accelerator): { key: string; mod: boolean; shift: boolean; alt: boolean } {
  const parts = accelerator.split('+');
  const key = parts.at(-1) ?? '';
  return {
    key: key.length === 1 ? key.toLowerCase() : key,
    mod: parts.includes('CmdOrCtrl'),
    shift: parts.includes('Shift'),
    alt: parts.includes('Alt'),
  };
}

/** On many layouts Shift is part of typing "/" or ",": for such keys Shift is not checked. */
function isPunctuation(key: string): boolean {
  return key.length === 1 && !/[\p{L}\p{N}]/u.test(key);
}

/** Whether a key press is this accelerator; Ctrl and Cmd both count as `CmdOrCtrl` on every OS. */
export function matchesAccelerator(event: KeyPress, accelerator: Accelerator): boolean {
  const wanted = parse(accelerator);
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  return (
    key === wanted.key &&
    (event.ctrlKey || event.metaKey) === wanted.mod &&
    event.altKey === wanted.alt &&
    (wanted.shift ? event.shiftKey : !event.shiftKey || isPunctuation(key))
  );
}

/** The app-wide command a key press stands for, if any. */
export function commandForKey(event: KeyPress): MenuCommand | null {
  for (const [command, accelerator] of Object.entries(commandShortcuts) as [MenuCommand, Accelerator][]) {
    if (matchesAccelerator(event, accelerator)) return command;
  }
  return null;
}

/** The keys as a person reads them on this OS: `⌘K` on macOS, `Ctrl+K` elsewhere. */
export function acceleratorLabel(accelerator: Accelerator, mac: boolean): string[] {
  const names: Record<string, [mac: string, other: string]> = {
    CmdOrCtrl: ['⌘', 'Ctrl'],
    Shift: ['⇧', 'Shift'],
    Alt: ['⌥', 'Alt'],
    Enter: ['↩', 'Enter'],
    Escape: ['Esc', 'Esc'],
    Tab: ['Tab', 'Tab'],
  };
  return accelerator.split('+').map((part) => {
    const name = names[part];
    if (name) return mac ? name[0] : name[1];
    return part.length === 1 ? part.toUpperCase() : part;
  });
}
