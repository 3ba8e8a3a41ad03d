/** Sync as the window sees it (issue 19): what a sync did, how far the running one is, and the state of it all. */
import { z } from 'zod';
import type { ChannelMap, EventMap } from './channel-map';
import { appErrorSchema } from './errors';
import { syncTargetSchema } from './sync-target';

/**
 * Something on the storage that was not applied: a change set that fails authentication, one that is missing, one
 * that waits for those; a media file that fails its check (`media`, not placed).
 */
export const syncProblemSchema = z.object({
  code: z.enum(['tampered', 'missing', 'waiting', 'media']),
  device: z.string(),
  seq: z.number().int(),
  message: z.string(),
});
export type SyncProblem = z.infer<typeof syncProblemSchema>;

export const syncReportSchema = z.object({
  /** Change sets uploaded. */
  uploaded: z.number().int(),
  /** Change sets and snapshots downloaded. */
  downloaded: z.number().int(),
  /** Change sets (and snapshots) applied here. */
  applied: z.number().int(),
  /** Rows created, changed or deleted here. */
  rows: z.number().int(),
  conflicts: z.number().int(),
  bytesUp: z.number(),
  bytesDown: z.number(),
  compacted: z.boolean(),
  problems: z.array(syncProblemSchema),
});
export type SyncReport = z.infer<typeof syncReportSchema>;

export const syncProgressSchema = z.object({
  phase: z.enum(['upload', 'apply', 'compact']),
  done: z.number().int(),
  total: z.number().int(),
});
export type SyncProgress = z.infer<typeof syncProgressSchema>;

export const lastSyncSchema = z.object({
  at: z.number(),
  report: syncReportSchema.optional(),
  error: appErrorSchema.optional(),
});
export type LastSync = z.infer<typeof lastSyncSchema>;

/** Media from the other computers: every sync brings all of it, or only thumbnails and images (videos and kept audio when opened). */
export const syncMediaModes = ['eager', 'on-demand'] as const;
export const syncMediaModeSchema = z.enum(syncMediaModes);
export type SyncMediaMode = z.infer<typeof syncMediaModeSchema>;

/** A file a synced row names that is not on this computer yet. */
export const syncMediaFileSchema = z.object({
  kind: z.enum(['video', 'thumbnail', 'audio', 'image']),
  /** The row that names it: a video job, a transcript or a message. */
  owner: z.string(),
  path: z.string(),
  sha256: z.string(),
  size: z.number(),
});
export type SyncMediaFile = z.infer<typeof syncMediaFileSchema>;

export const syncMediaProgressSchema = z.object({ sha256: z.string(), got: z.number(), total: z.number() });
export type SyncMediaProgress = z.infer<typeof syncMediaProgressSchema>;

export const syncStatusSchema = z.object({
  configured: z.boolean(),
  target: syncTargetSchema.nullable(),
  /** The storage without secrets (`folder /path`, `webdav https://…`). */
  describe: z.string().nullable(),
  /** This computer's id in the library (random, made at setup). */
  device: z.string().nullable(),
  /** Changes made here that are not on the storage yet. */
  waiting: z.object({ rows: z.number().int(), changeSets: z.number().int() }),
  running: z.boolean(),
  /** Syncing in the background is paused (Sync now still works). */
  paused: z.boolean(),
  last: lastSyncSchema.nullable(),
  /** When the next background sync is due, when one is. */
  nextAt: z.number().nullable(),
  /** How media comes here, and the files other computers have that are not here yet. */
  media: z.object({
    mode: syncMediaModeSchema,
    waiting: z.object({ files: z.number().int(), bytes: z.number() }),
  }),
  /**
   * The last sync could not reach the storage (since the first such sync): changes here wait, and the background
   * sync probes the storage at `nextAt` and syncs as soon as it answers.
   */
  offline: z.object({ since: z.number() }).nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

/** Why a storage cannot be used, as a code the window words. */
export const remoteProblems = [
  'address',
  'auth',
  'permission',
  'clock_skew',
  'not_found',
  'tls',
  'unknown',
] as const;

export type RemoteProblem = (typeof remoteProblems)[number];

export const connectionReportSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), latencyMs: z.number() }),
  z.object({
    ok: z.literal(false),
    problem: z.enum(remoteProblems),
    detail: z.string(),
    status: z.number().int().optional(),
    skewMs: z.number().optional(),
  }),
]);

export type ConnectionReport = z.infer<typeof connectionReportSchema>;

const secret = z.string().max(4096);
const passphrase = z.string().max(1024);

export const syncChannels = {
  'sync.status': { request: z.object({}).strict(), response: syncStatusSchema },
  /** Tries the storage with these details (list, write, read, delete a probe) without keeping anything. */
  'sync.test': {
    request: z.object({ target: syncTargetSchema, secret }).strict(),
    response: connectionReportSchema,
  },
  /** Checks the storage, unlocks (or starts) the library with the passphrase, keeps it all, then syncs. */
  'sync.setup': {
    request: z
      .object({ target: syncTargetSchema, secret, passphrase, media: syncMediaModeSchema.optional() })
      .strict(),
    response: syncStatusSchema,
  },
  'sync.now': { request: z.object({}).strict(), response: syncReportSchema },
  'sync.pause': { request: z.object({ paused: z.boolean() }).strict(), response: syncStatusSchema },
  /** Brings media eagerly (every sync) or on demand (thumbnails and images; a video or audio when opened). */
  'sync.setMedia': { request: z.object({ mode: syncMediaModeSchema }).strict(), response: syncStatusSchema },
  /** Files the synced rows name that are not here yet (the first 1,000, or those one row names). */
  'sync.waitingMedia': {
    request: z.object({ owner: z.string().optional() }).strict(),
    response: z.array(syncMediaFileSchema),
  },
  /** Fetches one file by its hash now, verified, and places it; the paths placed. Progress: sync.mediaProgress. */
  'sync.fetchMedia': {
    request: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    response: z.object({ placed: z.array(z.string()) }),
  },
  /** Stops syncing here: the storage details and secrets are forgotten; the library here and there stays. */
  'sync.off': { request: z.object({}).strict(), response: syncStatusSchema },
} as const satisfies ChannelMap;

/**
 * What a sync applied from the other computers, by id: the window reads again what it shows of these (the open
 * thread, the Videos library, the open transcript). A conversation is listed when its row or any of its messages
 * changed.
 */
export const syncAppliedSchema = z.object({
  conversations: z.array(z.string()),
  videos: z.array(z.string()),
  transcripts: z.array(z.string()),
});
export type SyncApplied = z.infer<typeof syncAppliedSchema>;

export const syncEvents = {
  'sync.progress': syncProgressSchema,
  'sync.changed': syncStatusSchema,
  'sync.applied': syncAppliedSchema,
  'sync.mediaProgress': syncMediaProgressSchema,
} as const satisfies EventMap;
