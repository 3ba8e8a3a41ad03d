/**
 * The languages of the UI and how the one shown is chosen: the user's choice in Settings, else the OS's
 * preferred languages. Spread into contract.ts. The strings themselves are in `locales/<language>/<namespace>.json`.
 */
import { z } from 'zod';
import type { ChannelMap, EventMap } from './channel-map';

export const languages = ['en', 'zh-CN', 'vi'] as const;
export const languageSchema = z.enum(languages);
export type Language = z.infer<typeof languageSchema>;
export const DEFAULT_LANGUAGE: Language = 'en';

/** What Settings stores: a language, or "follow the operating system". */
export const languageSettingSchema = z.enum(['system', ...languages]);
export type LanguageSetting = z.infer<typeof languageSettingSchema>;

/** Each language named in itself, as a language menu shows it to someone who may not read the current one. */
export const languageNames: Readonly<Record<Language, string>> = {
  en: 'English',
  'zh-CN': '简体中文',
  vi: 'Tiếng Việt',
};

/**
 * The first of the OS's preferred languages (BCP 47 tags, most preferred first) that HubDesk speaks.
 * Any Chinese is shown in Simplified Chinese, the only Chinese HubDesk has.
 */
export function resolveLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.trim().replaceAll('_', '-').split(/[-.@]/)[0]?.toLowerCase();
    if (base === 'en') return 'en';
    if (base === 'zh') return 'zh-CN';
    if (base === 'vi') return 'vi';
  }
  return DEFAULT_LANGUAGE;
}

export const languageStateSchema = z.object({
  setting: languageSettingSchema,
  /** The language shown: the setting's, or the OS's when the setting is `system`. */
  language: languageSchema,
  /** The OS's preferred languages, most preferred first. */
  system: z.array(z.string()),
});
export type LanguageState = z.infer<typeof languageStateSchema>;

export const languageChannels = {
  'language.get': { request: z.object({}).strict(), response: languageStateSchema },
  'language.set': {
    request: z.object({ setting: languageSettingSchema }).strict(),
    response: languageStateSchema,
  },
} as const satisfies ChannelMap;

export const languageEvents = {
  /** The language changed (in this window or another): every window re-renders in it, the menu is rebuilt. */
  'language.changed': languageStateSchema,
} as const satisfies EventMap;
