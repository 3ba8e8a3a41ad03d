/** A job's status and what the user can do about it. */
import i18next from 'i18next';
import {
  type VideoDeleteScope,
  type VideoJob,
  type VideoStatus,
  videoVendorLabels,
} from '../../../shared/videos/job';
import type { VideoVendorSpec } from '../../../shared/videos/vendor-specs';
import { reasonText } from '../hub';

export type StatusTone = 'neutral' | 'progress' | 'good' | 'warn' | 'danger';

/** A status as one word in the current language ("Queued", "Ready"…). */
export function videoStatusLabel(status: VideoStatus): string {
  return i18next.t(`videos:status.${status}`);
}

export function statusTone(status: VideoStatus): StatusTone {
  switch (status) {
    case 'submitting':
    case 'queued':
    case 'running':
      return 'progress';
    case 'succeeded':
      return 'good';
    case 'failed':
      return 'danger';
    case 'unknown':
    case 'expired':
      return 'warn';
    case 'cancelled':
      return 'neutral';
  }
}

/** A create that was sent but never answered: it waits for the user, not for the vendor. */
export function isStalled(job: VideoJob): boolean {
  return job.status === 'submitting' && job.error !== null;
}

/** The vendor is still working on the job (a progress bar is shown). */
export function isGenerating(job: VideoJob): boolean {
  if (isStalled(job)) return false;
  return job.status === 'submitting' || job.status === 'queued' || job.status === 'running';
}

/** The colour of a job's status, where a stalled create or a failed download needs the user's eye. */
export function jobTone(job: VideoJob): StatusTone {
  if (isStalled(job)) return 'warn';
  if (job.status === 'succeeded' && (job.download === 'failed' || job.download === 'unavailable'))
    return 'warn';
  return statusTone(job.status);
}

/** Whether the job's problem is an outright failure (red) rather than something to look at (amber). */
export function isFailure(job: VideoJob): boolean {
  return (job.status === 'failed' || job.status === 'cancelled') && !job.error?.safety;
}

/** 0–100 of the local download, or null when unknown. */
export function downloadPercent(job: VideoJob): number | null {
  if (!job.downloadTotal || job.downloadTotal <= 0) return null;
  return Math.max(0, Math.min(100, Math.round((job.downloadedBytes / job.downloadTotal) * 100)));
}

/** The short line a tile shows: "Generating 40%", "Downloading 12%", "Ready", "Failed"… */
export function statusLine(job: VideoJob): string {
  // Another computer of the sync library asks the vendor; its answers come here by sync.
  if (job.madeElsewhere && isGenerating(job)) return i18next.t('videos:statusLine.madeElsewhere');
  if (job.status === 'running' && job.progress !== null)
    return i18next.t('videos:statusLine.generatingPercent', { percent: Math.round(job.progress) });
  if (job.status === 'submitting' && job.error) return i18next.t('videos:statusLine.noAnswer');
  if (job.status === 'succeeded') {
    if (job.download === 'downloading' || job.download === 'pending') {
      const percent = downloadPercent(job);
      return percent === null
        ? i18next.t('videos:statusLine.downloading')
        : i18next.t('videos:statusLine.downloadingPercent', { percent });
    }
    if (job.download === 'failed') return i18next.t('videos:statusLine.downloadFailed');
    if (job.download === 'unavailable') return i18next.t('videos:statusLine.notDownloadable');
    if (job.download !== 'done' || !job.localFile) return i18next.t('videos:statusLine.notDownloaded');
  }
  return videoStatusLabel(job.status);
}

export function isDownloaded(job: VideoJob): boolean {
  return job.download === 'done' && job.localFile !== null;
}

/** Why a job did not (or cannot yet) give a video, in words a person can read; null when nothing is wrong. */
export function problemText(job: VideoJob): string | null {
  const vendor = videoVendorLabels[job.vendor];
  const error = job.error;
  // The vendor's own words as they came; HubDesk's own reason in the UI language.
  const said = error ? reasonText(error.reason, error.message) : null;
  if (error?.safety) return i18next.t('videos:problem.safety', { vendor, message: said }).trim();
  switch (job.status) {
    case 'failed':
      return said ?? i18next.t('videos:problem.failed', { vendor });
    case 'cancelled':
      return said ?? i18next.t('videos:problem.cancelled');
    case 'expired':
      return said ?? i18next.t('videos:problem.expired', { vendor });
    case 'unknown':
      return i18next.t('videos:problem.unknown', { vendor });
    case 'submitting':
      return said ? i18next.t('videos:problem.noAnswer', { vendor, message: said }) : null;
    default:
      break;
  }
  if (job.status === 'succeeded' && job.download === 'unavailable') {
    return job.downloadError
      ? reasonText(job.downloadReason, job.downloadError)
      : i18next.t('videos:problem.notDownloadable');
  }
  if (job.status === 'succeeded' && job.download === 'failed') {
    return job.downloadError
      ? reasonText(job.downloadReason, job.downloadError)
      : i18next.t('videos:problem.downloadFailed');
  }
  return said;
}

export type JobActions = {
  remix: boolean;
  download: boolean;
  checkAgain: boolean;
  sendAgain: boolean;
  /** A new job with the same prompt and parameters (the failed one stays). */
  retry: boolean;
  /** The file is here: save a copy elsewhere, show it in its folder. */
  file: boolean;
  remoteDelete: boolean;
};

/**
 * What the vendor's side of a delete can be: `available`; `vendorCannot` (the vendor has no remote delete);
 * `gone` (already deleted there); `never` (the vendor never accepted the job).
 */
export type RemoteDeleteState = 'available' | 'vendorCannot' | 'gone' | 'never';

export function remoteDeleteState(job: VideoJob, vendor: VideoVendorSpec | undefined): RemoteDeleteState {
  if (!vendor?.remoteDelete) return 'vendorCannot';
  if (job.remoteId === null) return 'never';
  return job.remoteDeleted ? 'gone' : 'available';
}

/** Which buttons the detail view offers for this job. */
export function jobActions(job: VideoJob, vendor: VideoVendorSpec | undefined): JobActions {
  const remoteAlive = job.remoteId !== null && !job.remoteDeleted;
  return {
    remix: Boolean(vendor?.remix) && job.status === 'succeeded' && remoteAlive,
    download:
      job.status === 'succeeded' &&
      !isDownloaded(job) &&
      (job.download === 'none' || job.download === 'failed') &&
      (remoteAlive || job.remoteUrl !== null),
    checkAgain: job.status === 'unknown',
    sendAgain: job.status === 'submitting',
    retry: job.status === 'failed' || job.status === 'cancelled',
    file: isDownloaded(job),
    remoteDelete: Boolean(vendor?.remoteDelete) && remoteAlive,
  };
}

/** What a delete with this scope will do, said before the user confirms. */
export function deleteSummary(scope: VideoDeleteScope, job: VideoJob): string {
  const vendor = videoVendorLabels[job.vendor];
  const hasFile = isDownloaded(job);
  switch (scope) {
    case 'local':
      return hasFile
        ? i18next.t('videos:deleteSummary.localFile')
        : i18next.t('videos:deleteSummary.localNoFile');
    case 'remote':
      return i18next.t('videos:deleteSummary.remote', { vendor });
    case 'both':
      return job.remoteId !== null && job.vendor === 'sora' && !job.remoteDeleted
        ? i18next.t('videos:deleteSummary.bothRemote', { vendor })
        : i18next.t('videos:deleteSummary.both');
  }
}
