/**
 * The video library's part of the contract: the one normalized job (docs/architecture.md §Rules 6),
 * the per-vendor create options with their documented ranges (docs/proxy-api.md §5),
 * and the videos channels and events.
 */
import { z } from 'zod';
import type { ChannelMap, EventMap } from './channel-map';

export const videoVendors = ['sora', 'seedance', 'kling', 'veo'] as const;
export const videoVendorSchema = z.enum(videoVendors);
export type VideoVendor = z.infer<typeof videoVendorSchema>;

export const videoVendorLabels: Record<VideoVendor, string> = {
  sora: 'Sora',
  seedance: 'Seedance',
  kling: 'Kling',
  veo: 'Veo',
};

/**
 * `submitting`: the row exists and the create request left, but no answer came (yet); never re-sent
 * without the user (`videos.retryCreate`). `unknown`: polling gave up after a long time; `videos.refresh`
 * asks again.
 */
export const videoStatuses = [
  'submitting',
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'expired',
  'unknown',
] as const;
export const videoStatusSchema = z.enum(videoStatuses);
export type VideoStatus = z.infer<typeof videoStatusSchema>;

/** States after which the vendor will not change the job any more (polling stops). */
export const terminalVideoStatuses: readonly VideoStatus[] = ['succeeded', 'failed', 'cancelled', 'expired'];
export function isTerminalVideoStatus(status: VideoStatus): boolean {
  return terminalVideoStatuses.includes(status);
}

export const videoErrorSchema = z.object({
  message: z.string(),
  /** The vendor's own code (`moderation_blocked`, Kling's numeric code, Veo's rpc code…). */
  code: z.string().optional(),
  /** True when the vendor's safety filter blocked the output (Veo `raiMediaFilteredCount`…). */
  safety: z.boolean().optional(),
});
export type VideoError = z.infer<typeof videoErrorSchema>;

/**
 * The local copy: `none` before the video is ready, `pending` queued to download, `downloading`,
 * `done` (localFile set), `failed` (error says why; `videos.download` tries again), `unavailable` when
 * the result cannot be fetched by a desktop client (a Veo `gs://` URI, an expired link).
 */
export const videoDownloadStateSchema = z.enum([
  'none',
  'pending',
  'downloading',
  'done',
  'failed',
  'unavailable',
]);
export type VideoDownloadState = z.infer<typeof videoDownloadStateSchema>;

/**
 * Where a finished video can be fetched: a link fetched without the token (`url`), Sora's content
 * endpoint (`sora`), bytes carried in the answer (`bytes`, Veo), or a `gs://` URI no desktop client can read.
 */
export type VideoResult =
  | { type: 'url'; url: string }
  | { type: 'sora' }
  | { type: 'bytes'; base64: string; mimeType: string }
  | { type: 'gcs'; uri: string };

export const videoJobSchema = z.object({
  id: z.string(),
  vendor: videoVendorSchema,
  /** The vendor's id (Sora video id, Seedance/Kling task id, Veo operation name); null until it answered. */
  remoteId: z.string().nullable(),
  model: z.string(),
  prompt: z.string(),
  /** The create options as sent (camelCase keys of the vendor's option schema), plus image file names. */
  params: z.record(z.string(), z.unknown()),
  status: videoStatusSchema,
  /** 0–100 when the vendor reports it (Sora); null otherwise. */
  progress: z.number().nullable(),
  error: videoErrorSchema.nullable(),
  /** Where the result can be fetched (a CDN URL, a `gs://` URI); null for Sora (fetched by id) or before. */
  remoteUrl: z.string().nullable(),
  download: videoDownloadStateSchema,
  /** Bytes written so far and the expected total, while downloading (and after). */
  downloadedBytes: z.number(),
  downloadTotal: z.number().nullable(),
  downloadError: z.string().nullable(),
  /** Paths relative to the library folder (served as app://library/<path>). */
  localFile: z.string().nullable(),
  thumbnail: z.string().nullable(),
  fileSize: z.number().nullable(),
  /** The job this one remixes (Sora), by local id. */
  parentId: z.string().nullable(),
  /** True when the job was deleted on the vendor's side (Sora) or the vendor no longer knows it. */
  remoteDeleted: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** When the vendor accepted the create; null while submitting. */
  submittedAt: z.number().nullable(),
  completedAt: z.number().nullable(),
  /** When the vendor's result link expires (Sora `expires_at`, Seedance +24 h), if known. */
  expiresAt: z.number().nullable(),
  /** Last time the vendor was asked for the status. */
  checkedAt: z.number().nullable(),
  /** Set while the job is in the trash (undo possible until `undoUntil` of the delete answer). */
  deletedAt: z.number().nullable(),
});
export type VideoJob = z.infer<typeof videoJobSchema>;

// ---------------------------------------------------------------------------------------------
// Create options per vendor (camelCase; the adapters map them to the wire names)

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

function klingSupportsSound(model: string): boolean {
  const match = /^kling-v(\d+)(?:-(\d+))?/.exec(model);
  if (!match) return true; // an unknown (newer) model: let the vendor decide
  const major = Number(match[1]);
  const minor = Number(match[2] ?? 0);
  return major > 2 || (major === 2 && minor >= 6);
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

// ---------------------------------------------------------------------------------------------
// What the forms show per vendor and model (`videos.vendors`)

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

// ---------------------------------------------------------------------------------------------
// Channels and events

const id = z.string().trim().min(1).max(100);

export const videoDeleteScopeSchema = z.enum(['local', 'remote', 'both']);
export type VideoDeleteScope = z.infer<typeof videoDeleteScopeSchema>;

export const videoListRequestSchema = z
  .object({
    vendor: videoVendorSchema.optional(),
    status: videoStatusSchema.optional(),
    /** Text search over prompts (substring, any language). */
    query: z.string().trim().max(500).optional(),
    limit: z.number().int().min(1).max(1000).default(500),
  })
  .strict();

export const videoChannels = {
  /**
   * Creates a job. The row is written (`submitting`) and a `videos.changed` sent before the request leaves;
   * resolves once the vendor answered (`queued`/`running`) or the send failed: a definite refusal (4xx) ends
   * `failed`; no answer (timeout, reset, 5xx) leaves `submitting` with an error, for the user to retry or not.
   */
  'videos.create': { request: videoCreateRequestSchema, response: videoJobSchema },
  /** The library, newest first, without the trash. */
  'videos.list': { request: videoListRequestSchema, response: z.array(videoJobSchema) },
  /** One job (also one in the trash). */
  'videos.get': { request: z.object({ id }).strict(), response: videoJobSchema },
  /** The whole remix tree this job belongs to (root first; follow `parentId`). */
  'videos.lineage': { request: z.object({ id }).strict(), response: z.array(videoJobSchema) },
  /** Asks the vendor for the status now (also wakes an `unknown` job's polling). */
  'videos.refresh': { request: z.object({ id }).strict(), response: videoJobSchema },
  /**
   * Sends again a create that never got an answer (`submitting`) or was refused (`failed` without a remote
   * id). Only on the user's confirmation: the first one may have been accepted and billed.
   */
  'videos.retryCreate': { request: z.object({ id }).strict(), response: videoJobSchema },
  /** Starts (or resumes) the download of a finished job; progress follows as `videos.downloadProgress`. */
  'videos.download': { request: z.object({ id }).strict(), response: videoJobSchema },
  /** Sora only: a new job remixing this one, linked by `parentId`. */
  'videos.remix': {
    request: z.object({ id, prompt: z.string().trim().min(1).max(32_000) }).strict(),
    response: videoJobSchema,
  },
  /**
   * `local`: the file (and thumbnail) go to the trash, the job stays, marked not downloaded.
   * `remote`: the vendor deletes it (Sora), the local copy stays. `both`: the vendor deletes it and the job
   * with its files goes to the trash. Local deletes can be undone until `undoUntil`.
   */
  'videos.delete': {
    request: z.object({ id, scope: videoDeleteScopeSchema }).strict(),
    response: z.object({ job: videoJobSchema, undoUntil: z.number().nullable() }),
  },
  /** Puts back what the last local delete moved to the trash. */
  'videos.undoDelete': { request: z.object({ id }).strict(), response: videoJobSchema },
  /** Imports the Sora videos of the account that the library does not know yet. */
  'videos.sync': {
    request: z.object({}).strict(),
    response: z.object({ imported: z.array(videoJobSchema), seen: z.number() }),
  },
  /** Models and option specs per vendor, for the create forms. */
  'videos.vendors': { request: z.object({}).strict(), response: z.array(videoVendorSpecSchema) },
} as const satisfies ChannelMap;

export const videoEvents = {
  /** A job was added or changed (status, progress, download, delete, undo). */
  'videos.changed': z.object({ job: videoJobSchema }),
  /** Download progress, at most a few times per second per job. */
  'videos.downloadProgress': z.object({ id: z.string(), bytes: z.number(), total: z.number().nullable() }),
} as const satisfies EventMap;

// ---------------------------------------------------------------------------------------------
// The catalogue behind `videos.vendors` (data: adding a model is a one-line change)

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
