import i18next from 'i18next';
import { DEFAULT_LANGUAGE, type LanguageState, resolveLanguage } from '../../shared/i18n';
import { call, subscribe } from './hub';
import './i18n';

function apply(state: LanguageState): void {
  document.documentElement.lang = state.language;
  if (i18next.language !== state.language) void i18next.changeLanguage(state.language);
}

/** Reads the language main chose (the user's setting or the OS's) and follows later changes. */
export async function startLanguage(): Promise<void> {
  subscribe('language.changed', apply);
  try {
    apply(await call('language.get', {}));
  } catch {
    // Main did not answer: the browser's languages, and the page shows main's own error where it first needs main.
    const system = [...navigator.languages];
    apply({
      setting: 'system',
      language: system.length > 0 ? resolveLanguage(system) : DEFAULT_LANGUAGE,
      system,
    });
  }
}
