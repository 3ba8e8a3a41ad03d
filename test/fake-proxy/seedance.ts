import { randomBytes } from 'node:crypto';
import { sendError } from './errors';
import { type Ctx, isObject, type Json, sendJson } from './http';
import { lifecycle, wantsFailure } from './jobs';
import type { SeedanceJob } from './state';

const RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9', 'adaptive'];
const RESOLUTIONS: Record<string, number> = { '480p': 480, '720p': 720, '1080p': 1080 };
const FPS = 24;
const FLAG_NAMES: Record<string, 'ratio' | 'resolution' | 'duration'> = {
  ratio: 'ratio',
  rt: 'ratio',
  resolution: 'resolution',
  rs: 'resolution',
  duration: 'duration',
  dur: 'duration',
};

function invalid(ctx: Ctx, message: string, param: string) {
  sendError(ctx, 400, message, { code: 'InvalidParameter', param, type: 'BadRequest' }, 'openai');
}

/** Legacy `--ratio 16:9 --dur 5` flags appended to the prompt. */
function promptFlags(text: string): Partial<Record<'ratio' | 'resolution' | 'duration', string>> {
  const flags: Partial<Record<'ratio' | 'resolution' | 'duration', string>> = {};
  for (const match of text.matchAll(/--(\w+)\s+(\S+)/g)) {
    const name = FLAG_NAMES[match[1] ?? ''];
    if (name) flags[name] = match[2];
  }
  return flags;
}

/** Billing tokens ≈ width × height × fps × seconds / 1024. */
function tokens(job: SeedanceJob): number {
  const short = RESOLUTIONS[job.resolution] ?? 720;
  const [a = 16, b = 9] = (job.ratio === 'adaptive' ? '16:9' : job.ratio).split(':').map(Number);
  const [width, height] =
    a >= b ? [Math.round((short * a) / b), short] : [short, Math.round((short * b) / a)];
  return Math.round((width * height * FPS * job.duration) / 1024);
}

function taskId(): string {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const suffix = Array.from(randomBytes(5), (byte) => 'abcdefghijklmnopqrstuvwxyz0123456789'[byte % 36]).join(
    '',
  );
  return `cgt-${stamp}-${suffix}`;
}

/** POST /seedance/v3/contents/generations/tasks */
export function createSeedanceTask(ctx: Ctx) {
  const body = ctx.json;
  if (!isObject(body)) return invalid(ctx, 'The request body is not valid JSON.', 'body');
  if (typeof body.model !== 'string' || body.model === '') return invalid(ctx, 'model is required', 'model');
  const content = Array.isArray(body.content) ? body.content : [];
  const texts: string[] = [];
  let images = 0;
  for (const item of content) {
    if (isObject(item) && item.type === 'text' && typeof item.text === 'string') texts.push(item.text);
    else if (
      isObject(item) &&
      item.type === 'image_url' &&
      isObject(item.image_url) &&
      typeof item.image_url.url === 'string'
    )
      images += 1;
    else
      return invalid(
        ctx,
        'content items must be {type:"text",text} or {type:"image_url",image_url:{url}}',
        'content',
      );
  }
  if (texts.length === 0 && images === 0)
    return invalid(ctx, 'content must contain a text or an image', 'content');
  const prompt = texts.join('\n');
  const flags = promptFlags(prompt);
  const ratio = String(body.ratio ?? flags.ratio ?? (images > 0 ? 'adaptive' : '16:9'));
  if (!RATIOS.includes(ratio)) return invalid(ctx, `ratio must be one of ${RATIOS.join(', ')}`, 'ratio');
  const duration = Number(body.duration ?? flags.duration ?? 5);
  if (!Number.isInteger(duration) || duration < 2 || duration > 12) {
    return invalid(ctx, 'duration must be an integer between 2 and 12', 'duration');
  }
  const resolution = String(body.resolution ?? flags.resolution ?? '720p');
  if (!(resolution in RESOLUTIONS))
    return invalid(ctx, 'resolution must be 480p, 720p or 1080p', 'resolution');

  const job: SeedanceJob = {
    id: taskId(),
    model: body.model,
    prompt,
    ratio,
    duration,
    resolution,
    returnLastFrame: body.return_last_frame === true,
    createdAtMs: Date.now(),
    startedVirtualMs: ctx.state.clock.now(),
  };
  ctx.state.seedance.set(job.id, job);
  sendJson(ctx, 200, { id: job.id });
}

/** GET /seedance/v3/contents/generations/tasks/{id} */
export function getSeedanceTask(ctx: Ctx, [id = '']: string[]) {
  const job = ctx.state.seedance.get(id);
  if (!job) {
    return sendError(ctx, 404, `The specified task ${id} is not found.`, {
      code: 'ResourceNotFound',
      param: 'id',
    });
  }
  const life = lifecycle(ctx.state.clock, job.startedVirtualMs, job.createdAtMs);
  const failed = life.phase === 'finished' && wantsFailure(job.prompt);
  const status =
    life.phase === 'queued'
      ? 'queued'
      : life.phase === 'running'
        ? 'running'
        : failed
          ? 'failed'
          : 'succeeded';
  const result: Json = {
    id: job.id,
    model: job.model,
    status,
    created_at: Math.floor(job.createdAtMs / 1000),
    updated_at: Math.floor((life.finishedAtMs ?? Date.now()) / 1000),
    resolution: job.resolution,
    ratio: job.ratio,
    duration: job.duration,
    framespersecond: FPS,
    seed: 12345,
    error: failed
      ? {
          code: 'OutputVideoSensitiveContentDetected',
          message: 'The output video may contain sensitive content ([fail]).',
        }
      : null,
  };
  if (status === 'succeeded') {
    result.content = {
      video_url: `${ctx.state.cdnUrl}/cdn/${job.id}.mp4`,
      ...(job.returnLastFrame ? { last_frame_url: `${ctx.state.cdnUrl}/cdn/${job.id}-last.jpg` } : {}),
    };
    const used = tokens(job);
    result.usage = { completion_tokens: used, total_tokens: used };
  }
  sendJson(ctx, 200, result);
}
