import { type ReactNode, useEffect, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import { type VideoJob, type VideoVendorSpec, videoVendorLabels } from '../../../shared/videos';
import { fullDate } from '../chat/format';
import { call, toAppError } from '../hub';
import { libraryUrl } from '../media';
import { ErrorNote } from '../settings/errors';
import {
  jobActions as actionsFor,
  buildLineage,
  downloadPercent,
  formatBytes,
  isDownloaded,
  isFailure,
  isGenerating,
  isStalled,
  jobTone,
  type LineageNode,
  paramRows,
  problemText,
  statusLine,
} from './helpers';
import { GenerationProgress, StatusBadge, VideoPoster } from './VideoGrid';

function Glyph({ children }: { children: ReactNode }) {
  return (
    <svg viewBox="0 0 24 24" className="glyph" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

function LineageTree({
  nodes,
  currentId,
  onOpen,
}: {
  nodes: LineageNode[];
  currentId: string;
  onOpen: (id: string) => void;
}) {
  return (
    <ul className="video-lineage-list">
      {nodes.map((node) => (
        <li key={node.job.id}>
          <button
            type="button"
            className="video-lineage-node"
            aria-current={node.job.id === currentId ? 'true' : undefined}
            title={node.job.prompt}
            onClick={() => onOpen(node.job.id)}
          >
            <span className={`video-dot tone-${jobTone(node.job)}`} aria-hidden="true" />
            <span className="video-lineage-prompt">{node.job.prompt}</span>
            <span className="video-lineage-status">{statusLine(node.job)}</span>
          </button>
          {node.children.length > 0 ? (
            <LineageTree nodes={node.children} currentId={currentId} onOpen={onOpen} />
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function relativeTime(at: number, now: number): string {
  const minutes = Math.round((at - now) / 60_000);
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  if (Math.abs(minutes) < 60) return format.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 48) return format.format(hours, 'hour');
  return format.format(Math.round(hours / 24), 'day');
}

type Busy = 'download' | 'refresh' | 'retry' | null;

export function VideoDetail({
  job,
  vendor,
  lineage,
  onOpen,
  onClose,
  onRemix,
  onDelete,
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
  onChanged: (job: VideoJob) => void;
}) {
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
  const params = paramRows(job.params, model);
  const tree = buildLineage(lineage);
  const showTree = lineage.length > 1;

  const facts: [string, ReactNode][] = [
    ['Vendor', vendorLabel],
    ['Model', <code key="model">{job.model}</code>],
    ['Status', statusLine(job)],
    [
      'Vendor id',
      job.remoteId ? (
        <code key="remote" className="video-id">
          {job.remoteId}
        </code>
      ) : (
        <span key="remote" className="muted">
          Not assigned yet
        </span>
      ),
    ],
    [
      'Library id',
      <code key="local" className="video-id">
        {job.id}
      </code>,
    ],
    ['Created', fullDate(job.createdAt)],
  ];
  if (job.submittedAt !== null) facts.push(['Accepted', fullDate(job.submittedAt)]);
  if (job.completedAt !== null) facts.push(['Finished', fullDate(job.completedAt)]);
  if (job.checkedAt !== null && !downloaded) facts.push(['Last checked', fullDate(job.checkedAt)]);
  if (job.expiresAt !== null && !downloaded) {
    const expired = job.expiresAt <= now;
    facts.push([
      expired ? 'Link expired' : 'Link expires',
      `${fullDate(job.expiresAt)} (${relativeTime(job.expiresAt, now)})`,
    ]);
  }
  if (job.fileSize !== null) facts.push(['File size', formatBytes(job.fileSize)]);
  if (job.localFile) {
    facts.push([
      'File',
      <code key="file" className="video-id">
        {job.localFile}
      </code>,
    ]);
  }
  if (job.remoteDeleted) facts.push(['On the vendor', `Deleted from ${vendorLabel}`]);

  return (
    <section className="video-detail" aria-label="Video details">
      <header className="video-detail-head">
        <div className="video-detail-title">
          <h2>{vendorLabel}</h2>
          <StatusBadge job={job} />
        </div>
        <button type="button" className="icon-button" aria-label="Close" title="Close" onClick={onClose}>
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
                  ? 'Waiting for you: no answer to the request'
                  : isGenerating(job)
                    ? `${vendorLabel} is working on it…`
                    : downloading
                      ? `Downloading${percent === null ? '…' : ` ${percent}%`}`
                      : job.status === 'succeeded'
                        ? 'Not downloaded'
                        : statusLine(job)}
              </p>
              {isGenerating(job) ? <GenerationProgress job={job} label="Generation progress" /> : null}
              {downloading ? (
                <div
                  className="video-progress"
                  role="progressbar"
                  aria-label="Download progress"
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={percent ?? undefined}
                >
                  <span className="video-progress-fill" style={{ width: `${percent ?? 0}%` }} />
                </div>
              ) : null}
              {downloading && job.downloadTotal ? (
                <p className="video-stage-sub">
                  {formatBytes(job.downloadedBytes)} of {formatBytes(job.downloadTotal)}
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
            Remix
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
            {busy === 'download' ? 'Starting…' : 'Download'}
          </button>
        ) : null}
        {actions.checkAgain ? (
          <button
            type="button"
            className="button button-primary"
            disabled={busy !== null}
            onClick={() => run('refresh', () => call('videos.refresh', { id: job.id }))}
          >
            {busy === 'refresh' ? 'Checking…' : 'Check again'}
          </button>
        ) : null}
        {actions.sendAgain && !confirmResend ? (
          <button
            type="button"
            className="button"
            disabled={busy !== null}
            onClick={() => setConfirmResend(true)}
          >
            Send again
          </button>
        ) : null}
        <button type="button" className="button button-quiet-danger" onClick={onDelete}>
          <Glyph>
            <path d="M5 7h14M10 7V5h4v2M7 7l1 12h8l1-12" />
          </Glyph>
          Delete
        </button>
      </div>

      {confirmResend ? (
        <div className="confirm">
          <p>
            <strong>Send this request again?</strong> The first one may have reached {vendorLabel} and be
            running (and billed) already; sending again can make a second video.
          </p>
          <div className="button-row">
            <button
              type="button"
              className="button button-primary"
              disabled={busy !== null}
              onClick={() => run('retry', () => call('videos.retryCreate', { id: job.id }))}
            >
              {busy === 'retry' ? 'Sending…' : 'Send again'}
            </button>
            <button type="button" className="button" onClick={() => setConfirmResend(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}

      {problem ? (
        <div className={isFailure(job) ? 'error-note' : 'notice notice-warn'}>
          <p className={isFailure(job) ? 'error-message' : undefined}>
            {job.error?.safety ? <strong>Blocked by the safety filter. </strong> : null}
            {problem}
          </p>
          {job.error?.code ? <p className="error-details">code {job.error.code}</p> : null}
        </div>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}

      <div className="video-section">
        <h3>Prompt</h3>
        <p className="video-prompt-text">{job.prompt}</p>
      </div>

      {params.length > 0 ? (
        <div className="video-section">
          <h3>Parameters</h3>
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
        <h3>Details</h3>
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
        <nav className="video-section video-lineage" aria-label="Remix lineage">
          <h3>Remix lineage</h3>
          <LineageTree nodes={tree} currentId={job.id} onOpen={onOpen} />
        </nav>
      ) : null}
    </section>
  );
}
