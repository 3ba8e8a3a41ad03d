/**
 * The one i18next instance, with every language's strings bundled (they are small, and a switch is then instant).
 * Components use `useTranslation`; plain functions (labels, formatters) use `i18next.t` and run at render time.
 * Importing this module initializes it; tests of such functions import it too.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { DEFAULT_LANGUAGE, type Language } from '../../shared/i18n';
import { namespaces, resources } from '../../shared/locales';

/** A key the current language lacks, reported once (the e2e suite fails on any; see `missingKeys`). */
const missing = new Set<string>();

i18next.use(initReactI18next).init({
  resources,
  lng: DEFAULT_LANGUAGE,
  fallbackLng: DEFAULT_LANGUAGE,
  ns: namespaces,
  defaultNS: 'common',
  // React escapes what it renders; escaping here too would show "&amp;".
  interpolation: { escapeValue: false },
  returnEmptyString: false,
  initAsync: false,
  saveMissing: true,
  missingKeyHandler: (languages, namespace, key) => {
    missing.add(`${languages.join(',')}:${namespace}:${key}`);
  },
});

/** Keys asked for that no language had; the e2e suite reads this through the page. */
export function missingKeys(): string[] {
  return [...missing];
}

/** The language shown now, for Intl formatting of dates and numbers. */
export function currentLanguage(): Language {
  return i18next.language as Language;
}

export { i18next };
