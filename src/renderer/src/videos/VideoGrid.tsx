import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type VideoJob, videoVendorLabels } from '../../../shared/videos/job';
import { libraryUrl } from '../media';
import { shortDate } from '../ui/format';
import { downloadPercent, isGenerating, jobTone, statusLine } from './job-status';
import { TileCost } from './VideoCost';

/** The job's picture: its thumbnail, else a frame of the downloaded file, else a placeholder. */
export function VideoPoster({ job }: { job: VideoJob }) {
  const [broken, setBroken] = useState<string | null>(null);
  if (job.thumbnail && broken !== job.thumbnail) {
    return (
      <img
        className="video-poster"
        src={libraryUrl(job.thumbnail)}
        alt=""
        loading="lazy"
        draggable={false}
        onError={() => setBroken(job.thumbnail)}
      />
    );
  }
  if (job.localFile && job.download === 'done' && broken !== job.localFile) {
    return (
      <video
        className="video-poster"
        src={`${libraryUrl(job.localFile)}#t=0.5`}
        preload="metadata"
        muted
        playsInline
        tabIndex={-1}
        aria-hidden="true"
        onError={() => setBroken(job.localFile)}
      />
    );
  }
  return (
    <div className={`video-placeholder vendor-${job.vendor}`} aria-hidden="true">
      <svg viewBox="0 0 24 24" className="video-placeholder-glyph" aria-hidden="true" focusable="false">
        <rect x="3" y="5" width="14" height="14" rx="2.5" />
        <path d="m17 10 4-2.5v9L17 14" />
      </svg>
    </div>
  );
}

export function StatusBadge({ job }: { job: VideoJob }) {
  const tone = jobTone(job);
  return (
    <span className={`video-status tone-${tone}`} title={statusLine(job)}>
      {tone === 'progress' ? <span className="video-status-pulse" aria-hidden="true" /> : null}
      {statusLine(job)}
    </span>
  );
}

/** Generation progress: determinate when the vendor reports a percentage, else indeterminate. */
export function GenerationProgress({ job, label }: { job: VideoJob; label: string }) {
  const value = job.status === 'running' && job.progress !== null ? Math.round(job.progress) : null;
  return (
    <div
      className={`video-progress${value === null ? ' is-indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value ?? undefined}
      aria-valuetext={value === null ? statusLine(job) : `${value}%`}
    >
      <span className="video-progress-fill" style={value === null ? undefined : { width: `${value}%` }} />
    </div>
  );
}

function VideoTile({ job, selected, onOpen }: { job: VideoJob; selected: boolean; onOpen: () => void }) {
  const { t } = useTranslation('videos');
  const generating = isGenerating(job);
  const downloading =
    job.status === 'succeeded' && (job.download === 'downloading' || job.download === 'pending');
  const percent = downloadPercent(job);
  const tile = useRef<HTMLLIElement>(null);
  // Opening the details narrows the grid and moves the tiles: keep the selected one in view.
  useEffect(() => {
    if (selected) tile.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  return (
    <li
      ref={tile}
      className={`video-tile${selected ? ' is-selected' : ''}`}
      data-job-id={job.id}
      data-status={job.status}
      data-vendor={job.vendor}
    >
      <button
        type="button"
        className="video-tile-button"
        aria-current={selected ? 'true' : undefined}
        onClick={onOpen}
      >
        <span className="video-tile-media">
          <VideoPoster job={job} />
          <span className="video-vendor-chip">{videoVendorLabels[job.vendor]}</span>
          {job.parentId ? <span className="video-remix-chip">{t('library.remixChip')}</span> : null}
        </span>
        <span className="video-tile-body">
          <span className="video-tile-prompt">{job.prompt}</span>
          <span className="video-tile-meta">
            <StatusBadge job={job} />
            <span className="video-tile-date">
              {shortDate(job.createdAt)}
              <TileCost job={job} />
            </span>
          </span>
        </span>
      </button>
      {generating || downloading ? (
        <div className="video-tile-overlay">
          {generating ? (
            <GenerationProgress job={job} label={t('library.generationProgress')} />
          ) : (
            <span className="video-progress is-download" aria-hidden="true">
              <span className="video-progress-fill" style={{ width: `${percent ?? 0}%` }} />
            </span>
          )}
        </div>
      ) : null}
    </li>
  );
}

export function VideoGrid({
  jobs,
  selectedId,
  onOpen,
}: {
  jobs: VideoJob[];
  selectedId: string | null;
  onOpen: (id: string) => void;
}) {
  const { t } = useTranslation('videos');
  return (
    // biome-ignore lint/a11y/noRedundantRoles: list-style: none drops the implicit role in WebKit
    <ul className="video-grid" role="list" aria-label={t('library.label')}>
      {jobs.map((job) => (
        <VideoTile key={job.id} job={job} selected={job.id === selectedId} onOpen={() => onOpen(job.id)} />
      ))}
    </ul>
  );
}
