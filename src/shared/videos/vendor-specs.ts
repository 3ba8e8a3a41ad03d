/** What the create forms show per vendor and model (`videos.vendors`): option specs and the catalogue. */
import { z } from 'zod';
import { videoVendorSchema } from './job';
import {
  klingModels,
  klingSupportsSound,
  seedanceModels,
  seedanceRatios,
  soraModels,
  soraSizes,
  veoModels,
} from './vendor-options';

export const videoOptionSpecSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('enum'),
    key: z.string(),
    label: z.string(),
    values: z.array(z.string()),
    default: z.string().optional(),
  }),
  z.object({
    type: z.literal('integer'),
    key: z.string(),
    label: z.string(),
    min: z.number(),
    max: z.number(),
    /** When only some values in the range are allowed (Veo 3: 4, 6, 8). */
    allowed: z.array(z.number()).optional(),
    default: z.number().optional(),
  }),
  z.object({
    type: z.literal('number'),
    key: z.string(),
    label: z.string(),
    min: z.number(),
    max: z.number(),
    step: z.number(),
    default: z.number().optional(),
  }),
  z.object({
    type: z.literal('boolean'),
    key: z.string(),
    label: z.string(),
    default: z.boolean().optional(),
  }),
  z.object({ type: z.literal('text'), key: z.string(), label: z.string(), maxLength: z.number() }),
]);
export type VideoOptionSpec = z.infer<typeof videoOptionSpecSchema>;

export const videoModelSpecSchema = z.object({
  id: z.string(),
  /** Only the options this model takes, with their ranges. */
  options: z.array(videoOptionSpecSchema),
});
export type VideoModelSpec = z.infer<typeof videoModelSpecSchema>;

export const videoVendorSpecSchema = z.object({
  vendor: videoVendorSchema,
  label: z.string(),
  promptMaxLength: z.number(),
  models: z.array(videoModelSpecSchema),
  /** Which image inputs the vendor takes: a first frame, an end frame. */
  firstFrame: z.boolean(),
  lastFrame: z.boolean(),
  /** Capabilities the library offers for this vendor's jobs. */
  remix: z.boolean(),
  remoteDelete: z.boolean(),
  sync: z.boolean(),
  /** Notes for the form (e.g. Sora: the image must match the size). */
});
export type VideoVendorSpec = z.infer<typeof videoVendorSpecSchema>;

// The catalogue (data: adding a model is a one-line change)

const soraSpec = (model: string): VideoModelSpec => ({
  id: model,
  options: [
    { type: 'enum', key: 'seconds', label: 'Seconds', values: ['4', '8', '12'], default: '4' },
    {
      type: 'enum',
      key: 'size',
      label: 'Size',
      values: model === 'sora-2-pro' ? [...soraSizes] : ['720x1280', '1280x720'],
      default: '720x1280',
    },
  ],
});

const seedanceSpec = (model: string): VideoModelSpec => {
  const pro15 = model.includes('1-5-pro');
  const options: VideoOptionSpec[] = [
    { type: 'enum', key: 'ratio', label: 'Aspect ratio', values: [...seedanceRatios], default: '16:9' },
    { type: 'integer', key: 'duration', label: 'Duration (s)', min: pro15 ? 4 : 2, max: 12, default: 5 },
    { type: 'enum', key: 'resolution', label: 'Resolution', values: ['480p', '720p', '1080p'] },
    { type: 'boolean', key: 'watermark', label: 'Watermark', default: false },
    { type: 'boolean', key: 'cameraFixed', label: 'Fixed camera', default: false },
    { type: 'integer', key: 'seed', label: 'Seed', min: -1, max: 4_294_967_295, default: -1 },
    { type: 'boolean', key: 'returnLastFrame', label: 'Return last frame', default: false },
    {
      type: 'enum',
      key: 'serviceTier',
      label: 'Service tier',
      values: ['default', 'flex'],
      default: 'default',
    },
  ];
  if (pro15) options.push({ type: 'boolean', key: 'generateAudio', label: 'Audio', default: true });
  return { id: model, options };
};

const klingSpec = (model: string): VideoModelSpec => {
  const options: VideoOptionSpec[] = [
    { type: 'enum', key: 'mode', label: 'Mode', values: ['std', 'pro'], default: 'std' },
    { type: 'enum', key: 'duration', label: 'Duration (s)', values: ['5', '10'], default: '5' },
    {
      type: 'enum',
      key: 'aspectRatio',
      label: 'Aspect ratio',
      values: ['16:9', '9:16', '1:1'],
      default: '16:9',
    },
    { type: 'text', key: 'negativePrompt', label: 'Negative prompt', maxLength: 2500 },
    { type: 'boolean', key: 'watermark', label: 'Watermark', default: false },
  ];
  if (!/^kling-v2/.test(model)) {
    options.push({
      type: 'number',
      key: 'cfgScale',
      label: 'CFG scale',
      min: 0,
      max: 1,
      step: 0.05,
      default: 0.5,
    });
  }
  if (klingSupportsSound(model)) {
    options.push({ type: 'enum', key: 'sound', label: 'Sound', values: ['on', 'off'], default: 'off' });
  }
  return { id: model, options };
};

const veoSpec = (model: string): VideoModelSpec => {
  const veo3 = /^veo-3/.test(model);
  const options: VideoOptionSpec[] = [
    { type: 'enum', key: 'aspectRatio', label: 'Aspect ratio', values: ['16:9', '9:16'], default: '16:9' },
    veo3
      ? {
          type: 'integer',
          key: 'durationSeconds',
          label: 'Duration (s)',
          min: 4,
          max: 8,
          allowed: [4, 6, 8],
          default: 8,
        }
      : { type: 'integer', key: 'durationSeconds', label: 'Duration (s)', min: 5, max: 8, default: 8 },
    { type: 'text', key: 'negativePrompt', label: 'Negative prompt', maxLength: 2500 },
    {
      type: 'enum',
      key: 'personGeneration',
      label: 'People',
      values: ['allow_adult', 'dont_allow', 'allow_all'],
      default: 'allow_adult',
    },
    { type: 'boolean', key: 'enhancePrompt', label: 'Enhance prompt', default: true },
    { type: 'integer', key: 'seed', label: 'Seed', min: 0, max: 4_294_967_295 },
  ];
  if (veo3) {
    options.push({
      type: 'enum',
      key: 'resolution',
      label: 'Resolution',
      values: ['720p', '1080p'],
      default: '720p',
    });
    options.push({ type: 'boolean', key: 'generateAudio', label: 'Audio', default: true });
  }
  return { id: model, options };
};

export const videoVendorSpecs: VideoVendorSpec[] = [
  {
    vendor: 'sora',
    label: 'Sora',
    promptMaxLength: 32_000,
    models: soraModels.map(soraSpec),
    firstFrame: true,
    lastFrame: false,
    remix: true,
    remoteDelete: true,
    sync: true,
  },
  {
    vendor: 'seedance',
    label: 'Seedance',
    promptMaxLength: 32_000,
    models: seedanceModels.map(seedanceSpec),
    firstFrame: true,
    lastFrame: true,
    remix: false,
    remoteDelete: false,
    sync: false,
  },
  {
    vendor: 'kling',
    label: 'Kling',
    promptMaxLength: 2500,
    models: klingModels.map(klingSpec),
    firstFrame: true,
    lastFrame: true,
    remix: false,
    remoteDelete: false,
    sync: false,
  },
  {
    vendor: 'veo',
    label: 'Veo',
    promptMaxLength: 32_000,
    models: veoModels.map(veoSpec),
    firstFrame: true,
    lastFrame: true,
    remix: false,
    remoteDelete: false,
    sync: false,
  },
];
