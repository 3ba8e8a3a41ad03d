/** A media upload to S3 (s3rver on 127.0.0.1) cut off part-way resumes with the parts already sent. */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRemote } from '../src/main/remotes/open-remote';
import type { RemoteStore } from '../src/main/remotes/remote-store';
import type { OpenRemote } from '../src/main/services/sync/sync-service';
import type { SyncTarget } from '../src/shared/sync-target';
import { type S3Server, startS3Server } from './support/s3-server';
import { type Computer, computer, removeTempFolders } from './support/sync-computers';

const PASSPHRASE = 'correct horse battery staple';
const PART_BYTES = 1024 * 1024;
let server: S3Server;
const open: Computer[] = [];

beforeEach(async () => {
  server = await startS3Server();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((machine) => machine.close()));
  await server?.close();
  await removeTempFolders();
});

async function machine(name: string, openSyncRemote?: OpenRemote): Promise<Computer> {
  const made = await computer(name, openSyncRemote ? { openSyncRemote } : {});
  open.push(made);
  return made;
}

/** The real S3 store in small parts; `cut` aborts the sync once that many parts of an upload are on the storage. */
function storeCutAfter(cut: { parts: number; controller: AbortController }): OpenRemote {
  return (target, secret) => {
    const store = openRemote(target, secret, { partSize: PART_BYTES });
    const upload: RemoteStore['upload'] = (key, file, options = {}) =>
      store.upload(key, file, {
        ...options,
        onCheckpoint: (checkpoint) => {
          options.onCheckpoint?.(checkpoint);
          if ((checkpoint.parts as unknown[]).length >= cut.parts) cut.controller.abort();
        },
      });
    return Object.assign(Object.create(store) as RemoteStore, { upload });
  };
}

describe('media uploads to S3 resume', () => {
  it('a video upload stopped after two parts, and HubDesk restarted, sends only the remaining parts', async () => {
    const target: SyncTarget = {
      kind: 's3',
      endpoint: server.endpoint,
      bucket: server.bucket,
      accessKeyId: server.accessKeyId,
      forcePathStyle: true,
    };
    const cut = { parts: 2, controller: new AbortController() };
    const laptop = await machine('laptop', storeCutAfter(cut));
    const video = randomBytes(5 * 1024 * 1024 + 4321);
    await mkdir(join(laptop.core.paths.libraryDir, 'videos'), { recursive: true });
    await writeFile(join(laptop.core.paths.libraryDir, 'videos', 'v1.mp4'), video);
    laptop.core.db
      .prepare(
        `INSERT INTO video_jobs (id, vendor, remote_id, model, prompt, status, download, local_file, created_at, updated_at)
         VALUES ('v1', 'sora', 'r1', 'sora-2', 'a cat surfing', 'succeeded', 'done', 'videos/v1.mp4', 1, 1)`,
      )
      .run();
    await laptop.core.sync.setup(target, server.secretAccessKey, PASSPHRASE);
    const parts = () =>
      server.requests.filter((r) => r.method === 'PUT' && r.query.includes('partNumber=')).length;
    const starts = () =>
      server.requests.filter((r) => r.method === 'POST' && r.query.includes('uploads')).length;

    await expect(laptop.core.sync.now({ signal: cut.controller.signal })).rejects.toThrow();
    expect(parts()).toBe(2);
    expect(starts()).toBe(1);

    cut.parts = Number.POSITIVE_INFINITY;
    await laptop.reopen();
    const report = await laptop.core.sync.now();
    expect(report.problems).toEqual([]);
    // The sealed video is six parts of 1 MiB (a header, five full chunks and a padded last one): four were left.
    expect(parts()).toBe(6);
    expect(starts()).toBe(1);

    const desktop = await machine('desktop');
    await desktop.core.sync.setup(target, server.secretAccessKey, PASSPHRASE);
    expect((await desktop.core.sync.now()).problems).toEqual([]);
    expect(await readFile(join(desktop.core.paths.libraryDir, 'videos', 'v1.mp4'))).toEqual(video);
  });
});
