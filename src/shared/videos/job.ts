/** The one normalized video job of the library (docs/architecture.md §Rules 6): vendor, status, download, result. */
import { z } from 'zod';
import { errorReasonSchema } from '../error-reasons';

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
  /** HubDesk's own reason, which the window words (absent when `message` is the vendor's own words). */
  reason: errorReasonSchema.optional(),
  /** What the proxy said with a refusal, kept verbatim (redacted), shown beside the worded reason. */
  providerMessage: z.string().optional(),
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
  /** HubDesk's own reason for `downloadError`, which the window words. */
  downloadReason: errorReasonSchema.optional(),
  /** Paths relative to the library folder (served as app://library/<path>). */
  localFile: z.string().nullable(),
  thumbnail: z.string().nullable(),
  fileSize: z.number().nullable(),
  /** The job this one remixes (Sora), by local id. */
  parentId: z.string().nullable(),
  /** True when the job was deleted on the vendor's side (Sora) or the vendor no longer knows it. */
  remoteDeleted: z.boolean(),
  /**
   * True while another computer of the sync library makes it: that one asks the vendor, this one gets the result
   * by sync.
   */
  madeElsewhere: z.boolean().optional(),
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

/** `local`: the file only; `remote`: on the vendor's side only (Sora); `both`: the vendor's copy and the job. */
export const videoDeleteScopeSchema = z.enum(['local', 'remote', 'both']);
export type VideoDeleteScope = z.infer<typeof videoDeleteScopeSchema>;
