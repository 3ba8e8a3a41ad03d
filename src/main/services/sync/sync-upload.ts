import type { SyncProgress, SyncReport } from '../../../shared/sync';
import type { SyncRepo } from '../../store/sync-repo';
import type { HybridClock } from './hlc';
import { SYNC_FORMAT } from './sync-crypto';
import { type ChangeSet, encode } from './sync-formats';
import type { RemoteLayout } from './sync-layout';
import type { SyncMerge } from './sync-merge';

/** A library unlocked on this computer: its device id, the remote's layout, the clock and merge of its versions. */
export interface SyncSession {
  device: string;
  layout: RemoteLayout;
  hlc: HybridClock;
  merge: SyncMerge;
}

/** Moves the outbox into change sets fixed in sync_pending, one transaction per change set. */
export function stampOutbox(session: SyncSession, repo: SyncRepo, entriesPerChangeSet: number): void {
  for (;;) {
    const items = repo.outbox(entriesPerChangeSet);
    if (items.length === 0) return;
    repo.transaction(() => {
      const entries = items.flatMap((item) => session.merge.stamp(item) ?? []);
      repo.removeFromOutbox(items);
      if (entries.length > 0) {
        const seq = Number(repo.state('next_seq') ?? 1);
        const changeSet: ChangeSet = {
          format: SYNC_FORMAT,
          kind: 'changes',
          device: session.device,
          seq,
          deps: repo.applied(),
          entries,
        };
        repo.addPending(seq, encode(changeSet));
        repo.setState('next_seq', String(seq + 1));
      }
      repo.setState('hlc', session.hlc.last());
    });
  }
}

/**
 * Uploads the change sets waiting in sync_pending, oldest first: the change set, then the device's head, then its
 * removal here. Cut off anywhere, the next run sends the same seq again (the same rows; a put replaces it whole).
 */
export async function uploadPending(
  session: SyncSession,
  repo: SyncRepo,
  report: Pick<SyncReport, 'uploaded'>,
  signal?: AbortSignal,
  onProgress?: (progress: SyncProgress) => void,
): Promise<void> {
  const pending = repo.pending();
  for (const [index, { seq, body }] of pending.entries()) {
    signal?.throwIfAborted();
    await session.layout.put(session.layout.changeKey(session.device, seq), body, signal);
    await session.layout.put(
      session.layout.headKey(session.device),
      encode({ format: SYNC_FORMAT, device: session.device, seq }),
      signal,
    );
    repo.transaction(() => {
      repo.removePending(seq);
      repo.setState('uploaded', String(seq));
    });
    report.uploaded += 1;
    onProgress?.({ phase: 'upload', done: index + 1, total: pending.length });
  }
}
