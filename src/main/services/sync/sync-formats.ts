import { z } from 'zod';
import { isSyncedTable, type SyncedTable, type SyncedValues } from '../../store/sync-rows-repo';
import { newerFormatError, SYNC_FORMAT } from './sync-crypto';

/**
 * One row's state in a change set or snapshot: every synced value (`c`) with each column's version (`v`), or a
 * tombstone (`d`, the delete's version). Whole rows travel, so any entry can create the row where it is missing.
 * `p` gives, for each segment cell this change edited, the version the sender held before its edit (tells a
 * concurrent edit from one that had seen ours; entries without it are merged by version alone).
 */
export interface SyncEntry {
  t: SyncedTable;
  id: string;
  c?: SyncedValues;
  v?: Record<string, string>;
  p?: Record<string, string>;
  d?: string;
}

const entrySchema = z.object({
  t: z.string().refine(isSyncedTable),
  id: z.string().min(1),
  c: z.record(z.string(), z.unknown()).optional(),
  v: z.record(z.string(), z.string()).optional(),
  p: z.record(z.string(), z.string()).optional(),
  d: z.string().optional(),
});

const deviceSeqs = z.record(z.string(), z.number().int().nonnegative());

/** Change set `seq` of `device`: applied only after `deps` (what that device had applied when it made it). */
const changeSetSchema = z.object({
  format: z.number().int(),
  kind: z.literal('changes'),
  device: z.string(),
  seq: z.number().int().positive(),
  deps: deviceSeqs,
  entries: z.array(entrySchema),
});
export type ChangeSet = Omit<z.infer<typeof changeSetSchema>, 'entries'> & { entries: SyncEntry[] };

/** Everything up to `covers` (per device, the last change set folded in), as rows and tombstones. */
const snapshotSchema = z.object({
  format: z.number().int(),
  kind: z.literal('snapshot'),
  covers: deviceSeqs,
  entries: z.array(entrySchema),
});
export type Snapshot = Omit<z.infer<typeof snapshotSchema>, 'entries'> & { entries: SyncEntry[] };

/** A device's head: the last change set it uploaded. */
const headSchema = z.object({
  format: z.number().int(),
  device: z.string(),
  seq: z.number().int().nonnegative(),
});
export type Head = z.infer<typeof headSchema>;

/** Where the current snapshot is, and what it covers. */
const snapshotPointerSchema = z.object({ format: z.number().int(), id: z.string(), covers: deviceSeqs });
export type SnapshotPointer = z.infer<typeof snapshotPointerSchema>;

export function encode(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value));
}

function decode<T>(schema: z.ZodType<T>, bytes: Uint8Array, what: string): T {
  const json = JSON.parse(Buffer.from(bytes).toString('utf8')) as { format?: unknown };
  if (typeof json.format === 'number' && json.format > SYNC_FORMAT) throw newerFormatError(json.format);
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`The ${what} is not in a form this HubDesk knows.`);
  return parsed.data;
}

export const decodeChangeSet = (bytes: Uint8Array) =>
  decode(changeSetSchema, bytes, 'change set') as ChangeSet;
export const decodeSnapshot = (bytes: Uint8Array) => decode(snapshotSchema, bytes, 'snapshot') as Snapshot;
export const decodeHead = (bytes: Uint8Array) => decode(headSchema, bytes, 'head');
export const decodeSnapshotPointer = (bytes: Uint8Array) =>
  decode(snapshotPointerSchema, bytes, 'snapshot pointer');
