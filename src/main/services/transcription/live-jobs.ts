import type { AppError } from '../../../shared/errors';
import type { JobProgress, JobState, TranscriptionJob } from '../../../shared/transcription';
import type { RetryNotice } from '../../api/retry';
import type { Clock } from '../../base/clock';
import type { TranscriptionJobsRepo } from '../../store/transcription-jobs-repo';
import type { EventBus } from '../event-bus';
import { type JobEnd, ProgressThrottle, startProgress } from './job-state';
import type { UploadUpdate } from './upload-parts';

export interface LiveJob {
  state: JobState;
  progress: JobProgress;
  /** How the run ended when it did not finish; stored once the job has left the queue. */
  end: JobEnd | null;
}

interface Tracked extends LiveJob {
  throttle: ProgressThrottle;
}

export interface LiveJobsDeps {
  jobs: TranscriptionJobsRepo;
  bus: EventBus;
  clock: Clock;
  now: () => number;
}

/**
 * Jobs as the window sees them: a running job's state and progress live in memory, are stored on each change
 * of state, and are told on the bus (`transcription.changed`, `transcription.progress`).
 */
export class LiveJobs {
  private readonly running = new Map<string, Tracked>();

  constructor(private readonly deps: LiveJobsDeps) {}

  start(job: TranscriptionJob): LiveJob {
    const live: Tracked = {
      state: 'queued',
      progress: startProgress(job.sizeBytes),
      end: null,
      throttle: new ProgressThrottle(this.deps.clock),
    };
    this.running.set(job.id, live);
    return live;
  }

  /**
   * The job left the queue: it is no longer live, and how it ended is stored and told. Only now, so that a
   * retry right after sees it as it is.
   */
  finish(id: string): void {
    const live = this.running.get(id);
    this.running.delete(id);
    if (!live?.end) return;
    const ended = this.deps.jobs.updateJob(
      id,
      { state: live.end.state, error: live.end.error, progress: live.progress },
      this.deps.now(),
    );
    this.changed(ended);
  }

  /** The stored job, with the live state and progress while it runs. */
  withLive(job: TranscriptionJob): TranscriptionJob {
    const live = this.running.get(job.id);
    return live ? { ...job, state: live.state, progress: live.progress } : job;
  }

  /** Stores a new state (with the live progress while the job runs) and tells it. */
  setState(id: string, state: JobState, error: AppError | null = null): TranscriptionJob {
    const live = this.running.get(id);
    if (live) live.state = state;
    const job = this.deps.jobs.updateJob(
      id,
      { state, error, ...(live ? { progress: live.progress } : {}) },
      this.deps.now(),
    );
    this.changed(job);
    return job;
  }

  /** A new part or state is stored and told at once; progress within a state at most every 100 ms. */
  update(id: string, update: UploadUpdate): void {
    const live = this.running.get(id);
    if (!live) return;
    live.progress = update.progress;
    if (update.partStart || update.state !== live.state) {
      this.setState(id, update.state);
      this.sendProgress(live, id, true);
    } else this.sendProgress(live, id);
  }

  /** The upload is sent again after a wait: told so the window can say "rate limited, retrying in 6 s". */
  retrying(id: string, notice: RetryNotice): void {
    this.deps.bus.emit('transcription.retrying', {
      jobId: id,
      attempt: notice.retry,
      maxAttempts: notice.maxRetries,
      waitMs: notice.delayMs,
      reason: notice.error.kind,
    });
  }

  changed(job: TranscriptionJob): void {
    this.deps.bus.emit('transcription.changed', { id: job.id, job: this.withLive(job) });
  }

  removed(id: string): void {
    this.deps.bus.emit('transcription.changed', { id, job: null });
  }

  private sendProgress(live: Tracked, id: string, force = false): void {
    if (!live.throttle.shouldSend(force)) return;
    this.deps.bus.emit('transcription.progress', { jobId: id, state: live.state, ...live.progress });
  }
}
