import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VideoJob } from '../src/shared/videos/job';
import { fixtureVideo, sha256, startVideoHarness, type VideoHarness } from './video-harness';

let h: VideoHarness;

beforeAll(async () => {
  h = await startVideoHarness();
});
afterAll(async () => {
  await h?.close();
});

const statusesSeen = (id: string) => [...new Set(h.changesOf(id).map((job) => job.status))];

async function expectDownloaded(job: VideoJob) {
  expect(job.download).toBe('done');
  expect(job.localFile).toBe(`videos/${job.id}.mp4`);
  const file = join(h.core.paths.libraryDir, job.localFile ?? '');
  expect(await sha256(file)).toBe(await sha256(fixtureVideo));
  expect(existsSync(`${file}.part`)).toBe(false);
  expect(job.fileSize).toBeGreaterThan(1000);
  expect(job.thumbnail).not.toBeNull();
  expect(existsSync(join(h.core.paths.libraryDir, job.thumbnail ?? ''))).toBe(true);
}

describe('each vendor through a whole lifecycle', () => {
  it('Sora: submitting → queued → running → succeeded, downloaded with the vendor thumbnail', async () => {
    const created = await h.invoke<VideoJob>('videos.create', {
      vendor: 'sora',
      model: 'sora-2',
      prompt: 'A calico cat playing a piano',
      options: { seconds: '4', size: '1280x720' },
    });
    expect(created.status).toBe('queued');
    expect(created.remoteId).toMatch(/^video_/);
    expect(h.changesOf(created.id)[0]?.status).toBe('submitting');
    const done = await h.waitSettled(created.id);
    expect(done.status).toBe('succeeded');
    expect(done.progress).toBe(100);
    expect(statusesSeen(created.id)).toEqual(
      expect.arrayContaining(['submitting', 'queued', 'running', 'succeeded']),
    );
    expect(done.expiresAt).toBeGreaterThan(Date.now());
    await expectDownloaded(done);
    expect(done.thumbnail).toBe(`videos/${done.id}.thumb.webp`);
    const sent = h.requestsTo('/v1/videos', 'POST')[0]?.json;
    expect(sent).toEqual({
      model: 'sora-2',
      prompt: 'A calico cat playing a piano',
      seconds: '4',
      size: '1280x720',
    });
    expect(h.notifications.some((n) => n.title === 'Sora video ready')).toBe(true);
  });

  it('Sora: a failed job ends failed with the vendor message, and nothing is downloaded', async () => {
    const created = await h.core.videos.create({
      vendor: 'sora',
      model: 'sora-2',
      prompt: 'doomed [fail]',
      options: {},
    });
    const done = await h.waitSettled(created.id);
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('video_generation_failed');
    expect(done.download).toBe('none');
    expect(h.notifications.some((n) => n.title === 'Sora video failed' && n.body.includes('doomed'))).toBe(
      true,
    );
  });

  it('Seedance: text + options to the wire, result fetched from the CDN without the token', async () => {
    const created = await h.invoke<VideoJob>('videos.create', {
      vendor: 'seedance',
      model: 'doubao-seedance-1-5-pro-251215',
      prompt: 'A girl in a meadow',
      options: { ratio: '16:9', duration: 5, watermark: false, generateAudio: true },
    });
    const done = await h.waitSettled(created.id);
    expect(done.status).toBe('succeeded');
    expect(done.remoteUrl).toContain(`${h.proxy.cdnUrl}/cdn/`);
    await expectDownloaded(done);
    expect(done.thumbnail).toBe(`videos/${done.id}.thumb.jpg`);
    const body = h.requestsTo('/seedance/v3/contents/generations/tasks', 'POST')[0]?.json;
    expect(body).toEqual({
      model: 'doubao-seedance-1-5-pro-251215',
      content: [{ type: 'text', text: 'A girl in a meadow' }],
      ratio: '16:9',
      duration: 5,
      watermark: false,
      generate_audio: true,
    });
    const cdn = h.proxy.requests.filter((r) => h.proxy.cdnUrl.includes(r.host));
    expect(cdn.length).toBeGreaterThan(0);
    for (const request of cdn) {
      expect(request.headers.authorization).toBeUndefined();
      expect(JSON.stringify(request.headers)).not.toContain(h.proxy.token);
    }
  });

  it('Seedance: [fail] ends failed with the task error', async () => {
    const created = await h.core.videos.create({
      vendor: 'seedance',
      model: 'doubao-seedance-1-0-pro-250528',
      prompt: 'bad [fail]',
      options: {},
    });
    const done = await h.waitSettled(created.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatchObject({ code: 'OutputVideoSensitiveContentDetected' });
  });

  it('Kling: text-to-video through the code/data envelope, succeed → downloaded', async () => {
    const created = await h.invoke<VideoJob>('videos.create', {
      vendor: 'kling',
      model: 'kling-v2-6',
      prompt: 'A cute rabbit',
      options: { mode: 'pro', duration: '5', sound: 'on', aspectRatio: '16:9' },
    });
    expect(created.status).toBe('queued');
    expect(created.remoteId).toMatch(/^8\d{17}$/);
    const done = await h.waitSettled(created.id);
    expect(done.status).toBe('succeeded');
    await expectDownloaded(done);
    expect(h.requestsTo('/kling/v1/videos/text2video/', 'GET').length).toBeGreaterThan(0);
    expect(h.requestsTo('/kling/v1/videos/text2video', 'POST')[0]?.json).toEqual({
      model_name: 'kling-v2-6',
      prompt: 'A cute rabbit',
      mode: 'pro',
      duration: '5',
      sound: 'on',
      aspect_ratio: '16:9',
    });
  });

  it('Kling: image-to-video sends raw base64 and polls the i2v path; [fail] reads task_status_msg', async () => {
    const image = join(import.meta.dirname, 'fixtures/thumbnail.png');
    const created = await h.core.videos.create({
      vendor: 'kling',
      model: 'kling-v1-6',
      prompt: 'It moves [fail]',
      options: {},
      imagePath: image,
    });
    const sent = h.requestsTo('/kling/v1/videos/image2video', 'POST')[0]?.json as { image: string };
    expect(sent.image.startsWith('data:')).toBe(false);
    expect(Buffer.from(sent.image, 'base64').subarray(1, 4).toString()).toBe('PNG');
    const done = await h.waitSettled(created.id);
    expect(done.status).toBe('failed');
    expect(done.error?.message).toContain('risk control');
    expect(done.params).toMatchObject({ klingKind: 'image2video', image: 'thumbnail.png' });
    expect(h.requestsTo(`/kling/v1/videos/image2video/${done.remoteId}`, 'GET').length).toBeGreaterThan(0);
  });

  it('Kling: an end frame with camera control is refused before anything is sent', async () => {
    const before = h.proxy.requests.length;
    const image = join(import.meta.dirname, 'fixtures/thumbnail.png');
    await expect(
      h.invoke('videos.create', {
        vendor: 'kling',
        model: 'kling-v1-6',
        prompt: 'x',
        options: { cameraControl: { type: 'simple', config: { zoom: 5 } } },
        imagePath: image,
        imageTailPath: image,
      }),
    ).rejects.toMatchObject({ info: { kind: 'invalid_input', field: 'options.cameraControl' } });
    await expect(
      h.invoke('videos.create', {
        vendor: 'kling',
        model: 'kling-v2-1',
        prompt: 'x',
        options: { cfgScale: 0.4 },
      }),
    ).rejects.toMatchObject({ info: { field: 'options.cfgScale' } });
    expect(h.proxy.requests.length).toBe(before);
    expect(h.core.videos.list({ vendor: 'kling' }).every((job) => job.prompt !== 'x')).toBe(true);
  });

  it('Veo: the operation name is kept whole; base64 bytes become the library file', async () => {
    const created = await h.invoke<VideoJob>('videos.create', {
      vendor: 'veo',
      model: 'veo-3.0-generate-001',
      prompt: 'A drone shot over cliffs',
      options: { aspectRatio: '16:9', durationSeconds: 8 },
    });
    expect(created.remoteId).toMatch(/^projects\/.+\/operations\/.+/);
    const done = await h.waitSettled(created.id);
    expect(done.status).toBe('succeeded');
    await expectDownloaded(done);
    const fetches = h.requestsTo(':fetchPredictOperation', 'POST');
    expect(fetches.at(-1)?.json).toEqual({ operationName: created.remoteId });
  });

  it('Veo: a safety block and a failure are shown as such', async () => {
    const blocked = await h.core.videos.create({
      vendor: 'veo',
      model: 'veo-3.0-generate-001',
      prompt: 'x [blocked]',
      options: {},
    });
    const failed = await h.core.videos.create({
      vendor: 'veo',
      model: 'veo-3.0-generate-001',
      prompt: 'y [fail]',
      options: {},
    });
    const [b, f] = await Promise.all([h.waitSettled(blocked.id), h.waitSettled(failed.id)]);
    expect(b.status).toBe('failed');
    expect(b.error).toMatchObject({ safety: true });
    expect(b.error?.message).toContain('safety filter');
    expect(f.status).toBe('failed');
    expect(f.error).toMatchObject({ code: '3' });
    expect(f.error?.safety).toBeUndefined();
  });

  it('lists with filters and prompt search', () => {
    const all = h.core.videos.list();
    expect(all.length).toBeGreaterThanOrEqual(8);
    expect(h.core.videos.list({ vendor: 'veo' }).every((job) => job.vendor === 'veo')).toBe(true);
    expect(h.core.videos.list({ status: 'failed' }).every((job) => job.status === 'failed')).toBe(true);
    expect(h.core.videos.list({ query: 'piano' }).map((job) => job.prompt)).toEqual([
      'A calico cat playing a piano',
    ]);
    expect(h.core.videos.list({ query: 'calico pia' }).length).toBe(1);
    expect(h.core.videos.list({ query: 'x' }).some((job) => job.prompt === 'x [blocked]')).toBe(true);
  });
});
