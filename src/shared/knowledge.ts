/** Knowledge bases over the user's folders and files (issue 17): what main reports about them. */
import { z } from 'zod';
import type { EventMap } from './channel-map';
import type { ErrorReason } from './error-reasons';

export const kbFileStatusSchema = z.enum(['indexed', 'failed', 'no-text']);
export type KbFileStatus = z.infer<typeof kbFileStatusSchema>;

export const kbProgressSchema = z.object({
  baseId: z.string(),
  name: z.string(),
  /** Files read and indexed (or found unchanged by hash) in this sync, out of `total` that needed reading. */
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** The file being read; null when the sync is finished. */
  current: z.string().nullable(),
  finished: z.boolean(),
  /** Files of this sync that could not be read so far (each keeps its error; `retry` reads them again). */
  failed: z.number().int().nonnegative(),
});
export type KbProgress = z.infer<typeof kbProgressSchema>;

export interface KbBaseSummary {
  id: string;
  name: string;
  createdAt: number;
  roots: string[];
  files: number;
  chunks: number;
  failed: number;
  noText: number;
  /** Paused by the user: no sync runs for it, also after a restart, until it is resumed. */
  paused: boolean;
  /** Its folders are watched now: what changes on disk is picked up while HubDesk runs. */
  watching: boolean;
}

export interface KbFileView {
  path: string;
  size: number;
  status: KbFileStatus;
  /** Why it failed or holds no text, in English (the CLI, the log). */
  error: string | null;
  /** The same as a code and values, which the window words; absent in rows from before reasons. */
  reason?: ErrorReason;
  pages: number | null;
  chunks: number;
}

/** What one sync changed. */
export interface KbSyncReport {
  added: number;
  changed: number;
  moved: number;
  deleted: number;
  unchanged: number;
  failed: number;
  noText: number;
}

export interface KbHit {
  chunkId: number;
  baseId: string;
  path: string;
  /** The whole chunk (what a model is given); `snippet` is the part around the words found. */
  text: string;
  page: number | null;
  line: number | null;
  heading: string;
  snippet: string;
  /** Higher is better. */
  score: number;
  /** Which half of the search found it: its words, its meaning (by embeddings), or both. */
  matchedBy?: 'keyword' | 'meaning' | 'both';
}

export const knowledgeEvents = {
  /** A sync of a base moved on: at most ~10 a second, and always its first and last step. */
  'kb.progress': kbProgressSchema,
  /** A base's summary changed (a sync finished; it was added, paused, resumed, removed; its watch started or stopped). */
  'kb.changed': z.object({ baseId: z.string() }),
} as const satisfies EventMap;
