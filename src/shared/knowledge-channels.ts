/** Knowledge bases in the window (issue 17): the channels of the Knowledge page, spread into contract.ts. */
import { z } from 'zod';
import type { ChannelMap } from './channel-map';
import { errorReasonSchema } from './error-reasons';
import type { KbBaseSummary, KbFileView, KbHit, KbSyncReport } from './knowledge';
import { kbFileStatusSchema, kbProgressSchema } from './knowledge';

export const kbNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');
const pathSchema = z.string().trim().min(1, 'is empty').max(4096);
const nameOnly = z.object({ name: kbNameSchema }).strict();

export const kbBaseSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.number(),
  roots: z.array(z.string()),
  files: z.number().int(),
  chunks: z.number().int(),
  failed: z.number().int(),
  noText: z.number().int(),
  paused: z.boolean(),
  watching: z.boolean(),
}) satisfies z.ZodType<KbBaseSummary>;

export const kbFileViewSchema = z.object({
  path: z.string(),
  size: z.number(),
  status: kbFileStatusSchema,
  error: z.string().nullable(),
  reason: errorReasonSchema.optional(),
  pages: z.number().int().nullable(),
  chunks: z.number().int(),
}) satisfies z.ZodType<KbFileView>;

export const kbSyncReportSchema = z.object({
  added: z.number().int(),
  changed: z.number().int(),
  moved: z.number().int(),
  deleted: z.number().int(),
  unchanged: z.number().int(),
  failed: z.number().int(),
  noText: z.number().int(),
}) satisfies z.ZodType<KbSyncReport>;

/** A search hit as the window shows it: without the whole chunk text the model would get. */
export const kbHitViewSchema = z.object({
  chunkId: z.number().int(),
  baseId: z.string(),
  path: z.string(),
  page: z.number().int().nullable(),
  line: z.number().int().nullable(),
  heading: z.string(),
  snippet: z.string(),
  score: z.number(),
}) satisfies z.ZodType<Omit<KbHit, 'text'>>;
export type KbHitView = z.infer<typeof kbHitViewSchema>;

export const kbStatusSchema = z.object({
  base: kbBaseSummarySchema,
  files: z.array(kbFileViewSchema),
  progress: kbProgressSchema.nullable(),
});
export type KbStatusView = z.infer<typeof kbStatusSchema>;

/**
 * What is at a path the user typed: `folder` and `file` (one HubDesk reads) can join a base; `unsupported` is a
 * file of a kind it does not read; `missing` is nothing there (or nothing HubDesk may look at).
 */
export const kbPathKindSchema = z.enum(['folder', 'file', 'unsupported', 'missing']);
export type KbPathKind = z.infer<typeof kbPathKindSchema>;

export const knowledgeChannels = {
  'kb.list': { request: z.object({}).strict(), response: z.array(kbBaseSummarySchema) },
  /** The base, its files with their status, and the sync under way (if one is). */
  'kb.status': { request: nameOnly, response: kbStatusSchema },
  /**
   * Creates a base over the folders and files and resolves when its first sync is done; the base is listed (and
   * `kb.progress` sent) from the moment it is created.
   */
  'kb.add': {
    request: z
      .object({ name: kbNameSchema, paths: z.array(pathSchema).min(1, 'needs a folder or file').max(200) })
      .strict(),
    response: z.object({ base: kbBaseSummarySchema, report: kbSyncReportSchema }),
  },
  /** Picks up what changed on disk now; joins a sync already waiting or under way. */
  'kb.sync': { request: nameOnly, response: kbSyncReportSchema },
  /** Stops its sync after the file being read; none runs (and its folders are not watched) until `kb.resume`. */
  'kb.pause': { request: nameOnly, response: z.object({ paused: z.literal(true) }) },
  /** Unpauses the base and resolves when the sync that picks up what changed meanwhile is done. */
  'kb.resume': { request: nameOnly, response: kbSyncReportSchema },
  /** Reads the failed files again (or only the file at `path`, whatever its state), changed on disk or not. */
  'kb.retry': {
    request: z.object({ name: kbNameSchema, path: pathSchema.optional() }).strict(),
    response: kbSyncReportSchema,
  },
  /** Stops its sync and forgets the base; the user's files stay where they are. */
  'kb.remove': { request: nameOnly, response: z.object({ removed: z.literal(true) }) },
  'kb.search': {
    request: z
      .object({
        name: kbNameSchema,
        query: z.string().trim().min(1, 'must not be empty').max(1000),
        limit: z.number().int().min(1).max(100).default(20),
      })
      .strict(),
    response: z.array(kbHitViewSchema),
  },
  /**
   * Opens the file of a passage found by `kb.search` with the OS's app, at its page where it can; the path is the
   * stored one. `opened` is false where main has no OS shell (the browser harness).
   */
  'kb.open': {
    request: z.object({ chunkId: z.number().int().positive() }).strict(),
    response: z.object({ opened: z.boolean() }),
  },
  /**
   * How many of the base's passages are embedded for the current embedding model (searchable by meaning); null
   * when HubDesk has no embedding model (only words search then).
   */
  'kb.meaning': {
    request: nameOnly,
    response: z.object({ embedded: z.number().int(), total: z.number().int() }).nullable(),
  },
  /** What is at a typed path (`~` is the home folder), and its full form; before it joins a new base. */
  'kb.checkPath': {
    request: z.object({ path: pathSchema }).strict(),
    response: z.object({ path: z.string(), kind: kbPathKindSchema }),
  },
} as const satisfies ChannelMap;
