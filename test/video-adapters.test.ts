import { describe, expect, it } from 'vitest';
import { klingCreateCall, parseKlingTask } from '../src/main/api/video/kling';
import { parseSeedanceTask } from '../src/main/api/video/seedance';
import { parseSoraList, parseSoraVideo, soraContentLink } from '../src/main/api/video/sora';
import { toMs } from '../src/main/api/video/types';
import { parseVeoOperation } from '../src/main/api/video/veo';
import { videoCreateRequestSchema } from '../src/shared/videos/create-request';

describe('vendor answers to the one job (recorded JSON)', () => {
  it('Kling official envelope: succeed, ms timestamps, the first video url', () => {
    const state = parseKlingTask({
      code: 0,
      message: 'SUCCEED',
      request_id: 'r1',
      data: {
        task_id: '866889456698785798',
        task_status: 'succeed',
        task_status_msg: '',
        task_result: { videos: [{ id: 'v', url: 'https://cdn.example/v.mp4', duration: '5.042' }] },
        created_at: 1774711071284,
        updated_at: 1774711159000,
      },
    });
    expect(state).toMatchObject({
      remoteId: '866889456698785798',
      status: 'succeeded',
      result: { type: 'url', url: 'https://cdn.example/v.mp4' },
      createdAt: 1774711071284,
      completedAt: 1774711159000,
    });
  });

  it('Kling reseller shape {task_id, status, url} in every state', () => {
    expect(parseKlingTask({ task_id: 't1', status: 'queued' }).status).toBe('queued');
    expect(parseKlingTask({ task_id: 't1', status: 'in_progress' }).status).toBe('running');
    expect(parseKlingTask({ task_id: 't1', status: 'completed', url: 'https://x/y.mp4' })).toMatchObject({
      status: 'succeeded',
      result: { type: 'url', url: 'https://x/y.mp4' },
    });
    expect(parseKlingTask({ task_id: 't1', status: 'failed', error: 'nsfw' })).toMatchObject({
      status: 'failed',
      error: { message: 'nsfw' },
    });
    expect(
      parseKlingTask({ code: 0, data: { task_id: 't2', status: 'completed', url: 'https://x/z.mp4' } })
        .remoteId,
    ).toBe('t2');
  });

  it('Kling create: raw base64 image goes to image2video; the create is never retried', () => {
    const call = klingCreateCall({
      model: 'kling-v1-6',
      prompt: 'p',
      options: { aspectRatio: '16:9' },
      image: { bytes: Buffer.from('img'), mimeType: 'image/png', name: 'a.png', width: 1, height: 1 },
    });
    expect(call.endpoint).toBe('kling.image2video');
    expect(call.retry).toBe(false);
    expect(call.json).toEqual({
      model_name: 'kling-v1-6',
      prompt: 'p',
      image: Buffer.from('img').toString('base64'),
    });
  });

  it('Veo: base64, https URL, gs:// (not downloadable), the Gemini-API variant, and a safety block', () => {
    const name = 'projects/p/locations/l/publishers/google/models/veo-3.0-generate-001/operations/abc';
    expect(parseVeoOperation({ name })).toMatchObject({ remoteId: name, status: 'queued' });
    expect(
      parseVeoOperation({
        name,
        done: true,
        response: { videos: [{ bytesBase64Encoded: 'AAAA', mimeType: 'video/mp4' }] },
      }).result,
    ).toEqual({ type: 'bytes', base64: 'AAAA', mimeType: 'video/mp4' });
    expect(
      parseVeoOperation({ name, done: true, response: { videos: [{ gcsUri: 'gs://b/s.mp4' }] } }).result,
    ).toEqual({
      type: 'gcs',
      uri: 'gs://b/s.mp4',
    });
    expect(
      parseVeoOperation({
        name,
        done: true,
        response: {
          generateVideoResponse: { generatedSamples: [{ video: { uri: 'https://g/files/x:download' } }] },
        },
      }).result,
    ).toEqual({ type: 'url', url: 'https://g/files/x:download' });
    const blocked = parseVeoOperation({
      name,
      done: true,
      response: {
        raiMediaFilteredCount: 1,
        raiMediaFilteredReasons: ['Children are not allowed.'],
        videos: [],
      },
    });
    expect(blocked).toMatchObject({ status: 'failed', error: { safety: true } });
    expect(blocked.error?.message).toContain('Children are not allowed.');
    expect(parseVeoOperation({ name, done: true, error: { code: 3, message: 'bad' } }).error).toEqual({
      message: 'bad',
      code: '3',
    });
  });

  it('Seedance: cancelled and expired are their own states; the link expires after 24 h', () => {
    expect(parseSeedanceTask({ id: 'cgt-1', status: 'cancelled' }).status).toBe('cancelled');
    expect(parseSeedanceTask({ id: 'cgt-1', status: 'expired' }).status).toBe('expired');
    const ok = parseSeedanceTask({
      id: 'cgt-1',
      status: 'succeeded',
      content: { video_url: 'https://cdn/x.mp4' },
      updated_at: 1773297260,
    });
    expect(ok.completedAt).toBe(1773297260000);
    expect(ok.expiresAt).toBe(1773297260000 + 24 * 3600 * 1000);
    expect(parseSeedanceTask({ id: 'cgt-2' }).status).toBe('queued');
  });

  it('Sora: status mapping, list paging fields, and the JSON-with-a-link content answer', () => {
    expect(parseSoraVideo({ id: 'video_1', status: 'in_progress', progress: 42 })).toMatchObject({
      status: 'running',
      progress: 42,
    });
    expect(
      parseSoraVideo({ id: 'video_1', status: 'failed', error: { code: 'x', message: 'm' } }).error,
    ).toEqual({
      code: 'x',
      message: 'm',
    });
    const page = parseSoraList({
      object: 'list',
      data: [{ id: 'video_a' }, { id: 'video_b' }],
      last_id: 'video_b',
      has_more: true,
    });
    expect(page).toMatchObject({ lastId: 'video_b', hasMore: true });
    expect(soraContentLink({ url: 'https://cdn/v.mp4' })).toBe('https://cdn/v.mp4');
    expect(soraContentLink({ data: [{ url: 'https://cdn/w.mp4' }] })).toBe('https://cdn/w.mp4');
    expect(soraContentLink({ nothing: true })).toBeNull();
  });

  it('timestamps: seconds and milliseconds both become milliseconds', () => {
    expect(toMs(1712697600)).toBe(1712697600000);
    expect(toMs(1774711071284)).toBe(1774711071284);
    expect(toMs(null)).toBeNull();
  });
});

describe('create requests are validated before they are sent', () => {
  const parse = (request: unknown) => videoCreateRequestSchema.safeParse(request);
  it('documented ranges and per-model rules', () => {
    expect(parse({ vendor: 'sora', model: 'sora-2', prompt: 'p', options: { seconds: '5' } }).success).toBe(
      false,
    );
    expect(parse({ vendor: 'sora', model: 'sora-2', prompt: 'p', options: { seconds: '8' } }).success).toBe(
      true,
    );
    expect(
      parse({
        vendor: 'seedance',
        model: 'doubao-seedance-1-5-pro-251215',
        prompt: 'p',
        options: { duration: 3 },
      }).success,
    ).toBe(false);
    expect(
      parse({
        vendor: 'seedance',
        model: 'doubao-seedance-1-0-pro-250528',
        prompt: 'p',
        options: { duration: 3 },
      }).success,
    ).toBe(true);
    expect(parse({ vendor: 'kling', model: 'kling-v1', prompt: 'p', options: { sound: 'on' } }).success).toBe(
      false,
    );
    expect(
      parse({ vendor: 'veo', model: 'veo-3.0-generate-001', prompt: 'p', options: { durationSeconds: 5 } })
        .success,
    ).toBe(false);
    expect(
      parse({ vendor: 'veo', model: 'veo-2.0-generate-001', prompt: 'p', options: { resolution: '1080p' } })
        .success,
    ).toBe(false);
    expect(parse({ vendor: 'sora', model: 'sora-2', prompt: 'p', options: {}, extra: 1 }).success).toBe(
      false,
    );
    expect(parse({ vendor: 'sora', model: 'sora-2', prompt: 'p', imageTailPath: '/x.png' }).success).toBe(
      false,
    );
  });
});
