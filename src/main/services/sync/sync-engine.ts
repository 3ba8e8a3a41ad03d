// Past 400 lines: one sync run (heads, download in dependency order, snapshots, compaction) shares its state here.
import { randomBytes } from 'node:crypto';
import type { SyncMediaMode, SyncProgress, SyncReport } from '../../../shared/sync';
import type { Clock } from '../../base/clock';
import { HubError } from '../../base/errors';
import type { RemoteStore } from '../../remotes/remote-store';
import type { SegmentAlternativesRepo } from '../../store/segment-alternatives-repo';
import type { MediaEntry } from '../../store/sync-files-repo';
import type { SyncRepo } from '../../store/sync-repo';
import type { SyncRowsRepo } from '../../store/sync-rows-repo';
import { HybridClock } from './hlc';
import type { AppliedChanges } from './sync-applied';
import {
  compactRemote,
  coveredByAny,
  outermost,
  readSnapshotPointers,
  type StoredPointer,
} from './sync-compaction';
import {
  createLibraryKeys,
  type KdfParams,
  type LibraryKeys,
  TamperedBlobError,
  unlockLibraryKeys,
} from './sync-crypto';
import {
  type ChangeSet,
  decodeChangeSet,
  decodeHead,
  decodeSnapshot,
  type SnapshotPointer,
} from './sync-formats';
import { KEYS_OBJECT, RemoteLayout } from './sync-layout';
import { MediaSync } from './sync-media';
import { SyncMerge } from './sync-merge';
import { type SyncSession, stampOutbox, uploadPending } from './sync-upload';

export interface SyncEngineOptions {
  remote: RemoteStore;
  repo: SyncRepo;
  rows: SyncRowsRepo;
  /** Where a segment correction that lost to a concurrent one is kept (left out, it is only counted). */
  alternatives?: SegmentAlternativesRepo;
  clock: Pick<Clock, 'now'>;
  /** Rows per change set (default 2000). */
  entriesPerChangeSet?: number;
  /** Change sets on the remote past the snapshot before a sync folds them into a new one (default 500). */
  compactAfter?: number;
  /** The KDF of a new library (tests of the format may pass their own). */
  kdf?: KdfParams;
  /** The library folder: media go by content when given (tests of rows alone may leave it out). */
  libraryDir?: string;
  /** Whether a sync fetches every file or only thumbnails and images (default eager). */
  mediaMode?: () => SyncMediaMode;
  onMediaPlaced?: (entries: MediaEntry[]) => void;
}

type Connected = SyncSession & { keys: LibraryKeys; media: MediaSync | undefined };

/**
 * Two-way sync of the library through a RemoteStore: this computer's changes go up as immutable change sets
 * (`change/<device>/<seq>`), every other computer's are applied here once, in their order and after what they
 * depended on. Each step can be cut off (kill -9) and run again: a change set is fixed in `sync_pending` before it is
 * uploaded and removed only after its head moved; a remote one is applied in one transaction with its mark.
 */
export class SyncEngine {
  private connected: Connected | undefined;
  /** Where the run in progress notes the rows it applies (for the window). */
  private noting: AppliedChanges | undefined;

  constructor(private readonly options: SyncEngineOptions) {}

  /**
   * Unlocks the remote's library with the passphrase, or starts one on an empty remote. A wrong passphrase or a
   * newer format is refused before anything is written. A library new to this computer gets a fresh device id and
   * everything here goes into the outbox.
   */
  async connect(passphrase: string, signal?: AbortSignal): Promise<{ library: string; created: boolean }> {
    const { remote, repo } = this.options;
    const existing = await remote.get(KEYS_OBJECT, signal);
    let keys: LibraryKeys;
    if (existing) {
      keys = await unlockLibraryKeys(existing, passphrase);
    } else {
      const made = await createLibraryKeys(passphrase, this.options.kdf);
      await remote.put(KEYS_OBJECT, made.object, signal);
      keys = made.keys;
    }
    if (repo.state('library') !== keys.library) {
      repo.resetForLibrary();
      repo.transaction(() => {
        repo.setState('library', keys.library);
        repo.setState('device', randomBytes(8).toString('hex'));
        repo.enqueueAll();
      });
    }
    const device = repo.state('device') ?? '';
    const hlc = new HybridClock(this.options.clock, device, repo.state('hlc'));
    this.connected = {
      keys,
      device,
      layout: new RemoteLayout(remote, keys),
      hlc,
      merge: new SyncMerge(
        repo,
        this.options.rows,
        hlc,
        this.options.alternatives
          ? { alternatives: this.options.alternatives, now: () => this.options.clock.now() }
          : undefined,
      ),
      media: this.options.libraryDir
        ? new MediaSync({
            remote,
            keys,
            repo,
            libraryDir: this.options.libraryDir,
            ...(this.options.onMediaPlaced ? { onPlaced: this.options.onMediaPlaced } : {}),
          })
        : undefined,
    };
    return { library: keys.library, created: !existing };
  }

  /** The media of this library once connected (none without a library folder). */
  get media(): MediaSync | undefined {
    return this.connected?.media;
  }

  get device(): string | undefined {
    return this.connected?.device;
  }

  /** One sync; what it applies from elsewhere is noted in `applied` (also when it fails halfway). */
  async syncOnce(
    options: {
      signal?: AbortSignal;
      onProgress?: (progress: SyncProgress) => void;
      applied?: AppliedChanges;
    } = {},
  ): Promise<SyncReport> {
    this.noting = options.applied;
    try {
      return await this.runOnce(options);
    } finally {
      this.noting = undefined;
    }
  }

  private async runOnce(options: {
    signal?: AbortSignal;
    onProgress?: (progress: SyncProgress) => void;
  }): Promise<SyncReport> {
    const state = this.require();
    const { signal, onProgress } = options;
    const report = emptyReport();
    state.layout.bytesUp = 0;
    state.layout.bytesDown = 0;
    await state.media?.scan(signal);
    this.stamp(state);
    // Files first: a change set that names a file is applied elsewhere when the file is already there to fetch.
    await state.media?.upload(report, signal);
    await uploadPending(state, this.options.repo, report, signal, onProgress);
    const heads = await this.readHeads(state, report, signal);
    await this.download(state, heads, report, signal, onProgress);
    this.stamp(state);
    await uploadPending(state, this.options.repo, report, signal, onProgress);
    await state.media?.fetch(report, this.options.mediaMode?.() ?? 'eager', signal);
    const compactAfter = this.options.compactAfter ?? 500;
    if (report.problems.length === 0) {
      const covered = coveredByAny(await readSnapshotPointers(state.layout, signal));
      heads.set(state.device, Number(this.options.repo.state('uploaded') ?? 0));
      const uncovered = [...heads].reduce(
        (sum, [device, seq]) => sum + Math.max(0, seq - (covered[device] ?? 0)),
        0,
      );
      if (uncovered > compactAfter) {
        await this.compact({ ...(signal ? { signal } : {}), ...(onProgress ? { onProgress } : {}) });
        report.compacted = true;
      }
    }
    report.bytesUp += state.layout.bytesUp;
    report.bytesDown += state.layout.bytesDown;
    return report;
  }

  /** Folds every change set applied here into a new snapshot and removes the change sets it covers. */
  async compact(
    options: {
      signal?: AbortSignal;
      onProgress?: (progress: SyncProgress) => void;
      /** Where a snapshot applied first (it covered more than this computer had) notes its rows. */
      applied?: AppliedChanges;
    } = {},
  ) {
    const { applied, ...rest } = options;
    if (!applied || this.noting) return this.compactNow(rest);
    this.noting = applied;
    try {
      return await this.compactNow(rest);
    } finally {
      this.noting = undefined;
    }
  }

  private async compactNow(options: { signal?: AbortSignal; onProgress?: (progress: SyncProgress) => void }) {
    const state = this.require();
    this.stamp(state);
    const report = emptyReport();
    await uploadPending(state, this.options.repo, report, options.signal, options.onProgress);
    const previous = await readSnapshotPointers(state.layout, options.signal);
    // A snapshot that covers more than this computer has applied goes in first, or the change sets it alone still
    // stands for would be lost with it.
    for (const { pointer } of previous) {
      const applied = this.options.repo.applied();
      if (!Object.entries(pointer.covers).some(([d, seq]) => d !== state.device && (applied[d] ?? 0) < seq))
        continue;
      await this.applySnapshot(state, pointer, report, options.signal);
      if (report.problems.length > 0)
        throw new HubError({
          kind: 'server',
          code: 'sync_snapshot_unreadable',
          reason: { code: 'syncSnapshotUnreadable', values: {} },
          message: report.problems[0]?.message ?? '',
        });
    }
    const covers = {
      ...this.options.repo.applied(),
      [state.device]: Number(this.options.repo.state('uploaded') ?? 0),
    };
    await compactRemote({
      layout: state.layout,
      repo: this.options.repo,
      merge: state.merge,
      covers,
      previous,
      ...options,
    });
  }

  /** The other devices' heads; a head that fails authentication is reported and its device left alone. */
  private async readHeads(
    state: Connected,
    report: SyncReport,
    signal?: AbortSignal,
  ): Promise<Map<string, number>> {
    const heads = new Map<string, number>();
    for (const key of await state.layout.headKeys(signal)) {
      try {
        const bytes = await state.layout.get(key, signal);
        if (!bytes) continue;
        const head = decodeHead(bytes);
        if (state.layout.headKey(head.device) !== key)
          throw new TamperedBlobError(`The head ${key} was moved.`);
        if (head.device !== state.device) heads.set(head.device, head.seq);
      } catch (error) {
        if (!(error instanceof TamperedBlobError)) throw error;
        report.problems.push({ code: 'tampered', device: '?', seq: 0, message: error.message });
      }
    }
    return heads;
  }

  private async download(
    state: Connected,
    heads: Map<string, number>,
    report: SyncReport,
    signal?: AbortSignal,
    onProgress?: (progress: SyncProgress) => void,
  ): Promise<void> {
    const { repo } = this.options;
    let applied = repo.applied();
    let pointers: StoredPointer[] = await readSnapshotPointers(state.layout, signal);
    let pointersReread = false;
    const snapshotsTried = new Set<string>();
    const applySnapshot = async (stored: StoredPointer) => {
      snapshotsTried.add(stored.pointer.id);
      await this.applySnapshot(state, stored.pointer, report, signal);
      applied = repo.applied();
    };
    /**
     * A snapshot that stands for a change set no longer on the storage; the pointers are read again once, for a
     * compaction that finished after they were read.
     */
    const snapshotCovering = async (device: string, seq: number) => {
      const find = () =>
        pointers.find(
          ({ pointer }) => !snapshotsTried.has(pointer.id) && (pointer.covers[device] ?? 0) >= seq,
        );
      if (find() || pointersReread) return find();
      pointersReread = true;
      pointers = await readSnapshotPointers(state.layout, signal);
      return find();
    };
    if (Object.keys(applied).length === 0)
      for (const stored of outermost(pointers))
        if (Object.keys(stored.pointer.covers).some((d) => d !== state.device)) await applySnapshot(stored);

    const total = [...heads].reduce(
      (sum, [device, seq]) => sum + Math.max(0, seq - (applied[device] ?? 0)),
      0,
    );
    const stopped = new Set<string>();
    const fetched = new Map<string, ChangeSet>();
    for (let progress = true; progress; ) {
      progress = false;
      for (const [device, head] of heads) {
        for (
          let seq = (applied[device] ?? 0) + 1;
          seq <= head && !stopped.has(device);
          seq = (applied[device] ?? 0) + 1
        ) {
          signal?.throwIfAborted();
          const key = state.layout.changeKey(device, seq);
          let changeSet = fetched.get(key);
          if (!changeSet) {
            let bytes: Uint8Array | null;
            try {
              bytes = await state.layout.get(key, signal);
            } catch (error) {
              if (!(error instanceof TamperedBlobError)) throw error;
              stopped.add(device);
              report.problems.push({
                code: 'tampered',
                device,
                seq,
                message: `Change set ${seq} of device ${device} failed authentication (changed or moved on the storage); it and what follows it were not applied.`,
              });
              break;
            }
            if (!bytes) {
              const covering = await snapshotCovering(device, seq);
              if (covering) {
                await applySnapshot(covering);
                progress = true;
                continue;
              }
              stopped.add(device);
              report.problems.push({
                code: 'missing',
                device,
                seq,
                message: `Change set ${seq} of device ${device} is missing from the storage; nothing after it from that device was applied.`,
              });
              break;
            }
            report.downloaded += 1;
            changeSet = decodeChangeSet(bytes);
            if (changeSet.device !== device || changeSet.seq !== seq) {
              stopped.add(device);
              report.problems.push({
                code: 'tampered',
                device,
                seq,
                message: `Change set ${seq} of device ${device} holds another change set.`,
              });
              break;
            }
            fetched.set(key, changeSet);
          }
          const ready = Object.entries(changeSet.deps).every(
            ([other, needed]) => other === state.device || (applied[other] ?? 0) >= needed,
          );
          if (!ready) break;
          this.applyChangeSet(state, changeSet, report, () =>
            onProgress?.({ phase: 'apply', done: report.applied + 1, total }),
          );
          fetched.delete(key);
          applied = repo.applied();
          progress = true;
        }
      }
    }
    for (const [device, head] of heads) {
      const seq = (applied[device] ?? 0) + 1;
      if (seq <= head && !stopped.has(device))
        report.problems.push({
          code: 'waiting',
          device,
          seq,
          message: `Change set ${seq} of device ${device} depends on changes that could not be applied; it waits.`,
        });
    }
  }

  private applyChangeSet(
    state: Connected,
    changeSet: ChangeSet,
    report: SyncReport,
    written: () => void,
  ): void {
    const { repo } = this.options;
    repo.applying(() => {
      // Another process on this data folder may have applied it meanwhile.
      if ((repo.applied()[changeSet.device] ?? 0) >= changeSet.seq) return;
      this.stamp(state);
      this.noting?.note(changeSet.entries, this.options.rows);
      const counts = state.merge.apply(changeSet.entries);
      written();
      repo.markApplied(changeSet.device, changeSet.seq);
      repo.setState('hlc', state.hlc.last());
      report.rows += counts.rows;
      report.conflicts += counts.conflicts;
      report.applied += 1;
    });
  }

  private async applySnapshot(
    state: Connected,
    pointer: SnapshotPointer,
    report: SyncReport,
    signal?: AbortSignal,
  ): Promise<void> {
    const { repo } = this.options;
    let bytes: Uint8Array | null;
    try {
      bytes = await state.layout.get(state.layout.snapshotKey(pointer.id), signal);
    } catch (error) {
      if (!(error instanceof TamperedBlobError)) throw error;
      report.problems.push({
        code: 'tampered',
        device: '?',
        seq: 0,
        message: 'The snapshot failed authentication; it was not applied.',
      });
      return;
    }
    if (!bytes) {
      report.problems.push({
        code: 'missing',
        device: '?',
        seq: 0,
        message: 'The snapshot named by the storage is missing.',
      });
      return;
    }
    report.downloaded += 1;
    const snapshot = decodeSnapshot(bytes);
    repo.applying(() => {
      this.stamp(state);
      this.noting?.note(snapshot.entries, this.options.rows);
      const counts = state.merge.apply(snapshot.entries);
      for (const [device, seq] of Object.entries(snapshot.covers))
        if (device !== state.device) repo.markApplied(device, seq);
      repo.setState('hlc', state.hlc.last());
      report.rows += counts.rows;
      report.conflicts += counts.conflicts;
      report.applied += 1;
    });
  }

  private stamp(state: Connected): void {
    stampOutbox(state, this.options.repo, this.options.entriesPerChangeSet ?? 2000);
  }

  private require(): Connected {
    if (!this.connected)
      throw new HubError({
        kind: 'internal',
        message: 'Sync is not connected: unlock the library first.',
        reason: { code: 'syncNotConnected', values: {} },
      });
    return this.connected;
  }
}

function emptyReport(): SyncReport {
  return {
    uploaded: 0,
    downloaded: 0,
    applied: 0,
    rows: 0,
    conflicts: 0,
    bytesUp: 0,
    bytesDown: 0,
    compacted: false,
    problems: [],
  };
}
