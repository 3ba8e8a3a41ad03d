import { badRequest, sendError } from './errors';
import { serveFile } from './files';
import { type Ctx, isObject, type Json, newId, readForm, sendJson } from './http';
import { imageSize } from './images';
import { lifecycle, wantsFailure } from './jobs';
import type { SoraJob } from './state';

const MODELS = ['sora-2', 'sora-2-pro'];
const SECONDS = ['4', '8', '12'];
const SIZES = ['720x1280', '1280x720', '1024x1792', '1792x1024'];
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const DAY_SECONDS = 86_400;

type Status = 'queued' | 'in_progress' | 'completed' | 'failed';

function statusOf(ctx: Ctx, job: SoraJob) {
  const life = lifecycle(ctx.state.clock, job.startedVirtualMs, job.createdAtMs);
  const status: Status =
    life.phase === 'queued'
      ? 'queued'
      : life.phase === 'running'
        ? 'in_progress'
        : wantsFailure(job.prompt)
          ? 'failed'
          : 'completed';
  return { status, life };
}

function view(ctx: Ctx, job: SoraJob): Json {
  const { status, life } = statusOf(ctx, job);
  const completedAt =
    status === 'completed' && life.finishedAtMs !== null ? Math.floor(life.finishedAtMs / 1000) : null;
  return {
    id: job.id,
    object: 'video',
    model: job.model,
    status,
    progress: status === 'failed' ? 100 : life.progress,
    created_at: Math.floor(job.createdAtMs / 1000),
    completed_at: completedAt,
    expires_at: completedAt === null ? null : completedAt + DAY_SECONDS,
    prompt: job.prompt,
    seconds: job.seconds,
    size: job.size,
    remixed_from_video_id: job.remixedFromVideoId,
    error:
      status === 'failed'
        ? {
            code: 'video_generation_failed',
            message: 'Video generation failed: the prompt asked for it ([fail]).',
          }
        : null,
  };
}

function findJob(ctx: Ctx, id: string): SoraJob | undefined {
  const job = ctx.state.sora.find((candidate) => candidate.id === id && !candidate.deleted);
  if (!job)
    sendError(ctx, 404, `Video with id '${id}' not found.`, { code: 'video_not_found', param: 'video_id' });
  return job;
}

function invalidValue(ctx: Ctx, param: string, value: unknown, allowed: string[]) {
  const list = allowed.map((v) => `'${v}'`).join(', ');
  const message =
    typeof value === 'string'
      ? `Invalid value: '${value}'. Supported values are: ${list}.`
      : `Invalid type for '${param}': expected one of ${list} as a string, but got ${typeof value} instead.`;
  badRequest(ctx, message, param);
}

function addJob(
  ctx: Ctx,
  fields: Omit<SoraJob, 'id' | 'createdAtMs' | 'startedVirtualMs' | 'deleted'>,
): SoraJob {
  const job: SoraJob = {
    ...fields,
    id: newId('video_', 16),
    createdAtMs: Date.now(),
    startedVirtualMs: ctx.state.clock.now(),
    deleted: false,
  };
  ctx.state.sora.push(job);
  return job;
}

/** POST /v1/videos (JSON, or multipart with an `input_reference` file) */
export async function createVideo(ctx: Ctx): Promise<void> {
  const form = await readForm(ctx);
  const fields: Json = form ? Object.fromEntries([...form.keys()].map((key) => [key, form.get(key)])) : {};
  const body = form ? fields : ctx.json;
  if (!isObject(body)) return badRequest(ctx, 'We could not parse the JSON body of your request.');
  const { prompt, model = 'sora-2', seconds = '4', size = '720x1280' } = body;
  if (typeof prompt !== 'string' || prompt.length === 0) {
    return badRequest(ctx, "Missing required parameter: 'prompt'.", 'prompt');
  }
  if (prompt.length > 32_000)
    return badRequest(ctx, "'prompt' is too long (max 32000 characters).", 'prompt');
  if (typeof model !== 'string' || !MODELS.includes(model)) return invalidValue(ctx, 'model', model, MODELS);
  if (typeof seconds !== 'string' || !SECONDS.includes(seconds))
    return invalidValue(ctx, 'seconds', seconds, SECONDS);
  if (typeof size !== 'string' || !SIZES.includes(size)) return invalidValue(ctx, 'size', size, SIZES);

  const reference = body.input_reference;
  if (reference instanceof File) {
    if (!IMAGE_TYPES.includes(reference.type)) {
      return badRequest(
        ctx,
        `Invalid file type '${reference.type || 'unknown'}' for input_reference. Supported: ${IMAGE_TYPES.join(', ')}.`,
        'input_reference',
      );
    }
    const dimensions = imageSize(Buffer.from(await reference.arrayBuffer()));
    if (dimensions && `${dimensions.width}x${dimensions.height}` !== size) {
      return badRequest(ctx, 'Inpaint image must match the requested width and height', 'input_reference');
    }
  } else if (reference !== undefined && reference !== null && !isObject(reference)) {
    return badRequest(ctx, "Invalid type for 'input_reference'.", 'input_reference');
  }
  const job = addJob(ctx, { model, prompt, seconds, size, remixedFromVideoId: null });
  sendJson(ctx, 200, view(ctx, job));
}

/** GET /v1/videos/{id} */
export function getVideo(ctx: Ctx, [id = '']: string[]) {
  const job = findJob(ctx, id);
  if (job) sendJson(ctx, 200, view(ctx, job));
}

/** GET /v1/videos/{id}/content?variant=video|thumbnail|spritesheet */
export function videoContent(ctx: Ctx, [id = '']: string[]) {
  const job = findJob(ctx, id);
  if (!job) return;
  const variant = ctx.url.searchParams.get('variant') ?? 'video';
  const { fixtures } = ctx.state;
  const file =
    variant === 'video'
      ? fixtures.video
      : variant === 'thumbnail'
        ? fixtures.thumbnailWebp
        : variant === 'spritesheet'
          ? fixtures.spritesheet
          : undefined;
  if (!file) {
    return invalidValue(ctx, 'variant', variant, ['video', 'thumbnail', 'spritesheet']);
  }
  const { status } = statusOf(ctx, job);
  if (status !== 'completed') {
    return sendError(ctx, 400, `Video is not ready yet (status: ${status}).`, {
      code: 'video_not_ready',
      param: 'video_id',
    });
  }
  serveFile(ctx, file);
}

/** POST /v1/videos/{id}/remix */
export function remixVideo(ctx: Ctx, [id = '']: string[]) {
  const source = findJob(ctx, id);
  if (!source) return;
  const body = ctx.json;
  if (!isObject(body) || typeof body.prompt !== 'string' || body.prompt === '') {
    return badRequest(ctx, "Missing required parameter: 'prompt'.", 'prompt');
  }
  if (statusOf(ctx, source).status !== 'completed') {
    return badRequest(ctx, 'Only completed videos can be remixed.', 'video_id');
  }
  const { model, seconds, size } = source;
  const job = addJob(ctx, { model, seconds, size, prompt: body.prompt, remixedFromVideoId: source.id });
  sendJson(ctx, 200, view(ctx, job));
}

/** GET /v1/videos?after=&limit=&order= */
export function listVideos(ctx: Ctx) {
  const params = ctx.url.searchParams;
  const order = params.get('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') return invalidValue(ctx, 'order', order, ['asc', 'desc']);
  const limitText = params.get('limit') ?? '20';
  const limit = Number(limitText);
  if (!/^\d+$/.test(limitText) || limit > 100) {
    return badRequest(ctx, `Invalid 'limit': ${limitText}. Expected an integer between 0 and 100.`, 'limit');
  }
  const live = ctx.state.sora.filter((job) => !job.deleted);
  const ordered = order === 'asc' ? live : [...live].reverse();
  const after = params.get('after');
  let start = 0;
  if (after !== null) {
    const index = ordered.findIndex((job) => job.id === after);
    if (index < 0) return badRequest(ctx, `No video found with id '${after}'.`, 'after');
    start = index + 1;
  }
  const page = ordered.slice(start, start + limit).map((job) => view(ctx, job));
  sendJson(ctx, 200, {
    object: 'list',
    data: page,
    first_id: page[0]?.id ?? null,
    last_id: page[page.length - 1]?.id ?? null,
    has_more: start + limit < ordered.length,
  });
}

/** DELETE /v1/videos/{id} */
export function deleteVideo(ctx: Ctx, [id = '']: string[]) {
  const job = findJob(ctx, id);
  if (!job) return;
  job.deleted = true;
  sendJson(ctx, 200, { id: job.id, object: 'video.deleted', deleted: true });
}
