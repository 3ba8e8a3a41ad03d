import { type FormEvent, useId, useState } from 'react';
import type { TokenSource, TokenStatus } from '../../../shared/contract';
import type { AppError } from '../../../shared/errors';
import type { Loaded } from '../hooks';
import { call, toAppError } from '../hub';
import { ErrorNote, FieldError, fieldMessage, isFieldError } from './errors';

const sourceLabels: Record<TokenSource, string> = {
  keychain: 'system keychain',
  session: 'this run only',
  env: 'from HUBDESK_TOKEN',
};

export function describeToken(status: TokenStatus | null): string {
  if (!status) return 'Token: checking…';
  if (!status.set) return 'Token: not set';
  return status.source ? `Token: set (${sourceLabels[status.source]})` : 'Token: set';
}

type Props = {
  profileId: string;
  token: Loaded<TokenStatus>;
  onStatus: (status: TokenStatus) => void;
};

/** Set, replace or clear the profile's token. The token itself is never shown or read back. */
export function TokenSection({ profileId, token, onStatus }: Props) {
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

  const inputError = fieldMessage(error, 'token', 'The token');
  const loadError = token.error;

  return (
    <section className="card">
      <div className="card-header">
        <h2>API token</h2>
        <p className="muted">Your TikHub API key. HubDesk sends it only to this profile’s base URL.</p>
      </div>

      <p
        className={`token-status ${status?.set ? 'is-set' : 'is-unset'}`}
        role="status"
        aria-live="polite"
        data-testid="token-status"
      >
        <span className="status-dot" aria-hidden="true" />
        {loadError ? 'Token: unknown' : describeToken(status)}
      </p>
      {loadError ? <ErrorNote error={loadError} /> : null}

      {status && !status.keychain.available ? (
        <div className="notice notice-warn">
          <p>
            <strong>The system keychain is not available</strong>
            {status.keychain.error ? `: ${status.keychain.error}` : '.'}
          </p>
          <p>
            HubDesk can keep the token in memory for this run only; you will enter it again next time. To
            store it, install and unlock a Secret Service such as gnome-keyring, then restart HubDesk.
          </p>
        </div>
      ) : null}

      <form className="stack" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={ids.input} className="label">
            API token
          </label>
          <input
            id={ids.input}
            type="password"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            placeholder={status?.set ? 'Paste a new token to replace it' : 'Paste your API token'}
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
              Save token
            </button>
          ) : (
            <button type="submit" className="button button-primary" disabled={busy}>
              Keep for this run only
            </button>
          )}
          <button
            type="button"
            className="button"
            onClick={() => void act(() => call('token.clear', { profileId }))}
            disabled={busy || !status?.set}
          >
            Clear token
          </button>
        </div>
        {status?.source === 'env' ? (
          <p className="hint">This token comes from the HUBDESK_TOKEN environment variable of this run.</p>
        ) : null}
      </form>
      {error && !inputError ? <ErrorNote error={error} /> : null}
    </section>
  );
}
