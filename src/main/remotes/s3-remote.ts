/**
 * Sync storage in an S3-compatible bucket (AWS, Cloudflare R2, Backblaze B2, MinIO), through AWS's own client.
 *
 * Big files go up as a multipart upload driven here rather than by `@aws-sdk/lib-storage`'s `Upload`: that one
 * always starts a new upload and keeps no record of finished parts, so it cannot continue after a restart. Here
 * the upload id and each finished part go to the caller's checkpoint; on resume ListParts says which parts the
 * service really holds, and only the others are sent.
 */

import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { Clock } from '../base/clock';
import { systemClock } from '../base/clock';
import { HubError } from '../base/errors';
import { partialSize } from './partial-file';
import { countingStream } from './progress-stream';
import { isAbort, remoteError, statusOf } from './remote-failure';
import type { ConnectionReport, RemoteObject, RemoteStore, UploadOptions } from './remote-store';
import { type MultipartState, resumableUpload } from './s3-checkpoint';
import { s3Problem } from './s3-problem';

export interface S3RemoteOptions {
  endpoint: string;
  bucket: string;
  region?: string;
  prefix?: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle?: boolean;
  /** Files larger than this go up in parts of this size (8 MiB; S3 wants at least 5 MiB but for the last part). */
  partSize?: number;
  /** The clock requests are signed with; tests move it to play a computer whose clock is off. */
  clock?: Clock;
}

const defaultPartSize = 8 * 1024 * 1024;

interface SdkError {
  name?: string;
}

export class S3Remote implements RemoteStore {
  readonly describe: string;
  private readonly config: S3ClientConfig;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly base: string;
  private readonly partSize: number;
  private readonly clock: Clock;

  constructor(options: S3RemoteOptions) {
    this.bucket = options.bucket;
    this.base = options.prefix ? `${options.prefix.replace(/^\/+|\/+$/g, '')}/` : '';
    this.partSize = options.partSize ?? defaultPartSize;
    this.clock = options.clock ?? systemClock;
    this.describe = `s3 ${options.endpoint.replace(/\/+$/, '')}/${options.bucket}/${this.base}`;
    this.config = {
      endpoint: options.endpoint,
      region: options.region ?? 'us-east-1',
      forcePathStyle: options.forcePathStyle ?? false,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      systemClockOffset: this.clock.now() - Date.now(),
      // Checksums only where S3 requires them: many S3-compatible services do not understand the newer
      // aws-chunked bodies with trailing checksums the SDK would otherwise send.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    };
    this.client = new S3Client(this.config);
  }

  async test(signal?: AbortSignal): Promise<ConnectionReport> {
    // One attempt only: the SDK would otherwise retry, and after a skew error quietly correct its own clock.
    const probeClient = new S3Client({ ...this.config, maxAttempts: 1 });
    const probe = `${this.base}.hubdesk-probe-${randomUUID()}`;
    const body = new TextEncoder().encode(`HubDesk connection test ${probe}`);
    const options = { abortSignal: signal };
    let step = 'list';
    try {
      const started = performance.now();
      const listing = await probeClient.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.base }),
        options,
      );
      const latencyMs = Math.round(performance.now() - started);
      // Every S3 listing names its bucket; a web page parsed as one does not.
      if (listing.Name === undefined) {
        return { ok: false, problem: 'address', detail: 'The address answers, but not as an S3 service.' };
      }
      step = 'write';
      await probeClient.send(new PutObjectCommand({ Bucket: this.bucket, Key: probe, Body: body }), options);
      step = 'read';
      const read = await probeClient.send(new GetObjectCommand({ Bucket: this.bucket, Key: probe }), options);
      const bytes = await read.Body?.transformToByteArray();
      if (!bytes || Buffer.compare(Buffer.from(bytes), Buffer.from(body)) !== 0) {
        return {
          ok: false,
          problem: 'unknown',
          detail: 'A test object read back differs from what was written.',
        };
      }
      step = 'delete';
      await probeClient.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: probe }), options);
      return { ok: true, latencyMs };
    } catch (error) {
      if (signal?.aborted || isAbort(error)) throw error;
      return s3Problem(error, step, this.clock.now());
    } finally {
      probeClient.destroy();
    }
  }

  async list(prefix: string, signal?: AbortSignal): Promise<RemoteObject[]> {
    const found: RemoteObject[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.base + prefix,
            ContinuationToken: token,
          }),
          { abortSignal: signal },
        );
        for (const object of page.Contents ?? []) {
          if (object.Key) found.push({ key: object.Key.slice(this.base.length), size: object.Size ?? 0 });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw remoteError(error, this.describe, `listing ${prefix || 'the bucket'}`);
    }
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async get(key: string, signal?: AbortSignal): Promise<Uint8Array | null> {
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.base + key }),
        {
          abortSignal: signal,
        },
      );
      return (await answer.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (error) {
      if ((error as SdkError).name === 'NoSuchKey' || statusOf(error) === 404) return null;
      throw remoteError(error, this.describe, `reading ${key}`);
    }
  }

  async put(key: string, body: Uint8Array, signal?: AbortSignal): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: this.base + key, Body: body }),
        {
          abortSignal: signal,
        },
      );
    } catch (error) {
      throw remoteError(error, this.describe, `writing ${key}`);
    }
  }

  async upload(key: string, filePath: string, options: UploadOptions = {}): Promise<void> {
    const { signal, onProgress } = options;
    const { size } = await stat(filePath);
    if (size <= this.partSize) {
      try {
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: this.base + key,
            Body: fileRange(filePath, 0, size, (sent) => onProgress?.(sent, size)),
            ContentLength: size,
          }),
          { abortSignal: signal },
        );
      } catch (error) {
        throw remoteError(error, this.describe, `uploading ${key}`);
      }
      return;
    }
    try {
      await this.uploadParts(key, filePath, size, options, true);
    } catch (error) {
      throw remoteError(error, this.describe, `uploading ${key}`);
    }
  }

  private async uploadParts(
    key: string,
    filePath: string,
    size: number,
    options: UploadOptions,
    mayRestart: boolean,
  ): Promise<void> {
    const { signal, onProgress, onCheckpoint } = options;
    const resumed = await resumableUpload(
      this.client,
      this.bucket,
      this.base + key,
      key,
      size,
      options.checkpoint,
      signal,
    );
    const state = resumed?.state ?? (await this.startUpload(key, size, signal));
    onCheckpoint?.(structuredClone(state));
    const count = Math.ceil(size / state.partSize);
    const finished = new Map(state.parts.map((part) => [part.number, part]));
    let done = state.parts.reduce((sum, part) => sum + part.size, 0);
    onProgress?.(done, size);
    try {
      for (let number = 1; number <= count; number++) {
        if (finished.has(number)) continue;
        signal?.throwIfAborted();
        const start = (number - 1) * state.partSize;
        const length = Math.min(state.partSize, size - start);
        const answer = await this.client.send(
          new UploadPartCommand({
            Bucket: this.bucket,
            Key: this.base + key,
            UploadId: state.uploadId,
            PartNumber: number,
            Body: fileRange(filePath, start, length, (sent) => onProgress?.(done + sent, size)),
            ContentLength: length,
          }),
          { abortSignal: signal },
        );
        const part = { number, etag: answer.ETag ?? '', size: length };
        finished.set(number, part);
        state.parts.push(part);
        done += length;
        onProgress?.(done, size);
        onCheckpoint?.(structuredClone(state));
      }
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.base + key,
          UploadId: state.uploadId,
          MultipartUpload: {
            Parts: [...finished.values()]
              .sort((a, b) => a.number - b.number)
              .map((part) => ({ PartNumber: part.number, ETag: part.etag })),
          },
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      // The service forgot the upload (expired, aborted by a lifecycle rule), or refuses to go on with one it
      // could not confirm (no ListParts): start over once.
      const forgotten = (error as SdkError).name === 'NoSuchUpload';
      const unconfirmed = resumed?.confirmed === false && statusOf(error) !== undefined;
      if (mayRestart && (forgotten || unconfirmed)) {
        await this.uploadParts(key, filePath, size, { ...options, checkpoint: undefined }, false);
        return;
      }
      throw error;
    }
  }

  private async startUpload(key: string, size: number, signal?: AbortSignal): Promise<MultipartState> {
    const created = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.base + key }),
      {
        abortSignal: signal,
      },
    );
    if (!created.UploadId)
      throw new HubError({
        kind: 'server',
        message: `${this.describe}: no upload id was given.`,
        reason: { code: 'syncNoUploadId', values: {} },
      });
    return {
      format: 's3-multipart',
      key,
      uploadId: created.UploadId,
      size,
      partSize: this.partSize,
      parts: [],
    };
  }

  async download(
    key: string,
    filePath: string,
    options: { signal?: AbortSignal; onProgress?: (got: number, total: number) => void } = {},
  ): Promise<void> {
    const { signal, onProgress } = options;
    const partial = `${filePath}.part`;
    await mkdir(dirname(filePath), { recursive: true });
    // What an earlier, stopped download left is kept: objects never change, so the rest follows it.
    const have = await partialSize(partial);
    try {
      const answer = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.base + key,
          ...(have > 0 ? { Range: `bytes=${have}-` } : {}),
        }),
        { abortSignal: signal },
      );
      const start = have > 0 && answer.ContentRange !== undefined ? have : 0;
      const total = start + (answer.ContentLength ?? Number.NaN);
      if (start > 0) await truncate(partial, start);
      let got = start;
      await pipeline(
        answer.Body as Readable,
        countingStream((sent) => {
          got = start + sent;
          onProgress?.(got, total);
        }),
        createWriteStream(partial, { flags: start > 0 ? 'a' : 'w' }),
        { signal },
      );
      if (Number.isFinite(total) && got !== total) {
        throw new HubError({
          kind: 'network',
          message: `${this.describe}: ${key} arrived incomplete (${got} of ${total} bytes).`,
          reason: { code: 'syncDownloadIncomplete', values: { got, total } },
        });
      }
    } catch (error) {
      if (have > 0 && statusOf(error) === 416) {
        // The partial file is no beginning of this object: start again.
        await rm(partial, { force: true });
        return this.download(key, filePath, options);
      }
      throw remoteError(error, this.describe, `downloading ${key}`);
    }
    await rename(partial, filePath);
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.base + key }), {
        abortSignal: signal,
      });
    } catch (error) {
      if ((error as SdkError).name === 'NoSuchKey' || statusOf(error) === 404) return;
      throw remoteError(error, this.describe, `deleting ${key}`);
    }
  }
}

function fileRange(
  filePath: string,
  start: number,
  length: number,
  onSent: (sent: number) => void,
): Readable | Buffer {
  if (length === 0) return Buffer.alloc(0);
  return createReadStream(filePath, { start, end: start + length - 1 }).pipe(countingStream(onSent));
}
