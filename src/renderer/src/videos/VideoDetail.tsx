// Past 400 lines: the details panel of a video (player, facts, cost, actions, remix, delete) as one unit.
import { type ReactNode, useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import { type VideoJob, videoVendorLabels } from '../../../shared/videos/job';
import { remixSourceOf, vendorOptionsOf } from '../../../shared/videos/reuse';
import type { VideoVendorSpec } from '../../../shared/videos/vendor-specs';
import { call, toAppError } from '../hub';
import { libraryUrl } from '../media';
import { ElsewhereFile } from '../ui/ElsewhereFile';
import { ErrorNote } from '../ui/errors';
import { formatBytes, fullDate } from '../ui/format';
import { FileActions, imageParams, LineageTree, RemixSource, relativeTime } from './DetailParts';
import { paramRows } from './display-text';
import {
  jobActions as actionsFor,
  downloadPercent,
  isDownloaded,
  isFailure,
  isGenerating,
  isStalled,
  problemText,
  statusLine,
} from './job-status';
import { buildLineage } from './library';
import type { ToastWords } from './toast-words';
import type { FileShell } from './useVideoLibrary';
import { useVideoCost } from './VideoCost';
import { GenerationProgress, StatusBadge, VideoPoster } from './VideoGrid';

function Glyph({ children }: { children: ReactNode }) {
  return (
    <svg viewBox="0 0 24 24" className="glyph" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

type Busy = 'download' | 'refresh' | 'retry' | 'recreate' | null;

export function VideoDetail({
  job,
  vendor,
  lineage,
  onOpen,
  onClose,
  onRemix,
  onDelete,
  onReuse,
  onRetried,
  onSay,
  fileShell,
  parent,
  onChanged,
}: {
  job: VideoJob;
  vendor: VideoVendorSpec | undefined;
  /** The jobs of this job's remix tree (main's answer, kept current by events). */
  lineage: VideoJob[];
  onOpen: (id: string) => void;
  onClose: () => void;
  onRemix: () => void;
  onDelete: () => void;
  /** Opens the create form filled with this job's prompt and parameters. */
  onReuse: () => void;
  /** A new job was made from this failed one. */
  onRetried: (job: VideoJob) => void;
  onSay: (words: ToastWords) => void;
  fileShell: FileShell;
  /** The job this one remixes, as the library knows it; null when it is not there (any more). */
  parent: VideoJob | null;
  onChanged: (job: VideoJob) => void;
}) {
  const { t } = useTranslation('videos');
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [confirmResend, setConfirmResend] = useState(false);
  const actions = actionsFor(job, vendor);
  const vendorLabel = videoVendorLabels[job.vendor];

  // A different job, or the same one moving on, makes a pending question or error stale.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the job's identity and status are the triggers
  useEffect(() => {
    setError(null);
    setConfirmResend(false);
  }, [job.id, job.status]);

  const run = async (kind: Exclude<Busy, null>, action: () => Promise<VideoJob>) => {
    setBusy(kind);
    setError(null);
    try {
      onChanged(await action());
    } catch (cause) {
      setError(toAppError(cause));
    } finally {
      setBusy(null);
    }
  };

  const problem = problemText(job);
  const downloaded = isDownloaded(job);
  const downloading = job.download === 'downloading' || job.download === 'pending';
  const percent = downloadPercent(job);
  const now = Date.now();
  const model = vendor?.models.find((candidate) => candidate.id === job.model);
  const params = paramRows(vendorOptionsOf(job.params), model, job.vendor).concat(
    paramRows(imageParams(job.params), model, job.vendor),
  );
  const remixed = job.parentId !== null || remixSourceOf(job) !== null;
  const cost = useVideoCost(job);
  const tree = buildLineage(lineage);
  const showTree = lineage.length > 1;

  const facts: [string, ReactNode][] = [
    [t('detail.facts.vendor'), vendorLabel],
    [t('detail.facts.model'), <code key="model">{job.model}</code>],
    [t('detail.facts.status'), statusLine(job)],
    [
      t('detail.facts.vendorId'),
      job.remoteId ? (
        <code key="remote" className="video-id">
          {job.remoteId}
        </code>
      ) : (
        <span key="remote" className="muted">
          {t('detail.facts.notAssigned')}
        </span>
      ),
    ],
    [
      t('detail.facts.libraryId'),
      <code key="local" className="video-id">
        {job.id}
      </code>,
    ],
    [t('detail.facts.created'), fullDate(job.createdAt)],
  ];
  if (remixed)
    facts.unshift([t('manage.remixOf'), <RemixSource key="parent" parent={parent} onOpen={onOpen} />]);
  if (job.submittedAt !== null) facts.push([t('detail.facts.accepted'), fullDate(job.submittedAt)]);
  if (job.completedAt !== null) facts.push([t('detail.facts.finished'), fullDate(job.completedAt)]);
  if (job.checkedAt !== null && !downloaded)
    facts.push([t('detail.facts.lastChecked'), fullDate(job.checkedAt)]);
  if (job.expiresAt !== null && !downloaded) {
    const expired = job.expiresAt <= now;
    facts.push([
      expired ? t('detail.facts.linkExpired') : t('detail.facts.linkExpires'),
      t('detail.facts.expiresValue', {
        date: fullDate(job.expiresAt),
        relative: relativeTime(job.expiresAt, now),
      }),
    ]);
  }
  if (job.status === 'succeeded') facts.push([t('cost.label'), cost ?? t('cost.noPrice')]);
  if (job.fileSize !== null) facts.push([t('detail.facts.fileSize'), formatBytes(job.fileSize)]);
  if (job.localFile) {
    facts.push([
      t('detail.facts.file'),
      <code key="file" className="video-id">
        {job.localFile}
      </code>,
    ]);
  }
  if (job.remoteDeleted)
    facts.push([t('detail.facts.onVendor'), t('detail.facts.deletedFrom', { vendor: vendorLabel })]);

  return (
    <section className="video-detail" aria-label={t('detail.label')}>
      <header className="video-detail-head">
        <div className="video-detail-title">
          <h2>{vendorLabel}</h2>
          <StatusBadge job={job} />
        </div>
        <button
          type="button"
          className="icon-button"
          aria-label={t('actions.close', { ns: 'common' })}
          title={t('actions.close', { ns: 'common' })}
          onClick={onClose}
        >
          <Glyph>
            <path d="M6 6l12 12M18 6 6 18" />
          </Glyph>
        </button>
      </header>

      <div className="video-stage">
        {downloaded && job.localFile ? (
          <video
            key={job.localFile}
            className="video-player"
            src={libraryUrl(job.localFile)}
            poster={job.thumbnail ? libraryUrl(job.thumbnail) : undefined}
            controls
            preload="metadata"
            playsInline
          >
            <track kind="captions" />
          </video>
        ) : (
          <div className="video-stage-empty">
            <VideoPoster job={job} />
            <div className="video-stage-overlay">
              <p className="video-stage-text">
                {isStalled(job)
                  ? t('detail.stalled')
                  : isGenerating(job)
                    ? t('detail.working', { vendor: vendorLabel })
                    : downloading
                      ? percent === null
                        ? t('detail.downloading')
                        : t('detail.downloadingPercent', { percent })
                      : job.status === 'succeeded'
                        ? t('detail.notDownloaded')
                        : statusLine(job)}
              </p>
              {isGenerating(job) ? (
                <GenerationProgress job={job} label={t('library.generationProgress')} />
              ) : null}
              {job.status === 'succeeded' && !downloading ? (
                <ElsewhereFile owner={job.id} kind="video" />
              ) : null}
              {downloading ? (
                <div
                  className="video-progress"
                  role="progressbar"
                  aria-label={t('detail.downloadProgress')}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={percent ?? undefined}
                >
                  <span className="video-progress-fill" style={{ width: `${percent ?? 0}%` }} />
                </div>
              ) : null}
              {downloading && job.downloadTotal ? (
                <p className="video-stage-sub">
                  {t('detail.bytesOf', {
                    done: formatBytes(job.downloadedBytes),
                    total: formatBytes(job.downloadTotal),
                  })}
                </p>
              ) : null}
            </div>
          </div>
        )}
      </div>

      <div className="video-actions">
        {actions.remix ? (
          <button type="button" className="button" onClick={onRemix}>
            <Glyph>
              <path d="M4 7h11l-3-3M20 17H9l3 3" />
            </Glyph>
            {t('detail.remix')}
          </button>
        ) : null}
        {actions.download ? (
          <button
            type="button"
            className="button button-primary"
            disabled={busy !== null}
            onClick={() => run('download', () => call('videos.download', { id: job.id }))}
          >
            <Glyph>
              <path d="M12 4v11m-4.5-4.5L12 15l4.5-4.5M5 19h14" />
            </Glyph>
            {busy === 'download' ? t('detail.starting') : t('detail.download')}
          </button>
        ) : null}
        {actions.checkAgain ? (
          <button
            type="button"
            className="button button-primary"
            disabled={busy !== null}
            onClick={() => run('refresh', () => call('videos.refresh', { id: job.id }))}
          >
            {busy === 'refresh' ? t('detail.checking') : t('detail.checkAgain')}
          </button>
        ) : null}
        {actions.retry ? (
          <button
            type="button"
            className="button button-primary"
            disabled={busy !== null}
            onClick={async () => {
              setBusy('recreate');
              setError(null);
              try {
                onRetried(await call('videos.recreate', { id: job.id }));
              } catch (cause) {
                setError(toAppError(cause));
              } finally {
                setBusy(null);
              }
            }}
          >
            <Glyph>
              <path d="M20 11a8 8 0 1 0-2.3 5.7M20 5v6h-6" />
            </Glyph>
            {busy === 'recreate' ? t('manage.retrying') : t('manage.retry')}
          </button>
        ) : null}
        {actions.file && job.localFile ? (
          <FileActions
            job={job}
            localFile={job.localFile}
            shell={fileShell}
            onSay={onSay}
            onError={setError}
          />
        ) : null}
        <button type="button" className="button" onClick={onReuse}>
          {t('manage.reusePrompt')}
        </button>
        {actions.sendAgain && !confirmResend ? (
          <button
            type="button"
            className="button"
            disabled={busy !== null}
            onClick={() => setConfirmResend(true)}
          >
            {t('detail.sendAgain')}
          </button>
        ) : null}
        <button type="button" className="button button-quiet-danger" onClick={onDelete}>
          <Glyph>
            <path d="M5 7h14M10 7V5h4v2M7 7l1 12h8l1-12" />
          </Glyph>
          {t('detail.delete')}
        </button>
      </div>

      {confirmResend ? (
        <div className="confirm">
          <p>
            <Trans
              t={t}
              i18nKey="detail.confirmResend"
              values={{ vendor: vendorLabel }}
              components={{ strong: <strong /> }}
            />
          </p>
          <div className="button-row">
            <button
              type="button"
              className="button button-primary"
              disabled={busy !== null}
              onClick={() => run('retry', () => call('videos.retryCreate', { id: job.id }))}
            >
              {busy === 'retry' ? t('detail.sending') : t('detail.sendAgain')}
            </button>
            <button type="button" className="button" onClick={() => setConfirmResend(false)}>
              {t('actions.cancel', { ns: 'common' })}
            </button>
          </div>
        </div>
      ) : null}

      {problem ? (
        <div className={isFailure(job) ? 'error-note' : 'notice notice-warn'}>
          <p className={isFailure(job) ? 'error-message' : undefined}>
            {job.error?.safety ? <strong>{t('detail.safetyBlocked')}</strong> : null}
            {problem}
          </p>
          {job.error?.providerMessage ? (
            <p className="error-provider">
              {t('errors.proxySaid', { ns: 'common', message: job.error.providerMessage })}
            </p>
          ) : null}
          {job.error?.code ? (
            <p className="error-details">{t('errors.code', { ns: 'common', code: job.error.code })}</p>
          ) : null}
        </div>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}

      <div className="video-section">
        <h3>{t('detail.prompt')}</h3>
        <p className="video-prompt-text">{job.prompt}</p>
      </div>

      {params.length > 0 ? (
        <div className="video-section">
          <h3>{t('detail.parameters')}</h3>
          <dl className="video-facts">
            {params.map((row) => (
              <div key={row.key} className="video-fact">
                <dt>{row.label}</dt>
                <dd>{row.value}</dd>
              </div>
            ))}
          </dl>
        </div>
      ) : null}

      <div className="video-section">
        <h3>{t('detail.details')}</h3>
        <dl className="video-facts">
          {facts.map(([label, value]) => (
            <div key={label} className="video-fact">
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </div>

      {showTree ? (
        <nav className="video-section video-lineage" aria-label={t('detail.lineage')}>
          <h3>{t('detail.lineage')}</h3>
          <LineageTree nodes={tree} currentId={job.id} onOpen={onOpen} />
        </nav>
      ) : null}
    </section>
  );
}
