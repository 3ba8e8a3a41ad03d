import { randomUUID } from 'node:crypto';
import { sendError } from './errors';
import { type Ctx, isObject, type Json, sendJson } from './http';
import { lifecycle, wantsFailure } from './jobs';
import type { VeoJob } from './state';

const RAI_MARKER = '[blocked]';

function invalid(ctx: Ctx, message: string) {
  sendError(ctx, 400, message, {}, 'google');
}

function create(ctx: Ctx, model: string) {
  const body = ctx.json;
  const instances = isObject(body) && Array.isArray(body.instances) ? body.instances.filter(isObject) : [];
  const first = instances[0];
  if (!first) return invalid(ctx, 'instances: at least one instance is required');
  if (typeof first.prompt !== 'string' && !isObject(first.image)) {
    return invalid(ctx, 'instances[0].prompt is required when no image is given');
  }
  const parameters = isObject(body) && isObject(body.parameters) ? body.parameters : {};
  const sampleCount = parameters.sampleCount ?? 1;
  if (
    typeof sampleCount !== 'number' ||
    !Number.isInteger(sampleCount) ||
    sampleCount < 1 ||
    sampleCount > 4
  ) {
    return invalid(ctx, 'parameters.sampleCount must be between 1 and 4');
  }
  if (
    parameters.aspectRatio !== undefined &&
    parameters.aspectRatio !== '16:9' &&
    parameters.aspectRatio !== '9:16'
  ) {
    return invalid(ctx, 'parameters.aspectRatio must be 16:9 or 9:16');
  }
  const job: VeoJob = {
    name: `projects/tikhub-fake/locations/us-central1/publishers/google/models/${model}/operations/${randomUUID()}`,
    prompt: typeof first.prompt === 'string' ? first.prompt : '',
    sampleCount,
    createdAtMs: Date.now(),
    startedVirtualMs: ctx.state.clock.now(),
  };
  ctx.state.veo.set(job.name, job);
  sendJson(ctx, 200, { name: job.name });
}

function fetchOperation(ctx: Ctx) {
  const body = ctx.json;
  if (!isObject(body) || typeof body.operationName !== 'string' || body.operationName === '') {
    return invalid(ctx, 'operationName is required');
  }
  const job = ctx.state.veo.get(body.operationName);
  if (!job) return sendError(ctx, 404, `Operation ${body.operationName} not found.`, {}, 'google');
  const life = lifecycle(ctx.state.clock, job.startedVirtualMs, job.createdAtMs);
  if (life.phase !== 'finished') return sendJson(ctx, 200, { name: job.name, done: false });
  if (wantsFailure(job.prompt)) {
    return sendJson(ctx, 200, {
      name: job.name,
      done: true,
      error: { code: 3, message: 'Video generation failed ([fail]).' },
    });
  }
  const filtered = job.prompt.includes(RAI_MARKER);
  const response: Json = {
    '@type': 'type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse',
    raiMediaFilteredCount: filtered ? job.sampleCount : 0,
    videos: filtered
      ? []
      : Array.from({ length: job.sampleCount }, () => ({
          bytesBase64Encoded: ctx.state.fixtures.video.data.toString('base64'),
          mimeType: 'video/mp4',
        })),
  };
  if (filtered)
    response.raiMediaFilteredReasons = ['The prompt was blocked by the fake safety filter ([blocked]).'];
  sendJson(ctx, 200, { name: job.name, done: true, response });
}

/** POST /v1/models/{model}:predictLongRunning and :fetchPredictOperation (also under /v1beta). */
export function veo(ctx: Ctx, [model = '', method = '']: string[]) {
  if (method === 'predictLongRunning') return create(ctx, model);
  fetchOperation(ctx);
}
