import type { JobProgress, JobState, TranscriptionError } from '../../../shared/transcription';
import type { Clock } from '../../base/clock';
import { toAppError } from '../../base/errors';

export const PROGRESS_INTERVAL_MS = 100;

/** At most one progress event per interval; a forced one (a new state, a new part) always goes and restarts it. */
export class ProgressThrottle {
  private lastSentAt: number | null = null;

  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    private readonly intervalMs = PROGRESS_INTERVAL_MS,
  ) {}

  shouldSend(force = false): boolean {
    const now = this.clock.now();
    if (!force && this.lastSentAt !== null && now - this.lastSentAt < this.intervalMs) return false;
    this.lastSentAt = now;
    return true;
  }
}

export function startProgress(totalBytes: number): JobProgress {
  return { uploadedBytes: 0, totalBytes, part: 0, partCount: 0 };
}

/** The job's bytes sent once `sent` of the `total` request bytes of a part went out (the envelope counts pro rata). */
export function uploadedBytesAt(before: number, partSize: number, sent: number, total: number): number {
  return before + Math.min(partSize, Math.round((sent / total) * partSize));
}

/** Once the whole request is out, the API is transcribing; a retried attempt uploads again from the start. */
export function uploadStateAt(sent: number, total: number): 'uploading' | 'transcribing' {
  return sent >= total ? 'transcribing' : 'uploading';
}

/** Why a running job was aborted: the user's cancel, or the app closing. */
export type StopReason = 'cancel' | 'close';

export interface JobEnd {
  state: Extract<JobState, 'failed' | 'cancelled' | 'interrupted'>;
  error: TranscriptionError;
}

/**
 * How a run that did not finish ends: closing the app interrupts it (a retry restarts it), a cancel cancels it,
 * anything else fails it with what was thrown.
 */
export function endOfRun(error: unknown, stop: StopReason | null): JobEnd {
  if (stop === 'close') {
    return {
      state: 'interrupted',
      error: {
        kind: 'cancelled',
        message: 'HubDesk was closed while this file was being transcribed. Retry to transcribe it again.',
        reason: { code: 'closedWhileRunning', values: {} },
      },
    };
  }
  if (stop === 'cancel') {
    return {
      state: 'cancelled',
      error: { kind: 'cancelled', message: 'Cancelled.', reason: { code: 'cancelled', values: {} } },
    };
  }
  return { state: 'failed', error: toAppError(error) };
}
