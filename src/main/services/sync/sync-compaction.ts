import { randomBytes } from 'node:crypto';
import type { SyncProgress } from '../../../shared/sync';
import type { SyncRepo } from '../../store/sync-repo';
import { syncedTables } from '../../store/sync-rows-repo';
import { SYNC_FORMAT, TamperedBlobError } from './sync-crypto';
import {
  decodeSnapshotPointer,
  encode,
  type Snapshot,
  type SnapshotPointer,
  type SyncEntry,
} from './sync-formats';
import type { RemoteLayout } from './sync-layout';
import type { SyncMerge } from './sync-merge';

/** A snapshot's pointer as found on the storage, with the key it is under. */
export interface StoredPointer {
  key: string;
  pointer: SnapshotPointer;
}

/**
 * Every snapshot pointer on the storage. Several can be there at once (two computers compacted at the same time);
 * none is ever rewritten, so a compaction cannot overwrite another's and lose what only that one covers.
 */
export async function readSnapshotPointers(
  layout: RemoteLayout,
  signal?: AbortSignal,
): Promise<StoredPointer[]> {
  const found: StoredPointer[] = [];
  for (const key of await layout.pointerKeys(signal)) {
    const bytes = await layout.get(key, signal);
    if (!bytes) continue;
    const pointer = decodeSnapshotPointer(bytes);
    if (key !== layout.snapshotPointerKey(pointer.id) && key !== layout.pointerKey())
      throw new TamperedBlobError(`The snapshot pointer ${key} was moved.`);
    found.push({ key, pointer });
  }
  return found;
}

/** Whether `covers` holds every change set `other` holds (so a snapshot of it stands for one of `other`). */
export function coversAll(covers: Record<string, number>, other: Record<string, number>): boolean {
  return Object.entries(other).every(([device, seq]) => (covers[device] ?? 0) >= seq);
}

/** Per device, the last change set any of these snapshots covers. */
export function coveredByAny(pointers: readonly StoredPointer[]): Record<string, number> {
  const covered: Record<string, number> = {};
  for (const { pointer } of pointers)
    for (const [device, seq] of Object.entries(pointer.covers))
      covered[device] = Math.max(covered[device] ?? 0, seq);
  return covered;
}

/**
 * The snapshots a computer new to the library starts from: those no other snapshot stands for (usually one; two
 * after concurrent compactions, each covering change sets the other does not).
 */
export function outermost(pointers: readonly StoredPointer[]): StoredPointer[] {
  return pointers.filter((candidate) => !pointers.some((other) => replaces(other, candidate)));
}

/** `winner` stands for `loser`: it covers all of it, and of two that cover the same, the one with the larger id. */
function replaces(winner: StoredPointer, loser: StoredPointer): boolean {
  if (winner.pointer.id === loser.pointer.id) return false;
  if (!coversAll(winner.pointer.covers, loser.pointer.covers)) return false;
  if (!coversAll(loser.pointer.covers, winner.pointer.covers)) return true;
  return winner.pointer.id > loser.pointer.id;
}

/**
 * Writes a snapshot of every synced row and tombstone as this computer has them (which is everything up to `covers`)
 * and its own pointer, then reads the pointers back and removes only what a snapshot that is there now stands for:
 * the change sets up to `covers` (this snapshot's, read back), and every snapshot another one there replaces. Safe when another
 * computer compacts at the same time: neither overwrites the other's pointer, a change set goes only when a snapshot
 * on the storage covers it, and a snapshot goes only when another on the storage covers all of it. A computer that
 * still needed a removed change set applies a snapshot that covers it instead (sync-engine.ts).
 */
export async function compactRemote(input: {
  layout: RemoteLayout;
  repo: SyncRepo;
  merge: SyncMerge;
  covers: Record<string, number>;
  /** The pointers read before this snapshot was made (their change sets were removed by their compactions). */
  previous: readonly StoredPointer[];
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
}): Promise<void> {
  const { layout, repo, merge, covers, previous, signal, onProgress } = input;
  const entries: SyncEntry[] = [];
  for (const table of syncedTables) {
    for (const { id, versions } of repo.versionedRows(table)) {
      const entry = merge.current(table, id, versions);
      if (entry) entries.push(entry);
    }
  }
  for (const { table, id, version } of repo.tombstones()) entries.push({ t: table, id, d: version });
  const id = randomBytes(12).toString('hex');
  const snapshot: Snapshot = { format: SYNC_FORMAT, kind: 'snapshot', covers, entries };
  await layout.put(layout.snapshotKey(id), encode(snapshot), signal);
  const pointer: SnapshotPointer = { format: SYNC_FORMAT, id, covers };
  await layout.put(layout.snapshotPointerKey(id), encode(pointer), signal);

  const present = await readSnapshotPointers(layout, signal);
  const own = present.find((stored) => stored.pointer.id === id);
  // Gone already: another computer's snapshot, written meanwhile, stands for this one and removes what it covers.
  if (!own) return;
  const removedBefore: Record<string, number> = {};
  for (const stored of previous) {
    if (!coversAll(covers, stored.pointer.covers)) continue;
    for (const [device, seq] of Object.entries(stored.pointer.covers))
      removedBefore[device] = Math.max(removedBefore[device] ?? 0, seq);
  }
  const removals: string[] = [];
  for (const [device, seq] of Object.entries(own.pointer.covers)) {
    for (let old = (removedBefore[device] ?? 0) + 1; old <= seq; old += 1)
      removals.push(layout.changeKey(device, old));
  }
  // Every snapshot another one there stands for (this one too, when one covers as much and wins the tie), the
  // pointer first: from then on no computer starts from a snapshot that is about to go.
  for (const replaced of present.filter((stored) => present.some((other) => replaces(other, stored))))
    removals.push(replaced.key, layout.snapshotKey(replaced.pointer.id));
  for (const [index, key] of removals.entries()) {
    signal?.throwIfAborted();
    await layout.delete(key, signal);
    onProgress?.({ phase: 'compact', done: index + 1, total: removals.length });
  }
}
