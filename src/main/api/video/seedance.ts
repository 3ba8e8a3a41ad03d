import type { SeedanceOptions } from '../../../shared/videos/vendor-options';
import type { ApiCall } from '../api-call';
import type { HttpClient } from '../http-client';
import {
  asRecord,
  type RemoteVideoState,
  requireRemoteId,
  stringOf,
  toMs,
  type VideoCreateInput,
  type VideoImage,
  vendorError,
} from './types';

/** Seedance result links are valid for 24 h (docs/proxy-api.md §5.2). */
export const SEEDANCE_LINK_TTL_MS = 24 * 60 * 60 * 1000;

const STATUS: Record<string, RemoteVideoState['status']> = {
  queued: 'queued',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  expired: 'expired',
};

function dataUrl(image: VideoImage): string {
  return `data:${image.mimeType};base64,${image.bytes.toString('base64')}`;
}

export function seedanceCreateCall(input: VideoCreateInput): ApiCall {
  const options = input.options as SeedanceOptions;
  const content: Record<string, unknown>[] = [{ type: 'text', text: input.prompt }];
  if (input.image) {
    content.push({ type: 'image_url', image_url: { url: dataUrl(input.image) }, role: 'first_frame' });
  }
  if (input.imageTail) {
    content.push({ type: 'image_url', image_url: { url: dataUrl(input.imageTail) }, role: 'last_frame' });
  }
  const body: Record<string, unknown> = { model: input.model, content };
  if (options.ratio !== undefined) body.ratio = options.ratio;
  if (options.duration !== undefined) body.duration = options.duration;
  if (options.resolution !== undefined) body.resolution = options.resolution;
  if (options.watermark !== undefined) body.watermark = options.watermark;
  if (options.cameraFixed !== undefined) body.camera_fixed = options.cameraFixed;
  if (options.seed !== undefined) body.seed = options.seed;
  if (options.generateAudio !== undefined) body.generate_audio = options.generateAudio;
  if (options.returnLastFrame !== undefined) body.return_last_frame = options.returnLastFrame;
  if (options.serviceTier !== undefined) body.service_tier = options.serviceTier;
  return { endpoint: 'seedance.create', json: body, retry: false };
}

/** A retrieve answer (or the bare `{id}` of a create) to the normalized state. */
export function parseSeedanceTask(body: unknown): RemoteVideoState {
  const task = asRecord(body) ?? {};
  const status = STATUS[String(task.status)] ?? 'queued';
  const content = asRecord(task.content);
  const url = stringOf(content?.video_url);
  const completedAt = status === 'succeeded' ? toMs(task.updated_at) : null;
  const params: Record<string, unknown> = {};
  for (const key of ['ratio', 'duration', 'resolution'] as const) {
    if (task[key] !== undefined) params[key] = task[key];
  }
  return {
    remoteId: requireRemoteId(task.id, 'Seedance'),
    status,
    progress: status === 'succeeded' ? 100 : null,
    error:
      status === 'failed' || status === 'expired' || status === 'cancelled'
        ? (vendorError(task.error, `The Seedance task ended ${status}.`) ?? {
            message: `The Seedance task ended ${status}.`,
            reason: { code: 'videoTaskEnded', values: { vendor: 'Seedance', status } },
          })
        : null,
    result: status === 'succeeded' && url ? { type: 'url', url } : null,
    createdAt: toMs(task.created_at),
    completedAt,
    expiresAt: status === 'succeeded' ? (completedAt ?? Date.now()) + SEEDANCE_LINK_TTL_MS : null,
    model: stringOf(task.model),
    params,
  };
}

export async function seedanceCreate(client: HttpClient, input: VideoCreateInput, signal?: AbortSignal) {
  const { data } = await client.json({ ...seedanceCreateCall(input), ...(signal ? { signal } : {}) });
  return parseSeedanceTask(data);
}

export async function seedanceStatus(client: HttpClient, remoteId: string, signal?: AbortSignal) {
  const { data } = await client.json({ endpoint: 'seedance.status', pathParams: { id: remoteId }, signal });
  return parseSeedanceTask(data);
}
