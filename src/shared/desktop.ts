/**
 * Desktop housekeeping (issue 7): usage sums from what is stored, and the data folder (where it is, moving it,
 * backing it up to one archive file, restoring from one). Spread into contract.ts.
 */
import { z } from 'zod';
import type { ChannelMap, EventMap } from './channel-map';
import { costSumSchema } from './costs';
import { videoVendorSchema } from './videos/job';

/** A calendar day in the computer's time zone, `YYYY-MM-DD`. */
export const daySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-11-23')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00`)), 'is not a real date');

const absolutePath = z
  .string()
  .trim()
  .min(1, 'is empty')
  .max(4096)
  .refine(
    (value) => /^(\/|[a-zA-Z]:[\\/]|\\\\)/.test(value),
    'must be a full path, such as /media/disk/HubDesk',
  );

/** Tokens of the assistant replies of one model on one day, summed from each message's stored usage. */
export const tokenUsageRowSchema = z.object({
  day: z.string(),
  model: z.string(),
  messages: z.number().int(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedTokens: z.number(),
  reasoningTokens: z.number(),
  /** US dollars at the prices in force now (issue 18); items of a model with no price are counted apart. */
  cost: costSumSchema,
});
export type TokenUsageRow = z.infer<typeof tokenUsageRowSchema>;

/** Audio transcribed with one model on one day (from the transcripts' durations). */
export const audioUsageRowSchema = z.object({
  day: z.string(),
  model: z.string(),
  transcripts: z.number().int(),
  minutes: z.number(),
  cost: costSumSchema,
});
export type AudioUsageRow = z.infer<typeof audioUsageRowSchema>;

/** Video generated on one vendor on one day: succeeded jobs and the seconds they asked for. */
export const videoUsageRowSchema = z.object({
  day: z.string(),
  vendor: videoVendorSchema,
  videos: z.number().int(),
  seconds: z.number(),
  cost: costSumSchema,
});
export type VideoUsageRow = z.infer<typeof videoUsageRowSchema>;

export const usageSummarySchema = z.object({
  from: z.string(),
  to: z.string(),
  profileId: z.string().nullable(),
  tokens: z.array(tokenUsageRowSchema),
  /** Tokens the model spent naming conversations (a request of their own, apart from the replies). */
  titles: z.array(tokenUsageRowSchema),
  audio: z.array(audioUsageRowSchema),
  video: z.array(videoUsageRowSchema),
  /** With a profile filter: items in the range whose profile was never recorded (made before HubDesk kept it). */
  unattributed: z.number().int(),
});
export type UsageSummary = z.infer<typeof usageSummarySchema>;

/** A copy of the database HubDesk took before updating it (in the data folder's `backups`), newest first. */
export const updateCopySchema = z.object({
  path: z.string(),
  fromVersion: z.number().int(),
  toVersion: z.number().int(),
  /** When it was taken, ms since the epoch. */
  createdAt: z.number(),
  bytes: z.number(),
});
export type UpdateCopy = z.infer<typeof updateCopySchema>;

/** This run updated the database (schema `fromVersion` to `toVersion`) after keeping a copy at `copyPath`. */
export const databaseUpdateSchema = z.object({
  fromVersion: z.number().int(),
  toVersion: z.number().int(),
  copyPath: z.string(),
  /** An earlier update that was cut off (a crash) was undone from its copy first. */
  resumed: z.boolean(),
});
export type DatabaseUpdateNotice = z.infer<typeof databaseUpdateSchema>;

export const dataLocationSchema = z.object({
  dataDir: z.string(),
  databaseBytes: z.number(),
  libraryBytes: z.number(),
  /** The copies taken before updates, newest first (the last three are kept). */
  updateCopies: z.array(updateCopySchema),
  /** False when the folder was chosen by HUBDESK_DATA_DIR (or a CLI flag): then `notMovableReason` says why. */
  movable: z.boolean(),
  notMovableReason: z.string().optional(),
});
export type DataLocation = z.infer<typeof dataLocationSchema>;

export const dataOperationSchema = z.enum(['move', 'backup', 'restore']);

/** The code of `data.backup`'s refusal when a file is already at the target: the window asks before replacing it. */
export const BACKUP_TARGET_EXISTS = 'target_exists';
export type DataOperation = z.infer<typeof dataOperationSchema>;

export const backupResultSchema = z.object({
  path: z.string(),
  bytes: z.number(),
  files: z.number().int(),
});
export type BackupResult = z.infer<typeof backupResultSchema>;

export const desktopChannels = {
  /** Sums per day (local time), inclusive of both ends; all profiles unless `profileId` is given. */
  'usage.summary': {
    request: z
      .object({ from: daySchema, to: daySchema, profileId: z.string().trim().min(1).max(100).optional() })
      .strict()
      .refine((request) => request.from <= request.to, { message: 'must not be after "to"', path: ['from'] }),
    response: usageSummarySchema,
  },
  'data.location': { request: z.object({}).strict(), response: dataLocationSchema },
  /** The update this run made to the database, until the window has shown it (`data.dismissUpdateNotice`). */
  'data.updateNotice': { request: z.object({}).strict(), response: databaseUpdateSchema.nullable() },
  'data.dismissUpdateNotice': { request: z.object({}).strict(), response: z.object({}) },
  /**
   * Copies the database (SQLite's online backup) and the library into `target` (an empty or new folder), opens
   * the copy to check it, and records it as the data folder. Progress arrives as `data.progress`; on success
   * `data.reopen` follows and the app restarts from the new folder, which then removes the old one.
   */
  'data.move': {
    request: z.object({ target: absolutePath }).strict(),
    response: z.object({ dataDir: z.string() }),
  },
  /**
   * Writes the database and the library into one archive file at `target`. A file already there is refused unless
   * `overwrite` is true (a save dialog that asked the person first).
   */
  'data.backup': {
    request: z.object({ target: absolutePath, overwrite: z.boolean().optional() }).strict(),
    response: backupResultSchema,
  },
  /**
   * Verifies the whole archive first (sizes and SHA-256 of every file, the database opens) and refuses a corrupt
   * one without touching current data; then replaces the data, keeping the old aside until the app reopens.
   */
  'data.restore': {
    request: z.object({ source: absolutePath }).strict(),
    response: z.object({ files: z.number().int(), bytes: z.number() }),
  },
} as const satisfies ChannelMap;

/** What the OS's open dialog picks: folders, or files (Linux and Windows cannot offer both in one dialog). */
export const pathsDialogKindSchema = z.enum(['folders', 'files']);
export type PathsDialogKind = z.infer<typeof pathsDialogKindSchema>;

/** The OS's open dialog, where the shell has one (the browser harness has none: the page asks for a typed path). */
export const dialogChannels = {
  'dialog.available': { request: z.object({}).strict(), response: z.object({ openPaths: z.boolean() }) },
  /** The paths the user picked; empty when the dialog was cancelled or there is none. */
  'dialog.openPaths': {
    request: z.object({ kind: pathsDialogKindSchema }).strict(),
    response: z.object({ paths: z.array(z.string()) }),
  },
} as const satisfies ChannelMap;

/** The steps of a data operation, as codes the window words in its own language (see `dataSteps` in main). */
export const dataStepSchema = z.enum([
  'copyDatabase',
  'copyLibrary',
  'openCopy',
  'writeArchive',
  'checkBackup',
  'checkFiles',
  'openBackupDatabase',
  'replaceData',
  'done',
]);
export type DataStep = z.infer<typeof dataStepSchema>;

export const dataProgressSchema = z.object({
  operation: dataOperationSchema,
  /** What is being done now; the window words it in the UI language (settings:data.steps.*). */
  step: dataStepSchema,
  bytesDone: z.number(),
  bytesTotal: z.number(),
});
export type DataProgress = z.infer<typeof dataProgressSchema>;

export const desktopEvents = {
  'data.progress': dataProgressSchema,
  /** The data folder changed under the running app: the shell restarts it (the browser harness reloads). */
  'data.reopen': z.object({ reason: z.enum(['moved', 'restored']), dataDir: z.string() }),
} as const satisfies EventMap;
