/**
 * The create options per vendor and model with their documented ranges (docs/proxy-api.md §5), in camelCase;
 * the adapters map them to the wire names.
 */
import { z } from 'zod';

export const soraModels = ['sora-2', 'sora-2-pro'] as const;
export const soraSizes = ['720x1280', '1280x720', '1024x1792', '1792x1024'] as const;
export const soraOptionsSchema = z
  .object({
    seconds: z.enum(['4', '8', '12']).optional(),
    size: z.enum(soraSizes).optional(),
  })
  .strict();
export type SoraOptions = z.infer<typeof soraOptionsSchema>;

export const seedanceModels = [
  'doubao-seedance-1-5-pro-251215',
  'doubao-seedance-1-0-pro-250528',
  'doubao-seedance-1-0-pro-fast-251015',
  'doubao-seedance-1-0-lite-t2v-250428',
  'doubao-seedance-1-0-lite-i2v-250428',
] as const;
export const seedanceRatios = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9', 'adaptive'] as const;
export const seedanceOptionsSchema = z
  .object({
    ratio: z.enum(seedanceRatios).optional(),
    /** Seconds: 4–12 on 1.5-pro, 2–12 on the 1.0 models (checked per model). */
    duration: z.number().int().min(2).max(12).optional(),
    resolution: z.enum(['480p', '720p', '1080p']).optional(),
    watermark: z.boolean().optional(),
    cameraFixed: z.boolean().optional(),
    seed: z.number().int().min(-1).max(4_294_967_295).optional(),
    /** 1.5-pro only. */
    generateAudio: z.boolean().optional(),
    returnLastFrame: z.boolean().optional(),
    serviceTier: z.enum(['default', 'flex']).optional(),
  })
  .strict();
export type SeedanceOptions = z.infer<typeof seedanceOptionsSchema>;

export const klingModels = [
  'kling-v1',
  'kling-v1-5',
  'kling-v1-6',
  'kling-v2-master',
  'kling-v2-1',
  'kling-v2-1-master',
  'kling-v2-5-turbo',
  'kling-v2-6',
] as const;
export const klingCameraControlSchema = z
  .object({
    type: z.enum(['simple', 'down_back', 'forward_up', 'right_turn_forward', 'left_turn_forward']),
    config: z
      .object({
        horizontal: z.number().min(-10).max(10).optional(),
        vertical: z.number().min(-10).max(10).optional(),
        pan: z.number().min(-10).max(10).optional(),
        tilt: z.number().min(-10).max(10).optional(),
        roll: z.number().min(-10).max(10).optional(),
        zoom: z.number().min(-10).max(10).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export const klingOptionsSchema = z
  .object({
    mode: z.enum(['std', 'pro']).optional(),
    duration: z.enum(['5', '10']).optional(),
    /** Text-to-video only; image-to-video follows the image. */
    aspectRatio: z.enum(['16:9', '9:16', '1:1']).optional(),
    negativePrompt: z.string().max(2500).optional(),
    /** 0–1; not supported by the v2.x models. */
    cfgScale: z.number().min(0).max(1).optional(),
    /** kling-v2-6 and later. */
    sound: z.enum(['on', 'off']).optional(),
    /** Mutually exclusive with an end frame (`imageTailPath`). */
    cameraControl: klingCameraControlSchema.optional(),
    watermark: z.boolean().optional(),
    /** Unique per account; lets a re-sent create be recognised. */
    externalTaskId: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type KlingOptions = z.infer<typeof klingOptionsSchema>;

export const veoModels = [
  'veo-3.1-generate-preview',
  'veo-3.0-generate-001',
  'veo-3.0-fast-generate-001',
  'veo-2.0-generate-001',
] as const;
export const veoOptionsSchema = z
  .object({
    aspectRatio: z.enum(['16:9', '9:16']).optional(),
    /** Veo 3: 4, 6 or 8; Veo 2: 5–8 (checked per model). */
    durationSeconds: z.number().int().min(4).max(8).optional(),
    /** Veo 3 only. */
    resolution: z.enum(['720p', '1080p']).optional(),
    negativePrompt: z.string().max(2500).optional(),
    generateAudio: z.boolean().optional(),
    personGeneration: z.enum(['allow_adult', 'dont_allow', 'allow_all']).optional(),
    enhancePrompt: z.boolean().optional(),
    seed: z.number().int().min(0).max(4_294_967_295).optional(),
  })
  .strict();
export type VeoOptions = z.infer<typeof veoOptionsSchema>;

export type VideoOptionsByVendor = {
  sora: SoraOptions;
  seedance: SeedanceOptions;
  kling: KlingOptions;
  veo: VeoOptions;
};

/** Whether a Kling model takes `sound` (kling-v2-6 and later). */
export function klingSupportsSound(model: string): boolean {
  const match = /^kling-v(\d+)(?:-(\d+))?/.exec(model);
  if (!match) return true; // an unknown (newer) model: let the vendor decide
  const major = Number(match[1]);
  const minor = Number(match[2] ?? 0);
  return major > 2 || (major === 2 && minor >= 6);
}
