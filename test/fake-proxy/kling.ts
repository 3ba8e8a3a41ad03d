import { randomInt } from 'node:crypto';
import { sendError } from './errors';
import { type Ctx, isObject, type Json, sendJson } from './http';
import { lifecycle, wantsFailure } from './jobs';
import type { KlingJob } from './state';

const MODELS = [
  'kling-v1',
  'kling-v1-5',
  'kling-v1-6',
  'kling-v2-master',
  'kling-v2-1',
  'kling-v2-1-master',
  'kling-v2-5-turbo',
  'kling-v2-6',
];
const PARAM_INVALID = 1201;

function invalid(ctx: Ctx, message: string) {
  sendError(ctx, 400, message, { code: PARAM_INVALID }, 'kling');
}

function envelope(ctx: Ctx, data: Json): Json {
  return { code: 0, message: 'SUCCEED', request_id: ctx.requestId, data };
}

function taskId(): string {
  return `8${Array.from({ length: 17 }, () => randomInt(10)).join('')}`;
}

function checkImage(ctx: Ctx, field: string, value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (typeof value !== 'string') {
    invalid(ctx, `${field} must be a string (a URL or raw base64)`);
    return false;
  }
  if (value.startsWith('data:')) {
    invalid(ctx, `${field} must be a URL or raw base64 without the "data:" prefix`);
    return false;
  }
  return true;
}

/** POST /kling/v1/videos/{text2video|image2video} */
export function createKlingTask(ctx: Ctx, [kind = 'text2video']: string[]) {
  const body = ctx.json;
  if (!isObject(body)) return invalid(ctx, 'request body must be a JSON object');
  const isImage = kind === 'image2video';
  if (body.model_name !== undefined && !MODELS.includes(String(body.model_name))) {
    return invalid(ctx, `model_name is invalid: ${String(body.model_name)}`);
  }
  if (!isImage && (typeof body.prompt !== 'string' || body.prompt.trim() === '')) {
    return invalid(ctx, 'prompt is required');
  }
  if (typeof body.prompt === 'string' && body.prompt.length > 2500) return invalid(ctx, 'prompt is too long');
  if (body.duration !== undefined && body.duration !== '5' && body.duration !== '10') {
    return invalid(ctx, 'duration must be the string "5" or "10"');
  }
  if (body.mode !== undefined && body.mode !== 'std' && body.mode !== 'pro')
    return invalid(ctx, 'mode is invalid');
  if (
    !isImage &&
    body.aspect_ratio !== undefined &&
    !['16:9', '9:16', '1:1'].includes(String(body.aspect_ratio))
  ) {
    return invalid(ctx, 'aspect_ratio is invalid');
  }
  if (isImage) {
    const hasImage = typeof body.image === 'string' && body.image !== '';
    const hasTail = typeof body.image_tail === 'string' && body.image_tail !== '';
    if (!hasImage && !hasTail) return invalid(ctx, 'image and image_tail cannot both be empty');
    if (!checkImage(ctx, 'image', body.image) || !checkImage(ctx, 'image_tail', body.image_tail)) return;
    if (
      hasTail &&
      (body.camera_control !== undefined ||
        body.static_mask !== undefined ||
        body.dynamic_masks !== undefined)
    ) {
      return invalid(ctx, 'image_tail, static_mask/dynamic_masks and camera_control cannot be used together');
    }
  }
  const externalTaskId = typeof body.external_task_id === 'string' ? body.external_task_id : undefined;
  if (
    externalTaskId !== undefined &&
    [...ctx.state.kling.values()].some((job) => job.externalTaskId === externalTaskId)
  ) {
    return invalid(ctx, `external_task_id already exists: ${externalTaskId}`);
  }
  const job: KlingJob = {
    id: taskId(),
    kind: isImage ? 'image2video' : 'text2video',
    prompt: typeof body.prompt === 'string' ? body.prompt : '',
    duration: typeof body.duration === 'string' ? body.duration : '5',
    externalTaskId,
    createdAtMs: Date.now(),
    startedVirtualMs: ctx.state.clock.now(),
  };
  ctx.state.kling.set(job.id, job);
  sendJson(
    ctx,
    200,
    envelope(ctx, {
      task_id: job.id,
      task_status: 'submitted',
      task_info: externalTaskId === undefined ? {} : { external_task_id: externalTaskId },
      created_at: job.createdAtMs,
      updated_at: job.createdAtMs,
    }),
  );
}

/** GET /kling/v1/videos/{text2video|image2video}/{task_id} */
export function getKlingTask(ctx: Ctx, [kind = '', id = '']: string[]) {
  const job = ctx.state.kling.get(id);
  if (!job || job.kind !== kind) {
    return sendError(ctx, 404, `task not found: ${id}`, { code: PARAM_INVALID }, 'kling');
  }
  const life = lifecycle(ctx.state.clock, job.startedVirtualMs, job.createdAtMs);
  const failed = life.phase === 'finished' && wantsFailure(job.prompt);
  const status =
    life.phase === 'queued'
      ? 'submitted'
      : life.phase === 'running'
        ? 'processing'
        : failed
          ? 'failed'
          : 'succeed';
  const data: Json = {
    task_id: job.id,
    task_status: status,
    task_status_msg: failed ? 'Failure to pass the risk control system ([fail])' : '',
    task_info: job.externalTaskId === undefined ? {} : { external_task_id: job.externalTaskId },
    created_at: job.createdAtMs,
    updated_at: life.finishedAtMs ?? Date.now(),
  };
  if (status === 'succeed') {
    data.task_result = {
      videos: [
        {
          id: `${job.id}-0`,
          url: `${ctx.state.cdnUrl}/cdn/kling-${job.id}.mp4`,
          duration: job.duration === '10' ? '10.042' : '5.042',
        },
      ],
    };
  }
  sendJson(ctx, 200, envelope(ctx, data));
}
