import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../src/main/api/http-client';
import { toAppError } from '../src/main/base/errors';
import { downloadToPart } from '../src/main/services/videos/download';

const video = randomBytes(6 * 1024 * 1024 + 123);
/** The first answer stops sending here and waits, so the download is stopped part-way. */
const stallAt = 2 * 1024 * 1024 + 77;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let server: Server;
let url: string;
let ranges: (string | undefined)[];
let folder: string;
let client: HttpClient;

beforeEach(async () => {
  ranges = [];
  server = createServer((req, res) => {
    ranges.push(req.headers.range);
    const from = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
    const headers = { 'content-type': 'video/mp4', 'content-length': String(video.length - from) };
    if (from > 0) {
      res.writeHead(206, {
        ...headers,
        'content-range': `bytes ${from}-${video.length - 1}/${video.length}`,
      });
      res.end(video.subarray(from));
      return;
    }
    res.writeHead(200, headers);
    res.write(video.subarray(0, stallAt));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/video.mp4`;
  folder = mkdtempSync(join(tmpdir(), 'hubdesk-download-'));
  client = new HttpClient({
    target: () => ({ baseUrl: url, proxyUrl: null, endpointOverrides: {} }),
    token: async () => 'unused',
    env: {},
  });
});

afterEach(async () => {
  await client.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(folder, { recursive: true, force: true });
});

const sizeOf = (path: string) => statSync(path, { throwIfNoEntry: false })?.size ?? 0;

describe('a download stopped part-way', () => {
  it('keeps what reached the part file and resumes from there with Range to a byte-identical file', async () => {
    const partPath = join(folder, 'video.mp4.part');
    const open = (rangeStart: number, signal: AbortSignal) =>
      client.download({ url }, { signal, rangeStart });

    const stop = new AbortController();
    const first = downloadToPart({ open, partPath, signal: stop.signal, onProgress: () => {} }).catch(
      (error: unknown) => toAppError(error),
    );
    while (sizeOf(partPath) < stallAt) await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort();
    expect(await first).toMatchObject({ kind: 'cancelled' });
    const kept = sizeOf(partPath);
    expect(kept).toBe(stallAt);

    const reported: number[] = [];
    const size = await downloadToPart({
      open,
      partPath,
      signal: new AbortController().signal,
      onProgress: (bytes) => reported.push(bytes),
    });
    expect(ranges).toEqual([undefined, `bytes=${kept}-`]);
    expect(size).toBe(video.length);
    expect(sha256(readFileSync(partPath))).toBe(sha256(video));
    expect(reported[0]).toBe(kept);
    expect(reported.at(-1)).toBe(video.length);
  });
});
