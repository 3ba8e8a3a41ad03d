/** The videos channels and events of the contract. */
import { z } from 'zod';
import type { ChannelMap, EventMap } from '../channel-map';
import { videoCreateRequestSchema } from './create-request';
import { videoDeleteScopeSchema, videoJobSchema, videoStatusSchema, videoVendorSchema } from './job';
import { videoVendorSpecSchema } from './vendor-specs';

const id = z.string().trim().min(1).max(100);

/** An image a job was made from, as found on disk again: its path (what a create request names) and its bytes. */
const reusedImageSchema = z.object({
  name: z.string(),
  path: z.string(),
  mimeType: z.string(),
  dataBase64: z.string(),
});
export type ReusedImage = z.infer<typeof reusedImageSchema>;

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
  /**
   * A new job with the same vendor, model, prompt, options and images as this failed or cancelled one; the old job
   * stays until deleted. Nothing is re-sent for the old job.
   */
  'videos.recreate': { request: z.object({ id }).strict(), response: videoJobSchema },
  /**
   * The images a job was made from, read again from where they were chosen (Reuse prompt fills the form with
   * them); `missing` names those no longer there or no longer readable images.
   */
  'videos.reuseImages': {
    request: z.object({ id }).strict(),
    response: z.object({
      image: reusedImageSchema.nullable(),
      imageTail: reusedImageSchema.nullable(),
      missing: z.array(z.string()),
    }),
  },
  /** What the OS shell can do with a downloaded file here (the browser harness has no shell). */
  'videos.fileShell': {
    request: z.object({}).strict(),
    response: z.object({ saveDialog: z.boolean(), showInFolder: z.boolean() }),
  },
  /** Asks where to save a copy of the downloaded file (the OS save dialog), then copies it; null path: cancelled. */
  'videos.saveAs': {
    request: z.object({ id }).strict(),
    response: z.object({ path: z.string().nullable() }),
  },
  /** Shows the downloaded file selected in the OS file manager. */
  'videos.showInFolder': { request: z.object({ id }).strict(), response: z.object({ shown: z.boolean() }) },
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
