import i18next from 'i18next';
import type { JobState, TranscriptionJob, TranscriptionProgress } from '../../../shared/transcription';
import { canRetryAfter } from './reasons';

/** The badge of a job's state, in the UI language. */
export function stateLabel(state: JobState): string {
  return i18next.t(`transcribe:jobs.state.${state}`);
}

export function canCancel(state: JobState): boolean {
  return state === 'queued' || state === 'uploading' || state === 'transcribing';
}

/** Failed, cancelled or interrupted, unless it failed in a way a retry cannot change (canRetryAfter). */
export function canRetry(job: Pick<TranscriptionJob, 'state' | 'error'>): boolean {
  if (job.state === 'failed') return canRetryAfter(job.error);
  return job.state === 'cancelled' || job.state === 'interrupted';
}

/** Upload progress in whole percent, 0–100. */
export function uploadPercent(job: Pick<TranscriptionJob, 'progress'>): number {
  const { uploadedBytes, totalBytes } = job.progress;
  if (totalBytes <= 0) return 0;
  return Math.max(0, Math.min(100, Math.floor((uploadedBytes / totalBytes) * 100)));
}

/** Newest first, as `transcription.list` returns them. */
function sortJobs(jobs: TranscriptionJob[]): TranscriptionJob[] {
  return jobs.sort((a, b) => b.createdAt - a.createdAt);
}

/** The list after a job was added, changed or removed (`job: null`). Unknown removals change nothing. */
export function applyJobChange(
  jobs: readonly TranscriptionJob[],
  change: { id: string; job: TranscriptionJob | null },
): TranscriptionJob[] {
  const rest = jobs.filter((job) => job.id !== change.id);
  if (!change.job) return rest.length === jobs.length ? [...jobs] : rest;
  const known = jobs.find((job) => job.id === change.id);
  // Events can overtake each other; an older snapshot never replaces a newer one.
  if (known && known.updatedAt > change.job.updatedAt) return [...jobs];
  return sortJobs([...rest, change.job]);
}

/** The list after a progress event; progress for a job the list does not hold is dropped. */
export function applyProgress(
  jobs: readonly TranscriptionJob[],
  progress: TranscriptionProgress,
): TranscriptionJob[] {
  return jobs.map((job) => {
    if (job.id !== progress.jobId) return job;
    // A late progress event must not pull a finished job back into uploading.
    if (job.state !== 'queued' && job.state !== 'uploading' && job.state !== 'transcribing') return job;
    const { jobId: _jobId, state, ...rest } = progress;
    return { ...job, state, progress: rest };
  });
}

/** Jobs returned by `transcription.add`, put in front of the list (or replacing what events already brought). */
export function mergeJobs(
  jobs: readonly TranscriptionJob[],
  added: readonly TranscriptionJob[],
): TranscriptionJob[] {
  let next = [...jobs];
  for (const job of added) next = applyJobChange(next, { id: job.id, job });
  return next;
}

/** The line under a job's name that says where it is, in the UI language. */
export function progressText(job: TranscriptionJob, formatBytes: (bytes: number) => string): string {
  const { uploadedBytes, totalBytes, part, partCount } = job.progress;
  const parts = { part, parts: partCount };
  switch (job.state) {
    case 'queued':
      return i18next.t('transcribe:jobs.progress.queued');
    case 'uploading': {
      const sizes = { uploaded: formatBytes(uploadedBytes), total: formatBytes(totalBytes) };
      return partCount > 1
        ? i18next.t('transcribe:jobs.progress.uploadingPart', { ...sizes, ...parts })
        : i18next.t('transcribe:jobs.progress.uploading', sizes);
    }
    case 'transcribing':
      return partCount > 1
        ? i18next.t('transcribe:jobs.progress.transcribingPart', parts)
        : i18next.t('transcribe:jobs.progress.transcribing');
    case 'done':
      return i18next.t('transcribe:jobs.progress.done');
    case 'cancelled':
      return i18next.t('transcribe:jobs.progress.cancelled');
    case 'interrupted':
      return i18next.t('transcribe:jobs.progress.interrupted');
    case 'failed':
      return i18next.t('transcribe:jobs.progress.failed');
  }
}
