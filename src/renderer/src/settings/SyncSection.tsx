import './sync-section.css';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { SyncProgress, SyncStatus } from '../../../shared/sync';
import { useLiveStatus } from '../hooks';
import { call, toAppError, useHubEvent } from '../hub';
import { ErrorNote } from '../ui/errors';
import { formatBytes, fullDate, numberFormat } from '../ui/format';
import { SyncMediaChoice } from './SyncMediaChoice';
import { LastSyncNote, OfflineRetryNote, StorageNote, SyncErrorNote } from './SyncReportNotes';
import { SyncSetupForm } from './SyncSetupForm';

const count = (value: number) => numberFormat('count').format(value);

/** Sync's state as main reports it: read once, then kept current by `sync.changed` and `sync.progress`. */
function useSyncStatus() {
  const { status, setStatus, error } = useLiveStatus('sync.status', 'sync.changed');
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  useHubEvent('sync.changed', (value) => {
    if (!value.running) setProgress(null);
  });
  useHubEvent('sync.progress', setProgress);
  return { status, setStatus, progress, error };
}

function SyncProgressBar({ progress }: { progress: SyncProgress }) {
  const { t } = useTranslation('sync');
  const label = t(`progress.${progress.phase}`);
  const percent = progress.total === 0 ? 0 : Math.min(100, (progress.done / progress.total) * 100);
  return (
    <div className="sync-progress">
      <span>{label}</span>
      <div
        className="index-bar"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={progress.total}
        aria-valuenow={progress.done}
        aria-valuetext={t('progress.of', { done: count(progress.done), total: count(progress.total) })}
      >
        <div className="index-bar-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="muted">
        {t('progress.of', { done: count(progress.done), total: count(progress.total) })}
      </span>
    </div>
  );
}

type SyncState = 'running' | 'paused' | 'offline' | 'failed' | 'waiting' | 'upToDate';

function stateOf(status: SyncStatus): { state: SyncState; tone: 'good' | 'warn' | 'busy' } {
  if (status.running) return { state: 'running', tone: 'busy' };
  if (status.paused) return { state: 'paused', tone: 'warn' };
  if (status.offline) return { state: 'offline', tone: 'warn' };
  if (status.last?.error) return { state: 'failed', tone: 'warn' };
  if (status.waiting.rows > 0 || status.waiting.changeSets > 0) return { state: 'waiting', tone: 'busy' };
  return { state: 'upToDate', tone: 'good' };
}

/** A failed Sync now is also the last sync's error: said once, under the last sync. */
function sameError(a: AppError, b: AppError | null | undefined): boolean {
  return !!b && a.message === b.message && a.reason?.code === b.reason?.code;
}

/** Settings → Sync: one library on every computer, through storage the user owns, encrypted before it leaves. */
export function SyncSection() {
  const { t } = useTranslation('sync');
  const { status, setStatus, progress, error } = useSyncStatus();
  const [busy, setBusy] = useState<'now' | 'pause' | 'off' | 'media' | null>(null);
  const [confirmOff, setConfirmOff] = useState(false);
  const [actionError, setActionError] = useState<AppError | null>(null);
  const titleId = useId();
  const confirmId = useId();
  const cancelOffRef = useRef<HTMLButtonElement>(null);
  const offRef = useRef<HTMLButtonElement>(null);
  const offAsked = useRef(false);

  // The question takes the place of the buttons: focus goes to its safe answer, and back to Turn off after it.
  useEffect(() => {
    if (confirmOff) cancelOffRef.current?.focus();
    else if (offAsked.current) offRef.current?.focus();
    offAsked.current = confirmOff;
  }, [confirmOff]);

  const act = async (what: 'now' | 'pause' | 'off' | 'media', work: () => Promise<unknown>) => {
    setBusy(what);
    setActionError(null);
    try {
      await work();
      setStatus(await call('sync.status', {}));
    } catch (cause) {
      setActionError(toAppError(cause));
      call('sync.status', {})
        .then(setStatus)
        .catch(() => undefined);
    } finally {
      setBusy(null);
    }
  };

  const state = status?.configured ? stateOf(status) : null;

  return (
    <section className="card sync-section" aria-labelledby={titleId}>
      <div className="card-header">
        <h2 id={titleId}>{t('title')}</h2>
        <p className="muted">{t('description')}</p>
      </div>
      {error ? <ErrorNote error={error} /> : null}
      {!status && !error ? <p className="muted">{t('reading')}</p> : null}
      {status && !status.configured ? <SyncSetupForm onStatus={setStatus} /> : null}
      {status?.configured && state ? (
        <>
          <p className="index-state" aria-live="polite">
            {state.tone === 'busy' && status.running ? (
              <span className="spinner" aria-hidden="true" />
            ) : (
              <span className={`status-dot is-${state.tone}`} aria-hidden="true" />
            )}
            {t(`state.${state.state}`)}
          </p>
          {state.state === 'offline' ? <OfflineRetryNote nextAt={status.nextAt} /> : null}
          {status.running && progress ? <SyncProgressBar progress={progress} /> : null}
          <dl className="facts">
            <dt>{t('facts.storage')}</dt>
            <dd>{status.target ? <StorageNote target={status.target} /> : <code>{status.describe}</code>}</dd>
            <dt>{t('facts.device')}</dt>
            <dd>
              <code>{status.device?.slice(0, 8)}</code>
            </dd>
            <dt>{t('facts.waiting')}</dt>
            <dd>{t('facts.waitingValue', { rows: count(status.waiting.rows) })}</dd>
            <dt>{t('facts.media')}</dt>
            <dd>
              {status.media.waiting.files === 0
                ? t('facts.mediaAllHere')
                : t('facts.mediaWaiting', {
                    count: status.media.waiting.files,
                    files: count(status.media.waiting.files),
                    size: formatBytes(status.media.waiting.bytes),
                  })}
            </dd>
            <dt>{t('facts.next')}</dt>
            <dd>
              {status.nextAt !== null
                ? fullDate(status.nextAt)
                : t(status.paused ? 'facts.nextPaused' : 'facts.nextNone')}
            </dd>
          </dl>
          {status.last ? <LastSyncNote last={status.last} /> : <p className="muted">{t('last.never')}</p>}
          <SyncMediaChoice
            value={status.media.mode}
            disabled={busy !== null}
            onChoose={(mode) => void act('media', () => call('sync.setMedia', { mode }))}
          />
          {confirmOff ? (
            <div className="confirm" role="alertdialog" aria-labelledby={confirmId}>
              <p id={confirmId}>{t('off.confirm')}</p>
              <div className="button-row">
                <button
                  type="button"
                  className="button button-danger"
                  disabled={busy !== null}
                  onClick={() => void act('off', () => call('sync.off', {})).then(() => setConfirmOff(false))}
                >
                  {t('off.yes')}
                </button>
                <button
                  ref={cancelOffRef}
                  type="button"
                  className="button"
                  onClick={() => setConfirmOff(false)}
                >
                  {t('actions.cancel', { ns: 'common' })}
                </button>
              </div>
            </div>
          ) : (
            <div className="button-row">
              <button
                type="button"
                className="button button-primary"
                disabled={busy !== null || status.running}
                onClick={() => void act('now', () => call('sync.now', {}))}
              >
                {busy === 'now' ? <span className="spinner" aria-hidden="true" /> : null}
                {t('actions.now')}
              </button>
              <button
                type="button"
                className="button"
                disabled={busy !== null}
                onClick={() => void act('pause', () => call('sync.pause', { paused: !status.paused }))}
              >
                {t(status.paused ? 'actions.resume' : 'actions.pause')}
              </button>
              <button
                ref={offRef}
                type="button"
                className="button"
                disabled={busy !== null}
                onClick={() => setConfirmOff(true)}
              >
                {t('actions.off')}
              </button>
            </div>
          )}
          {actionError && !sameError(actionError, status.last?.error) ? (
            <SyncErrorNote error={actionError} />
          ) : null}
        </>
      ) : null}
    </section>
  );
}
