import { randomBytes } from 'node:crypto';
import type { SyncProgress } from '../../../shared/sync';
import type { SyncRepo } from '../../store/sync-repo';
import { syncedTables } from '../../store/sync-rows-repo';
import { SYNC_FORMAT } from './sync-crypto';
import { encode, type Snapshot, type SnapshotPointer, type SyncEntry } from './sync-formats';
import type { RemoteLayout } from './sync-layout';
import type { SyncMerge } from './sync-merge';

/**
 * Writes a snapshot of every synced row and tombstone as this computer has them (which is everything up to `covers`),
 * points the remote at it, then removes the change sets and the snapshot it replaces. A computer that still needed a
 * removed change set finds it covered by the snapshot and applies that instead (sync-engine.ts).
 */
export async function compactRemote(input: {
  layout: RemoteLayout;
  repo: SyncRepo;
  merge: SyncMerge;
  covers: Record<string, number>;
  previous: SnapshotPointer | null;
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
  await layout.put(layout.pointerKey(), encode(pointer), signal);
  const removals: string[] = [];
  for (const [device, seq] of Object.entries(covers)) {
    for (let old = (previous?.covers[device] ?? 0) + 1; old <= seq; old += 1)
      removals.push(layout.changeKey(device, old));
  }
  if (previous) removals.push(layout.snapshotKey(previous.id));
  for (const [index, key] of removals.entries()) {
    signal?.throwIfAborted();
    await layout.delete(key, signal);
    onProgress?.({ phase: 'compact', done: index + 1, total: removals.length });
  }
}
