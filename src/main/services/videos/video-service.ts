import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AppError } from '../../../shared/errors';
import type { VideoCreateRequest } from '../../../shared/videos/create-request';
import {
  isTerminalVideoStatus,
  type VideoDeleteScope,
  type VideoError,
  type VideoJob,
  type VideoStatus,
  type VideoVendor,
  videoVendorLabels,
} from '../../../shared/videos/job';
import { type VideoVendorSpec, videoVendorSpecs } from '../../../shared/videos/vendor-specs';
import type { HttpClient } from '../../api/http-client';
import { createRemoteVideo, fetchRemoteVideo } from '../../api/video';
import { klingKind } from '../../api/video/kling';
import { soraContentCall, soraContentLink, soraDelete, soraListAll, soraRemix } from '../../api/video/sora';
import type { RemoteVideoState, VideoCreateInput, VideoImage } from '../../api/video/types';
import { HubError, toAppError } from '../../base/errors';
import { extractFrame } from '../../files/ffmpeg';
import { resolveInside } from '../../files/library';
import { publicJob, type VideoPatch, type VideoRecord, VideosRepo } from '../../store/videos-repo';
import type { ServiceDeps } from '../service-deps';
import { downloadToPart, writeBytesToPart } from './download';
import { readVideoImage } from './image-input';
import { moveToTrash, purgeTrash, renameWithRetry, restoreFromTrash } from './trash';

/** How often and how long the library asks, downloads and keeps; tests make these short. */
export interface VideoTiming {
  /** First poll after a create, a restart or a refresh; grows by `backoff` up to `maxPollMs`. */
  firstPollMs: number;
  maxPollMs: number;
  backoff: number;
  /** After this long without a final state the job becomes `unknown` (kept; `videos.refresh` asks again). */
  giveUpMs: number;
  maxConcurrentPolls: number;
  maxConcurrentDownloads: number;
  /** Automatic resumes after a cut before the download is marked failed. */
  downloadAttempts: number;
  downloadRetryMs: number;
  /** How long deleted files stay in the trash (undo window). */
  trashKeepMs: number;
  /** At most one `videos.downloadProgress` per job per this many ms. */
  progressEveryMs: number;
  /** Videos per page when syncing from the Sora account (≤ 100). */
  syncPageSize: number;
}

export const defaultVideoTiming: VideoTiming = {
  firstPollMs: 3000,
  maxPollMs: 30_000,
  backoff: 1.5,
  giveUpMs: 2 * 60 * 60 * 1000,
  maxConcurrentPolls: 4,
  maxConcurrentDownloads: 2,
  downloadAttempts: 5,
  downloadRetryMs: 2000,
  trashKeepMs: 7 * 24 * 60 * 60 * 1000,
  progressEveryMs: 250,
  syncPageSize: 100,
};

const VIDEO_FOLDER = 'videos';
/** Keys of `params` that are the library's own, not vendor options. */
const OWN_PARAMS = ['image', 'imageTail', 'imagePath', 'imageTailPath', 'klingKind', 'remixOf'];
const OPEN_STATUSES: VideoStatus[] = ['queued', 'running'];

function notFound(id: string): HubError {
  return new HubError({ kind: 'not_found', message: `There is no video job ${id}.` });
}

/** Failures that happen before a request can reach the vendor. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * An error that proves the vendor did not take the create: a 4xx or a Kling envelope code, a connection
 * that never opened, or a request refused before sending (no token, a bad base URL).
 */
function isDefiniteRefusal(info: AppError): boolean {
  if (info.status !== undefined) return info.status < 500;
  if (info.code !== undefined && NOT_SENT_CODES.has(info.code)) return true;
  return info.kind === 'auth' || info.kind === 'invalid_input';
}

function errorOf(info: AppError): VideoError {
  return { message: info.message, ...(info.code ? { code: info.code } : {}) };
}

/** The video library: jobs on four vendors, polling in main, downloads into the library, remix, delete. */
export class VideoService {
  private readonly repo: VideosRepo;
  private timing: VideoTiming = { ...defaultVideoTiming };
  private readonly now: () => number;
  private closed = false;
  /** Everything in flight aborts on close. */
  private readonly lifetime = new AbortController();
  private readonly tasks = new Set<Promise<unknown>>();
  private readonly creates = new Map<string, AbortController>();

  private readonly pollTimers = new Map<string, { timer: NodeJS.Timeout; dueAt: number; attempt: number }>();
  private readonly pollQueue: { id: string; attempt: number }[] = [];
  private readonly pollsRunning = new Set<string>();
  /** When the current polling window of a job began (its give-up limit counts from here). */
  private readonly pollSince = new Map<string, number>();

  private readonly downloadQueue: string[] = [];
  private readonly downloadsRunning = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly lastProgress = new Map<string, number>();

  constructor(
    readonly deps: ServiceDeps,
    timing: Partial<VideoTiming> = {},
  ) {
    this.timing = { ...defaultVideoTiming, ...timing };
    this.repo = new VideosRepo(deps.db);
    this.now = deps.now ?? Date.now;
  }

  /** Shorter intervals (tests, the CLI's --wait); pending polls are rescheduled. */
  setTiming(timing: Partial<VideoTiming>): void {
    this.timing = { ...this.timing, ...timing };
    for (const [id, entry] of this.pollTimers) {
      const delay = this.pollDelay(entry.attempt);
      if (entry.dueAt - this.now() > delay) this.schedulePoll(id, entry.attempt, delay);
    }
    this.pumpPolls();
    this.pumpDownloads();
  }

  /** At start-up: purge old trash, resume polling and unfinished downloads, flag creates that got no answer. */
  recover(): void {
    this.track(this.purgeOldTrash());
    for (const record of this.repo.withStatus('submitting')) {
      if (record.error) continue;
      this.save(record.id, {
        error: {
          code: 'no_answer',
          message:
            'HubDesk stopped before the vendor answered. The video may or may not have been created: check, then send it again if needed.',
        },
      });
    }
    for (const record of this.repo.open()) {
      this.pollSince.set(record.id, record.submittedAt ?? record.createdAt);
      this.schedulePoll(record.id, 0);
    }
    for (const record of this.repo.unfinishedDownloads()) {
      if (record.download === 'downloading') this.save(record.id, { download: 'pending' });
      this.enqueueDownload(record.id);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.pollTimers.values()) clearTimeout(entry.timer);
    this.pollTimers.clear();
    this.pollQueue.length = 0;
    this.downloadQueue.length = 0;
    this.lifetime.abort();
    for (const controller of this.creates.values()) controller.abort();
    for (const running of this.downloadsRunning.values()) running.controller.abort();
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  vendors(): VideoVendorSpec[] {
    return videoVendorSpecs;
  }

  list(
    filter: { vendor?: VideoVendor; status?: VideoStatus; query?: string; limit?: number } = {},
  ): VideoJob[] {
    return this.repo.list(filter).map(publicJob);
  }

  get(id: string): VideoJob {
    return publicJob(this.record(id));
  }

  lineage(id: string): VideoJob[] {
    this.record(id);
    return this.repo.lineage(id).map(publicJob);
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
        reject(new HubError({ kind: 'cancelled', message: 'Stopped waiting.' }));
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

  // ---------------------------------------------------------------------------------------------
  // Creating

  /** Writes the job as `submitting`, then sends the create once (see `videos.create`). */
  async create(request: VideoCreateRequest): Promise<VideoJob> {
    const images = await this.readImages(
      request.vendor,
      request.options,
      request.imagePath,
      request.imageTailPath,
    );
    const params: Record<string, unknown> = { ...request.options };
    if (request.imagePath) Object.assign(params, { imagePath: request.imagePath, image: images.image?.name });
    if (request.imageTailPath) {
      Object.assign(params, { imageTailPath: request.imageTailPath, imageTail: images.imageTail?.name });
    }
    if (request.vendor === 'kling') params.klingKind = klingKind(images);
    const record = this.insertSubmitting({
      vendor: request.vendor,
      model: request.model,
      prompt: request.prompt,
      params,
      parentId: null,
    });
    const input: VideoCreateInput = {
      model: request.model,
      prompt: request.prompt,
      options: request.options,
      image: images.image,
      imageTail: images.imageTail,
    };
    return this.submit(record.id, (client, signal) =>
      createRemoteVideo(client, request.vendor, input, signal),
    );
  }

  /** Sora: a new job remixing a finished one, linked to it. */
  async remix(id: string, prompt: string): Promise<VideoJob> {
    const parent = this.record(id);
    if (parent.vendor !== 'sora') {
      throw new HubError({ kind: 'invalid_input', message: 'Only Sora videos can be remixed.' });
    }
    if (parent.status !== 'succeeded' || !parent.remoteId || parent.remoteDeleted) {
      throw new HubError({
        kind: 'invalid_input',
        message: 'Only a finished Sora video that still exists on the account can be remixed.',
      });
    }
    const remoteId = parent.remoteId;
    const record = this.insertSubmitting({
      vendor: 'sora',
      model: parent.model,
      prompt,
      params: { ...this.vendorOptions(parent.params), remixOf: remoteId },
      parentId: parent.id,
    });
    return this.submit(record.id, (client, signal) => soraRemix(client, remoteId, prompt, signal));
  }

  /** Sends again a create that got no answer or was refused; only when the user asks. */
  async retryCreate(id: string): Promise<VideoJob> {
    const record = this.record(id);
    const retryable =
      (record.status === 'submitting' && !this.creates.has(id)) ||
      (record.status === 'failed' && !record.remoteId);
    if (!retryable) {
      throw new HubError({
        kind: 'invalid_input',
        message: 'Only a create that got no answer, or was refused, can be sent again.',
      });
    }
    const options = this.vendorOptions(record.params);
    const remixOf = typeof record.params.remixOf === 'string' ? record.params.remixOf : null;
    const imagePath = typeof record.params.imagePath === 'string' ? record.params.imagePath : undefined;
    const imageTailPath =
      typeof record.params.imageTailPath === 'string' ? record.params.imageTailPath : undefined;
    const images = remixOf ? {} : await this.readImages(record.vendor, options, imagePath, imageTailPath);
    this.save(id, { status: 'submitting', error: null, updatedAt: this.now() });
    if (remixOf)
      return this.submit(id, (client, signal) => soraRemix(client, remixOf, record.prompt, signal));
    const input: VideoCreateInput = {
      model: record.model,
      prompt: record.prompt,
      options,
      image: images.image,
      imageTail: images.imageTail,
    };
    return this.submit(id, (client, signal) => createRemoteVideo(client, record.vendor, input, signal));
  }

  private insertSubmitting(fields: {
    vendor: VideoVendor;
    model: string;
    prompt: string;
    params: Record<string, unknown>;
    parentId: string | null;
  }): VideoRecord {
    const now = this.now();
    const record = this.repo.insert({
      id: randomUUID(),
      ...fields,
      remoteId: null,
      status: 'submitting',
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
      createdAt: now,
      updatedAt: now,
      submittedAt: null,
      completedAt: null,
      expiresAt: null,
      checkedAt: null,
      deletedAt: null,
      result: null,
      trash: null,
    });
    this.emit(record);
    return record;
  }

  private async submit(
    id: string,
    send: (client: HttpClient, signal: AbortSignal) => Promise<RemoteVideoState>,
  ): Promise<VideoJob> {
    if (this.closed) throw new HubError({ kind: 'cancelled', message: 'HubDesk is closing.' });
    const controller = new AbortController();
    this.creates.set(id, controller);
    const run = (async () => {
      try {
        const state = await send(this.deps.client(), controller.signal);
        const existing = this.repo.byRemote(this.record(id).vendor, state.remoteId);
        if (existing && existing.id !== id) {
          throw new HubError({ kind: 'server', message: 'The vendor answered with the id of another job.' });
        }
        this.pollSince.set(id, this.now());
        this.applyRemote(id, state, { submittedAt: this.now() });
      } catch (error) {
        const info = toAppError(error);
        if (isDefiniteRefusal(info)) {
          this.save(id, { status: 'failed', error: errorOf(info) });
          this.deps.notify?.({ kind: 'video-refused', error: info.message });
        } else {
          this.save(id, {
            error: {
              code: 'no_answer',
              message: `No answer to the create request (${info.message}) It may or may not have been created: check, then send it again if needed.`,
            },
          });
        }
      } finally {
        this.creates.delete(id);
      }
    })();
    this.track(run);
    await run;
    return this.get(id);
  }

  private async readImages(
    vendor: VideoVendor,
    options: Record<string, unknown>,
    imagePath: string | undefined,
    imageTailPath: string | undefined,
  ): Promise<{ image?: VideoImage; imageTail?: VideoImage }> {
    const images: { image?: VideoImage; imageTail?: VideoImage } = {};
    if (imagePath) images.image = await readVideoImage(imagePath, 'imagePath');
    if (imageTailPath) images.imageTail = await readVideoImage(imageTailPath, 'imageTailPath');
    if (vendor === 'sora' && images.image?.width && images.image.height) {
      const size = typeof options.size === 'string' ? options.size : '720x1280';
      const actual = `${images.image.width}x${images.image.height}`;
      if (actual !== size) {
        throw new HubError({
          kind: 'invalid_input',
          message: `The image is ${actual}; Sora needs it to match the video size ${size}.`,
          field: 'imagePath',
        });
      }
    }
    return images;
  }

  private vendorOptions(params: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(params).filter(([key]) => !OWN_PARAMS.includes(key)));
  }

  // ---------------------------------------------------------------------------------------------
  // Vendor state

  /** Stores what the vendor said; on the way into a final state: notify, and start the download. */
  private applyRemote(id: string, state: RemoteVideoState, extra: VideoPatch = {}): VideoRecord {
    const before = this.record(id);
    const now = this.now();
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
        patch.downloadError = `The video is stored at ${state.result.uri} (Google Cloud Storage), which HubDesk cannot download.`;
      } else if (state.result) {
        patch.download = 'pending';
      }
    }
    const record = this.save(id, patch);
    if (state.result?.type === 'bytes' && record.download === 'pending') {
      this.track(this.saveInlineBytes(id, state.result.base64));
    } else if (record.download === 'pending' && before.download !== 'pending') {
      this.enqueueDownload(id);
    }
    if (becameFinal) {
      this.pollSince.delete(id);
      const label = videoVendorLabels[record.vendor];
      if (state.status !== 'succeeded') {
        this.deps.notify?.({
          kind: 'video-ended',
          vendor: label,
          status: state.status as 'failed' | 'cancelled' | 'expired' | 'unknown',
          prompt: record.prompt,
          ...(state.error ? { error: state.error.message } : {}),
        });
      } else if (record.download !== 'pending') {
        this.deps.notify?.({ kind: 'video-ready', vendor: label, prompt: record.prompt });
      }
    } else if (
      OPEN_STATUSES.includes(state.status) &&
      !this.pollTimers.has(id) &&
      !this.pollsRunning.has(id)
    ) {
      this.schedulePoll(id, 0);
    }
    return record;
  }

  /** Asks the vendor now (a job that gave up, or the user's impatience). */
  async refresh(id: string): Promise<VideoJob> {
    const record = this.record(id);
    if (!record.remoteId || record.deletedAt !== null || record.remoteDeleted) return publicJob(record);
    if (isTerminalVideoStatus(record.status)) {
      if (
        record.status === 'succeeded' &&
        (record.download === 'failed' || record.download === 'none') &&
        !record.trash
      ) {
        return this.download(id);
      }
      return publicJob(record);
    }
    this.cancelPoll(id);
    this.pollSince.set(id, this.now());
    await this.pollOnce(id, 0);
    return this.get(id);
  }

  private pollDelay(attempt: number): number {
    const { firstPollMs, maxPollMs, backoff } = this.timing;
    return Math.min(maxPollMs, Math.round(firstPollMs * backoff ** attempt));
  }

  private schedulePoll(id: string, attempt: number, delay = this.pollDelay(attempt)): void {
    if (this.closed) return;
    const existing = this.pollTimers.get(id);
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.pollTimers.delete(id);
      this.pollQueue.push({ id, attempt });
      this.pumpPolls();
    }, delay);
    this.pollTimers.set(id, { timer, dueAt: this.now() + delay, attempt });
  }

  private cancelPoll(id: string): void {
    const entry = this.pollTimers.get(id);
    if (entry) clearTimeout(entry.timer);
    this.pollTimers.delete(id);
    const index = this.pollQueue.findIndex((item) => item.id === id);
    if (index >= 0) this.pollQueue.splice(index, 1);
  }

  private pumpPolls(): void {
    while (
      !this.closed &&
      this.pollsRunning.size < this.timing.maxConcurrentPolls &&
      this.pollQueue.length > 0
    ) {
      const next = this.pollQueue.shift();
      if (!next || this.pollsRunning.has(next.id)) continue;
      this.track(this.pollOnce(next.id, next.attempt));
    }
  }

  private async pollOnce(id: string, attempt: number): Promise<void> {
    const record = this.repo.get(id);
    if (!record?.remoteId || record.deletedAt !== null) return;
    if (!OPEN_STATUSES.includes(record.status) && record.status !== 'unknown') return;
    this.pollsRunning.add(id);
    try {
      const state = await fetchRemoteVideo(
        this.deps.client(),
        { vendor: record.vendor, remoteId: record.remoteId, model: record.model, params: record.params },
        this.lifetime.signal,
      );
      if (this.closed) return;
      const saved = this.applyRemote(id, state);
      if (OPEN_STATUSES.includes(saved.status)) this.continuePolling(saved, attempt + 1);
    } catch (error) {
      if (this.closed) return;
      const info = toAppError(error);
      this.deps.log?.(`video ${id}: status check failed: ${info.message}`);
      if (info.kind === 'not_found') {
        this.save(id, {
          status: 'unknown',
          checkedAt: this.now(),
          error: {
            code: 'not_found',
            message: `The vendor does not know this job (any more): ${info.message}`,
          },
        });
        return;
      }
      const current = this.repo.get(id);
      if (current) this.continuePolling(current, attempt + 1);
    } finally {
      this.pollsRunning.delete(id);
      this.pumpPolls();
    }
  }

  private continuePolling(record: VideoRecord, attempt: number): void {
    const since = this.pollSince.get(record.id) ?? record.submittedAt ?? record.createdAt;
    if (this.now() - since >= this.timing.giveUpMs) {
      const minutes = Math.round(this.timing.giveUpMs / 60_000);
      this.save(record.id, {
        status: 'unknown',
        error: {
          code: 'gave_up',
          message: `No final answer after ${minutes} min. The job is kept: check again later.`,
        },
      });
      this.pollSince.delete(record.id);
      return;
    }
    this.schedulePoll(record.id, attempt);
  }

  // ---------------------------------------------------------------------------------------------
  // Downloads

  /** Starts or resumes the download of a finished job. */
  download(id: string): VideoJob {
    const record = this.record(id);
    if (record.status !== 'succeeded' || !record.result) {
      throw new HubError({ kind: 'invalid_input', message: 'Only a finished video can be downloaded.' });
    }
    if (record.result.type === 'gcs') {
      throw new HubError({
        kind: 'invalid_input',
        message: `The video is stored at ${record.result.uri} (Google Cloud Storage), which HubDesk cannot download.`,
      });
    }
    if (record.download === 'done' || record.download === 'downloading' || record.download === 'pending') {
      return publicJob(record);
    }
    const saved = this.save(id, { download: 'pending', downloadError: null });
    this.enqueueDownload(id);
    return publicJob(saved);
  }

  private enqueueDownload(id: string): void {
    if (this.closed || this.downloadQueue.includes(id) || this.downloadsRunning.has(id)) return;
    this.downloadQueue.push(id);
    this.pumpDownloads();
  }

  private pumpDownloads(): void {
    while (
      !this.closed &&
      this.downloadsRunning.size < this.timing.maxConcurrentDownloads &&
      this.downloadQueue.length > 0
    ) {
      const id = this.downloadQueue.shift();
      if (id === undefined) continue;
      const controller = new AbortController();
      const done = this.runDownload(id, controller.signal).finally(() => {
        this.downloadsRunning.delete(id);
        this.pumpDownloads();
      });
      this.downloadsRunning.set(id, { controller, done });
      this.track(done);
    }
  }

  private paths(id: string): { relative: string; part: string; absolute: string } {
    const relative = `${VIDEO_FOLDER}/${id}.mp4`;
    const absolute = resolveInside(this.deps.libraryDir, relative);
    if (!absolute) throw new HubError({ kind: 'server', message: 'The library folder is not usable.' });
    return { relative, part: `${absolute}.part`, absolute };
  }

  private async runDownload(id: string, signal: AbortSignal): Promise<void> {
    const record = this.repo.get(id);
    if (record?.status !== 'succeeded' || !record.result || record.deletedAt !== null) return;
    if (record.result.type === 'bytes' || record.result.type === 'gcs') return;
    const { part } = this.paths(id);
    await mkdir(dirname(part), { recursive: true });
    this.save(id, { download: 'downloading', downloadError: null });
    const client = this.deps.client();
    const open = this.opener(client, record);
    let lastError: AppError | null = null;
    for (let attempt = 1; attempt <= this.timing.downloadAttempts; attempt++) {
      try {
        await downloadToPart({
          open,
          partPath: part,
          signal,
          onProgress: (bytes, total) => this.reportProgress(id, bytes, total),
        });
        await this.finishDownload(id);
        return;
      } catch (error) {
        if (signal.aborted || this.closed) return; // stays `downloading`: resumed at the next start
        lastError = toAppError(error);
        this.deps.log?.(`video ${id}: download attempt ${attempt} failed: ${lastError.message}`);
        if (lastError.kind === 'not_found' || lastError.kind === 'auth' || lastError.kind === 'invalid_input')
          break;
        if (attempt < this.timing.downloadAttempts) {
          await new Promise((resolve) => setTimeout(resolve, this.timing.downloadRetryMs * attempt));
          if (signal.aborted || this.closed) return;
        }
      }
    }
    const failed = this.save(id, {
      download: 'failed',
      downloadError: lastError?.message ?? 'The download failed.',
    });
    this.deps.notify?.({
      kind: 'video-not-saved',
      vendor: videoVendorLabels[failed.vendor],
      prompt: failed.prompt,
      error: failed.downloadError ?? '',
    });
  }

  /** How to fetch a job's bytes: Sora's content endpoint (bytes, or JSON with a link), else its link. */
  private opener(client: HttpClient, record: VideoRecord) {
    return async (rangeStart: number, signal: AbortSignal) => {
      if (record.result?.type === 'url')
        return client.download({ url: record.result.url }, { signal, rangeStart });
      if (!record.remoteId) throw new HubError({ kind: 'server', message: 'The job has no vendor id.' });
      const response = await client.download(soraContentCall(record.remoteId, 'video'), {
        signal,
        rangeStart,
      });
      if (!(response.headers['content-type'] ?? '').toLowerCase().includes('json')) return response;
      const link = soraContentLink(JSON.parse(await readText(response.body)));
      if (!link)
        throw new HubError({ kind: 'server', message: 'Sora answered the download with JSON but no link.' });
      this.save(record.id, { remoteUrl: link });
      return client.download({ url: link }, { signal, rangeStart });
    };
  }

  private reportProgress(id: string, bytes: number, total: number | null): void {
    const now = Date.now();
    const last = this.lastProgress.get(id) ?? 0;
    if (now - last < this.timing.progressEveryMs && bytes !== total) return;
    this.lastProgress.set(id, now);
    this.deps.bus.emit('videos.downloadProgress', { id, bytes, total });
    this.repo.update(id, { downloadedBytes: bytes, downloadTotal: total });
  }

  private async saveInlineBytes(id: string, base64: string): Promise<void> {
    try {
      const { part } = this.paths(id);
      await mkdir(dirname(part), { recursive: true });
      const size = await writeBytesToPart(part, base64);
      this.reportProgress(id, size, size);
      await this.finishDownload(id);
    } catch (error) {
      this.save(id, { download: 'failed', downloadError: toAppError(error).message });
    }
  }

  /** The part is whole: rename it into the library, make a thumbnail, then record both at once. */
  private async finishDownload(id: string): Promise<void> {
    const { relative, part, absolute } = this.paths(id);
    await renameWithRetry(part, absolute);
    const size = (await stat(absolute)).size;
    const before = this.record(id);
    const thumbnail = await this.makeThumbnail(before, absolute).catch((error: unknown) => {
      this.deps.log?.(`video ${id}: no thumbnail: ${toAppError(error).message}`);
      return null;
    });
    if (this.closed) return;
    const record = this.save(id, {
      download: 'done',
      localFile: relative,
      thumbnail,
      fileSize: size,
      downloadedBytes: size,
      downloadTotal: size,
      downloadError: null,
    });
    this.lastProgress.delete(id);
    this.deps.notify?.({
      kind: 'video-ready',
      vendor: videoVendorLabels[record.vendor],
      prompt: record.prompt,
    });
  }

  /** The vendor's thumbnail where one exists (Sora), else a frame of the downloaded file. */
  private async makeThumbnail(record: VideoRecord, videoPath: string): Promise<string> {
    if (record.vendor === 'sora' && record.remoteId && record.result?.type === 'sora') {
      try {
        const response = await this.deps
          .client()
          .download(soraContentCall(record.remoteId, 'thumbnail'), { signal: this.lifetime.signal });
        const type = (response.headers['content-type'] ?? '').toLowerCase();
        const extension = type.includes('webp')
          ? 'webp'
          : type.includes('png')
            ? 'png'
            : type.includes('jpeg')
              ? 'jpg'
              : null;
        if (extension) {
          const relative = `${VIDEO_FOLDER}/${record.id}.thumb.${extension}`;
          const target = resolveInside(this.deps.libraryDir, relative);
          if (target) {
            const { part } = { part: `${target}.part` };
            await downloadToPart({
              open: async () => response,
              partPath: part,
              signal: this.lifetime.signal,
              onProgress: () => {},
            });
            await renameWithRetry(part, target);
            return relative;
          }
        }
        for await (const _chunk of response.body) {
          // not an image: discard and fall back to a frame
        }
      } catch (error) {
        if (this.closed) throw error;
      }
    }
    const relative = `${VIDEO_FOLDER}/${record.id}.thumb.jpg`;
    const target = resolveInside(this.deps.libraryDir, relative);
    if (!target) throw new HubError({ kind: 'server', message: 'The library folder is not usable.' });
    await extractFrame(videoPath, target);
    return relative;
  }

  // ---------------------------------------------------------------------------------------------
  // Delete, undo, sync

  async delete(id: string, scope: VideoDeleteScope): Promise<{ job: VideoJob; undoUntil: number | null }> {
    const record = this.record(id);
    if (record.deletedAt !== null)
      throw new HubError({ kind: 'invalid_input', message: 'This video is already deleted.' });
    const remoteToo = scope === 'remote' || scope === 'both';
    if (scope === 'remote' && record.vendor !== 'sora') {
      throw new HubError({
        kind: 'invalid_input',
        message: `${videoVendorLabels[record.vendor]} videos cannot be deleted on the vendor's side.`,
      });
    }
    if (remoteToo && record.vendor === 'sora' && record.remoteId && !record.remoteDeleted) {
      try {
        await soraDelete(this.deps.client(), record.remoteId);
      } catch (error) {
        if (toAppError(error).kind !== 'not_found') throw error;
      }
      this.cancelPoll(id);
      if (scope === 'remote') {
        return { job: publicJob(this.save(id, { remoteDeleted: true })), undoUntil: null };
      }
    }
    if (scope === 'local' && !record.localFile && !record.thumbnail && record.download !== 'downloading') {
      throw new HubError({ kind: 'invalid_input', message: 'This video has no local file to delete.' });
    }
    await this.stopDownload(id);
    const files = [record.localFile, record.thumbnail].filter((file): file is string => file !== null);
    const at = this.now();
    const moved = await moveToTrash(this.deps.libraryDir, files, `${id}-${at}`);
    const trash = {
      at,
      scope: scope === 'local' ? ('local' as const) : ('both' as const),
      files: moved,
      localFile: record.localFile,
      thumbnail: record.thumbnail,
      fileSize: record.fileSize,
    };
    try {
      const patch: VideoPatch =
        scope === 'local'
          ? { trash, localFile: null, thumbnail: null, fileSize: null, download: 'none', downloadedBytes: 0 }
          : {
              trash,
              deletedAt: at,
              ...(record.vendor === 'sora' && record.remoteId ? { remoteDeleted: true } : {}),
            };
      if (scope !== 'local') this.cancelPoll(id);
      const saved = this.save(id, patch);
      return { job: publicJob(saved), undoUntil: at + this.timing.trashKeepMs };
    } catch (error) {
      await restoreFromTrash(this.deps.libraryDir, moved);
      throw error;
    }
  }

  async undoDelete(id: string): Promise<VideoJob> {
    const record = this.record(id);
    const trash = record.trash;
    if (!trash)
      throw new HubError({ kind: 'invalid_input', message: 'There is nothing to undo for this video.' });
    await restoreFromTrash(this.deps.libraryDir, trash.files);
    const restored = this.save(id, {
      trash: null,
      deletedAt: null,
      localFile: trash.localFile,
      thumbnail: trash.thumbnail,
      fileSize: trash.fileSize,
      ...(trash.localFile ? { download: 'done' as const, downloadedBytes: trash.fileSize ?? 0 } : {}),
    });
    await rm(resolveInside(this.deps.libraryDir, `.trash/${id}-${trash.at}`) ?? '', {
      recursive: true,
      force: true,
    }).catch(() => undefined);
    if (OPEN_STATUSES.includes(restored.status)) this.schedulePoll(id, 0);
    return publicJob(restored);
  }

  /** Imports the Sora videos of the account the library does not know (oldest first, so parents come first). */
  async sync(): Promise<{ imported: VideoJob[]; seen: number }> {
    const remote = await soraListAll(this.deps.client(), this.timing.syncPageSize);
    const imported: VideoJob[] = [];
    for (const state of [...remote].reverse()) {
      if (this.repo.byRemote('sora', state.remoteId)) continue;
      const now = this.now();
      const parent = state.remixedFrom ? this.repo.byRemote('sora', state.remixedFrom) : null;
      const record = this.repo.insert({
        id: randomUUID(),
        vendor: 'sora',
        remoteId: state.remoteId,
        model: state.model ?? 'sora-2',
        prompt: state.prompt ?? '',
        params: state.params ?? {},
        status: 'queued',
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
        parentId: parent?.id ?? null,
        remoteDeleted: false,
        createdAt: state.createdAt ?? now,
        updatedAt: now,
        submittedAt: state.createdAt ?? now,
        completedAt: null,
        expiresAt: null,
        checkedAt: null,
        deletedAt: null,
        result: null,
        trash: null,
      });
      this.pollSince.set(record.id, now);
      imported.push(publicJob(this.applyRemote(record.id, state)));
    }
    return { imported, seen: remote.length };
  }

  private async stopDownload(id: string): Promise<void> {
    const index = this.downloadQueue.indexOf(id);
    if (index >= 0) this.downloadQueue.splice(index, 1);
    const running = this.downloadsRunning.get(id);
    running?.controller.abort();
    await running?.done.catch(() => undefined);
    const { part } = this.paths(id);
    await rm(part, { force: true });
  }

  private async purgeOldTrash(): Promise<void> {
    for (const record of this.repo.trashedBefore(this.now() - this.timing.trashKeepMs)) {
      const trash = record.trash;
      if (!trash) continue;
      try {
        await purgeTrash(this.deps.libraryDir, trash.files);
      } catch (error) {
        this.deps.log?.(`video ${record.id}: trash not purged: ${toAppError(error).message}`);
        continue;
      }
      if (trash.scope === 'both') this.repo.remove(record.id);
      else this.save(record.id, { trash: null });
    }
  }

  // ---------------------------------------------------------------------------------------------

  private record(id: string): VideoRecord {
    const record = this.repo.get(id);
    if (!record) throw notFound(id);
    return record;
  }

  private save(id: string, patch: VideoPatch): VideoRecord {
    const record = this.repo.update(id, { ...patch, updatedAt: patch.updatedAt ?? this.now() });
    this.emit(record);
    return record;
  }

  private emit(record: VideoRecord): void {
    this.deps.bus.emit('videos.changed', { job: publicJob(record) });
  }

  private track<T>(promise: Promise<T>): void {
    const tracked = promise.then(
      () => undefined,
      (error: unknown) => this.deps.log?.(`video task failed: ${toAppError(error).message}`),
    );
    this.tasks.add(tracked);
    void tracked.finally(() => this.tasks.delete(tracked));
  }
}

async function readText(body: AsyncIterable<Uint8Array>, limit = 256 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(Buffer.from(chunk));
    size += chunk.byteLength;
    if (size > limit) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}
