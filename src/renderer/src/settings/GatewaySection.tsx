import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { Profile } from '../../../shared/profiles';
import { call, toAppError } from '../hub';
import { ErrorNote, FieldError, fieldMessage, isFieldError } from '../ui/errors';
import { Modal } from '../ui/Modal';

type Props = {
  profile: Profile;
  /** Whether the profile has a token: a new base URL would send it elsewhere, so the user confirms first. */
  tokenSet: boolean;
  onSaved: (profile: Profile) => void;
};

function originOf(url: string): string | null {
  try {
    return new URL(url.trim()).origin;
  } catch {
    return null;
  }
}

/** The profile's base URL and proxy, saved together. */
export function GatewaySection({ profile, tokenSet, onSaved }: Props) {
  const { t } = useTranslation('settings');
  const [baseUrl, setBaseUrl] = useState(profile.baseUrl);
  const [proxyUrl, setProxyUrl] = useState(profile.proxyUrl ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);
  /** The origin the token would go to, while the user is asked about it. */
  const [confirmOrigin, setConfirmOrigin] = useState<string | null>(null);
  const ids = {
    confirmTitle: useId(),
    confirmBody: useId(),
    baseUrl: useId(),
    baseUrlError: useId(),
    baseUrlHint: useId(),
    proxyUrl: useId(),
    proxyUrlError: useId(),
    proxyUrlHint: useId(),
  };

  // Follow the stored values (another window, a normalized save, a different profile).
  useEffect(() => {
    setBaseUrl(profile.baseUrl);
    setProxyUrl(profile.proxyUrl ?? '');
  }, [profile.baseUrl, profile.proxyUrl]);

  const save = async (confirmTokenTo?: string) => {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const proxy = proxyUrl.trim();
      const updated = await call('profiles.update', {
        id: profile.id,
        patch: { baseUrl, proxyUrl: proxy === '' ? null : proxy },
        ...(confirmTokenTo ? { confirmTokenTo } : {}),
      });
      onSaved(updated);
      setSaved(true);
    } catch (cause) {
      const failure = toAppError(cause);
      // Main knew of a token the window did not: ask now.
      const origin = originOf(baseUrl);
      if (failure.field === 'confirmTokenTo' && origin && !confirmTokenTo) setConfirmOrigin(origin);
      else setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const origin = originOf(baseUrl);
    if (tokenSet && origin && origin !== originOf(profile.baseUrl)) setConfirmOrigin(origin);
    else void save();
  };

  const confirmed = () => {
    const origin = confirmOrigin;
    setConfirmOrigin(null);
    if (origin) void save(origin);
  };

  const baseUrlError = fieldMessage(error, 'baseUrl', t('gateway.baseUrl'));
  const proxyUrlError = fieldMessage(error, 'proxyUrl', t('gateway.proxyUrl'));

  return (
    <section className="card">
      <div className="card-header">
        <h2>{t('gateway.title')}</h2>
        <p className="muted">{t('gateway.description')}</p>
      </div>
      <form className="stack" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={ids.baseUrl} className="label">
            {t('gateway.baseUrl')}
          </label>
          <input
            id={ids.baseUrl}
            type="url"
            value={baseUrl}
            onChange={(event) => {
              setBaseUrl(event.target.value);
              setSaved(false);
            }}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={isFieldError(error, 'baseUrl') || undefined}
            aria-describedby={baseUrlError ? ids.baseUrlError : ids.baseUrlHint}
          />
          <FieldError id={ids.baseUrlError} message={baseUrlError} />
          {baseUrlError ? null : (
            <p id={ids.baseUrlHint} className="hint">
              {t('gateway.baseUrlHint')}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={ids.proxyUrl} className="label">
            {t('gateway.proxyUrl')}
          </label>
          <input
            id={ids.proxyUrl}
            type="url"
            value={proxyUrl}
            onChange={(event) => {
              setProxyUrl(event.target.value);
              setSaved(false);
            }}
            placeholder={t('gateway.proxyUrlPlaceholder')}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={isFieldError(error, 'proxyUrl') || undefined}
            aria-describedby={proxyUrlError ? ids.proxyUrlError : ids.proxyUrlHint}
          />
          <FieldError id={ids.proxyUrlError} message={proxyUrlError} />
          {proxyUrlError ? null : (
            <p id={ids.proxyUrlHint} className="hint">
              {t('gateway.proxyUrlHint')}{' '}
              {profile.proxyCredentialsSet
                ? t('gateway.proxyCredentialsSet')
                : t('gateway.proxyCredentialsHint')}
            </p>
          )}
        </div>
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={busy}>
            {t('gateway.save')}
          </button>
          <span className="saved-note" aria-live="polite">
            {saved ? t('gateway.saved') : ''}
          </span>
        </div>
        {error && !baseUrlError && !proxyUrlError ? <ErrorNote error={error} /> : null}
      </form>
      <Modal
        open={confirmOrigin !== null}
        labelledBy={ids.confirmTitle}
        describedBy={ids.confirmBody}
        onClose={() => setConfirmOrigin(null)}
      >
        <h2 id={ids.confirmTitle}>{t('gateway.confirmTitle')}</h2>
        <p id={ids.confirmBody} className="muted">
          {t('gateway.confirmBody')}
        </p>
        <p className="dialog-url">{confirmOrigin}</p>
        <div className="button-row dialog-actions">
          <button type="button" className="button" onClick={() => setConfirmOrigin(null)}>
            {t('gateway.confirmCancel')}
          </button>
          <button type="button" className="button button-primary" onClick={confirmed}>
            {t('gateway.confirmSend')}
          </button>
        </div>
      </Modal>
    </section>
  );
}
