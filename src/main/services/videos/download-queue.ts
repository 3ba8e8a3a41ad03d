import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { encodeStoredError } from '../../../shared/error-reasons';
import type { AppError } from '../../../shared/errors';
import { type VideoJob, videoVendorLabels } from '../../../shared/videos/job';
import type { HttpClient } from '../../api/http-client';
import { soraContentCall, soraContentLink } from '../../api/video/sora';
import { HubError, toAppError } from '../../base/errors';
import { WorkQueue } from '../../base/work-queue';
import { resolveInside } from '../../files/library';
import { publicJob, type VideoRecord } from '../../store/videos-repo';
import { libraryUnusable, VIDEO_FOLDER, type VideoContext } from './context';
import { downloadToPart, writeBytesToPart } from './download';
import { makeThumbnail } from './thumbnail';
import { renameWithRetry } from './trash';

type Progress = { bytes: number; total: number | null };

/** Downloads of finished jobs into the library: a few at a time, resumed after a cut, then a thumbnail. */
export class VideoDownloads {
  private readonly queue: WorkQueue<string, Progress>;
  private readonly lastProgress = new Map<string, number>();

  constructor(private readonly context: VideoContext) {
    this.queue = new WorkQueue<string, Progress>({
      concurrency: context.timing.maxConcurrentDownloads,
      onProgress: (id, { bytes, total }) => this.reportProgress(id, bytes, total),
      onError: (_id, error) => context.logTaskFailure(error),
    });
  }

  /** Starts or resumes the download of a finished job. */
  start(id: string): VideoJob {
    const record = this.context.record(id);
    if (record.status !== 'succeeded' || !record.result) {
      throw new HubError({
        kind: 'invalid_input',
        message: 'Only a finished video can be downloaded.',
        reason: { code: 'videoNotFinished', values: {} },
      });
    }
    if (record.result.type === 'gcs') {
      throw new HubError({
        kind: 'invalid_input',
        message: `The video is stored at ${record.result.uri} (Google Cloud Storage), which HubDesk cannot download.`,
        reason: { code: 'videoInCloudStorage', values: { uri: record.result.uri } },
      });
    }
    if (record.download === 'done' || record.download === 'downloading' || record.download === 'pending') {
      return publicJob(record);
    }
    const saved = this.context.save(id, { download: 'pending', downloadError: null });
    this.enqueue(id);
    return publicJob(saved);
  }

  /** Queues a job whose download is pending (nothing happens when it already waits or runs). */
  enqueue(id: string): void {
    if (this.context.closed) return;
    this.queue.add(id, ({ signal, report }) =>
      this.run(id, signal, (bytes, total) => report({ bytes, total })),
    );
  }

  setConcurrency(concurrency: number): void {
    this.queue.setConcurrency(concurrency);
  }

  /** Drops a waiting download or aborts a running one, then removes its part file. */
  async stop(id: string): Promise<void> {
    await this.queue.cancel(id);
    const { part } = this.paths(id);
    await rm(part, { force: true });
  }

  close(): Promise<void> {
    return this.queue.close();
  }

  /** A result that came as bytes in the vendor's answer (Veo): written straight into the library. */
  async saveInlineBytes(id: string, base64: string): Promise<void> {
    try {
      const { part } = this.paths(id);
      await mkdir(dirname(part), { recursive: true });
      const size = await writeBytesToPart(part, base64);
      this.reportProgress(id, size, size);
      await this.finish(id);
    } catch (error) {
      const info = toAppError(error);
      this.context.save(id, {
        download: 'failed',
        downloadError: encodeStoredError(info.message, info.reason),
      });
    }
  }

  private paths(id: string): { relative: string; part: string; absolute: string } {
    const relative = `${VIDEO_FOLDER}/${id}.mp4`;
    const absolute = resolveInside(this.context.deps.libraryDir, relative);
    if (!absolute) throw libraryUnusable();
    return { relative, part: `${absolute}.part`, absolute };
  }

  private async run(
    id: string,
    signal: AbortSignal,
    onProgress: (bytes: number, total: number | null) => void,
  ): Promise<void> {
    const { context } = this;
    const record = context.repo.get(id);
    if (record?.status !== 'succeeded' || !record.result || record.deletedAt !== null) return;
    if (record.result.type === 'bytes' || record.result.type === 'gcs') return;
    const { part } = this.paths(id);
    await mkdir(dirname(part), { recursive: true });
    context.save(id, { download: 'downloading', downloadError: null });
    const open = this.opener(context.deps.client(), record);
    let lastError: AppError | null = null;
    for (let attempt = 1; attempt <= context.timing.downloadAttempts; attempt++) {
      try {
        await downloadToPart({ open, partPath: part, signal, onProgress });
        await this.finish(id);
        return;
      } catch (error) {
        if (signal.aborted || context.closed) return; // stays `downloading`: resumed at the next start
        lastError = toAppError(error);
        context.deps.log?.(`video ${id}: download attempt ${attempt} failed: ${lastError.message}`);
        if (lastError.kind === 'not_found' || lastError.kind === 'auth' || lastError.kind === 'invalid_input')
          break;
        if (attempt < context.timing.downloadAttempts) {
          await new Promise((resolve) => setTimeout(resolve, context.timing.downloadRetryMs * attempt));
          if (signal.aborted || context.closed) return;
        }
      }
    }
    const failed = context.save(id, {
      download: 'failed',
      downloadError: encodeStoredError(lastError?.message ?? 'The download failed.', lastError?.reason),
    });
    context.deps.notify?.({
      kind: 'video-not-saved',
      vendor: videoVendorLabels[failed.vendor],
      prompt: failed.prompt,
      error: failed.downloadError ?? '',
      ...(lastError?.reason ? { reason: lastError.reason } : {}),
    });
  }

  /** How to fetch a job's bytes: Sora's content endpoint (bytes, or JSON with a link), else its link. */
  private opener(client: HttpClient, record: VideoRecord) {
    return async (rangeStart: number, signal: AbortSignal) => {
      if (record.result?.type === 'url')
        return client.download({ url: record.result.url }, { signal, rangeStart });
      if (!record.remoteId) {
        throw new HubError({
          kind: 'server',
          message: 'The job has no vendor id.',
          reason: { code: 'videoNoVendorId', values: {} },
        });
      }
      const response = await client.download(soraContentCall(record.remoteId, 'video'), {
        signal,
        rangeStart,
      });
      if (!(response.headers['content-type'] ?? '').toLowerCase().includes('json')) return response;
      const link = soraContentLink(JSON.parse(await readText(response.body)));
      if (!link) {
        throw new HubError({
          kind: 'server',
          message: 'Sora answered the download with JSON but no link.',
          reason: { code: 'videoSoraNoLink', values: {} },
        });
      }
      this.context.save(record.id, { remoteUrl: link });
      return client.download({ url: link }, { signal, rangeStart });
    };
  }

  private reportProgress(id: string, bytes: number, total: number | null): void {
    const now = Date.now();
    const last = this.lastProgress.get(id) ?? 0;
    if (now - last < this.context.timing.progressEveryMs && bytes !== total) return;
    this.lastProgress.set(id, now);
    this.context.deps.bus.emit('videos.downloadProgress', { id, bytes, total });
    this.context.repo.update(id, { downloadedBytes: bytes, downloadTotal: total });
  }

  /** The part is whole: rename it into the library, make a thumbnail, then record both at once. */
  private async finish(id: string): Promise<void> {
    const { context } = this;
    const { relative, part, absolute } = this.paths(id);
    await renameWithRetry(part, absolute);
    const size = (await stat(absolute)).size;
    const before = context.record(id);
    const thumbnail = await makeThumbnail(context, before, absolute).catch((error: unknown) => {
      context.deps.log?.(`video ${id}: no thumbnail: ${toAppError(error).message}`);
      return null;
    });
    if (context.closed) return;
    const record = context.save(id, {
      download: 'done',
      localFile: relative,
      thumbnail,
      fileSize: size,
      downloadedBytes: size,
      downloadTotal: size,
      downloadError: null,
    });
    this.lastProgress.delete(id);
    context.deps.notify?.({
      kind: 'video-ready',
      vendor: videoVendorLabels[record.vendor],
      prompt: record.prompt,
    });
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
