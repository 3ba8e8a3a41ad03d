import { copyFile } from 'node:fs/promises';
import type { VideoCreateRequest } from '../../../shared/videos/create-request';
import {
  isTerminalVideoStatus,
  type VideoDeleteScope,
  type VideoJob,
  type VideoStatus,
  type VideoVendor,
} from '../../../shared/videos/job';
import { type VideoVendorSpec, videoVendorSpecs } from '../../../shared/videos/vendor-specs';
import { HubError } from '../../base/errors';
import { resolveInside } from '../../files/library';
import { publicJob } from '../../store/videos-repo';
import { VideoContext, type VideoServiceDeps } from './context';
import { VideoDeletes } from './delete-undo';
import { VideoDownloads } from './download-queue';
import { VideoPolling } from './polling';
import { reuseImages } from './reuse-images';
import { syncSoraAccount } from './sora-sync';
import { VideoSubmitter } from './submit';
import { defaultVideoTiming, type VideoTiming } from './timing';

/** The video library: jobs on four vendors, polling in main, downloads into the library, remix, delete. */
export class VideoService {
  private readonly context: VideoContext;
  private readonly downloads: VideoDownloads;
  private readonly polling: VideoPolling;
  private readonly submitter: VideoSubmitter;
  private readonly deletes: VideoDeletes;

  constructor(
    readonly deps: VideoServiceDeps,
    timing: Partial<VideoTiming> = {},
  ) {
    this.context = new VideoContext(deps, { ...defaultVideoTiming, ...timing });
    this.downloads = new VideoDownloads(this.context);
    this.polling = new VideoPolling(this.context, this.downloads);
    this.submitter = new VideoSubmitter(this.context, this.polling);
    this.deletes = new VideoDeletes(this.context, this.polling, this.downloads);
  }

  /** Shorter intervals (tests, the CLI's --wait); pending polls are rescheduled. */
  setTiming(timing: Partial<VideoTiming>): void {
    this.context.timing = { ...this.context.timing, ...timing };
    this.polling.retime();
    this.downloads.setConcurrency(this.context.timing.maxConcurrentDownloads);
  }

  /** At start-up: purge old trash, resume polling and unfinished downloads, flag creates that got no answer. */
  recover(): void {
    const { context } = this;
    context.track(this.deletes.purgeOld());
    for (const record of context.repo.withStatus('submitting')) {
      if (record.error) continue;
      context.save(record.id, {
        error: {
          code: 'no_answer',
          message:
            'HubDesk stopped before the vendor answered. The video may or may not have been created: check, then send it again if needed.',
          reason: { code: 'videoStoppedBeforeAnswer', values: {} },
        },
      });
    }
    for (const record of context.repo.open()) this.polling.resume(record);
    for (const record of context.repo.unfinishedDownloads()) {
      if (record.download === 'downloading') context.save(record.id, { download: 'pending' });
      this.downloads.enqueue(record.id);
    }
  }

  async close(): Promise<void> {
    this.context.closed = true;
    const queues = Promise.allSettled([this.polling.close(), this.downloads.close()]);
    this.context.lifetime.abort();
    this.submitter.abortAll();
    await queues;
    await this.context.settleTasks();
  }

  vendors(): VideoVendorSpec[] {
    return videoVendorSpecs;
  }

  list(
    filter: { vendor?: VideoVendor; status?: VideoStatus; query?: string; limit?: number } = {},
  ): VideoJob[] {
    return this.context.repo.list(filter).map(publicJob);
  }

  get(id: string): VideoJob {
    return publicJob(this.context.record(id));
  }

  lineage(id: string): VideoJob[] {
    this.context.record(id);
    return this.context.repo.lineage(id).map(publicJob);
  }

  /** Absolute path of a downloaded job's file; refused for a job with none. */
  filePath(id: string): string {
    const path = this.localPath(this.get(id));
    if (!path) {
      throw new HubError({
        kind: 'invalid_input',
        message: 'This video is not downloaded.',
        reason: { code: 'videoNotDownloaded', values: {} },
      });
    }
    return path;
  }

  /** Copies a downloaded job's file to `target`, a path the person chose in the save dialog. */
  async saveCopy(id: string, target: string): Promise<void> {
    await copyFile(this.filePath(id), target);
  }

  /** Absolute path of a job's local file, or null. */
  localPath(job: VideoJob): string | null {
    return job.localFile ? resolveInside(this.deps.libraryDir, job.localFile) : null;
  }

  /** Resolves once the job is final and its download (if any) has ended. */
  settled(id: string, signal?: AbortSignal): Promise<VideoJob> {
    const done = (job: VideoJob) =>
      (isTerminalVideoStatus(job.status) ||
        job.status === 'unknown' ||
        (job.status === 'submitting' && job.error)) &&
      job.download !== 'pending' &&
      job.download !== 'downloading';
    return new Promise((resolve, reject) => {
      const current = this.get(id);
      if (done(current)) {
        resolve(current);
        return;
      }
      const finish = () => {
        unsubscribe();
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        finish();
        reject(
          new HubError({
            kind: 'cancelled',
            message: 'Stopped waiting.',
            reason: { code: 'videoStoppedWaiting', values: {} },
          }),
        );
      };
      const unsubscribe = this.deps.bus.subscribe((event, payload) => {
        if (event !== 'videos.changed') return;
        const { job } = payload as { job: VideoJob };
        if (job.id === id && done(job)) {
          finish();
          resolve(job);
        }
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  create(request: VideoCreateRequest): Promise<VideoJob> {
    return this.submitter.create(request);
  }

  remix(id: string, prompt: string): Promise<VideoJob> {
    return this.submitter.remix(id, prompt);
  }

  recreate(id: string): Promise<VideoJob> {
    return this.submitter.recreate(id);
  }

  retryCreate(id: string): Promise<VideoJob> {
    return this.submitter.retryCreate(id);
  }

  reuseImages(id: string) {
    return reuseImages(this.get(id));
  }

  refresh(id: string): Promise<VideoJob> {
    return this.polling.refresh(id);
  }

  download(id: string): VideoJob {
    return this.downloads.start(id);
  }

  delete(id: string, scope: VideoDeleteScope): Promise<{ job: VideoJob; undoUntil: number | null }> {
    return this.deletes.delete(id, scope);
  }

  undoDelete(id: string): Promise<VideoJob> {
    return this.deletes.undo(id);
  }

  sync(): Promise<{ imported: VideoJob[]; seen: number }> {
    return syncSoraAccount(this.context, this.polling);
  }
}
