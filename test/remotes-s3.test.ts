import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../src/main/base/clock';
import { systemClock } from '../src/main/base/clock';
import { HubError } from '../src/main/base/errors';
import { openRemote } from '../src/main/remotes/open-remote';
import type { UploadCheckpoint } from '../src/main/remotes/remote-store';
import { S3Remote, type S3RemoteOptions } from '../src/main/remotes/s3-remote';
import { type S3Server, startS3Server } from './support/s3-server';
import { freePort } from './support/webdav-server';

const partSize = 64 * 1024;
let server: S3Server;
let work: string;

beforeAll(async () => {
  server = await startS3Server();
  work = await mkdtemp(join(tmpdir(), 'hubdesk-s3-files-'));
});

afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

function store(options: Partial<S3RemoteOptions> = {}): S3Remote {
  return new S3Remote({
    endpoint: server.endpoint,
    bucket: server.bucket,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    forcePathStyle: true,
    prefix: 'library-1',
    partSize,
    ...options,
  });
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

describe('S3 store on s3rver', () => {
  it('puts, lists, reads and deletes objects under its prefix', async () => {
    const remote = store();
    await remote.put('changes/dev-a/000001.bin', new TextEncoder().encode('first change set'));
    await remote.put('changes/dev-a/000002.bin', new Uint8Array(3));
    await remote.put('head', new Uint8Array(1));
    await store({ prefix: 'someone-else' }).put('changes/dev-z/000001.bin', new Uint8Array(7));

    expect(await remote.list('changes/')).toEqual([
      { key: 'changes/dev-a/000001.bin', size: 16 },
      { key: 'changes/dev-a/000002.bin', size: 3 },
    ]);
    expect((await remote.list('')).map((object) => object.key)).toEqual([
      'changes/dev-a/000001.bin',
      'changes/dev-a/000002.bin',
      'head',
    ]);
    expect(server.requests.some((request) => request.path === `/${server.bucket}/library-1/head`)).toBe(true);

    expect(new TextDecoder().decode((await remote.get('changes/dev-a/000001.bin')) ?? undefined)).toBe(
      'first change set',
    );
    expect(await remote.get('changes/dev-a/000009.bin')).toBeNull();

    await remote.delete('changes/dev-a/000001.bin');
    await remote.delete('changes/dev-a/never-written.bin');
    expect(await remote.get('changes/dev-a/000001.bin')).toBeNull();
    expect((await remote.list('changes/')).map((object) => object.key)).toEqual(['changes/dev-a/000002.bin']);
  });

  it('sends a big file as a multipart upload and brings it back whole', async () => {
    const remote = store();
    const { path, bytes } = await fileOf('big.bin', partSize * 3 + 777);
    const before = server.requests.length;
    const progress: number[] = [];
    await remote.upload('media/ab/big', path, { onProgress: (sent, total) => progress.push(sent / total) });

    const uploadParts = server.requests
      .slice(before)
      .filter((request) => request.query.includes('partNumber='));
    expect(uploadParts).toHaveLength(4);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(await remote.list('media/')).toEqual([{ key: 'media/ab/big', size: bytes.length }]);

    const target = join(work, 'restored/big.bin');
    const got: number[] = [];
    await remote.download('media/ab/big', target, { onProgress: (count) => got.push(count) });
    expect(sha256(await readFile(target))).toBe(sha256(bytes));
    expect(got.at(-1)).toBe(bytes.length);
    expect(existsSync(`${target}.part`)).toBe(false);
  });

  it('resumes a multipart upload after a restart, sending only the missing parts', async () => {
    const { path, bytes } = await fileOf('resume.bin', partSize * 5 + 99);
    const stop = new AbortController();
    let checkpoint: UploadCheckpoint | undefined;
    const stopped = store().upload('media/cd/resume', path, {
      signal: stop.signal,
      onCheckpoint: (saved) => {
        checkpoint = saved;
      },
      onProgress: (sent) => {
        if (sent > partSize * 2 + partSize / 2) stop.abort();
      },
    });
    await expect(stopped).rejects.toThrow();
    expect(checkpoint).toMatchObject({ parts: [{ number: 1 }, { number: 2 }] });
    expect(await store().list('media/cd/')).toEqual([]);

    // A new store, as after a restart, with the checkpoint as it was saved to disk.
    const before = server.requests.length;
    const progress: number[] = [];
    await store().upload('media/cd/resume', path, {
      checkpoint: JSON.parse(JSON.stringify(checkpoint)),
      onProgress: (sent) => progress.push(sent),
    });
    const sent = server.requests.slice(before);
    expect(sent.filter((request) => request.query === 'uploads')).toEqual([]);
    expect(
      sent
        .filter((request) => request.method === 'PUT')
        .map((request) => /partNumber=(\d+)/.exec(request.query)?.[1]),
    ).toEqual(['3', '4', '5', '6']);
    expect(progress[0]).toBe(partSize * 2);

    const target = join(work, 'resumed.bin');
    await store().download('media/cd/resume', target);
    expect(sha256(await readFile(target))).toBe(sha256(bytes));
  });

  it('continues a stopped download from the bytes it already has, and starts over when they cannot be a beginning', async () => {
    const remote = store();
    const { path, bytes } = await fileOf('fetch.bin', partSize * 4 + 10);
    await remote.upload('media/ij/fetch', path);
    const target = join(work, 'fetched/fetch.bin');
    // What a download stopped in the middle left behind.
    const kept = partSize + 100;
    await mkdir(join(work, 'fetched'), { recursive: true });
    await writeFile(`${target}.part`, bytes.subarray(0, kept));

    const before = server.requests.length;
    await remote.download('media/ij/fetch', target);
    expect(sha256(await readFile(target))).toBe(sha256(bytes));
    expect(server.requests.slice(before).map((request) => request.range)).toEqual([`bytes=${kept}-`]);

    // A partial file longer than the object: the range is refused, and the whole object comes again.
    const again = join(work, 'fetched/again.bin');
    await writeFile(`${again}.part`, randomBytes(bytes.length + 10));
    await remote.download('media/ij/fetch', again);
    expect(sha256(await readFile(again))).toBe(sha256(bytes));
  });

  it('starts over when the service no longer knows the saved upload', async () => {
    const { path, bytes } = await fileOf('forgotten.bin', partSize * 2 + 5);
    const forgotten: UploadCheckpoint = {
      format: 's3-multipart',
      key: 'media/ef/forgotten',
      uploadId: 'an-upload-the-service-never-had',
      size: bytes.length,
      partSize,
      parts: [{ number: 1, etag: '"0123"', size: partSize }],
    };
    await store().upload('media/ef/forgotten', path, { checkpoint: forgotten });
    expect(sha256((await store().get('media/ef/forgotten')) ?? new Uint8Array())).toBe(sha256(bytes));
  });

  it('says what is wrong with a connection', async () => {
    const healthy = await store().test();
    expect(healthy, JSON.stringify(healthy)).toMatchObject({ ok: true });
    expect((await store().list('')).filter((object) => object.key.includes('probe'))).toEqual([]);

    // s3rver checks the access key id, not the V4 signature: an unknown key is what it can refuse.
    expect(await store({ accessKeyId: 'NOT-A-KEY' }).test()).toMatchObject({
      ok: false,
      problem: 'auth',
      status: 403,
    });
    expect(await store({ endpoint: `http://127.0.0.1:${await freePort()}` }).test()).toMatchObject({
      ok: false,
      problem: 'address',
    });
    expect(await store({ bucket: 'no-such-bucket' }).test()).toMatchObject({
      ok: false,
      problem: 'not_found',
      status: 404,
    });
    expect(await store({ endpoint: `https://127.0.0.1:${server.port}` }).test()).toMatchObject({
      ok: false,
      problem: 'tls',
    });

    // A web server that is not S3: its page is no bucket listing.
    const page = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html><body>Welcome</body></html>');
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    const { port } = page.address() as AddressInfo;
    expect(await store({ endpoint: `http://127.0.0.1:${port}` }).test()).toMatchObject({
      ok: false,
      problem: 'address',
    });
    await new Promise((resolve) => page.close(resolve));

    const twentyMinutes = 20 * 60 * 1000;
    const fastClock: Clock = { ...systemClock, now: () => Date.now() + twentyMinutes };
    const skewed = await store({ clock: fastClock }).test();
    expect(skewed).toMatchObject({ ok: false, problem: 'clock_skew' });
    // The server's clock is twenty minutes behind this computer's, give or take the time the answer took.
    expect(skewed.ok ? 0 : Math.abs((skewed.skewMs ?? 0) + twentyMinutes)).toBeLessThan(60_000);
  });

  it('opens a saved S3 target with the secret key from the keychain', async () => {
    const remote = openRemote(
      {
        kind: 's3',
        endpoint: server.endpoint,
        bucket: server.bucket,
        accessKeyId: server.accessKeyId,
        prefix: 'library-2/',
        forcePathStyle: true,
      },
      server.secretAccessKey,
    );
    expect(remote.describe).toBe(`s3 ${server.endpoint}/${server.bucket}/library-2/`);
    expect(await remote.test()).toMatchObject({ ok: true });
  });

  it('stops when asked, and a failed download leaves no file behind', async () => {
    const remote = store();
    const stopped = new AbortController();
    stopped.abort();
    await expect(remote.put('aborted/one', new Uint8Array(4), stopped.signal)).rejects.toThrow();
    await expect(remote.list('', stopped.signal)).rejects.toThrow();
    expect(await remote.get('aborted/one')).toBeNull();

    const { path } = await fileOf('abort-download.bin', 1000);
    await remote.upload('media/gh/abort', path);
    const target = join(work, 'abort-download-copy.bin');
    await expect(remote.download('media/gh/abort', target, { signal: stopped.signal })).rejects.toThrow();
    expect(existsSync(target)).toBe(false);

    const missing = remote.download('media/gh/never', join(work, 'never.bin'));
    await expect(missing).rejects.toBeInstanceOf(HubError);
    await expect(missing).rejects.toMatchObject({ info: { kind: 'not_found' } });
  });
});
