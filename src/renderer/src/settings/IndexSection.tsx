import './index-section.css';
import i18next from 'i18next';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import {
  embeddingModels,
  type IndexStatus,
  type KindProgress,
  modelAcceptsDimensions,
  type SearchKind,
} from '../../../shared/search';
import { useLiveStatus } from '../hooks';
import { call, toAppError } from '../hub';
import { currentLanguage } from '../i18n';
import { ErrorNote, FieldError, fieldMessage, isFieldError } from '../ui/errors';
import { KindGlyph } from '../ui/glyphs';

/** A count in the UI language ("1,234"). */
function formatCount(value: number): string {
  return value.toLocaleString(currentLanguage());
}

const kindRows: SearchKind[] = ['message', 'segment', 'video'];

function stateOf(status: IndexStatus): { text: string; tone: 'good' | 'warn' | 'busy' } {
  if (status.paused) return { text: i18next.t('settings:index.state.paused'), tone: 'warn' };
  if (status.offline) return { text: i18next.t('settings:index.state.offline'), tone: 'warn' };
  if (status.running) return { text: i18next.t('settings:index.state.running'), tone: 'busy' };
  if (status.indexed >= status.total)
    return { text: i18next.t('settings:index.state.upToDate'), tone: 'good' };
  return { text: i18next.t('settings:index.state.waiting'), tone: 'busy' };
}

function ProgressRow({ kind, progress }: { kind: SearchKind; progress: KindProgress }) {
  const { t } = useTranslation('settings');
  const label = t(`index.kinds.${kind}`);
  const percent = progress.total === 0 ? 0 : Math.min(100, (progress.indexed / progress.total) * 100);
  const done = progress.total > 0 && progress.indexed >= progress.total;
  return (
    <>
      <span className="index-kind-label">
        <KindGlyph kind={kind} />
        {label}
      </span>
      <div
        className={`index-bar${done ? ' is-done' : ''}`}
        role="progressbar"
        aria-label={t('index.kindIndexed', { label })}
        aria-valuemin={0}
        aria-valuemax={progress.total}
        aria-valuenow={progress.indexed}
        aria-valuetext={t('index.kindProgress', {
          indexed: formatCount(progress.indexed),
          total: formatCount(progress.total),
        })}
      >
        <div className="index-bar-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="index-count">
        {formatCount(progress.indexed)} / {formatCount(progress.total)}
      </span>
    </>
  );
}

/** The model and dimensions the index uses; a change asks first, because it embeds everything again. */
function IndexSettingsForm({ status, onStatus }: { status: IndexStatus; onStatus: () => void }) {
  const { t } = useTranslation('settings');
  const [model, setModel] = useState(status.model);
  const [dimensions, setDimensions] = useState(status.dimensions === null ? '' : String(status.dimensions));
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const ids = { model: useId(), models: useId(), dims: useId(), dimsHint: useId(), dimsError: useId() };

  // Follow the stored values (a rebuild elsewhere, the CLI, another window).
  useEffect(() => {
    setModel(status.model);
    setDimensions(status.dimensions === null ? '' : String(status.dimensions));
  }, [status.model, status.dimensions]);

  const takesDimensions = modelAcceptsDimensions(model.trim());
  const wanted = takesDimensions && dimensions.trim() !== '' ? Number(dimensions) : null;
  const dimensionsProblem =
    wanted !== null && (!Number.isInteger(wanted) || wanted < 1 || wanted > 8192)
      ? t('index.dimensionsInvalid')
      : null;
  const changed = model.trim() !== status.model || wanted !== status.dimensions;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!model.trim() || dimensionsProblem || !changed) return;
    setError(null);
    setConfirming(true);
  };

  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      await call('index.setSettings', { model: model.trim(), dimensions: wanted });
      setConfirming(false);
      onStatus();
    } catch (cause) {
      setError(toAppError(cause));
    } finally {
      setBusy(false);
    }
  };

  const dimsMessage = dimensionsProblem ?? fieldMessage(error, 'dimensions', t('index.dimensions'));

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <div className="index-settings">
        <div className="field">
          <label htmlFor={ids.model} className="label">
            {t('index.embeddingsModel')}
          </label>
          <input
            id={ids.model}
            list={ids.models}
            value={model}
            onChange={(event) => {
              setModel(event.target.value);
              setConfirming(false);
            }}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={isFieldError(error, 'model') || undefined}
          />
          <datalist id={ids.models}>
            {embeddingModels.map((id) => (
              <option key={id} value={id} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor={ids.dims} className="label">
            {t('index.dimensions')}
          </label>
          <input
            id={ids.dims}
            type="number"
            inputMode="numeric"
            min={1}
            max={8192}
            placeholder={takesDimensions ? t('index.dimensionsDefault') : t('index.dimensionsFixed')}
            value={takesDimensions ? dimensions : ''}
            disabled={!takesDimensions}
            onChange={(event) => {
              setDimensions(event.target.value);
              setConfirming(false);
            }}
            aria-invalid={dimsMessage !== null || undefined}
            aria-describedby={dimsMessage ? ids.dimsError : ids.dimsHint}
          />
          <FieldError id={ids.dimsError} message={dimsMessage} />
          {dimsMessage ? null : (
            <p id={ids.dimsHint} className="hint">
              {t('index.dimensionsHint')}
            </p>
          )}
        </div>
      </div>
      {confirming ? (
        <div className="confirm" role="alert">
          <p>
            <Trans
              t={t}
              i18nKey="index.confirmRebuild"
              values={{ model: model.trim(), total: formatCount(status.total) }}
              components={{ strong: <strong /> }}
            />
          </p>
          <div className="button-row">
            <button
              type="button"
              className="button button-danger"
              onClick={() => void apply()}
              disabled={busy}
            >
              {busy ? <span className="spinner" aria-hidden="true" /> : null}
              {t('index.rebuildWith')}
            </button>
            <button type="button" className="button" onClick={() => setConfirming(false)} disabled={busy}>
              {t('actions.cancel', { ns: 'common' })}
            </button>
          </div>
        </div>
      ) : (
        <div className="button-row">
          <button
            type="submit"
            className="button"
            disabled={!changed || !model.trim() || !!dimensionsProblem}
          >
            {t('index.apply')}
          </button>
        </div>
      )}
      {error && !isFieldError(error, 'dimensions') ? <ErrorNote error={error} /> : null}
    </form>
  );
}

/** Settings → Search index: progress per kind, tokens, model, pause/resume, rebuild, the last error. */
export function IndexSection() {
  const { t } = useTranslation('settings');
  const { status, setStatus, error } = useLiveStatus('index.status', 'index.progress');
  const [busy, setBusy] = useState<'pause' | 'rebuild' | null>(null);
  const [actionError, setActionError] = useState<AppError | null>(null);
  const titleId = useId();

  const run = async (what: 'pause' | 'rebuild', work: () => Promise<IndexStatus>) => {
    setBusy(what);
    setActionError(null);
    try {
      setStatus(await work());
    } catch (cause) {
      setActionError(toAppError(cause));
    } finally {
      setBusy(null);
    }
  };

  const reread = () => {
    call('index.status', {})
      .then(setStatus)
      .catch((cause: unknown) => setActionError(toAppError(cause)));
  };

  const state = status ? stateOf(status) : null;

  return (
    <section className="card" aria-labelledby={titleId}>
      <div className="card-header">
        <h2 id={titleId}>{t('index.title')}</h2>
        <p className="muted">{t('index.description')}</p>
      </div>
      {error ? <ErrorNote error={error} /> : null}
      {!status && !error ? <p className="muted">{t('index.reading')}</p> : null}
      {status && state ? (
        <>
          <p className="index-state" aria-live="polite">
            {state.tone === 'busy' && status.running ? (
              <span className="spinner" aria-hidden="true" />
            ) : (
              <span className={`status-dot is-${state.tone}`} aria-hidden="true" />
            )}
            {state.text}
            <span className="muted">
              {t('index.items', { indexed: formatCount(status.indexed), total: formatCount(status.total) })}
            </span>
          </p>
          <div className="index-kinds">
            {kindRows.map((kind) => (
              <ProgressRow key={kind} kind={kind} progress={status.kinds[kind]} />
            ))}
          </div>
          <dl className="facts">
            <dt>{t('index.tokensUsed')}</dt>
            <dd>{formatCount(status.tokensUsed)}</dd>
            <dt>{t('index.model')}</dt>
            <dd>
              <code>{status.model}</code>
            </dd>
            <dt>{t('index.dimensions')}</dt>
            <dd>{status.dimensions === null ? t('index.modelLength') : formatCount(status.dimensions)}</dd>
            <dt>{t('index.vectorSearch')}</dt>
            <dd>{status.vectorSearch === 'sqlite-vec' ? t('index.sqliteVec') : t('index.exactScan')}</dd>
          </dl>
          {status.lastError ? (
            <div className="error-note">
              <p className="error-message">{t('index.lastError', { error: status.lastError })}</p>
              <p className="error-advice">{t('index.retries')}</p>
            </div>
          ) : null}
          <div className="button-row">
            {status.paused ? (
              <button
                type="button"
                className="button button-primary"
                disabled={busy !== null}
                onClick={() => void run('pause', () => call('index.resume', {}))}
              >
                {t('index.resume')}
              </button>
            ) : (
              <button
                type="button"
                className="button"
                disabled={busy !== null}
                onClick={() => void run('pause', () => call('index.pause', {}))}
              >
                {t('index.pause')}
              </button>
            )}
            <button
              type="button"
              className="button"
              disabled={busy !== null}
              title={t('index.rebuildTitle')}
              onClick={() => void run('rebuild', () => call('index.rebuild', {}))}
            >
              {busy === 'rebuild' ? <span className="spinner" aria-hidden="true" /> : null}
              {t('index.rebuild')}
            </button>
          </div>
          {actionError ? <ErrorNote error={actionError} /> : null}
          <IndexSettingsForm status={status} onStatus={reread} />
        </>
      ) : null}
    </section>
  );
}
