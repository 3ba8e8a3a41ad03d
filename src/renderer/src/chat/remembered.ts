/** What the chat page remembers between visits (the last conversation, the settings panel), in localStorage. */
export const LAST_OPEN_KEY = 'hubdesk.chat.lastConversation';
export const SETTINGS_OPEN_KEY = 'hubdesk.chat.settingsOpen';
export const LIST_COLLAPSED_KEY = 'hubdesk.chat.listCollapsed';

export function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage can be unavailable (private mode); remembering the last chat is only a convenience.
  }
}
