import { readStored, store } from './remembered';

const RECENT_MODELS_KEY = 'hubdesk.chat.recentModels';
const RECENT_LIMIT = 4;

/** The models picked last, newest first. */
export function recentModels(): string[] {
  try {
    const parsed: unknown = JSON.parse(readStored(RECENT_MODELS_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

export function rememberModel(id: string): void {
  const next = [id, ...recentModels().filter((item) => item !== id)].slice(0, RECENT_LIMIT);
  store(RECENT_MODELS_KEY, JSON.stringify(next));
}
