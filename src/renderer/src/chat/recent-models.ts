import { call } from '../hub';
import { readStored } from './remembered';

/** Where a window kept the models picked last before main kept them (every window, and a moved data folder). */
const OLD_RECENT_MODELS_KEY = 'hubdesk.chat.recentModels';

function oldRecentModels(): string[] {
  try {
    const parsed: unknown = JSON.parse(readStored(OLD_RECENT_MODELS_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/** Hands a list this window kept in localStorage to main, oldest first so the newest stays first; then forgets it. */
export async function carryOverRecentModels(): Promise<void> {
  const ids = oldRecentModels();
  if (ids.length === 0) return;
  for (const id of ids.toReversed()) await call('models.used', { id });
  try {
    localStorage.removeItem(OLD_RECENT_MODELS_KEY);
  } catch {
    // Storage unavailable: the list is carried over again next time, which changes nothing.
  }
}
