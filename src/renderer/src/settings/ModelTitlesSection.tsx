import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ModelTitlesState } from '../../../shared/costs-channels';
import type { AppError } from '../../../shared/errors';
import { call, toAppError, useHubEvent } from '../hub';
import { ErrorNote } from '../ui/errors';

/** Settings → Chat: whether the model names new conversations (a request of its own, counted in Usage). */
export function ModelTitlesSection() {
  const { t } = useTranslation('settings');
  const [state, setState] = useState<ModelTitlesState | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const ids = { title: useId(), toggle: useId(), hint: useId() };

  useEffect(() => {
    let live = true;
    call('titles.get', {})
      .then((value) => live && setState(value))
      .catch((cause: unknown) => live && setError(toAppError(cause)));
    return () => {
      live = false;
    };
  }, []);
  useHubEvent('titles.changed', setState);

  const choose = async (enabled: boolean) => {
    setError(null);
    try {
      setState(await call('titles.set', { enabled }));
    } catch (cause) {
      setError(toAppError(cause));
    }
  };

  return (
    <section className="card" aria-labelledby={ids.title}>
      <div className="card-header">
        <h2 id={ids.title}>{t('chatTitles.title')}</h2>
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
          {t('chatTitles.label')}
        </label>
        <p id={ids.hint} className="hint">
          {t('chatTitles.description')}
        </p>
      </div>
      {error ? <ErrorNote error={error} /> : null}
    </section>
  );
}
