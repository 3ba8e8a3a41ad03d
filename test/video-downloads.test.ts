import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VideoJob } from '../src/shared/videos/job';
import { fixtureVideo, sha256, startVideoHarness, type VideoHarness } from './video-harness';

let h: VideoHarness;

beforeEach(async () => {
  h = await startVideoHarness();
});
afterEach(async () => {
  await h?.close();
});

const fixtureSize = statSync(fixtureVideo).size;
const libraryFile = (job: VideoJob) => join(h.core.paths.libraryDir, `videos/${job.id}.mp4`);

describe('downloads that survive cuts and restarts', () => {
  it('a connection cut mid-way is resumed with Range to a byte-identical file', async () => {
    h.proxy.addFault({ match: '/cdn/', fault: { type: 'cut-bytes', afterBytes: 3000 } });
    const created = await h.core.videos.create({
      vendor: 'seedance',
      model: 'doubao-seedance-1-0-pro-250528',
      prompt: 'cut me',
      options: {},
    });
    const done = await h.waitSettled(created.id);
    expect(done.download).toBe('done');
    expect(await sha256(libraryFile(done))).toBe(await sha256(fixtureVideo));
    const cdn = h.proxy.requests.filter((r) => r.path.startsWith('/cdn/') && r.method === 'GET');
    expect(cdn).toHaveLength(2);
    expect(cdn[0]?.headers.range).toBeUndefined();
    // How many of the 3000 bytes arrive before the socket dies varies; whatever arrived is kept and resumed.
    expect(cdn[1]?.headers.range ?? 'bytes=0-').toMatch(/^bytes=([0-9]|[1-9][0-9]{1,2}|[12][0-9]{3}|3000)-$/);
    expect(done.fileSize).toBe(fixtureSize);
  });

  it('Sora content cut twice is resumed from where each cut stopped', async () => {
    h.proxy.addFault({
      match: '/content?variant=video',
      fault: { type: 'cut-bytes', afterBytes: 2000 },
      times: 2,
    });
    const created = await h.core.videos.create({
      vendor: 'sora',
      model: 'sora-2',
      prompt: 'cut twice',
      options: {},
    });
    const done = await h.waitSettled(created.id);
    expect(done.download).toBe('done');
    expect(await sha256(libraryFile(done))).toBe(await sha256(fixtureVideo));
    const offsets = h
      .requestsTo('variant=video', 'GET')
      .map((r) => Number(/bytes=(\d+)-/.exec(r.headers.range ?? '')?.[1] ?? 0));
    expect(offsets).toHaveLength(3);
    expect(offsets[0]).toBe(0);
    expect(offsets[1]).toBeLessThanOrEqual(2000);
    expect(offsets[2]).toBeGreaterThanOrEqual(offsets[1] ?? 0);
    expect(offsets[2]).toBeLessThanOrEqual((offsets[1] ?? 0) + 2000);
    for (const request of h.requestsTo('/content', 'GET')) {
      expect(request.headers.authorization).toBe(`Bearer ${h.proxy.token}`);
    }
  });

  it('a restart mid-download resumes the part file with Range after the restart', async () => {
    h.proxy.addFault({ match: '/cdn/', fault: { type: 'hang' } });
    const created = await h.core.videos.create({
      vendor: 'kling',
      model: 'kling-v1',
      prompt: 'restart me',
      options: {},
    });
    const part = `${libraryFile(created)}.part`;
    await h.waitFor(
      created.id,
      (job) => job.download === 'downloading' && h.requestsTo('/cdn/', 'GET').length === 1,
    );
    await h.core.close();
    // As if the first 2500 bytes had arrived before the app stopped.
    writeFileSync(part, readFileSync(fixtureVideo).subarray(0, 2500));

    await h.reopen();
    const done = await h.waitSettled(created.id);
    expect(done.download).toBe('done');
    expect(await sha256(libraryFile(done))).toBe(await sha256(fixtureVideo));
    expect(h.requestsTo('/cdn/', 'GET').at(-1)?.headers.range).toBe('bytes=2500-');
    expect(existsSync(part)).toBe(false);
    expect(done.fileSize).toBe(fixtureSize);
  });

  it('a part file that is longer than the remote file is dropped and downloaded again', async () => {
    h.proxy.addFault({ match: '/cdn/', fault: { type: 'hang' } });
    const created = await h.core.videos.create({
      vendor: 'seedance',
      model: 'doubao-seedance-1-0-pro-250528',
      prompt: 'too long',
      options: {},
    });
    const part = `${libraryFile(created)}.part`;
    await h.waitFor(
      created.id,
      (job) => job.download === 'downloading' && h.requestsTo('/cdn/', 'GET').length === 1,
    );
    await h.core.close();
    writeFileSync(part, Buffer.alloc(fixtureSize + 10, 1));
    await h.reopen();
    const done = await h.waitSettled(created.id);
    expect(done.download).toBe('done');
    expect(await sha256(libraryFile(done))).toBe(await sha256(fixtureVideo));
  });

  it('a restart mid-poll picks the job up again and finishes it', async () => {
    h.proxy.setSpeed(5); // ~1.2 s per job
    const created = await h.core.videos.create({
      vendor: 'seedance',
      model: 'doubao-seedance-1-0-pro-250528',
      prompt: 'poll me',
      options: {},
    });
    await h.reopen();
    expect(h.core.videos.get(created.id).status).not.toBe('succeeded');
    const polls = h.requestsTo(`/tasks/${created.remoteId}`, 'GET').length;
    const done = await h.waitSettled(created.id);
    expect(done.status).toBe('succeeded');
    expect(done.download).toBe('done');
    expect(h.requestsTo(`/tasks/${created.remoteId}`, 'GET').length).toBeGreaterThan(polls);
    // Exactly one create: the restart never re-sent it.
    expect(h.requestsTo('/seedance/v3/contents/generations/tasks', 'POST')).toHaveLength(1);
  });

  it('polling backs off and gives up to "unknown" without losing the job; refresh asks again', async () => {
    h.proxy.setSpeed(0.5);
    h.core.videos.setTiming({ firstPollMs: 10, maxPollMs: 40, backoff: 2, giveUpMs: 300 });
    const created = await h.core.videos.create({
      vendor: 'sora',
      model: 'sora-2',
      prompt: 'slow one',
      options: {},
    });
    const gaveUp = await h.waitFor(created.id, (job) => job.status === 'unknown');
    expect(gaveUp.error).toMatchObject({
      code: 'gave_up',
      reason: { code: 'videoNoFinalAnswer', values: { minutes: 0 } },
    });
    const polls = h.requestsTo(`/v1/videos/${created.remoteId}`, 'GET').length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(h.requestsTo(`/v1/videos/${created.remoteId}`, 'GET').length).toBe(polls);
    expect(h.core.videos.list({ status: 'unknown' }).map((job) => job.id)).toContain(created.id);
    h.proxy.setSpeed(1000);
    h.core.videos.setTiming({ giveUpMs: 60_000 });
    const refreshed = await h.core.videos.refresh(created.id);
    expect(refreshed.status).not.toBe('unknown');
    const done = await h.waitSettled(created.id);
    expect(done.status).toBe('succeeded');
    expect(done.download).toBe('done');
  });
});
