import i18next from 'i18next';
import { type FormEvent, useId, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { TokenSource, TokenStatus } from '../../../shared/profiles';
import type { Loaded } from '../hooks';
import { call, reasonText, toAppError } from '../hub';
import { ErrorNote, FieldError, fieldMessage, isFieldError } from '../ui/errors';

function sourceLabel(source: TokenSource): string {
  return i18next.t(`settings:token.source.${source}`);
}

export function describeToken(status: TokenStatus | null): string {
  if (!status) return i18next.t('settings:token.status.checking');
  if (!status.set) return i18next.t('settings:token.status.notSet');
  return status.source
    ? i18next.t('settings:token.status.setFrom', { source: sourceLabel(status.source) })
    : i18next.t('settings:token.status.set');
}

type Props = {
  profileId: string;
  token: Loaded<TokenStatus>;
  onStatus: (status: TokenStatus) => void;
};

/** Set, replace or clear the profile's token. The token itself is never shown or read back. */
export function TokenSection({ profileId, token, onStatus }: Props) {
  const { t } = useTranslation('settings');
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const ids = { input: useId(), inputError: useId() };

  const status = token.value;
  const keychainAvailable = status?.keychain.available ?? true;

  async function act(action: () => Promise<TokenStatus>) {
    setBusy(true);
    setError(null);
    try {
      onStatus(await action());
      setDraft('');
    } catch (cause) {
      setError(toAppError(cause));
    } finally {
      setBusy(false);
    }
  }

  const save = (persist: 'keychain' | 'session') =>
    act(() => call('token.set', { profileId, token: draft, persist }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(keychainAvailable ? 'keychain' : 'session');
  };

  const inputError = fieldMessage(error, 'token', t('token.fieldName'));
  const loadError = token.error;

  return (
    <section className="card">
      <div className="card-header">
        <h2>{t('token.title')}</h2>
        <p className="muted">{t('token.description')}</p>
      </div>

      <p
        className={`token-status ${status?.set ? 'is-set' : 'is-unset'}`}
        role="status"
        aria-live="polite"
        data-testid="token-status"
      >
        <span className="status-dot" aria-hidden="true" />
        {loadError ? t('token.status.unknown') : describeToken(status)}
      </p>
      {loadError ? <ErrorNote error={loadError} /> : null}

      {status && !status.keychain.available ? (
        <div className="notice notice-warn">
          <p>
            {status.keychain.error ? (
              <Trans
                t={t}
                i18nKey="token.keychainUnavailableBecause"
                values={{ error: reasonText(status.keychain.reason, status.keychain.error) }}
                components={{ strong: <strong /> }}
              />
            ) : (
              <Trans t={t} i18nKey="token.keychainUnavailable" components={{ strong: <strong /> }} />
            )}
          </p>
          <p>{t('token.keychainHelp')}</p>
        </div>
      ) : null}

      <form className="stack" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={ids.input} className="label">
            {t('token.label')}
          </label>
          <input
            id={ids.input}
            type="password"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            placeholder={status?.set ? t('token.placeholderReplace') : t('token.placeholderNew')}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={isFieldError(error, 'token') || undefined}
            aria-describedby={inputError ? ids.inputError : undefined}
          />
          <FieldError id={ids.inputError} message={inputError} />
        </div>
        <div className="button-row">
          {keychainAvailable ? (
            <button type="submit" className="button button-primary" disabled={busy}>
              {t('token.save')}
            </button>
          ) : (
            <button type="submit" className="button button-primary" disabled={busy}>
              {t('token.keepForRun')}
            </button>
          )}
          <button
            type="button"
            className="button"
            onClick={() => void act(() => call('token.clear', { profileId }))}
            disabled={busy || !status?.set}
          >
            {t('token.clear')}
          </button>
        </div>
        {status?.source === 'env' ? <p className="hint">{t('token.fromEnv')}</p> : null}
      </form>
      {error && !inputError ? <ErrorNote error={error} /> : null}
    </section>
  );
}
