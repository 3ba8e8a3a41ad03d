import type { KlingOptions } from '../../../shared/videos/vendor-options';
import type { ApiCall } from '../api-call';
import type { HttpClient } from '../http-client';
import {
  asRecord,
  type RemoteVideoState,
  requireRemoteId,
  stringOf,
  toMs,
  type VideoCreateInput,
  vendorFailed,
  vendorMessage,
} from './types';

export type KlingKind = 'text2video' | 'image2video';

const OFFICIAL: Record<string, RemoteVideoState['status']> = {
  submitted: 'queued',
  processing: 'running',
  succeed: 'succeeded',
  succeeded: 'succeeded',
  failed: 'failed',
};
/** Some resellers normalise Kling to `{task_id, status, url}` (docs/proxy-api.md §5.3). */
const RESELLER: Record<string, RemoteVideoState['status']> = {
  queued: 'queued',
  in_progress: 'running',
  processing: 'running',
  completed: 'succeeded',
  failed: 'failed',
};

export function klingKind(input: { image?: unknown; imageTail?: unknown }): KlingKind {
  return input.image || input.imageTail ? 'image2video' : 'text2video';
}

export function klingCreateCall(input: VideoCreateInput): ApiCall {
  const options = input.options as KlingOptions;
  const kind = klingKind(input);
  const body: Record<string, unknown> = { model_name: input.model, prompt: input.prompt };
  if (options.mode !== undefined) body.mode = options.mode;
  if (options.duration !== undefined) body.duration = options.duration;
  if (options.aspectRatio !== undefined && kind === 'text2video') body.aspect_ratio = options.aspectRatio;
  if (options.negativePrompt !== undefined) body.negative_prompt = options.negativePrompt;
  if (options.cfgScale !== undefined) body.cfg_scale = options.cfgScale;
  if (options.sound !== undefined) body.sound = options.sound;
  if (options.cameraControl !== undefined) body.camera_control = options.cameraControl;
  if (options.watermark !== undefined) body.watermark_info = { enabled: options.watermark };
  if (options.externalTaskId !== undefined) body.external_task_id = options.externalTaskId;
  // Raw base64, without a `data:` prefix.
  if (input.image) body.image = input.image.bytes.toString('base64');
  if (input.imageTail) body.image_tail = input.imageTail.bytes.toString('base64');
  return {
    endpoint: kind === 'image2video' ? 'kling.image2video' : 'kling.text2video',
    json: body,
    retry: false,
  };
}

/** A Kling answer: the official `{code, data}` envelope or the reseller shape, bare or inside `data`. */
export function parseKlingTask(body: unknown): RemoteVideoState {
  const root = asRecord(body) ?? {};
  const task = asRecord(root.data) ?? root;
  if (task.task_status !== undefined) {
    const status = OFFICIAL[String(task.task_status)] ?? 'queued';
    const videos = asRecord(task.task_result)?.videos;
    const first = Array.isArray(videos) ? asRecord(videos[0]) : null;
    const url = stringOf(first?.url);
    return {
      remoteId: requireRemoteId(task.task_id, 'Kling'),
      status,
      progress: status === 'succeeded' ? 100 : null,
      error: status === 'failed' ? (vendorMessage(task.task_status_msg) ?? vendorFailed('Kling')) : null,
      result: status === 'succeeded' && url ? { type: 'url', url } : null,
      createdAt: toMs(task.created_at),
      completedAt: status === 'succeeded' ? toMs(task.updated_at) : null,
      expiresAt: null,
    };
  }
  const status = RESELLER[String(task.status)] ?? 'queued';
  const url = stringOf(task.url) ?? stringOf(task.video_url);
  const error = task.error ?? task.message ?? task.fail_reason;
  return {
    remoteId: requireRemoteId(task.task_id ?? task.id, 'Kling'),
    status,
    progress: typeof task.progress === 'number' ? task.progress : status === 'succeeded' ? 100 : null,
    error:
      status === 'failed'
        ? (vendorMessage(error) ?? vendorMessage(asRecord(error)?.message) ?? vendorFailed('Kling'))
        : null,
    result: status === 'succeeded' && url ? { type: 'url', url } : null,
    createdAt: toMs(task.created_at),
    completedAt: status === 'succeeded' ? toMs(task.updated_at ?? task.completed_at) : null,
    expiresAt: null,
  };
}

export async function klingCreate(client: HttpClient, input: VideoCreateInput, signal?: AbortSignal) {
  const { data } = await client.json({ ...klingCreateCall(input), ...(signal ? { signal } : {}) });
  return parseKlingTask(data);
}

export async function klingStatus(
  client: HttpClient,
  kind: KlingKind,
  remoteId: string,
  signal?: AbortSignal,
) {
  const { data } = await client.json({
    endpoint: kind === 'image2video' ? 'kling.image2video.status' : 'kling.text2video.status',
    pathParams: { id: remoteId },
    signal,
  });
  return parseKlingTask(data);
}
