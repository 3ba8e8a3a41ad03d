import { type FormEvent, useEffect, useId, useState } from 'react';
import type { Profile } from '../../../shared/contract';
import type { AppError } from '../../../shared/errors';
import { call, toAppError } from '../hub';
import { ErrorNote, FieldError, fieldMessage, isFieldError } from './errors';

type Props = { profile: Profile; onSaved: (profile: Profile) => void };

/** The profile's base URL and proxy, saved together. */
export function GatewaySection({ profile, onSaved }: Props) {
  const [baseUrl, setBaseUrl] = useState(profile.baseUrl);
  const [proxyUrl, setProxyUrl] = useState(profile.proxyUrl ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);
  const ids = {
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

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const proxy = proxyUrl.trim();
      const updated = await call('profiles.update', {
        id: profile.id,
        patch: { baseUrl, proxyUrl: proxy === '' ? null : proxy },
      });
      onSaved(updated);
      setSaved(true);
    } catch (cause) {
      setError(toAppError(cause));
    } finally {
      setBusy(false);
    }
  };

  const baseUrlError = fieldMessage(error, 'baseUrl', 'Base URL');
  const proxyUrlError = fieldMessage(error, 'proxyUrl', 'Proxy URL');

  return (
    <section className="card">
      <div className="card-header">
        <h2>Gateway</h2>
        <p className="muted">Where requests of this profile go.</p>
      </div>
      <form className="stack" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={ids.baseUrl} className="label">
            Base URL
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
              The proxy’s address without a path, e.g. https://ai.tikhub.io. The token is sent only to this
              host.
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={ids.proxyUrl} className="label">
            Proxy URL
          </label>
          <input
            id={ids.proxyUrl}
            type="url"
            value={proxyUrl}
            onChange={(event) => {
              setProxyUrl(event.target.value);
              setSaved(false);
            }}
            placeholder="None"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={isFieldError(error, 'proxyUrl') || undefined}
            aria-describedby={proxyUrlError ? ids.proxyUrlError : ids.proxyUrlHint}
          />
          <FieldError id={ids.proxyUrlError} message={proxyUrlError} />
          {proxyUrlError ? null : (
            <p id={ids.proxyUrlHint} className="hint">
              An HTTP(S) proxy such as http://127.0.0.1:3128. Leave empty for none, or HTTPS_PROXY from the
              environment when it is set.
            </p>
          )}
        </div>
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={busy}>
            Save
          </button>
          <span className="saved-note" aria-live="polite">
            {saved ? 'Saved.' : ''}
          </span>
        </div>
        {error && !baseUrlError && !proxyUrlError ? <ErrorNote error={error} /> : null}
      </form>
    </section>
  );
}
