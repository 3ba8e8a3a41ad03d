import i18next from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { ConnectionTestResult } from '../../../shared/profiles';
import { call, toAppError } from '../hub';
import { ErrorNote } from '../ui/errors';

type TestState =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'ok'; result: ConnectionTestResult }
  | { kind: 'failed'; error: AppError };

export function describeSuccess(result: ConnectionTestResult): string {
  return i18next.t('settings:connection.success', {
    ms: Math.round(result.latencyMs),
    status: result.status,
    model: result.model,
  });
}

/** One cheap real request with the profile's settings: latency on success, the exact error otherwise. */
export function ConnectionTest({ profileId, tokenSet }: { profileId: string; tokenSet: boolean }) {
  const { t } = useTranslation('settings');
  const [state, setState] = useState<TestState>({ kind: 'idle' });

  const run = async () => {
    setState({ kind: 'running' });
    try {
      const result = await call('connection.test', { profileId });
      setState({ kind: 'ok', result });
    } catch (cause) {
      setState({ kind: 'failed', error: toAppError(cause) });
    }
  };

  const running = state.kind === 'running';
  return (
    <section className="card">
      <div className="card-header">
        <h2>{t('connection.title')}</h2>
        <p className="muted">{tokenSet ? t('connection.description') : t('connection.descriptionNoToken')}</p>
      </div>
      <div className="button-row">
        <button
          type="button"
          className="button button-primary"
          onClick={() => void run()}
          disabled={running}
          aria-busy={running}
        >
          {running ? <span className="spinner" aria-hidden="true" /> : null}
          {t('connection.test')}
        </button>
      </div>
      <div
        className={`connection-result is-${state.kind}`}
        role="status"
        aria-live="polite"
        data-testid="connection-result"
      >
        {state.kind === 'running' ? <p className="muted">{t('connection.testing')}</p> : null}
        {state.kind === 'ok' ? (
          <>
            <p className="result-ok">
              <span className="status-dot" aria-hidden="true" />
              {describeSuccess(state.result)}
            </p>
            <p className="hint">{t('connection.endpoint', { endpoint: state.result.endpoint })}</p>
          </>
        ) : null}
        {state.kind === 'failed' ? <ErrorNote error={state.error} /> : null}
      </div>
    </section>
  );
}
