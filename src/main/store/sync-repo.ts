import type { Db } from './database';
import { StatementCache } from './statement-cache';
import { SyncFilesRepo } from './sync-files-repo';
import { type SyncedTable, syncedTables } from './sync-rows-repo';

/** A synced row that changed here since it was last put in a change set. */
export interface OutboxEntry {
  table: SyncedTable;
  id: string;
  op: 'upsert' | 'delete';
}

/** Per column: the version (an HLC string) of its value and a hash of that value. */
export type ColumnVersions = Record<string, [version: string, hash: string]>;

/** Sync's own bookkeeping (migration 19): outbox, versions, tombstones, change sets to upload, what was applied. */
export class SyncRepo {
  private readonly statements: StatementCache;
  /** The media the synced rows name, by content (migration 20). */
  readonly files: SyncFilesRepo;

  constructor(private readonly db: Db) {
    this.statements = new StatementCache(db);
    this.files = new SyncFilesRepo(db);
  }

  /**
   * Runs `work` in one IMMEDIATE transaction (nested: a savepoint), so two processes syncing one data folder (the app
   * and `hubdesk sync now`) take turns instead of one failing on a stale snapshot.
   */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  /**
   * Runs `work` in one IMMEDIATE transaction in which the capture triggers stay quiet and foreign keys are checked
   * at commit, so a change set's rows may arrive in any order.
   */
  applying<T>(work: () => T): T {
    return this.db
      .transaction(() => {
        this.db.pragma('defer_foreign_keys = ON');
        this.statements.get('INSERT INTO sync_applying (on_) VALUES (1)').run();
        const result = work();
        this.statements.get('DELETE FROM sync_applying').run();
        return result;
      })
      .immediate();
  }

  state(key: string): string | null {
    const row = this.statements.get('SELECT value FROM sync_state WHERE key = ?').get(key) as
      | { value: string }
      | undefined;
    return row?.value ?? null;
  }

  setState(key: string, value: string): void {
    this.statements
      .get(
        'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }

  clearState(key: string): void {
    this.statements.get('DELETE FROM sync_state WHERE key = ?').run(key);
  }

  /**
   * Forgets the library (sync turned off, or another library): its device id, change sets not yet sent, what was
   * applied, the outbox. Versions and tombstones stay: they are true of the rows, whatever library comes next.
   */
  resetForLibrary(): void {
    this.transaction(() => {
      this.db.exec(
        'DELETE FROM sync_state; DELETE FROM sync_pending; DELETE FROM sync_applied; DELETE FROM sync_outbox;',
      );
    });
  }

  /** Puts every synced row in the outbox, so a library's first upload holds everything this computer has. */
  enqueueAll(): void {
    this.transaction(() => {
      for (const table of syncedTables) {
        this.db
          .prepare(
            `INSERT INTO sync_outbox (tbl, row_id, op) SELECT ?, id, 'upsert' FROM ${table} WHERE true ORDER BY rowid
             ON CONFLICT (tbl, row_id) DO NOTHING`,
          )
          .run(table);
      }
    });
  }

  outbox(limit: number): OutboxEntry[] {
    return (
      this.statements.get('SELECT tbl, row_id, op FROM sync_outbox ORDER BY seq LIMIT ?').all(limit) as {
        tbl: SyncedTable;
        row_id: string;
        op: 'upsert' | 'delete';
      }[]
    ).map((row) => ({ table: row.tbl, id: row.row_id, op: row.op }));
  }

  removeFromOutbox(entries: readonly OutboxEntry[]): void {
    const remove = this.statements.get('DELETE FROM sync_outbox WHERE tbl = ? AND row_id = ?');
    for (const entry of entries) remove.run(entry.table, entry.id);
  }

  outboxSize(): number {
    return (this.statements.get('SELECT COUNT(*) AS n FROM sync_outbox').get() as { n: number }).n;
  }

  versions(table: SyncedTable, id: string): ColumnVersions | null {
    const row = this.statements
      .get('SELECT versions FROM sync_row_versions WHERE tbl = ? AND row_id = ?')
      .get(table, id) as { versions: string } | undefined;
    return row ? decodeVersions(row.versions) : null;
  }

  setVersions(table: SyncedTable, id: string, versions: ColumnVersions): void {
    this.statements
      .get(
        `INSERT INTO sync_row_versions (tbl, row_id, versions) VALUES (?, ?, ?)
         ON CONFLICT (tbl, row_id) DO UPDATE SET versions = excluded.versions`,
      )
      .run(table, id, encodeVersions(versions));
  }

  /** Every versioned row of a table, for a snapshot. */
  *versionedRows(table: SyncedTable): Generator<{ id: string; versions: ColumnVersions }> {
    const rows = this.db
      .prepare('SELECT row_id, versions FROM sync_row_versions WHERE tbl = ? ORDER BY row_id')
      .iterate(table) as IterableIterator<{ row_id: string; versions: string }>;
    for (const row of rows) yield { id: row.row_id, versions: decodeVersions(row.versions) };
  }

  tombstone(table: SyncedTable, id: string): string | null {
    const row = this.statements
      .get('SELECT version FROM sync_tombstones WHERE tbl = ? AND row_id = ?')
      .get(table, id) as { version: string } | undefined;
    return row?.version ?? null;
  }

  /** Marks the row deleted for good; its versions go. */
  addTombstone(table: SyncedTable, id: string, version: string): void {
    this.statements
      .get('INSERT INTO sync_tombstones (tbl, row_id, version) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
      .run(table, id, version);
    this.statements.get('DELETE FROM sync_row_versions WHERE tbl = ? AND row_id = ?').run(table, id);
  }

  tombstones(): { table: SyncedTable; id: string; version: string }[] {
    return (
      this.db.prepare('SELECT tbl, row_id, version FROM sync_tombstones ORDER BY tbl, row_id').all() as {
        tbl: SyncedTable;
        row_id: string;
        version: string;
      }[]
    ).map((row) => ({ table: row.tbl, id: row.row_id, version: row.version }));
  }

  addPending(seq: number, body: Uint8Array): void {
    this.statements.get('INSERT INTO sync_pending (seq, body) VALUES (?, ?)').run(seq, body);
  }

  /** Change sets made here and not yet uploaded, oldest first. */
  pending(): { seq: number; body: Uint8Array }[] {
    return this.statements.get('SELECT seq, body FROM sync_pending ORDER BY seq').all() as {
      seq: number;
      body: Uint8Array;
    }[];
  }

  removePending(seq: number): void {
    this.statements.get('DELETE FROM sync_pending WHERE seq = ?').run(seq);
  }

  pendingCount(): number {
    return (this.statements.get('SELECT COUNT(*) AS n FROM sync_pending').get() as { n: number }).n;
  }

  /** Per other device, the last change set of its sequence applied here. */
  applied(): Record<string, number> {
    const map: Record<string, number> = {};
    for (const row of this.statements.get('SELECT device, seq FROM sync_applied').all() as {
      device: string;
      seq: number;
    }[])
      map[row.device] = row.seq;
    return map;
  }

  markApplied(device: string, seq: number): void {
    this.statements
      .get(
        `INSERT INTO sync_applied (device, seq) VALUES (?, ?)
         ON CONFLICT (device) DO UPDATE SET seq = MAX(seq, excluded.seq)`,
      )
      .run(device, seq);
  }
}

/** Most columns of a row share the version they were stamped with: each version is stored once, by index. */
type StoredVersions = [versions: string[], columns: Record<string, [index: number, hash: string]>];

function encodeVersions(versions: ColumnVersions): string {
  const list: string[] = [];
  const columns: StoredVersions[1] = {};
  for (const [column, [version, hash]] of Object.entries(versions)) {
    let index = list.indexOf(version);
    if (index === -1) index = list.push(version) - 1;
    columns[column] = [index, hash];
  }
  return JSON.stringify([list, columns] satisfies StoredVersions);
}

function decodeVersions(text: string): ColumnVersions {
  const [list, columns] = JSON.parse(text) as StoredVersions;
  const versions: ColumnVersions = {};
  for (const [column, [index, hash]] of Object.entries(columns)) versions[column] = [list[index] ?? '', hash];
  return versions;
}
