/** The create request and the rules that span fields or depend on the model, shared by every create path. */
import { z } from 'zod';
import type { VideoVendor } from './job';
import {
  klingOptionsSchema,
  klingSupportsSound,
  seedanceOptionsSchema,
  soraOptionsSchema,
  veoOptionsSchema,
} from './vendor-options';

const modelId = z.string().trim().min(1).max(200);
/** An image chosen by the user, by its path on disk; main reads it and checks it is an image. */
const imagePath = z.string().trim().min(1).max(4096);

export type VideoCreateProblemCode =
  | 'soraEndFrame'
  | 'seedanceDuration'
  | 'seedanceAudio'
  | 'klingEndFrameCamera'
  | 'klingCfgScale'
  | 'klingSound'
  | 'veo3Duration'
  | 'veo2Duration'
  | 'veoResolution';

/** A rule a request breaks: the field, a code the window words in its language, and English for main and the CLI. */
export interface VideoCreateProblem {
  field: string;
  code: VideoCreateProblemCode;
  message: string;
}

/** Rules that depend on the model or on two fields together, shared by every create path (IPC, CLI). */
export function videoCreateProblems(request: {
  vendor: VideoVendor;
  model: string;
  options: Record<string, unknown>;
  imagePath?: string | undefined;
  imageTailPath?: string | undefined;
}): VideoCreateProblem[] {
  const problems: VideoCreateProblem[] = [];
  const { vendor, model, options } = request;
  if (vendor === 'sora') {
    if (request.imageTailPath)
      problems.push({ field: 'imageTailPath', code: 'soraEndFrame', message: 'Sora takes no end frame.' });
  }
  if (vendor === 'seedance') {
    const duration = options.duration;
    if (typeof duration === 'number' && model.includes('1-5') && duration < 4) {
      problems.push({
        field: 'options.duration',
        code: 'seedanceDuration',
        message: 'must be 4–12 seconds on Seedance 1.5 pro.',
      });
    }
    if (options.generateAudio !== undefined && !model.includes('1-5-pro')) {
      problems.push({
        field: 'options.generateAudio',
        code: 'seedanceAudio',
        message: 'audio is available on Seedance 1.5 pro only.',
      });
    }
  }
  if (vendor === 'kling') {
    if (request.imageTailPath && options.cameraControl) {
      problems.push({
        field: 'options.cameraControl',
        code: 'klingEndFrameCamera',
        message: 'an end frame and camera control cannot be used together on Kling.',
      });
    }
    if (options.cfgScale !== undefined && /^kling-v2/.test(model)) {
      problems.push({
        field: 'options.cfgScale',
        code: 'klingCfgScale',
        message: 'cfg scale is not supported by the v2 models.',
      });
    }
    if (options.sound !== undefined && !klingSupportsSound(model)) {
      problems.push({
        field: 'options.sound',
        code: 'klingSound',
        message: 'sound needs kling-v2-6 or later.',
      });
    }
  }
  if (vendor === 'veo') {
    const seconds = options.durationSeconds;
    const veo3 = /^veo-3/.test(model);
    if (typeof seconds === 'number' && veo3 && ![4, 6, 8].includes(seconds)) {
      problems.push({
        field: 'options.durationSeconds',
        code: 'veo3Duration',
        message: 'must be 4, 6 or 8 seconds on Veo 3.',
      });
    }
    if (typeof seconds === 'number' && /^veo-2/.test(model) && seconds < 5) {
      problems.push({
        field: 'options.durationSeconds',
        code: 'veo2Duration',
        message: 'must be 5–8 seconds on Veo 2.',
      });
    }
    if (options.resolution !== undefined && /^veo-2/.test(model)) {
      problems.push({
        field: 'options.resolution',
        code: 'veoResolution',
        message: 'resolution can be chosen on Veo 3 only.',
      });
    }
  }
  return problems;
}

const createBase = { model: modelId, prompt: z.string().trim().min(1).max(32_000) };

export const videoCreateRequestSchema = z
  .discriminatedUnion('vendor', [
    z
      .object({
        vendor: z.literal('sora'),
        ...createBase,
        options: soraOptionsSchema.default({}),
        /** First frame; must match `size` (the service checks). */
        imagePath: imagePath.optional(),
        imageTailPath: imagePath.optional(),
      })
      .strict(),
    z
      .object({
        vendor: z.literal('seedance'),
        ...createBase,
        options: seedanceOptionsSchema.default({}),
        /** `first_frame`. */
        imagePath: imagePath.optional(),
        /** `last_frame`. */
        imageTailPath: imagePath.optional(),
      })
      .strict(),
    z
      .object({
        vendor: z.literal('kling'),
        ...createBase,
        prompt: z.string().trim().min(1).max(2500),
        options: klingOptionsSchema.default({}),
        /** With an image (or a tail) the job goes to image-to-video. */
        imagePath: imagePath.optional(),
        imageTailPath: imagePath.optional(),
      })
      .strict(),
    z
      .object({
        vendor: z.literal('veo'),
        ...createBase,
        options: veoOptionsSchema.default({}),
        imagePath: imagePath.optional(),
        /** `lastFrame`. */
        imageTailPath: imagePath.optional(),
      })
      .strict(),
  ])
  .superRefine((request, context) => {
    for (const problem of videoCreateProblems(request)) {
      context.addIssue({ code: 'custom', path: problem.field.split('.'), message: problem.message });
    }
  });
export type VideoCreateRequest = z.output<typeof videoCreateRequestSchema>;
