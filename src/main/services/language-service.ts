import {
  type LanguageSetting,
  type LanguageState,
  languageSettingSchema,
  resolveLanguage,
} from '../../shared/i18n';
import type { SettingsRepo } from '../store/settings-repo';
import type { EventBus } from './event-bus';

export const LANGUAGE_KEY = 'ui.language';

/** The OS's preferred languages under plain Node: the POSIX locale variables, else the ICU default. */
export function nodeSystemLanguages(env: NodeJS.ProcessEnv): string[] {
  const posix = [env.LANGUAGE?.split(':') ?? [], env.LC_ALL, env.LC_MESSAGES, env.LANG]
    .flat()
    .filter((tag): tag is string => !!tag && tag !== 'C' && tag !== 'POSIX' && !tag.startsWith('C.'));
  return posix.length > 0 ? posix : [Intl.DateTimeFormat().resolvedOptions().locale];
}

/** The UI language: the user's choice, kept in settings, or the OS's when the choice is "system". */
export class LanguageService {
  constructor(
    private readonly deps: {
      settingsRepo: SettingsRepo;
      bus: EventBus;
      systemLanguages: () => readonly string[];
    },
  ) {}

  state(): LanguageState {
    const setting = this.deps.settingsRepo.get(LANGUAGE_KEY, languageSettingSchema) ?? 'system';
    const system = [...this.deps.systemLanguages()];
    const language = setting === 'system' ? resolveLanguage(system) : setting;
    return { setting, language, system };
  }

  set(setting: LanguageSetting): LanguageState {
    this.deps.settingsRepo.set(LANGUAGE_KEY, setting);
    const state = this.state();
    this.deps.bus.emit('language.changed', state);
    return state;
  }
}
