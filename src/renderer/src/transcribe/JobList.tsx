import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TranscriptionJob, TranscriptionRetrying } from '../../../shared/transcription';
import { ErrorNote } from '../ui/errors';
import { formatBytes } from '../ui/format';
import { RetryNotice } from '../ui/RetryNotice';
import { useAudioCost } from './cost';
import { Glyph, icons } from './Glyph';
import { canCancel, canRetry, progressText, stateLabel, uploadPercent } from './jobs';
import { wordedError } from './reasons';
import { formatDuration } from './time';

export type JobActions = {
  open: (job: TranscriptionJob) => void;
  cancel: (job: TranscriptionJob) => void;
  retry: (job: TranscriptionJob) => void;
  remove: (job: TranscriptionJob) => void;
};

const badgeClass: Record<TranscriptionJob['state'], string> = {
  queued: 'tx-state-idle',
  uploading: 'tx-state-busy',
  transcribing: 'tx-state-busy',
  done: 'tx-state-done',
  failed: 'tx-state-bad',
  cancelled: 'tx-state-idle',
  interrupted: 'tx-state-warn',
};

function JobItem({
  job,
  open,
  busy,
  retrying,
  actions,
}: {
  job: TranscriptionJob;
  open: boolean;
  busy: boolean;
  retrying: TranscriptionRetrying | undefined;
  actions: JobActions;
}) {
  const { t } = useTranslation('transcribe');
  const [confirming, setConfirming] = useState(false);
  const percent = uploadPercent(job);
  const cost = useAudioCost(job.options.model, job.state === 'done' ? job.durationSec : null);
  const facts = [formatBytes(job.sizeBytes), formatDuration(job.durationSec), job.options.model, cost].filter(
    (fact): fact is string => fact !== null,
  );
  const running = job.state === 'uploading' || job.state === 'transcribing';

  return (
    <li
      className={`tx-job${open ? ' is-open' : ''}`}
      data-job-id={job.id}
      data-state={job.state}
      aria-current={open ? 'true' : undefined}
    >
      <div className="tx-job-head">
        <span className={`tx-job-icon ${badgeClass[job.state]}`} aria-hidden="true">
          <Glyph>{icons.file}</Glyph>
        </span>
        <div className="tx-job-title">
          <span className="tx-job-name" title={job.sourcePath}>
            {job.fileName}
          </span>
          <span className="tx-job-facts">{facts.join(' · ')}</span>
        </div>
        <span className={`tx-badge ${badgeClass[job.state]}`}>
          {running ? <span className="tx-pulse" aria-hidden="true" /> : null}
          {stateLabel(job.state)}
        </span>
      </div>

      {job.state === 'uploading' ? (
        <div
          className="tx-bar"
          role="progressbar"
          aria-label={t('jobs.uploadOf', { name: job.fileName })}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={`${percent}%`}
        >
          <span className="tx-bar-fill" style={{ width: `${percent}%` }} />
        </div>
      ) : job.state === 'transcribing' ? (
        <div className="tx-bar is-indeterminate" aria-hidden="true">
          <span className="tx-bar-fill" />
        </div>
      ) : null}

      {retrying && canCancel(job.state) ? (
        <RetryNotice retrying={retrying} className="tx-job-status" />
      ) : job.state !== 'failed' && job.state !== 'done' ? (
        <p className="tx-job-status">
          {job.state === 'interrupted' && job.error
            ? wordedError(job.error).message
            : progressText(job, formatBytes)}
          {job.state === 'uploading' ? <span className="tx-job-percent">{percent}%</span> : null}
        </p>
      ) : null}
      {job.error && job.state === 'failed' ? <ErrorNote error={wordedError(job.error)} /> : null}

      {confirming ? (
        <div className="tx-confirm">
          <p>{t('jobs.confirmDelete')}</p>
          <div className="tx-job-actions">
            <button
              type="button"
              className="button button-danger tx-small"
              onClick={() => {
                setConfirming(false);
                actions.remove(job);
              }}
            >
              {t('jobs.delete')}
            </button>
            <button type="button" className="button tx-small" onClick={() => setConfirming(false)}>
              {t('jobs.keep')}
            </button>
          </div>
        </div>
      ) : (
        <div className="tx-job-actions">
          {job.state === 'done' ? (
            <button
              type="button"
              className="button tx-small tx-open"
              onClick={() => actions.open(job)}
              aria-pressed={open}
            >
              {t('jobs.open')}
            </button>
          ) : null}
          {canCancel(job.state) ? (
            <button
              type="button"
              className="button tx-small"
              disabled={busy}
              onClick={() => actions.cancel(job)}
            >
              {t('actions.cancel', { ns: 'common' })}
            </button>
          ) : null}
          {canRetry(job) ? (
            <button
              type="button"
              className="button button-primary tx-small"
              disabled={busy}
              onClick={() => actions.retry(job)}
            >
              {t('jobs.retry')}
            </button>
          ) : null}
          <button
            type="button"
            className="text-button tx-remove"
            disabled={busy}
            onClick={() => (job.transcriptId ? setConfirming(true) : actions.remove(job))}
          >
            {t('jobs.remove')}
          </button>
        </div>
      )}
    </li>
  );
}

/** The queue: one row per file with its state, upload progress and what can be done with it. */
export function JobList({
  jobs,
  openJobId,
  busyIds,
  retrying,
  actions,
}: {
  jobs: readonly TranscriptionJob[];
  openJobId: string | null;
  busyIds: ReadonlySet<string>;
  retrying: ReadonlyMap<string, TranscriptionRetrying>;
  actions: JobActions;
}) {
  const { t } = useTranslation('transcribe');
  const list = useRef<HTMLUListElement>(null);
  const shownRunning = useRef(new Set<string>());
  // A job that starts running comes into view: the options above the queue can push it below the fold.
  useEffect(() => {
    const running = jobs.filter((job) => job.state === 'uploading' || job.state === 'transcribing');
    const started = running.find((job) => !shownRunning.current.has(job.id));
    shownRunning.current = new Set(running.map((job) => job.id));
    if (!started) return;
    const row = list.current?.querySelector(`[data-job-id="${CSS.escape(started.id)}"]`);
    row?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [jobs]);
  return (
    // biome-ignore lint/a11y/noRedundantRoles: list-style: none drops the implicit role in WebKit
    <ul className="tx-jobs" role="list" aria-label={t('jobs.label')} ref={list}>
      {jobs.map((job) => (
        <JobItem
          key={job.id}
          job={job}
          open={job.id === openJobId}
          busy={busyIds.has(job.id)}
          retrying={retrying.get(job.id)}
          actions={actions}
        />
      ))}
    </ul>
  );
}
