import { randomBytes } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ConnectionReport, RemoteObject, RemoteStore, UploadOptions } from './remote-store';

const KEY_PATTERN = /^[a-z0-9._-]+(\/[a-z0-9._-]+)*$/;
const TEMP_MARK = '.tmp-';
const PART_SUFFIX = '.part';
const CHUNK_BYTES = 1024 * 1024;

/**
 * A folder as sync storage: one the user keeps in sync by other means (a network share, a synced drive), and the
 * target the tests run sync over. Writes go to a temporary file that is flushed and renamed into place, so a reader
 * (or a crash) never sees half an object; an upload appends to `<key>.part` and continues from its size.
 */
export class FolderRemote implements RemoteStore {
  readonly describe: string;

  constructor(private readonly root: string) {
    this.describe = `folder ${root}`;
  }

  async test(signal?: AbortSignal): Promise<ConnectionReport> {
    const started = Date.now();
    try {
      const stat = await fs.stat(this.root);
      if (!stat.isDirectory())
        return { ok: false, problem: 'not_found', detail: `${this.root} is not a folder.` };
    } catch {
      return { ok: false, problem: 'not_found', detail: `The folder ${this.root} does not exist.` };
    }
    const probe = `.hubdesk-probe-${randomBytes(4).toString('hex')}`;
    try {
      await this.put(probe, Buffer.from('probe'), signal);
      const back = await this.get(probe, signal);
      await this.delete(probe, signal);
      if (back?.toString() !== 'probe')
        return { ok: false, problem: 'unknown', detail: 'What was written could not be read back.' };
      return { ok: true, latencyMs: Date.now() - started };
    } catch (error) {
      return {
        ok: false,
        problem: 'permission',
        detail: error instanceof Error ? error.message : String(error),
      };
    }
  }

  async list(prefix: string, signal?: AbortSignal): Promise<RemoteObject[]> {
    const found: RemoteObject[] = [];
    const walk = async (dir: string): Promise<void> => {
      signal?.throwIfAborted();
      let entries: import('node:fs').Dirent[];
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        const key = path.relative(this.root, full).split(path.sep).join('/');
        if (entry.isDirectory()) {
          if (prefix.startsWith(`${key}/`) || `${key}/`.startsWith(prefix) || prefix === '') await walk(full);
        } else if (
          entry.isFile() &&
          key.startsWith(prefix) &&
          !entry.name.includes(TEMP_MARK) &&
          !entry.name.endsWith(PART_SUFFIX) &&
          KEY_PATTERN.test(key)
        ) {
          found.push({ key, size: (await fs.stat(full)).size });
        }
      }
    };
    await walk(this.root);
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async get(key: string, signal?: AbortSignal): Promise<Uint8Array | null> {
    try {
      return await fs.readFile(this.pathOf(key), { ...(signal ? { signal } : {}) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async put(key: string, body: Uint8Array, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const target = this.pathOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}${TEMP_MARK}${randomBytes(4).toString('hex')}`;
    const handle = await fs.open(temp, 'w', 0o600);
    try {
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  }

  async upload(key: string, filePath: string, options: UploadOptions = {}): Promise<void> {
    const target = this.pathOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const part = `${target}${PART_SUFFIX}`;
    const total = (await fs.stat(filePath)).size;
    let sent = await fs.stat(part).then(
      (stat) => stat.size,
      () => 0,
    );
    if (sent > total) {
      await fs.truncate(part, 0);
      sent = 0;
    }
    const handle = await fs.open(part, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND, 0o600);
    try {
      const source = createReadStream(filePath, { start: sent, highWaterMark: CHUNK_BYTES });
      for await (const chunk of source as AsyncIterable<Buffer>) {
        options.signal?.throwIfAborted();
        await handle.write(chunk);
        sent += chunk.length;
        options.onProgress?.(sent, total);
        options.onCheckpoint?.({ sent });
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    if ((await fs.stat(part)).size !== total)
      throw new Error(`The upload of ${key} stopped at ${sent} of ${total} bytes.`);
    await fs.rename(part, target);
  }

  async download(
    key: string,
    filePath: string,
    options: { signal?: AbortSignal; onProgress?: (got: number, total: number) => void } = {},
  ): Promise<void> {
    const source = this.pathOf(key);
    const total = (await fs.stat(source)).size;
    const part = `${filePath}${PART_SUFFIX}`;
    await fs.mkdir(path.dirname(filePath), { recursive: true });
    options.signal?.throwIfAborted();
    await fs.copyFile(source, part);
    options.onProgress?.(total, total);
    await fs.rename(part, filePath);
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    await fs.rm(this.pathOf(key), { force: true });
  }

  /** The file of a key; a key that is not of the contract's form (and so could leave the folder) is refused. */
  private pathOf(key: string): string {
    if (!KEY_PATTERN.test(key) || key.split('/').some((part) => part === '.' || part === '..'))
      throw new Error(`"${key}" is not a valid sync object key.`);
    return path.join(this.root, ...key.split('/'));
  }
}
