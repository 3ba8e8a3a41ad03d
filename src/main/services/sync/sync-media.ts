import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SyncReport } from '../../../shared/sync';
import type { RemoteStore } from '../../remotes/remote-store';
import type { SyncRepo } from '../../store/sync-repo';
import { type LibraryKeys, TAG_BYTES, TamperedBlobError } from './sync-crypto';

const CHUNK_BYTES = 1024 * 1024;
const PAD_BYTES = 64 * 1024;
const HEADER_BYTES = 256;
const VIDEO_FOLDER = 'videos';
const WORK_FOLDER = '.sync';

/**
 * Video files by content: each is sent once under the HMAC of its SHA-256 (`m/…`), sealed in 1 MiB chunks (the last
 * padded to 64 KiB) after a header with its size and hash, so the host sees a rounded size only. Sealing is
 * deterministic per content, so an upload cut off continues from the part already on the storage. A file fetched
 * here is checked chunk by chunk and against its hash before it is renamed into the library.
 */
export class MediaSync {
  constructor(
    private readonly input: { remote: RemoteStore; keys: LibraryKeys; repo: SyncRepo; libraryDir: string },
  ) {}

  private key(sha256: string): string {
    return `m/${this.input.keys.name(`media/${sha256}`)}`;
  }

  /** Hashes the downloaded videos sync has not seen yet; their rows go out again with the hash. */
  async scan(signal?: AbortSignal): Promise<void> {
    for (const video of this.input.repo.videosWithoutHash()) {
      signal?.throwIfAborted();
      const file = this.inLibrary(video.localFile);
      const found = file ? await hashFile(file).catch(() => null) : null;
      if (found) this.input.repo.recordLocalFile(video.id, found.sha256, found.size);
    }
  }

  async upload(report: SyncReport, signal?: AbortSignal): Promise<void> {
    const { repo, remote, libraryDir } = this.input;
    const sent = new Set<string>();
    for (const file of repo.filesToUpload()) {
      signal?.throwIfAborted();
      const source = this.inLibrary(file.localFile);
      if (!source) continue;
      if (!sent.has(file.sha256)) {
        const sealed = path.join(libraryDir, WORK_FOLDER, `${file.sha256}.up`);
        await fs.mkdir(path.dirname(sealed), { recursive: true });
        const size = await this.seal(this.key(file.sha256), file.sha256, source, sealed);
        await remote.upload(this.key(file.sha256), sealed, signal ? { signal } : {});
        await fs.rm(sealed, { force: true });
        report.bytesUp += size;
        sent.add(file.sha256);
      }
      repo.markFileUploaded(file.sha256);
    }
  }

  /** Places the files other computers sent; one not on the storage yet waits for a later sync. */
  async fetch(report: SyncReport, signal?: AbortSignal): Promise<void> {
    const { repo, remote, libraryDir } = this.input;
    for (const file of repo.filesToFetch()) {
      signal?.throwIfAborted();
      const key = this.key(file.sha256);
      const sealed = path.join(libraryDir, WORK_FOLDER, `${file.sha256}.down`);
      await fs.mkdir(path.dirname(sealed), { recursive: true });
      try {
        await remote.download(key, sealed, signal ? { signal } : {});
      } catch {
        if (!(await remote.list(key, signal)).some((object) => object.key === key)) continue;
        throw new Error(`The video file ${key} could not be downloaded.`);
      }
      report.bytesDown += (await fs.stat(sealed)).size;
      const relative = `${VIDEO_FOLDER}/${file.videoId}.mp4`;
      const target = path.join(libraryDir, VIDEO_FOLDER, `${file.videoId}.mp4`);
      await fs.mkdir(path.dirname(target), { recursive: true });
      try {
        const opened = await this.open(key, sealed, `${target}.part`);
        if (opened.sha256 !== file.sha256)
          throw new TamperedBlobError(`The video file ${key} is not the one named.`);
        await fs.rename(`${target}.part`, target);
        repo.placeFile(file.videoId, relative, opened.size);
      } catch (error) {
        await fs.rm(`${target}.part`, { force: true });
        if (!(error instanceof TamperedBlobError)) throw error;
        report.problems.push({
          code: 'tampered',
          device: '',
          seq: 0,
          message: `The file of video ${file.videoId} failed authentication on the storage; it was not placed.`,
        });
      } finally {
        await fs.rm(sealed, { force: true });
      }
    }
  }

  private async seal(key: string, sha256: string, source: string, target: string): Promise<number> {
    const { keys } = this.input;
    const size = (await fs.stat(source)).size;
    const header = Buffer.alloc(HEADER_BYTES);
    header.write(JSON.stringify({ size, sha256 }));
    const out = await fs.open(target, 'w', 0o600);
    const input = await fs.open(source, 'r');
    try {
      let written = 0;
      const put = async (bytes: Buffer) => {
        await out.write(bytes);
        written += bytes.length;
      };
      await put(keys.sealChunk(key, 'header', header));
      const chunks = Math.ceil(size / CHUNK_BYTES);
      for (let index = 0; index < chunks; index += 1) {
        const length = Math.min(CHUNK_BYTES, size - index * CHUNK_BYTES);
        const plain = Buffer.alloc(index === chunks - 1 ? Math.ceil(length / PAD_BYTES) * PAD_BYTES : length);
        await input.read(plain, 0, length, index * CHUNK_BYTES);
        await put(keys.sealChunk(key, String(index), plain));
      }
      await out.sync();
      return written;
    } finally {
      await input.close();
      await out.close();
    }
  }

  private async open(key: string, source: string, target: string): Promise<{ sha256: string; size: number }> {
    const { keys } = this.input;
    const input = await fs.open(source, 'r');
    const out = await fs.open(target, 'w', 0o600);
    try {
      const sealedHeader = Buffer.alloc(HEADER_BYTES + TAG_BYTES);
      await input.read(sealedHeader, 0, sealedHeader.length, 0);
      const header = keys.openChunk(key, 'header', sealedHeader);
      const { size } = JSON.parse(header.toString('utf8').replace(/\0+$/, '')) as { size: number };
      const hash = createHash('sha256');
      let position = sealedHeader.length;
      const chunks = Math.ceil(size / CHUNK_BYTES);
      for (let index = 0; index < chunks; index += 1) {
        const length = Math.min(CHUNK_BYTES, size - index * CHUNK_BYTES);
        const plainLength = index === chunks - 1 ? Math.ceil(length / PAD_BYTES) * PAD_BYTES : length;
        const sealed = Buffer.alloc(plainLength + TAG_BYTES);
        const { bytesRead } = await input.read(sealed, 0, sealed.length, position);
        if (bytesRead !== sealed.length) throw new TamperedBlobError(`The object ${key} is cut short.`);
        position += sealed.length;
        const plain = keys.openChunk(key, String(index), sealed).subarray(0, length);
        hash.update(plain);
        await out.write(plain);
      }
      await out.sync();
      return { sha256: hash.digest('hex'), size };
    } finally {
      await input.close();
      await out.close();
    }
  }

  private inLibrary(relative: string): string | null {
    const root = path.resolve(this.input.libraryDir);
    const full = path.resolve(root, relative);
    return full.startsWith(`${root}${path.sep}`) ? full : null;
  }
}

async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}
