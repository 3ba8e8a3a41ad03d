import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { SpellcheckState } from '../../../shared/spellcheck';
import { call, toAppError, useHubEvent } from '../hub';
import { ErrorNote } from '../ui/errors';

/** Spellcheck in text fields; on Linux it is off until chosen here, since Chromium fetches dictionaries from Google. */
export function SpellcheckSection() {
  const { t } = useTranslation('settings');
  const [state, setState] = useState<SpellcheckState | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const ids = { title: useId(), toggle: useId(), hint: useId() };

  useEffect(() => {
    let live = true;
    call('spellcheck.get', {})
      .then((value) => live && setState(value))
      .catch((cause: unknown) => live && setError(toAppError(cause)));
    return () => {
      live = false;
    };
  }, []);
  useHubEvent('spellcheck.changed', setState);

  const choose = async (enabled: boolean) => {
    setError(null);
    try {
      setState(await call('spellcheck.set', { enabled }));
    } catch (cause) {
      setError(toAppError(cause));
    }
  };

  return (
    <section className="card" aria-labelledby={ids.title}>
      <div className="card-header">
        <h2 id={ids.title}>{t('spellcheck.title')}</h2>
      </div>
      <div className="settings-toggle-field">
        <label className="settings-toggle" htmlFor={ids.toggle}>
          <input
            id={ids.toggle}
            type="checkbox"
            checked={state?.enabled ?? false}
            disabled={!state}
            aria-describedby={ids.hint}
            onChange={(event) => void choose(event.target.checked)}
          />
          {t('spellcheck.label')}
        </label>
        <p id={ids.hint} className="hint">
          {t('spellcheck.description')}
        </p>
      </div>
      {error ? <ErrorNote error={error} /> : null}
    </section>
  );
}
