import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubError } from '../src/main/base/errors';
import { openRemote } from '../src/main/remotes/open-remote';
import type { UploadCheckpoint } from '../src/main/remotes/remote-store';
import { WebDavRemote } from '../src/main/remotes/webdav-remote';
import { freePort, startWebDavServer, type WebDavServer } from './support/webdav-server';

const partSize = 64 * 1024;
let server: WebDavServer;
let work: string;

beforeAll(async () => {
  server = await startWebDavServer();
  work = await mkdtemp(join(tmpdir(), 'hubdesk-dav-files-'));
});

afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

function store(url = server.url, password = server.password): WebDavRemote {
  return new WebDavRemote({ url, user: server.user, password, partSize });
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function fileOf(name: string, size: number): Promise<{ path: string; bytes: Buffer }> {
  const bytes = randomBytes(size);
  const path = join(work, name);
  await writeFile(path, bytes);
  return { path, bytes };
}

describe('WebDAV store on Apache mod_dav', () => {
  it('puts, lists, reads and deletes objects, creating the folders they need', async () => {
    const remote = store();
    const first = new TextEncoder().encode('first change set');
    await remote.put('changes/dev-a/000001.bin', first);
    await remote.put('changes/dev-a/000002.bin', new Uint8Array(3));
    await remote.put('changes/dev-b/000001.bin', new Uint8Array(5));
    await remote.put('head', new Uint8Array(1));

    expect(await readFile(join(server.root, 'changes/dev-a/000001.bin'), 'utf8')).toBe('first change set');
    expect(await remote.list('changes/')).toEqual([
      { key: 'changes/dev-a/000001.bin', size: first.length },
      { key: 'changes/dev-a/000002.bin', size: 3 },
      { key: 'changes/dev-b/000001.bin', size: 5 },
    ]);
    expect((await remote.list('changes/dev-b')).map((object) => object.key)).toEqual([
      'changes/dev-b/000001.bin',
    ]);
    expect((await remote.list('')).map((object) => object.key)).toContain('head');
    expect(await remote.list('nothing-here/')).toEqual([]);

    expect(new TextDecoder().decode((await remote.get('changes/dev-a/000001.bin')) ?? undefined)).toBe(
      'first change set',
    );
    expect(await remote.get('changes/dev-a/000009.bin')).toBeNull();

    await remote.delete('changes/dev-a/000001.bin');
    await remote.delete('changes/dev-a/never-written.bin');
    expect(await remote.get('changes/dev-a/000001.bin')).toBeNull();
    expect((await remote.list('changes/dev-a/')).map((object) => object.key)).toEqual([
      'changes/dev-a/000002.bin',
    ]);
  });

  it('sends a big file as parts, lists it as one object, and brings it back whole', async () => {
    const remote = store();
    const { path, bytes } = await fileOf('big.bin', partSize * 4 + 1234);
    const progress: number[] = [];
    await remote.upload('media/ab/big', path, { onProgress: (sent, total) => progress.push(sent / total) });

    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(await remote.list('media/')).toEqual([{ key: 'media/ab/big', size: bytes.length }]);
    expect((await readdir(join(server.root, 'media/ab'))).length).toBe(6);

    const target = join(work, 'restored/big.bin');
    const got: number[] = [];
    await remote.download('media/ab/big', target, { onProgress: (count) => got.push(count) });
    expect(sha256(await readFile(target))).toBe(sha256(bytes));
    expect(got.at(-1)).toBe(bytes.length);
    expect(existsSync(`${target}.part`)).toBe(false);
    expect(sha256((await remote.get('media/ab/big')) ?? new Uint8Array())).toBe(sha256(bytes));

    await remote.delete('media/ab/big');
    expect(await remote.list('media/')).toEqual([]);
    expect(await readdir(join(server.root, 'media/ab'))).toEqual([]);
  });

  it('resumes a stopped upload by sending only the parts the server does not have', async () => {
    const { path, bytes } = await fileOf('resume.bin', partSize * 5 + 99);
    const stop = new AbortController();
    let checkpoint: UploadCheckpoint | undefined;
    const stopped = store().upload('media/cd/resume', path, {
      signal: stop.signal,
      onCheckpoint: (saved) => {
        checkpoint = saved;
      },
      // Stop in the middle of the third part.
      onProgress: (sent) => {
        if (sent > partSize * 2 + partSize / 2) stop.abort();
      },
    });
    await expect(stopped).rejects.toThrow();
    expect(await store().list('media/cd/')).toEqual([]);

    const before = (await server.requests()).length;
    const progress: number[] = [];
    await store().upload('media/cd/resume', path, {
      checkpoint: JSON.parse(JSON.stringify(checkpoint)),
      onProgress: (sent) => progress.push(sent),
    });
    const puts = (await server.requests())
      .slice(before)
      .filter((request) => request.method === 'PUT')
      .map((request) => request.path.slice(request.path.lastIndexOf('~')));
    expect(puts).toEqual([
      `~${partSize}.000003`,
      `~${partSize}.000004`,
      `~${partSize}.000005`,
      `~${partSize}.000006`,
      `~${partSize}.manifest`,
    ]);
    expect(progress[0]).toBe(partSize * 2);

    const target = join(work, 'resumed.bin');
    await store().download('media/cd/resume', target);
    expect(sha256(await readFile(target))).toBe(sha256(bytes));
  });

  it('continues a stopped download from the parts it already has', async () => {
    const remote = store();
    const { path, bytes } = await fileOf('fetch.bin', partSize * 4 + 10);
    await remote.upload('media/gh/fetch', path);
    const target = join(work, 'fetched/fetch.bin');
    // What a download stopped in the middle of the third part left behind.
    await mkdir(join(work, 'fetched'), { recursive: true });
    await writeFile(`${target}.part`, bytes.subarray(0, partSize * 2 + partSize / 2));

    const before = (await server.requests()).length;
    const progress: number[] = [];
    await remote.download('media/gh/fetch', target, { onProgress: (got) => progress.push(got) });
    expect(sha256(await readFile(target))).toBe(sha256(bytes));
    const fetched = (await server.requests())
      .slice(before)
      .filter((request) => request.method === 'GET')
      .map((request) => request.path.slice(Math.max(0, request.path.lastIndexOf('~'))));
    expect(fetched).toEqual([
      '/dav/media/gh/fetch',
      `~${partSize}.manifest`,
      `~${partSize}.000003`,
      `~${partSize}.000004`,
      `~${partSize}.000005`,
    ]);
    expect(progress[0]).toBeGreaterThan(partSize * 2);
    expect(existsSync(`${target}.part`)).toBe(false);
  });

  it('says what is wrong with a connection', async () => {
    expect(await store().test()).toMatchObject({ ok: true });
    expect((await store().list('')).filter((object) => object.key.includes('probe'))).toEqual([]);

    expect(await store(server.url, 'wrong password').test()).toMatchObject({
      ok: false,
      problem: 'auth',
      status: 401,
    });
    expect(await store(`http://127.0.0.1:${await freePort()}/dav/`).test()).toMatchObject({
      ok: false,
      problem: 'address',
    });
    expect(await store(`${server.origin}/plain/`).test()).toMatchObject({ ok: false, problem: 'address' });
    expect(await store(`${server.url}readonly/`).test()).toMatchObject({
      ok: false,
      problem: 'permission',
      status: 403,
    });
    expect(await store(`${server.url}no-such-folder/`).test()).toMatchObject({
      ok: false,
      problem: 'not_found',
      status: 404,
    });
    // TLS spoken to a server that only speaks plain HTTP: the handshake fails.
    expect(await store(`https://127.0.0.1:${server.port}/dav/`).test()).toMatchObject({
      ok: false,
      problem: 'tls',
    });
  });

  it('opens a saved WebDAV target with the password from the keychain', async () => {
    const remote = openRemote({ kind: 'webdav', url: server.url, user: server.user }, server.password);
    expect(remote.describe).toBe(`webdav ${server.url}`);
    expect(await remote.test()).toMatchObject({ ok: true });
  });

  it('stops when asked, and a failed download leaves no file behind', async () => {
    const remote = store();
    const stopped = new AbortController();
    stopped.abort();
    await expect(remote.put('aborted/one', new Uint8Array(4), stopped.signal)).rejects.toThrow();
    await expect(remote.list('', stopped.signal)).rejects.toThrow();
    expect(await remote.get('aborted/one')).toBeNull();

    const { path } = await fileOf('abort-download.bin', partSize * 2);
    await remote.upload('media/ef/abort', path);
    const target = join(work, 'abort-download-copy.bin');
    await expect(remote.download('media/ef/abort', target, { signal: stopped.signal })).rejects.toThrow();
    expect(existsSync(target)).toBe(false);

    const missing = remote.download('media/ef/never', join(work, 'never.bin'));
    await expect(missing).rejects.toBeInstanceOf(HubError);
    await expect(missing).rejects.toMatchObject({ info: { kind: 'not_found' } });
  });
});
