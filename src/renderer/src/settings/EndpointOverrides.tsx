import i18next from 'i18next';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  defaultEndpoints,
  type EndpointKey,
  type EndpointOverrides,
  endpointKeys,
} from '../../../shared/endpoints';
import type { AppError } from '../../../shared/errors';
import type { Profile } from '../../../shared/profiles';
import { call, messageFor, toAppError } from '../hub';
import { ErrorNote, inputIssueText } from '../ui/errors';

type Confidence = (typeof defaultEndpoints)[EndpointKey]['confidence'];

/** The translation key of each confidence level (the map's own words are the English labels). */
const confidenceKeys = {
  'seed doc': 'seedDoc',
  found: 'found',
  inferred: 'inferred',
  assumed: 'assumed',
} as const satisfies Record<Confidence, string>;

function confidenceTone(confidence: string): string {
  if (confidence === 'seed doc' || confidence === 'found') return 'badge-good';
  if (confidence === 'assumed') return 'badge-warn';
  return 'badge-neutral';
}

type Drafts = Partial<Record<EndpointKey, string>>;

function draftsOf(overrides: EndpointOverrides): Drafts {
  return { ...overrides };
}

/** The endpoint whose override an invalid_input error names (`patch.endpointOverrides.sora.create`). */
function erroredKey(error: AppError | null): EndpointKey | null {
  if (error?.kind !== 'invalid_input' || !error.field) return null;
  const marker = 'endpointOverrides.';
  const at = error.field.indexOf(marker);
  if (at < 0) return null;
  const key = error.field.slice(at + marker.length);
  return (endpointKeys as string[]).includes(key) ? (key as EndpointKey) : null;
}

/** Why a path was refused: worded from main's code, else main's words after the field's path. */
function pathErrorText(error: AppError, label: string): string {
  if (error.input) return inputIssueText(error.input, label);
  if (error.reason) return messageFor(error);
  return error.field && error.message.startsWith(`${error.field} `)
    ? i18next.t('settings:endpoints.pathError', { problem: error.message.slice(error.field.length + 1) })
    : error.message;
}

/** Advanced: override any endpoint path of this profile (several are assumptions: docs/proxy-api.md §1.2). */
export function EndpointOverridesSection({
  profile,
  onSaved,
}: {
  profile: Profile;
  onSaved: (p: Profile) => void;
}) {
  const [drafts, setDrafts] = useState<Drafts>(() => draftsOf(profile.endpointOverrides));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const { t } = useTranslation('settings');
  const [saved, setSaved] = useState<'saved' | 'reset' | null>(null);
  const baseId = useId();

  const storedKey = JSON.stringify(profile.endpointOverrides);
  // biome-ignore lint/correctness/useExhaustiveDependencies: storedKey stands for the stored overrides' content
  useEffect(() => {
    setDrafts(draftsOf(profile.endpointOverrides));
  }, [storedKey]);

  async function store(overrides: EndpointOverrides, note: 'saved' | 'reset') {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const updated = await call('profiles.update', {
        id: profile.id,
        patch: { endpointOverrides: overrides },
      });
      onSaved(updated);
      setDrafts(draftsOf(updated.endpointOverrides));
      setSaved(note);
    } catch (cause) {
      setError(toAppError(cause));
    } finally {
      setBusy(false);
    }
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const overrides: EndpointOverrides = {};
    for (const key of endpointKeys) {
      const value = drafts[key]?.trim();
      if (value && value !== defaultEndpoints[key].path) overrides[key] = value;
    }
    void store(overrides, 'saved');
  };

  const badKey = erroredKey(error);
  const overridden = Object.keys(profile.endpointOverrides).length;

  return (
    <details className="card advanced">
      <summary>
        <span className="summary-title">{t('endpoints.title')}</span>
        <span className="muted">
          {overridden === 0 ? t('endpoints.allDefaults') : t('endpoints.overridden', { count: overridden })}
        </span>
      </summary>
      <p className="muted advanced-intro">{t('endpoints.intro')}</p>
      <form onSubmit={submit} noValidate>
        <ul className="endpoint-list">
          {endpointKeys.map((key) => {
            const endpoint = defaultEndpoints[key];
            const inputId = `${baseId}-${key}`;
            const errorId = `${inputId}-error`;
            const isBad = badKey === key;
            const confidence = confidenceKeys[endpoint.confidence];
            return (
              <li key={key} className="endpoint-row">
                <div className="endpoint-meta">
                  <span className="endpoint-name">{key}</span>
                  <span className={`method method-${endpoint.method.toLowerCase()}`}>{endpoint.method}</span>
                  <span
                    className={`badge ${confidenceTone(endpoint.confidence)}`}
                    title={t(`endpoints.confidenceHelp.${confidence}`)}
                  >
                    {t(`endpoints.confidence.${confidence}`)}
                  </span>
                  <code className="endpoint-default">{endpoint.path}</code>
                </div>
                <div className="endpoint-input">
                  <input
                    id={inputId}
                    aria-label={t('endpoints.overrideFor', { key })}
                    value={drafts[key] ?? ''}
                    onChange={(event) => {
                      setDrafts((current) => ({ ...current, [key]: event.target.value }));
                      setSaved(null);
                    }}
                    placeholder={t('endpoints.placeholder')}
                    spellCheck={false}
                    autoComplete="off"
                    aria-invalid={isBad || undefined}
                    aria-describedby={isBad ? errorId : undefined}
                  />
                  {isBad && error ? (
                    <p id={errorId} className="field-error">
                      {pathErrorText(error, t('endpoints.overrideFor', { key }))}
                    </p>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={busy}>
            {t('endpoints.save')}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => void store({}, 'reset')}
            disabled={busy || overridden === 0}
          >
            {t('endpoints.reset')}
          </button>
          <span className="saved-note" aria-live="polite">
            {saved === 'saved' ? t('endpoints.saved') : saved === 'reset' ? t('endpoints.resetDone') : ''}
          </span>
        </div>
        {error && !badKey ? <ErrorNote error={error} /> : null}
      </form>
    </details>
  );
}
