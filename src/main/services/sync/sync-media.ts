import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SyncMediaMode, SyncReport } from '../../../shared/sync';
import { HubError } from '../../base/errors';
import type { RemoteStore, UploadCheckpoint } from '../../remotes/remote-store';
import type { MediaEntry, MediaKind } from '../../store/sync-files-repo';
import type { SyncRepo } from '../../store/sync-repo';
import { type LibraryKeys, TAG_BYTES, TamperedBlobError } from './sync-crypto';

const CHUNK_BYTES = 1024 * 1024;
const PAD_BYTES = 64 * 1024;
const HEADER_BYTES = 256;
const WORK_FOLDER = '.sync';
/** On demand, a sync still brings what a list or a chat shows at once; videos and audio wait to be opened. */
const SMALL_KINDS: readonly MediaKind[] = ['thumbnail', 'image'];
const ALL_KINDS: readonly MediaKind[] = ['thumbnail', 'image', 'audio', 'video'];

const kindWords: Record<MediaKind, string> = {
  video: 'video file',
  thumbnail: 'thumbnail',
  audio: 'kept audio',
  image: 'chat image',
};

/** The paths a fetched content was placed at, and the bytes it took from the storage. */
interface Fetched {
  placed: MediaEntry[];
  bytes: number;
}

/** How far the fetch of one file is. */
export type MediaProgress = (got: number, total: number) => void;

/**
 * Media by content: videos, thumbnails, kept audio and chat images are each sent once under the HMAC of their
 * SHA-256 (`m/…`), sealed in 1 MiB chunks (the last padded to 64 KiB) after a header with size and hash, so the host
 * sees a rounded size only. Sealing is deterministic per content, so an upload cut off continues from the parts
 * already on the storage (an S3 multipart checkpoint is kept in the sync state). A file fetched here is checked chunk
 * by chunk and against its hash before it is renamed into the library.
 */
export class MediaSync {
  /** One fetch per content at a time: a sync and a user opening the video share it. */
  private readonly fetching = new Map<string, Promise<Fetched>>();

  constructor(
    private readonly input: {
      remote: RemoteStore;
      keys: LibraryKeys;
      repo: SyncRepo;
      libraryDir: string;
      /** Told of the files just placed, so the pages showing their rows read them again. */
      onPlaced?: (entries: MediaEntry[]) => void;
    },
  ) {}

  private key(sha256: string): string {
    return `m/${this.input.keys.name(`media/${sha256}`)}`;
  }

  /** Hashes the files of this library that sync has not seen yet; their rows go out again with the hash. */
  async scan(signal?: AbortSignal): Promise<void> {
    const { files } = this.input.repo;
    for (const entry of files.unhashed()) {
      signal?.throwIfAborted();
      const file = this.inLibrary(entry.path);
      const found = file ? await hashFile(file).catch(() => null) : null;
      if (found) files.recordLocal({ ...entry, ...found });
    }
  }

  async upload(report: SyncReport, signal?: AbortSignal): Promise<void> {
    const { repo, remote, libraryDir } = this.input;
    const waiting = repo.files.toUpload();
    if (waiting.length === 0) return;
    // Content another computer (or another row) sent is on the storage already: one listing tells.
    const stored = new Set((await remote.list('m/', signal)).map((object) => object.key));
    for (const file of waiting) {
      signal?.throwIfAborted();
      const source = this.inLibrary(file.path);
      if (!source || !(await fs.stat(source).catch(() => null))) continue;
      const key = this.key(file.sha256);
      if (!stored.has(key)) {
        const sealed = path.join(libraryDir, WORK_FOLDER, `${file.sha256}.up`);
        await fs.mkdir(path.dirname(sealed), { recursive: true });
        const size = await this.seal(key, file.sha256, source, sealed);
        const checkpointKey = `media.upload.${file.sha256}`;
        const saved = repo.state(checkpointKey);
        await remote.upload(key, sealed, {
          ...(signal ? { signal } : {}),
          ...(saved ? { checkpoint: JSON.parse(saved) as UploadCheckpoint } : {}),
          onCheckpoint: (checkpoint) => repo.setState(checkpointKey, JSON.stringify(checkpoint)),
        });
        repo.clearState(checkpointKey);
        await fs.rm(sealed, { force: true });
        report.bytesUp += size;
      }
      repo.files.markUploaded(file.sha256);
    }
  }

  /**
   * Places the files other computers sent: all of them when eager, on demand only thumbnails and images. One not on
   * the storage yet waits for a later sync; one that fails its check is reported and not placed.
   */
  async fetch(report: SyncReport, mode: SyncMediaMode, signal?: AbortSignal): Promise<void> {
    const waiting = this.input.repo.files.toFetch(mode === 'eager' ? ALL_KINDS : SMALL_KINDS);
    const byContent = new Map<string, MediaEntry[]>();
    for (const entry of waiting) byContent.set(entry.sha256, [...(byContent.get(entry.sha256) ?? []), entry]);
    for (const [sha256, entries] of byContent) {
      signal?.throwIfAborted();
      try {
        const fetched = await this.once(sha256, () => this.fetchContent(sha256, entries, signal));
        report.bytesDown += fetched.bytes;
      } catch (error) {
        if (!(error instanceof TamperedBlobError)) throw error;
        report.problems.push({
          code: 'media',
          device: '',
          seq: 0,
          message: `The ${kindWords[entries[0]?.kind ?? 'video']} ${entries[0]?.path} failed its check on the storage; it was not placed.`,
        });
      }
    }
  }

  /**
   * Fetches one content now (a video or audio opened on demand) and places it wherever a row names it; the paths
   * placed. Throws a worded HubError when it is not on the storage yet or fails its check.
   */
  async fetchOne(sha256: string, onProgress?: MediaProgress, signal?: AbortSignal): Promise<MediaEntry[]> {
    const entries = this.input.repo.files.waitingWithHash(sha256);
    if (entries.length === 0) return [];
    try {
      const { placed } = await this.once(sha256, () =>
        this.fetchContent(sha256, entries, signal, onProgress),
      );
      if (placed.length === 0)
        throw new HubError({
          kind: 'not_found',
          code: 'sync_media_not_there',
          message: `The ${kindWords[entries[0]?.kind ?? 'video']} is not on the sync storage yet: sync on the computer that has it.`,
          reason: { code: 'syncMediaNotThere', values: {} },
        });
      return placed;
    } catch (error) {
      if (!(error instanceof TamperedBlobError)) throw error;
      throw new HubError({
        kind: 'server',
        code: 'sync_media_tampered',
        message: `The ${kindWords[entries[0]?.kind ?? 'video']} on the sync storage failed its check (changed or damaged there); it was not placed.`,
        reason: { code: 'syncMediaTampered', values: {} },
      });
    }
  }

  private once(sha256: string, work: () => Promise<Fetched>): Promise<Fetched> {
    let running = this.fetching.get(sha256);
    if (!running) {
      running = work().finally(() => this.fetching.delete(sha256));
      this.fetching.set(sha256, running);
    }
    return running;
  }

  /** Downloads and opens one content, then places it at every path that names it; nothing when it is not there. */
  private async fetchContent(
    sha256: string,
    entries: readonly MediaEntry[],
    signal?: AbortSignal,
    onProgress?: MediaProgress,
  ): Promise<Fetched> {
    const { repo, remote, libraryDir } = this.input;
    const key = this.key(sha256);
    const sealed = path.join(libraryDir, WORK_FOLDER, `${sha256}.down`);
    await fs.mkdir(path.dirname(sealed), { recursive: true });
    try {
      await remote.download(key, sealed, {
        ...(signal ? { signal } : {}),
        ...(onProgress ? { onProgress } : {}),
      });
    } catch (error) {
      if (!(await remote.list(key, signal)).some((object) => object.key === key))
        return { placed: [], bytes: 0 };
      throw error;
    }
    const bytes = (await fs.stat(sealed)).size;
    const opened = path.join(libraryDir, WORK_FOLDER, `${sha256}.open`);
    const placed: MediaEntry[] = [];
    try {
      const content = await this.open(key, sealed, opened);
      if (content.sha256 !== sha256) throw new TamperedBlobError(`The object ${key} is not the one named.`);
      for (const entry of entries) {
        const target = this.inLibrary(entry.path);
        if (!target) continue;
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.copyFile(opened, `${target}.part`);
        await fs.rename(`${target}.part`, target);
        repo.files.place(entry);
        placed.push(entry);
      }
      if (placed.length > 0) this.input.onPlaced?.(placed);
      return { placed, bytes };
    } finally {
      await fs.rm(opened, { force: true });
      await fs.rm(sealed, { force: true });
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
