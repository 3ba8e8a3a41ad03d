import '../search/search.css';
import { type FormEvent, useEffect, useId, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import {
  embeddingModels,
  type IndexStatus,
  type KindProgress,
  modelAcceptsDimensions,
  type SearchKind,
} from '../../../shared/search';
import { call, toAppError, useHubEvent } from '../hub';
import { KindGlyph } from '../search/palette/hits';
import { ErrorNote, FieldError, fieldMessage, isFieldError } from './errors';

const count = new Intl.NumberFormat('en');

const kindRows: { kind: SearchKind; label: string }[] = [
  { kind: 'message', label: 'Chat messages' },
  { kind: 'segment', label: 'Transcript passages' },
  { kind: 'video', label: 'Video prompts' },
];

/** The index as main reports it: read once, then kept current by `index.progress`. */
function useIndexStatus() {
  const [status, setStatus] = useState<IndexStatus | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    let live = true;
    call('index.status', {})
      .then((value) => live && setStatus(value))
      .catch((cause: unknown) => live && setError(toAppError(cause)));
    return () => {
      live = false;
    };
  }, []);
  useHubEvent('index.progress', (value) => {
    setStatus(value);
    setError(null);
  });
  return { status, setStatus, error };
}

function stateOf(status: IndexStatus): { text: string; tone: 'good' | 'warn' | 'busy' } {
  if (status.paused) return { text: 'Paused: nothing is sent until you resume', tone: 'warn' };
  if (status.offline) return { text: 'Offline: indexing resumes when the network is back', tone: 'warn' };
  if (status.running) return { text: 'Indexing…', tone: 'busy' };
  if (status.indexed >= status.total) return { text: 'Up to date', tone: 'good' };
  return { text: 'Waiting to index', tone: 'busy' };
}

function ProgressRow({ kind, label, progress }: { kind: SearchKind; label: string; progress: KindProgress }) {
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
        aria-label={`${label} indexed`}
        aria-valuemin={0}
        aria-valuemax={progress.total}
        aria-valuenow={progress.indexed}
        aria-valuetext={`${progress.indexed} of ${progress.total}`}
      >
        <div className="index-bar-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="index-count">
        {count.format(progress.indexed)} / {count.format(progress.total)}
      </span>
    </>
  );
}

/** The model and dimensions the index uses; a change asks first, because it embeds everything again. */
function IndexSettingsForm({ status, onStatus }: { status: IndexStatus; onStatus: () => void }) {
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
      ? 'Dimensions must be a whole number from 1 to 8192, or empty for the model’s own length.'
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

  const dimsMessage = dimensionsProblem ?? fieldMessage(error, 'dimensions', 'Dimensions');

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <div className="index-settings">
        <div className="field">
          <label htmlFor={ids.model} className="label">
            Embeddings model
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
            Dimensions
          </label>
          <input
            id={ids.dims}
            type="number"
            inputMode="numeric"
            min={1}
            max={8192}
            placeholder={takesDimensions ? 'Model default' : 'Fixed by the model'}
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
              Shorter vectors take less space; only text-embedding-3 models accept a length.
            </p>
          )}
        </div>
      </div>
      {confirming ? (
        <div className="confirm" role="alert">
          <p>
            <strong>Rebuild the index with {model.trim()}?</strong> Vectors of different models cannot be
            compared, so every stored vector is dropped and all {count.format(status.total)} items are
            embedded again, which uses tokens. Keyword search keeps working meanwhile.
          </p>
          <div className="button-row">
            <button
              type="button"
              className="button button-danger"
              onClick={() => void apply()}
              disabled={busy}
            >
              {busy ? <span className="spinner" aria-hidden="true" /> : null}
              Rebuild with these settings
            </button>
            <button type="button" className="button" onClick={() => setConfirming(false)} disabled={busy}>
              Cancel
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
            Apply…
          </button>
        </div>
      )}
      {error && !isFieldError(error, 'dimensions') ? <ErrorNote error={error} /> : null}
    </form>
  );
}

/** Settings → Search index: progress per kind, tokens, model, pause/resume, rebuild, the last error. */
export function IndexSection() {
  const { status, setStatus, error } = useIndexStatus();
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
        <h2 id={titleId}>Search index</h2>
        <p className="muted">
          Chats, transcripts and video prompts are embedded in the background so Ctrl+K finds them by meaning,
          not only by their words. Vectors stay on this computer.
        </p>
      </div>
      {error ? <ErrorNote error={error} /> : null}
      {!status && !error ? <p className="muted">Reading…</p> : null}
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
              · {count.format(status.indexed)} of {count.format(status.total)} items
            </span>
          </p>
          <div className="index-kinds">
            {kindRows.map((row) => (
              <ProgressRow
                key={row.kind}
                kind={row.kind}
                label={row.label}
                progress={status.kinds[row.kind]}
              />
            ))}
          </div>
          <dl className="facts">
            <dt>Tokens used</dt>
            <dd>{count.format(status.tokensUsed)}</dd>
            <dt>Model</dt>
            <dd>
              <code>{status.model}</code>
            </dd>
            <dt>Dimensions</dt>
            <dd>{status.dimensions === null ? 'The model’s own length' : count.format(status.dimensions)}</dd>
            <dt>Vector search</dt>
            <dd>
              {status.vectorSearch === 'sqlite-vec'
                ? 'sqlite-vec extension'
                : 'Exact scan (the sqlite-vec extension did not load)'}
            </dd>
          </dl>
          {status.lastError ? (
            <div className="error-note">
              <p className="error-message">Last error: {status.lastError}</p>
              <p className="error-advice">The indexer tries again by itself; search by words still works.</p>
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
                Resume indexing
              </button>
            ) : (
              <button
                type="button"
                className="button"
                disabled={busy !== null}
                onClick={() => void run('pause', () => call('index.pause', {}))}
              >
                Pause indexing
              </button>
            )}
            <button
              type="button"
              className="button"
              disabled={busy !== null}
              title="Drop every stored vector and embed everything again"
              onClick={() => void run('rebuild', () => call('index.rebuild', {}))}
            >
              {busy === 'rebuild' ? <span className="spinner" aria-hidden="true" /> : null}
              Rebuild index
            </button>
          </div>
          {actionError ? <ErrorNote error={actionError} /> : null}
          <IndexSettingsForm status={status} onStatus={reread} />
        </>
      ) : null}
    </section>
  );
}
