import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import {
  type LanguageSetting,
  type LanguageState,
  languageNames,
  languageSettingSchema,
  languages,
  resolveLanguage,
} from '../../../shared/i18n';
import { call, toAppError, useHubEvent } from '../hub';
import { ErrorNote } from '../ui/errors';

/** The UI language: one of HubDesk's, or the system's. The whole window re-renders in it at once. */
export function LanguageSection() {
  const { t } = useTranslation();
  const [state, setState] = useState<LanguageState | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const ids = { title: useId(), select: useId(), hint: useId() };

  useEffect(() => {
    let live = true;
    call('language.get', {})
      .then((value) => live && setState(value))
      .catch((cause: unknown) => live && setError(toAppError(cause)));
    return () => {
      live = false;
    };
  }, []);
  useHubEvent('language.changed', setState);

  const choose = async (setting: LanguageSetting) => {
    setError(null);
    try {
      setState(await call('language.set', { setting }));
    } catch (cause) {
      setError(toAppError(cause));
    }
  };

  const systemLanguage = languageNames[resolveLanguage(state?.system ?? [])];
  return (
    <section className="card" aria-labelledby={ids.title}>
      <div className="card-header">
        <h2 id={ids.title}>{t('language.title')}</h2>
        <p className="muted" id={ids.hint}>
          {t('language.description')}
        </p>
      </div>
      <div className="field">
        <label htmlFor={ids.select} className="label">
          {t('language.label')}
        </label>
        <select
          id={ids.select}
          value={state?.setting ?? 'system'}
          disabled={!state}
          aria-describedby={ids.hint}
          onChange={(event) => {
            const setting = languageSettingSchema.safeParse(event.target.value);
            if (setting.success) void choose(setting.data);
          }}
        >
          <option value="system">{t('language.system', { language: systemLanguage })}</option>
          {languages.map((language) => (
            <option key={language} value={language} lang={language}>
              {languageNames[language]}
            </option>
          ))}
        </select>
      </div>
      {error ? <ErrorNote error={error} /> : null}
    </section>
  );
}
