import { createWriteStream } from 'node:fs';
import { rm, stat, truncate, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { DownloadResult } from '../../api/http-client';
import { HubError } from '../../base/errors';

/** Bytes gathered in memory before the file is written (one write of many socket reads). */
const WRITE_BUFFER_BYTES = 1024 * 1024;
const PROGRESS_EVERY_MS = 100;

/** Opens the source at `rangeStart` (a `Range` request when > 0). */
export type OpenDownload = (rangeStart: number, signal: AbortSignal) => Promise<DownloadResult>;

async function sizeOf(path: string): Promise<number> {
  return (await stat(path).catch(() => null))?.size ?? 0;
}

/** `bytes 100-199/1000` → start and total (total null for `*`). */
function contentRange(header: string | undefined): { start: number; total: number | null } | null {
  const match = /^bytes\s+(\d+)-\d+\/(\d+|\*)$/i.exec(header?.trim() ?? '');
  if (!match) return null;
  return { start: Number(match[1]), total: match[2] === '*' ? null : Number(match[2]) };
}

/**
 * One attempt to bring `partPath` to the whole file: resumes from its current size with `Range`, starts
 * over when the server ignores the range, streams to disk (memory stays flat), and checks the final size
 * against the announced length. A cut leaves the bytes received so far in `partPath` for the next attempt.
 */
export async function downloadToPart(options: {
  open: OpenDownload;
  partPath: string;
  signal: AbortSignal;
  onProgress: (bytes: number, total: number | null) => void;
}): Promise<number> {
  const { partPath, signal, onProgress } = options;
  let start = await sizeOf(partPath);
  let response: DownloadResult;
  try {
    response = await options.open(start, signal);
  } catch (error) {
    if (start > 0 && error instanceof HubError && error.info.status === 416) {
      // The part no longer fits the remote file: start over.
      await rm(partPath, { force: true });
      start = 0;
      response = await options.open(0, signal);
    } else throw error;
  }
  let total: number | null;
  if (response.status === 206) {
    const range = contentRange(response.headers['content-range']);
    if (!range || range.start !== start) {
      await drain(response.body);
      await rm(partPath, { force: true });
      throw new HubError({
        kind: 'server',
        message: 'The server answered a different byte range; starting over.',
        reason: { code: 'videoRangeMismatch', values: {} },
      });
    }
    total = range.total ?? (response.contentLength === null ? null : start + response.contentLength);
  } else {
    if (start > 0) await truncate(partPath, 0);
    start = 0;
    total = response.contentLength;
  }
  onProgress(start, total);
  // The socket is read while the disk writes (up to WRITE_BUFFER_BYTES ahead). A cut or a stop keeps what
  // reached the file: the next attempt resumes from the part file's size.
  const file = createWriteStream(partPath, {
    flags: start > 0 ? 'a' : 'w',
    highWaterMark: WRITE_BUFFER_BYTES,
  });
  const progress = setInterval(() => onProgress(start + file.bytesWritten, total), PROGRESS_EVERY_MS);
  try {
    await pipeline(response.body, file, { signal });
  } catch (error) {
    if (signal.aborted) {
      throw new HubError({
        kind: 'cancelled',
        message: 'The download was stopped.',
        reason: { code: 'videoDownloadStopped', values: {} },
      });
    }
    throw error;
  } finally {
    clearInterval(progress);
    // The last write has landed and the file is closed before its size is read or a retry reopens it.
    if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
  }
  const size = await sizeOf(partPath);
  onProgress(size, total);
  if (total !== null && size !== total) {
    if (size > total) await rm(partPath, { force: true });
    throw new HubError({
      kind: 'network',
      message: `The download stopped at ${size} of ${total} bytes.`,
      code: 'incomplete_download',
      reason: { code: 'videoDownloadIncomplete', values: { size, total } },
    });
  }
  return size;
}

async function drain(body: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const _chunk of body) {
    // discard
  }
}

/** Bytes that came inside an answer (Veo base64): written to the part file in one go. */
export async function writeBytesToPart(partPath: string, base64: string): Promise<number> {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.byteLength === 0) {
    throw new HubError({
      kind: 'server',
      message: 'The vendor sent an empty video.',
      reason: { code: 'videoEmpty', values: {} },
    });
  }
  await writeFile(partPath, bytes);
  return bytes.byteLength;
}
