import { randomUUID } from 'node:crypto';
import type { VideoStatus } from '../../../shared/videos/job';
import { HubError, toAppError } from '../../base/errors';
import { publicJob, type VideoPatch, type VideoRecord, type VideosRepo } from '../../store/videos-repo';
import type { ServiceDeps } from '../service-deps';
import type { VideoTiming } from './timing';

export interface VideoServiceDeps extends ServiceDeps {
  videos: VideosRepo;
}

/** Where the library keeps videos and thumbnails, relative to the library folder. */
export const VIDEO_FOLDER = 'videos';

/** The library folder resolves to no place HubDesk may write (a download's or a thumbnail's target). */
export function libraryUnusable(): HubError {
  return new HubError({
    kind: 'file',
    message: 'The library folder is not usable.',
    reason: { code: 'videoLibraryUnusable', values: {} },
  });
}

/** Statuses the vendor is still working on (polled). */
export const OPEN_STATUSES: readonly VideoStatus[] = ['queued', 'running'];

/**
 * What the parts of the video library share: the repository, the timing, the lifetime (aborted on close),
 * the tasks close waits for, and how a change is saved and told (`videos.changed`).
 */
export class VideoContext {
  readonly repo: VideosRepo;
  readonly now: () => number;
  closed = false;
  readonly lifetime = new AbortController();
  private readonly tasks = new Set<Promise<unknown>>();

  constructor(
    readonly deps: VideoServiceDeps,
    public timing: VideoTiming,
  ) {
    this.repo = deps.videos;
    this.now = deps.now ?? Date.now;
  }

  record(id: string): VideoRecord {
    const record = this.repo.get(id);
    if (!record) {
      throw new HubError({
        kind: 'not_found',
        message: `There is no video job ${id}.`,
        reason: { code: 'videoNoJob', values: { id } },
      });
    }
    return record;
  }

  save(id: string, patch: VideoPatch): VideoRecord {
    const record = this.repo.update(id, { ...patch, updatedAt: patch.updatedAt ?? this.now() });
    this.emit(record);
    return record;
  }

  emit(record: VideoRecord): void {
    this.deps.bus.emit('videos.changed', { job: publicJob(record) });
  }

  /** Runs in the background; a failure is logged, and close waits for it. */
  track<T>(promise: Promise<T>): void {
    const tracked = promise.then(() => undefined, this.logTaskFailure);
    this.tasks.add(tracked);
    void tracked.finally(() => this.tasks.delete(tracked));
  }

  readonly logTaskFailure = (error: unknown): void => {
    this.deps.log?.(`video task failed: ${toAppError(error).message}`);
  };

  /** Waits until every tracked task has settled, including those started meanwhile. */
  async settleTasks(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }
}

/** A new job row: what the caller knows, everything else empty. */
export function newVideoRecord(
  fields: Pick<
    VideoRecord,
    | 'vendor'
    | 'remoteId'
    | 'model'
    | 'prompt'
    | 'params'
    | 'status'
    | 'parentId'
    | 'createdAt'
    | 'updatedAt'
    | 'submittedAt'
  >,
): VideoRecord {
  return {
    id: randomUUID(),
    ...fields,
    progress: null,
    error: null,
    remoteUrl: null,
    download: 'none',
    downloadedBytes: 0,
    downloadTotal: null,
    downloadError: null,
    localFile: null,
    thumbnail: null,
    fileSize: null,
    remoteDeleted: false,
    completedAt: null,
    expiresAt: null,
    checkedAt: null,
    deletedAt: null,
    result: null,
    trash: null,
  };
}
