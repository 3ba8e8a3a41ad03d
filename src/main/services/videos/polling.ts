import { encodeStoredError } from '../../../shared/error-reasons';
import { isTerminalVideoStatus, type VideoJob, videoVendorLabels } from '../../../shared/videos/job';
import { fetchRemoteVideo } from '../../api/video';
import type { RemoteVideoState } from '../../api/video/types';
import { toAppError } from '../../base/errors';
import { WorkQueue } from '../../base/work-queue';
import { publicJob, type VideoPatch, type VideoRecord } from '../../store/videos-repo';
import { OPEN_STATUSES, type VideoContext } from './context';
import type { VideoDownloads } from './download-queue';

/**
 * Asks the vendors about open jobs, with a growing interval and a few at a time, and records what they say:
 * on the way into a final state it notifies and starts the download. A job another computer of the sync library
 * made is left to that computer: its answers arrive here by sync (the vendor is asked once, by one computer).
 */
export class VideoPolling {
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; dueAt: number; attempt: number }>();
  private readonly queue: WorkQueue<string>;
  /** Polls under way, from the queue or asked for directly (`refresh`). */
  private readonly running = new Set<string>();
  /** When the current polling window of a job began (its give-up limit counts from here). */
  private readonly since = new Map<string, number>();

  constructor(
    private readonly context: VideoContext,
    private readonly downloads: VideoDownloads,
  ) {
    this.queue = new WorkQueue<string>({
      concurrency: context.timing.maxConcurrentPolls,
      onError: (_id, error) => context.logTaskFailure(error),
    });
  }

  /** Starts a polling window for a job the vendor has just taken (or that a restart found open). */
  begin(id: string, since = this.context.now()): void {
    this.since.set(id, since);
  }

  /** After a restart: asks about an open job soon, its give-up limit counted from when it was sent. */
  resume(record: VideoRecord): void {
    this.begin(record.id, record.submittedAt ?? record.createdAt);
    this.schedule(record.id, 0);
  }

  /** New intervals or limits: pending polls due later than the new interval come sooner. */
  retime(): void {
    for (const [id, entry] of this.timers) {
      const delay = this.delay(entry.attempt);
      if (entry.dueAt - this.context.now() > delay) this.schedule(id, entry.attempt, delay);
    }
    this.queue.setConcurrency(this.context.timing.maxConcurrentPolls);
  }

  async close(): Promise<void> {
    for (const entry of this.timers.values()) clearTimeout(entry.timer);
    this.timers.clear();
    await this.queue.close();
  }

  /** Stores what the vendor said; on the way into a final state: notify, and start the download. */
  apply(id: string, state: RemoteVideoState, extra: VideoPatch = {}): VideoRecord {
    const { context, downloads } = this;
    const before = context.record(id);
    const now = context.now();
    const patch: VideoPatch = {
      ...extra,
      remoteId: state.remoteId,
      status: state.status,
      progress: state.progress ?? (state.status === 'succeeded' ? 100 : before.progress),
      error: state.error,
      checkedAt: now,
      updatedAt: now,
    };
    if (state.result) {
      patch.result = state.result.type === 'bytes' ? before.result : state.result;
      if (state.result.type === 'url') patch.remoteUrl = state.result.url;
      if (state.result.type === 'gcs') patch.remoteUrl = state.result.uri;
    }
    if (state.completedAt !== null) patch.completedAt = state.completedAt;
    if (state.expiresAt !== null) patch.expiresAt = state.expiresAt;
    const becameFinal = !isTerminalVideoStatus(before.status) && isTerminalVideoStatus(state.status);
    if (state.status === 'succeeded' && before.download === 'none' && !before.trash) {
      if (state.result?.type === 'gcs') {
        patch.download = 'unavailable';
        patch.downloadError = encodeStoredError(
          `The video is stored at ${state.result.uri} (Google Cloud Storage), which HubDesk cannot download.`,
          { code: 'videoInCloudStorage', values: { uri: state.result.uri } },
        );
      } else if (state.result) {
        patch.download = 'pending';
      }
    }
    const record = context.save(id, patch);
    if (state.result?.type === 'bytes' && record.download === 'pending') {
      context.track(downloads.saveInlineBytes(id, state.result.base64));
    } else if (record.download === 'pending' && before.download !== 'pending') {
      downloads.enqueue(id);
    }
    if (becameFinal) {
      this.since.delete(id);
      const label = videoVendorLabels[record.vendor];
      if (state.status !== 'succeeded') {
        context.deps.notify?.({
          kind: 'video-ended',
          vendor: label,
          status: state.status as 'failed' | 'cancelled' | 'expired' | 'unknown',
          prompt: record.prompt,
          ...(state.error ? { error: state.error.message } : {}),
          ...(state.error?.reason ? { reason: state.error.reason } : {}),
        });
      } else if (record.download !== 'pending') {
        context.deps.notify?.({ kind: 'video-ready', vendor: label, prompt: record.prompt });
      }
    } else if (OPEN_STATUSES.includes(state.status) && !this.timers.has(id) && !this.running.has(id)) {
      this.schedule(id, 0);
    }
    return record;
  }

  /** Asks the vendor now (a job that gave up, or the user's impatience). */
  async refresh(id: string): Promise<VideoJob> {
    const record = this.context.record(id);
    if (!record.remoteId || record.deletedAt !== null || record.remoteDeleted || record.madeElsewhere)
      return publicJob(record);
    if (isTerminalVideoStatus(record.status)) {
      if (
        record.status === 'succeeded' &&
        (record.download === 'failed' || record.download === 'none') &&
        !record.trash
      ) {
        return this.downloads.start(id);
      }
      return publicJob(record);
    }
    this.cancel(id);
    this.begin(id);
    await this.pollOnce(id, 0);
    return publicJob(this.context.record(id));
  }

  /** Asks about the job after the interval for this attempt (or `delay`), replacing a pending ask. */
  schedule(id: string, attempt: number, delay = this.delay(attempt)): void {
    if (this.context.closed) return;
    const existing = this.timers.get(id);
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.timers.delete(id);
      this.queue.add(id, async () => {
        if (!this.running.has(id)) await this.pollOnce(id, attempt);
      });
    }, delay);
    this.timers.set(id, { timer, dueAt: this.context.now() + delay, attempt });
  }

  /** Drops a pending ask (a poll already under way finishes). */
  cancel(id: string): void {
    const entry = this.timers.get(id);
    if (entry) clearTimeout(entry.timer);
    this.timers.delete(id);
    if (!this.queue.isRunning(id)) void this.queue.cancel(id);
  }

  private delay(attempt: number): number {
    const { firstPollMs, maxPollMs, backoff } = this.context.timing;
    return Math.min(maxPollMs, Math.round(firstPollMs * backoff ** attempt));
  }

  private async pollOnce(id: string, attempt: number): Promise<void> {
    const { context } = this;
    const record = context.repo.get(id);
    if (!record?.remoteId || record.deletedAt !== null || record.madeElsewhere) return;
    if (!OPEN_STATUSES.includes(record.status) && record.status !== 'unknown') return;
    this.running.add(id);
    try {
      const state = await fetchRemoteVideo(
        context.deps.client(),
        { vendor: record.vendor, remoteId: record.remoteId, model: record.model, params: record.params },
        context.lifetime.signal,
      );
      if (context.closed) return;
      const saved = this.apply(id, state);
      if (OPEN_STATUSES.includes(saved.status)) this.continuePolling(saved, attempt + 1);
    } catch (error) {
      if (context.closed) return;
      const info = toAppError(error);
      context.deps.log?.(`video ${id}: status check failed: ${info.message}`);
      if (info.kind === 'not_found') {
        context.save(id, {
          status: 'unknown',
          checkedAt: context.now(),
          error: {
            code: 'not_found',
            message: `The vendor does not know this job (any more): ${info.message}`,
          },
        });
        return;
      }
      const current = context.repo.get(id);
      if (current) this.continuePolling(current, attempt + 1);
    } finally {
      this.running.delete(id);
    }
  }

  private continuePolling(record: VideoRecord, attempt: number): void {
    const { context } = this;
    const since = this.since.get(record.id) ?? record.submittedAt ?? record.createdAt;
    if (context.now() - since >= context.timing.giveUpMs) {
      const minutes = Math.round(context.timing.giveUpMs / 60_000);
      context.save(record.id, {
        status: 'unknown',
        error: {
          code: 'gave_up',
          message: `No final answer after ${minutes} min. The job is kept: check again later.`,
          reason: { code: 'videoNoFinalAnswer', values: { minutes } },
        },
      });
      this.since.delete(record.id);
      return;
    }
    this.schedule(record.id, attempt);
  }
}
