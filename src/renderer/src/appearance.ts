import { useSyncExternalStore } from 'react';
import {
  type Appearance,
  appearanceSchema,
  defaultAppearance,
  type SendKey,
  textScale,
} from '../../shared/appearance';
import { acceleratorLabel } from '../../shared/shortcuts';
import { call, subscribe } from './hub';

/** The last setting main sent, so the next start paints in it before main has answered. */
const CACHE_KEY = 'hubdesk.appearance';
const DARK_QUERY = '(prefers-color-scheme: dark)';
const isMac = /Mac|iPhone|iPad/.test(navigator.userAgent);

let current: Appearance = readCache();
const listeners = new Set<() => void>();

function readCache(): Appearance {
  try {
    const parsed = appearanceSchema.safeParse(JSON.parse(localStorage.getItem(CACHE_KEY) ?? 'null'));
    return parsed.success ? parsed.data : defaultAppearance;
  } catch {
    return defaultAppearance;
  }
}

function apply(appearance: Appearance): void {
  current = appearance;
  const root = document.documentElement;
  root.dataset.theme = appearance.theme;
  root.style.fontSize = `${textScale[appearance.textSize] * 100}%`;
  try {
    localStorage.setItem(CACHE_KEY, JSON.stringify(appearance));
  } catch {
    // Without storage the next start paints in the defaults until main answers.
  }
  for (const listener of listeners) listener();
}

/** Applies the cached setting at once, then main's, and follows later changes (from this window or another). */
export async function startAppearance(): Promise<void> {
  apply(current);
  subscribe('appearance.changed', apply);
  try {
    apply(await call('appearance.get', {}));
  } catch {
    // Main did not answer: the cached or default look, and the page shows main's error where it needs main.
  }
}

/** Changes part of the setting: shown at once, then kept by main; if main refuses, the window goes back. */
export async function setAppearance(changes: Partial<Appearance>): Promise<void> {
  const before = current;
  apply({ ...current, ...changes });
  try {
    apply(await call('appearance.set', changes));
  } catch (error) {
    apply(before);
    throw error;
  }
}

function onChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useAppearance(): Appearance {
  return useSyncExternalStore(onChange, () => current);
}

export function useSendKey(): SendKey {
  return useAppearance().sendKey;
}

function onSystemChange(listener: () => void): () => void {
  const media = window.matchMedia(DARK_QUERY);
  media.addEventListener('change', listener);
  return () => media.removeEventListener('change', listener);
}

/** The theme the window shows now: the chosen one, or the OS's when the choice is "system" (followed live). */
export function useResolvedTheme(): 'light' | 'dark' {
  const theme = useAppearance().theme;
  const systemDark = useSyncExternalStore(onSystemChange, () => window.matchMedia(DARK_QUERY).matches);
  if (theme === 'system') return systemDark ? 'dark' : 'light';
  return theme;
}

/** Keys as text for a hint or a title: `Ctrl+Enter`, or `⌘↩` on macOS. */
export function keysText(accelerator: string): string {
  return acceleratorLabel(accelerator, isMac).join(isMac ? '' : '+');
}
