// Over 400 lines: one protocol's store whole (folder walk, parts, ranges); its part layout and verdicts are apart.
/**
 * Sync storage on a WebDAV server (Nextcloud, ownCloud, a NAS, Apache mod_dav). Spoken through the `webdav`
 * package: kept up to date, and it does PROPFIND parsing, MKCOL, basic/digest auth and streamed bodies for us.
 *
 * Big files: plain WebDAV has no partial PUT (mod_dav refuses Content-Range), so a file over `partSize` is stored as
 * numbered part objects beside its key plus a manifest written last, `<key>~<partSize>.000001`… and
 * `<key>~<partSize>.manifest` (`~` never occurs in a valid key). Until the manifest is there the object does not
 * exist for `list`, `get` or `download`; an interrupted upload resumes by skipping the parts already on the server
 * with the right size (a server writes a PUT to a temporary file and renames it, and big objects are stored under
 * their content hash, so a part of the right length holds the right bytes).
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createClient, type FileStat, type WebDAVClient } from 'webdav';
import { z } from 'zod';
import { HubError } from '../base/errors';
import { partialSize } from './partial-file';
import { countingStream } from './progress-stream';
import { isAbort, remoteError, statusOf } from './remote-failure';
import type { ConnectionReport, RemoteObject, RemoteStore, UploadOptions } from './remote-store';
import { type Manifest, manifestKey, manifestSchema, objectsOf, partKey, partPattern } from './webdav-parts';
import { webDavProblem } from './webdav-problem';

export interface WebDavRemoteOptions {
  url: string;
  user: string;
  password: string;
  /** Files larger than this are uploaded as parts of this size (8 MiB unless a test asks for less). */
  partSize?: number;
}

const defaultPartSize = 8 * 1024 * 1024;
/** Downloads ask for the bytes as stored, so lengths and ranges count the same bytes that land on disk. */
const plainBody = { 'Accept-Encoding': 'identity' };

const checkpointSchema = z.object({
  format: z.literal('webdav-parts'),
  partSize: z.number().int().positive(),
});
function parentOf(key: string): string {
  const slash = key.lastIndexOf('/');
  return slash < 0 ? '' : key.slice(0, slash);
}

function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function pathOf(key: string): string {
  return `/${key}`;
}

/** A file of a listing, as a key relative to the store's URL (the client gives `/a/b` for `<url>/a/b`). */
function keyOf(entry: FileStat): string {
  return entry.filename.replace(/^\/+/, '');
}

export class WebDavRemote implements RemoteStore {
  readonly describe: string;
  private readonly client: WebDAVClient;
  private readonly partSize: number;
  /** Collections known to exist, so a run of puts into one folder sends one MKCOL at most. */
  private readonly collections = new Set<string>(['']);

  constructor(options: WebDavRemoteOptions) {
    this.describe = `webdav ${options.url}`;
    this.partSize = options.partSize ?? defaultPartSize;
    this.client = createClient(options.url, { username: options.user, password: options.password });
  }

  async test(signal?: AbortSignal): Promise<ConnectionReport> {
    const started = performance.now();
    const probe = `.hubdesk-probe-${randomUUID()}`;
    const body = new TextEncoder().encode(`HubDesk connection test ${probe}`);
    let step = 'list';
    try {
      const answer = await this.client.customRequest('/', {
        method: 'PROPFIND',
        headers: { Depth: '0', 'Content-Type': 'application/xml' },
        data: '<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>',
        signal,
      });
      const text = await answer.text();
      if (answer.status !== 207 || !/multistatus/i.test(text)) {
        return {
          ok: false,
          problem: 'address',
          detail: `The address answers HTTP ${answer.status} but is not a WebDAV folder.`,
          status: answer.status,
        };
      }
      if (!/collection/i.test(text)) {
        return { ok: false, problem: 'address', detail: 'The address is a file, not a WebDAV folder.' };
      }
      const latencyMs = Math.round(performance.now() - started);
      step = 'write';
      await this.client.putFileContents(pathOf(probe), Buffer.from(body), { signal });
      step = 'read';
      const read = await this.get(probe, signal);
      if (!read || Buffer.compare(Buffer.from(read), Buffer.from(body)) !== 0) {
        return {
          ok: false,
          problem: 'unknown',
          detail: 'A test file read back differs from what was written.',
        };
      }
      step = 'delete';
      await this.client.deleteFile(pathOf(probe), { signal });
      return { ok: true, latencyMs };
    } catch (error) {
      if (signal?.aborted || isAbort(error)) throw error;
      return webDavProblem(error, step);
    }
  }

  async list(prefix: string, signal?: AbortSignal): Promise<RemoteObject[]> {
    const files: FileStat[] = [];
    const start = prefix.slice(0, prefix.lastIndexOf('/') + 1).replace(/\/$/, '');
    try {
      await this.walk(start, prefix, files, signal);
    } catch (error) {
      throw remoteError(error, this.describe, `listing ${prefix || 'the folder'}`);
    }
    return objectsOf(files)
      .filter((object) => object.key.startsWith(prefix))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** PROPFIND with Depth 1, folder by folder: servers refuse Depth infinity (mod_dav's default, Nextcloud). */
  private async walk(folder: string, prefix: string, out: FileStat[], signal?: AbortSignal): Promise<void> {
    let entries: FileStat[];
    try {
      entries = (await this.client.getDirectoryContents(pathOf(folder), { signal })) as FileStat[];
    } catch (error) {
      if (statusOf(error) === 404) return;
      throw error;
    }
    for (const entry of entries) {
      const key = keyOf(entry);
      if (entry.type === 'file') {
        out.push(entry);
        continue;
      }
      this.collections.add(key);
      const inside = `${key}/`;
      if (inside.startsWith(prefix) || prefix.startsWith(inside)) await this.walk(key, prefix, out, signal);
    }
  }

  async get(key: string, signal?: AbortSignal): Promise<Uint8Array | null> {
    try {
      const whole = await this.client.getFileContents(pathOf(key), { format: 'binary', signal });
      return new Uint8Array(whole as Buffer);
    } catch (error) {
      if (statusOf(error) !== 404) throw remoteError(error, this.describe, `reading ${key}`);
    }
    const manifest = await this.manifestOf(key, signal);
    if (!manifest) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of this.partBytes(key, manifest, 1, signal)) chunks.push(chunk);
    return new Uint8Array(Buffer.concat(chunks));
  }

  async put(key: string, body: Uint8Array, signal?: AbortSignal): Promise<void> {
    await this.withCollection(key, signal, () =>
      this.client.putFileContents(pathOf(key), Buffer.from(body.buffer, body.byteOffset, body.byteLength), {
        signal,
      }),
    );
  }

  async upload(key: string, filePath: string, options: UploadOptions = {}): Promise<void> {
    const { signal, onProgress } = options;
    const { size } = await stat(filePath);
    if (size <= this.partSize) {
      await this.withCollection(key, signal, () =>
        this.putRange(pathOf(key), filePath, 0, size, signal, (sent) => onProgress?.(sent, size)),
      );
      return;
    }
    const saved = checkpointSchema.safeParse(options.checkpoint);
    const partSize = saved.success ? saved.data.partSize : this.partSize;
    options.onCheckpoint?.({ format: 'webdav-parts', partSize });
    const parts = Math.ceil(size / partSize);
    const present = await this.siblings(key, signal);
    await this.ensureCollection(parentOf(key), signal);
    const missing: { index: number; start: number; length: number }[] = [];
    let done = 0;
    for (let index = 1; index <= parts; index++) {
      const start = (index - 1) * partSize;
      const length = Math.min(partSize, size - start);
      if (present.get(partKey(key, partSize, index)) === length) done += length;
      else missing.push({ index, start, length });
    }
    onProgress?.(done, size);
    for (const { index, start, length } of missing) {
      signal?.throwIfAborted();
      try {
        const path = pathOf(partKey(key, partSize, index));
        await this.putRange(path, filePath, start, length, signal, (sent) => onProgress?.(done + sent, size));
      } catch (error) {
        throw remoteError(error, this.describe, `uploading part ${index} of ${parts} of ${key}`);
      }
      done += length;
      onProgress?.(done, size);
    }
    const manifest: Manifest = { format: 1, size, partSize, parts };
    await this.put(manifestKey(key, partSize), new TextEncoder().encode(JSON.stringify(manifest)), signal);
    // Parts of an earlier attempt with another part size, or beyond the end, are no longer anyone's.
    for (const name of present.keys()) {
      const match = partPattern.exec(name);
      if (!match || match[1] !== key) continue;
      const stale = Number(match[2]) !== partSize || (match[3] !== 'manifest' && Number(match[3]) > parts);
      if (stale) await this.deleteIfThere(name, signal);
    }
  }

  /** PUTs `length` bytes of the file from `start`, streamed with its Content-Length (no chunked encoding). */
  private async putRange(
    path: string,
    filePath: string,
    start: number,
    length: number,
    signal: AbortSignal | undefined,
    onSent: (sent: number) => void,
  ): Promise<void> {
    const body: Buffer | Readable =
      length === 0
        ? Buffer.alloc(0)
        : createReadStream(filePath, { start, end: start + length - 1 }).pipe(countingStream(onSent));
    await this.client.putFileContents(path, body, { signal, headers: { 'Content-Length': String(length) } });
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
    let whole: Response | null = null;
    try {
      whole = (await this.client.customRequest(pathOf(key), {
        method: 'GET',
        headers: { ...plainBody, ...(have > 0 ? { Range: `bytes=${have}-` } : {}) },
        signal,
      })) as unknown as Response;
    } catch (error) {
      if (have > 0 && statusOf(error) === 416) {
        // The partial file is no beginning of this object: start again.
        await rm(partial, { force: true });
        return this.download(key, filePath, options);
      }
      if (statusOf(error) !== 404) throw remoteError(error, this.describe, `downloading ${key}`);
    }
    let start: number;
    let total: number;
    let source: AsyncIterable<Buffer>;
    if (whole) {
      start = whole.status === 206 ? have : 0;
      total = start + Number(whole.headers.get('content-length') ?? Number.NaN);
      source = whole.body as unknown as AsyncIterable<Buffer>;
    } else {
      const manifest = await this.manifestOf(key, signal);
      if (!manifest) {
        throw new HubError({
          kind: 'not_found',
          message: `${this.describe}: ${key} does not exist.`,
          status: 404,
          reason: { code: 'syncMissing', values: { status: 404 } },
        });
      }
      const partsHeld = Math.min(Math.floor(have / manifest.partSize), manifest.parts);
      start = partsHeld * manifest.partSize;
      total = manifest.size;
      source = this.partBytes(key, manifest, partsHeld + 1, signal);
    }
    if (start > 0) await truncate(partial, start);
    let got = start;
    try {
      await pipeline(
        source,
        countingStream((sent) => {
          got = start + sent;
          onProgress?.(got, total);
        }),
        createWriteStream(partial, { flags: start > 0 ? 'a' : 'w' }),
        { signal },
      );
    } catch (error) {
      throw remoteError(error, this.describe, `downloading ${key}`);
    }
    if (Number.isFinite(total) && got !== total) {
      throw new HubError({
        kind: 'network',
        message: `${this.describe}: ${key} arrived incomplete (${got} of ${total} bytes).`,
        reason: { code: 'syncIncomplete', values: {} },
      });
    }
    await rename(partial, filePath);
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    const present = await this.siblings(key, signal);
    const names = [...present.keys()].filter((name) => partPattern.exec(name)?.[1] === key);
    // The manifest first: from then on the object is gone for readers, whatever happens to the parts.
    names.sort((a, b) => Number(b.endsWith('.manifest')) - Number(a.endsWith('.manifest')));
    for (const name of [...names, key]) await this.deleteIfThere(name, signal);
  }

  private async deleteIfThere(key: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.client.deleteFile(pathOf(key), { signal });
    } catch (error) {
      if (statusOf(error) !== 404) throw remoteError(error, this.describe, `deleting ${key}`);
    }
  }

  /** The files in the key's folder whose names start with the key (its parts and manifests), with their sizes. */
  private async siblings(key: string, signal?: AbortSignal): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    let entries: FileStat[];
    try {
      entries = (await this.client.getDirectoryContents(pathOf(parentOf(key)), { signal })) as FileStat[];
    } catch (error) {
      if (statusOf(error) === 404) return found;
      throw remoteError(error, this.describe, `listing the folder of ${key}`);
    }
    for (const entry of entries) {
      const name = keyOf(entry);
      if (entry.type === 'file' && name.startsWith(`${key}~`)) found.set(name, entry.size);
    }
    return found;
  }

  private async manifestOf(key: string, signal?: AbortSignal): Promise<Manifest | null> {
    const names = [...(await this.siblings(key, signal)).keys()].filter(
      (name) => partPattern.exec(name)?.[1] === key && name.endsWith('.manifest'),
    );
    const name = names[0];
    if (name === undefined) return null;
    let text: string;
    try {
      text = (await this.client.getFileContents(pathOf(name), { format: 'text', signal })) as string;
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw remoteError(error, this.describe, `reading the manifest of ${key}`);
    }
    const manifest = manifestSchema.safeParse(jsonOrNull(text));
    if (!manifest.success) {
      throw new HubError({
        kind: 'server',
        message: `${this.describe}: the manifest of ${key} is not readable.`,
        reason: { code: 'syncManifestUnreadable', values: {} },
      });
    }
    return manifest.data;
  }

  private async *partBytes(
    key: string,
    manifest: Manifest,
    first: number,
    signal?: AbortSignal,
  ): AsyncGenerator<Buffer> {
    for (let index = first; index <= manifest.parts; index++) {
      try {
        const answer = (await this.client.customRequest(pathOf(partKey(key, manifest.partSize, index)), {
          method: 'GET',
          headers: plainBody,
          signal,
        })) as unknown as Response;
        for await (const chunk of answer.body as unknown as AsyncIterable<Buffer>) yield chunk;
      } catch (error) {
        throw remoteError(error, this.describe, `reading part ${index} of ${manifest.parts} of ${key}`);
      }
    }
  }

  /** Runs a write into the key's folder, creating the folder first when the server says it is missing (409). */
  private async withCollection<T>(
    key: string,
    signal: AbortSignal | undefined,
    write: () => Promise<T>,
  ): Promise<T> {
    const folder = parentOf(key);
    try {
      await this.ensureCollection(folder, signal);
      try {
        return await write();
      } catch (error) {
        if (statusOf(error) !== 409) throw error;
        this.collections.clear();
        this.collections.add('');
        await this.ensureCollection(folder, signal);
        return await write();
      }
    } catch (error) {
      throw remoteError(error, this.describe, `writing ${key}`);
    }
  }

  private async ensureCollection(folder: string, signal?: AbortSignal): Promise<void> {
    if (this.collections.has(folder)) return;
    try {
      await this.client.createDirectory(pathOf(folder), { signal });
    } catch (error) {
      const status = statusOf(error);
      if (status === 409) {
        await this.ensureCollection(parentOf(folder), signal);
        await this.client.createDirectory(pathOf(folder), { signal });
      } else if (status !== 405) {
        // 405: MKCOL on something that already exists.
        throw error;
      }
    }
    this.collections.add(folder);
  }
}
