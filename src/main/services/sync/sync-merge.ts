import { createHash } from 'node:crypto';
import type { SegmentAlternativesRepo } from '../../store/segment-alternatives-repo';
import type { ColumnVersions, OutboxEntry, SyncRepo } from '../../store/sync-repo';
import type { SyncedTable, SyncedValues, SyncRowsRepo } from '../../store/sync-rows-repo';
import { deviceOfVersion, type HybridClock } from './hlc';
import {
  cellNames,
  cellsOf,
  incomingCellVersions,
  isSegmentCell,
  localCellVersion,
  valuesOfCells,
} from './sync-cells';
import type { SyncEntry } from './sync-formats';

export interface MergeCounts {
  /** Rows created, changed or deleted here. */
  rows: number;
  /**
   * Column values from elsewhere that lost to a newer value here, and segment corrections here that lost to a
   * concurrent correction from elsewhere (both are concurrent edits of the same field).
   */
  conflicts: number;
  /** Rows that could not be placed (their conversation or parent message was deleted here). */
  dropped: number;
}

/** Where the segment corrections that lose to a concurrent one are kept, and when. */
export interface KeptAlternatives {
  alternatives: SegmentAlternativesRepo;
  now: () => number;
}

const tableOrder: Record<SyncedTable, number> = {
  conversations: 0,
  messages: 1,
  transcripts: 2,
  video_jobs: 3,
};

function hashOf(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(value ?? null))
    .digest('base64url')
    .slice(0, 16);
}

/**
 * The merge rules. Per row and column, the value with the newer version wins (versions are HLC strings that end with
 * the device id, so two edits of one field always have the same winner everywhere); columns edited on different
 * computers both survive, and so do a transcript's segments (each its own cell, sync-cells.ts). Deletes are tombstones and win over any edit: a deleted row never comes back.
 * Two corrections of one segment made without seeing each other (the sender's previous version is not the one held
 * here, which was made here) are a conflict on both computers, and both keep the text that lost.
 */
export class SyncMerge {
  constructor(
    private readonly repo: SyncRepo,
    private readonly rows: SyncRowsRepo,
    private readonly hlc: HybridClock,
    private readonly kept?: KeptAlternatives,
  ) {}

  /**
   * The entry that sends this row's change: new versions for the columns whose value changed since the last time.
   * Null when nothing is to send (no column changed, a reply still streaming, a row already deleted by sync).
   */
  stamp(item: OutboxEntry): SyncEntry | null {
    const values = this.rows.read(item.table, item.id);
    if (!values) {
      if (this.repo.tombstone(item.table, item.id)) return null;
      const version = this.hlc.next();
      this.repo.addTombstone(item.table, item.id, version);
      return { t: item.table, id: item.id, d: version };
    }
    // A reply is sent once it stops streaming: its final write comes back through the outbox.
    if (item.table === 'messages' && values.status === 'streaming') return null;
    const versions = this.repo.versions(item.table, item.id) ?? {};
    const cells = cellsOf(item.table, values);
    let version: string | undefined;
    const previous: Record<string, string> = {};
    for (const name of cellNames(item.table, cells, Object.keys(versions))) {
      const hash = hashOf(cells[name]);
      if (versions[name]?.[1] === hash) continue;
      if (isSegmentCell(name)) previous[name] = localCellVersion(versions, name);
      version ??= this.hlc.next();
      versions[name] = [version, hash];
    }
    if (!version) return null;
    this.repo.setVersions(item.table, item.id, versions);
    const entry: SyncEntry = { t: item.table, id: item.id, c: values, v: versionsOnly(versions) };
    if (Object.keys(previous).length > 0) entry.p = previous;
    return entry;
  }

  /** The entry of a row as it is here, for a snapshot. */
  current(table: SyncedTable, id: string, versions: ColumnVersions): SyncEntry | null {
    const values = this.rows.read(table, id);
    return values ? { t: table, id, c: values, v: versionsOnly(versions) } : null;
  }

  /** Applies entries from elsewhere; the caller holds the transaction (SyncRepo.applying). */
  apply(entries: readonly SyncEntry[]): MergeCounts {
    const counts: MergeCounts = { rows: 0, conflicts: 0, dropped: 0 };
    for (const entry of ordered(entries)) {
      if (entry.d) this.applyDelete(entry.t, entry.id, entry.d, counts);
      else this.applyUpsert(entry, counts);
    }
    return counts;
  }

  private applyDelete(table: SyncedTable, id: string, version: string, counts: MergeCounts): void {
    this.hlc.receive(version);
    if (this.repo.tombstone(table, id)) return;
    if (this.rows.exists(table, id)) {
      this.rows.delete(table, id);
      counts.rows += 1;
    }
    this.repo.addTombstone(table, id, version);
  }

  private applyUpsert(entry: SyncEntry, counts: MergeCounts): void {
    const { t: table, id } = entry;
    const values = entry.c ?? {};
    const incoming = incomingCellVersions(table, values, entry.v ?? {});
    if (this.repo.tombstone(table, id)) return;
    const newest = Object.values(incoming).reduce((max, version) => (version > max ? version : max), '');
    if (newest) this.hlc.receive(newest);
    const local = this.rows.read(table, id);
    if (!local) {
      const placed = this.placeable(table, values);
      if (!placed) {
        counts.dropped += 1;
        return;
      }
      this.rows.insert(table, id, placed);
      this.recordVersions(table, id, {}, incoming, Object.keys(incoming));
      counts.rows += 1;
      return;
    }
    const versions = this.repo.versions(table, id) ?? {};
    const theirs = cellsOf(table, values);
    const mine = cellsOf(table, local);
    const wins: Record<string, unknown> = {};
    const taken: string[] = [];
    for (const name of cellNames(table, theirs, Object.keys(incoming))) {
      const version = incoming[name];
      // A column left out of the values is not known to the sender; a segment left out was removed there.
      if (!version || (!isSegmentCell(name) && !(name in values))) continue;
      const held = localCellVersion(versions, name);
      const differs = hashOf(theirs[name]) !== hashOf(mine[name]);
      const previous = entry.p?.[name];
      const concurrent = differs && previous !== undefined && previous !== held && this.hlc.madeHere(held);
      if (version > held) {
        taken.push(name);
        if (differs) wins[name] = theirs[name];
        if (concurrent) {
          counts.conflicts += 1;
          this.keepLosing(id, mine[name], held);
        }
      } else if (version < held && differs) {
        counts.conflicts += 1;
        if (concurrent) this.keepLosing(id, theirs[name], version);
      }
    }
    if (taken.length === 0) return;
    if (Object.keys(wins).length > 0) {
      this.rows.update(table, id, valuesOfCells(table, local, wins));
      counts.rows += 1;
    }
    this.recordVersions(table, id, versions, incoming, taken);
  }

  /** Keeps a segment's correction that lost, where the person can still take it. */
  private keepLosing(transcriptId: string, segment: unknown, version: string): void {
    if (!this.kept || typeof segment !== 'object' || segment === null) return;
    const { idx, text } = segment as SyncedValues;
    if (typeof idx !== 'number' || typeof text !== 'string') return;
    this.kept.alternatives.keep({
      transcriptId,
      segmentIndex: idx,
      version,
      text,
      device: deviceOfVersion(version),
      keptAt: this.kept.now(),
    });
  }

  /** The values to insert, or null when the row cannot exist here (its conversation or parent is gone). */
  private placeable(table: SyncedTable, values: SyncedValues): SyncedValues | null {
    if (table === 'messages') {
      if (!this.rows.exists('conversations', String(values.conversation_id))) return null;
      const parent = values.parent_id;
      if (typeof parent === 'string' && !this.rows.exists('messages', parent)) return null;
    }
    if (table === 'video_jobs' && typeof values.parent_id === 'string') {
      if (!this.rows.exists('video_jobs', values.parent_id)) return { ...values, parent_id: null };
    }
    return values;
  }

  /** Keeps the incoming versions of `columns`, with the hashes of the values as stored here. */
  private recordVersions(
    table: SyncedTable,
    id: string,
    versions: ColumnVersions,
    incoming: Record<string, string>,
    columns: readonly string[],
  ): void {
    const stored = cellsOf(table, this.rows.read(table, id) ?? {});
    for (const name of columns) {
      const version = incoming[name];
      if (version) versions[name] = [version, hashOf(stored[name])];
    }
    this.repo.setVersions(table, id, versions);
  }
}

function versionsOnly(versions: ColumnVersions): Record<string, string> {
  return Object.fromEntries(Object.entries(versions).map(([column, [version]]) => [column, version]));
}

/** Tables in dependency order, a message after its parent, deletes last. */
function ordered(entries: readonly SyncEntry[]): SyncEntry[] {
  const upserts = entries.filter((entry) => !entry.d);
  const messages = new Map(
    upserts.filter((entry) => entry.t === 'messages').map((entry) => [entry.id, entry]),
  );
  const placed = new Set<string>();
  const messageOrder: SyncEntry[] = [];
  // Up the chain of parents not yet placed, then down again: no recursion, however long a conversation.
  const visit = (start: SyncEntry) => {
    const chain: SyncEntry[] = [];
    let entry: SyncEntry | undefined = start;
    while (entry && !placed.has(entry.id)) {
      placed.add(entry.id);
      chain.push(entry);
      const parent: unknown = entry.c?.parent_id;
      entry = typeof parent === 'string' ? messages.get(parent) : undefined;
    }
    messageOrder.push(...chain.reverse());
  };
  for (const entry of messages.values()) visit(entry);
  const others = upserts
    .filter((entry) => entry.t !== 'messages')
    .sort((a, b) => tableOrder[a.t] - tableOrder[b.t]);
  const before = others.filter((entry) => tableOrder[entry.t] < tableOrder.messages);
  const after = others.filter((entry) => tableOrder[entry.t] > tableOrder.messages);
  return [...before, ...messageOrder, ...after, ...entries.filter((entry) => entry.d)];
}
