import fs from 'node:fs';
import path from 'node:path';
import { type Connect, connect, type Db, openSqlite, storedSchemaVersion } from './connection';
import { applyMigrations, checkedMigrations, type MigrationFailure, rolledBack } from './migration-runner';
import { migrations as appMigrations, type Migration } from './migrations';
import {
  CopyError,
  pruneUpdateCopies,
  restoreUpdateCopy,
  takeUpdateCopy,
  updateCopiesDir,
} from './update-copies';
import {
  beginUpdate,
  lockUpdates,
  type UndoneUpdate,
  UpdateBusyError,
  type UpdateJournal,
  type UpdateLock,
  undoInterruptedUpdate,
  updateJournalExists,
} from './update-journal';

export type { Db } from './connection';

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
const BUSY_TIMEOUT_MS = 5000;
const SQLITE_MAGIC = 'SQLite format 3\0';

export interface OpenDatabaseOptions {
  /** The schema's migrations (tests inject their own); default: the app's. */
  migrations?: Migration[];
  /**
   * Where the copy taken before an update goes: default `backups` beside the database file. `null`: take none, for a
   * database that is itself a copy (a restore's staging, a moved folder being checked); a failing migration is then
   * only rolled back.
   */
  updateCopies?: string | null;
  /** Told when this open updated an existing database, with where the copy taken before is. */
  onUpdate?: (update: DatabaseUpdate) => void;
}

/** An update of an existing database: the schema versions and the verified copy taken before the first migration. */
export interface DatabaseUpdate {
  fromVersion: number;
  toVersion: number;
  copyPath: string;
  /** An earlier update that was cut off (a crash, a power cut) was undone from its copy before this one ran. */
  resumed: boolean;
}

/**
 * Opens (creating if needed) the app's database file: owner-only permissions, WAL, foreign keys on, and every
 * pending migration applied, each in its own transaction.
 *
 * An existing database (schema version 1 or more) is copied before it is migrated (see update-copies.ts and
 * update-journal.ts): the copy is verified first, and when it cannot be made nothing is migrated. A failing migration
 * puts the copy back; so does the next start after a crash part-way. A database written by a newer HubDesk is refused before anything (file,
 * mode, journal) is changed. Every refusal throws a readable error: the caller shows it; the file is never reset.
 */
export function openDatabase(filePath: string, options: OpenDatabaseOptions = {}): Db {
  const list = checkedMigrations(options.migrations ?? appMigrations);
  const newest = list.at(-1)?.version ?? 0;
  const copiesDir = options.updateCopies === undefined ? updateCopiesDir(filePath) : options.updateCopies;
  const open: Connect = (file, mode) => connect(file, mode);
  let lock: UpdateLock | null = null;
  try {
    // An update cut off by a crash is undone first, before anything reads or changes the database.
    let undone: UndoneUpdate | null = null;
    if (copiesDir !== null && updateJournalExists(copiesDir)) {
      lock = lockForUndo(copiesDir, open);
      undone = undoInterruptedUpdate(filePath, copiesDir, open);
    }
    refuseNewer(peekSchemaVersion(filePath, open), newest);

    fs.mkdirSync(path.dirname(filePath), { recursive: true, mode: DIR_MODE });
    fs.closeSync(fs.openSync(filePath, 'a', FILE_MODE));
    fs.chmodSync(filePath, FILE_MODE);

    const db = open(filePath, 'readwrite');
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      const current = storedSchemaVersion(db);
      refuseNewer(current, newest);
      const needsUpdate = copiesDir !== null && current >= 1 && current < newest;
      // To update, or when another process started an update meanwhile: wait for it to end.
      if (copiesDir !== null && !lock && (needsUpdate || updateJournalExists(copiesDir))) {
        lock = lockForUpdate(copiesDir, open, current, newest);
        // Cut off while this process was starting: the next start undoes it (this one's connection is open).
        if (updateJournalExists(copiesDir)) throw new UpdateBusyError();
      }
      if (copiesDir !== null && needsUpdate) {
        const update = updateWithCopy(db, filePath, list, copiesDir, undone, open);
        if (update) options.onUpdate?.(update);
      } else {
        applyMigrations(db, list, (failure) => rolledBack(failure));
      }
      mirrorSchemaVersion(db);
      restrictSidecarFiles(filePath);
    } catch (error) {
      if (db.open) db.close();
      throw error;
    }
    return db;
  } finally {
    lock?.release();
  }
}

/** A database in memory with every migration applied: the app's tables with nothing of the user's (the doctor). */
export function openMemoryDatabase(options: { migrations?: Migration[] } = {}): Db {
  const db = openSqlite(':memory:');
  db.pragma('foreign_keys = ON');
  applyMigrations(db, checkedMigrations(options.migrations ?? appMigrations), rolledBack);
  return db;
}

/** The newest schema version this HubDesk knows. */
export function newestSchemaVersion(list: Migration[] = appMigrations): number {
  return Math.max(0, ...list.map((migration) => migration.version));
}

export function schemaVersion(db: Db): number {
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as
    | { version: number | null }
    | undefined;
  return row?.version ?? 0;
}

/**
 * The schema version of a database file without changing anything: no file, mode or -wal/-shm is created. With no
 * -wal file the main file holds every commit, and HubDesk mirrors the version into the header's `user_version`
 * (older HubDesks left 0 there: they never wrote a newer schema than this one knows). With a -wal file (another
 * process has it open, or one crashed), a read-only connection reads it, using the files that are there.
 */
export function peekSchemaVersion(filePath: string, open: Connect = connect): number {
  const stat = fs.statSync(filePath, { throwIfNoEntry: false });
  if (!stat || stat.size === 0) return 0;
  if (fs.existsSync(`${filePath}-wal`)) {
    const db = open(filePath, 'readonly');
    try {
      return storedSchemaVersion(db);
    } finally {
      db.close();
    }
  }
  const header = Buffer.alloc(100);
  const fd = fs.openSync(filePath, 'r');
  let read: number;
  try {
    read = fs.readSync(fd, header, 0, header.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (read < header.length || header.toString('latin1', 0, SQLITE_MAGIC.length) !== SQLITE_MAGIC) {
    throw new Error(
      `${filePath} is not a HubDesk database (it is not an SQLite file). Nothing was changed. ` +
        'Move the file away, or point HUBDESK_DATA_DIR at another folder.',
    );
  }
  return header.readUInt32BE(60);
}

function refuseNewer(current: number, newest: number): void {
  if (current > newest) {
    throw new Error(
      `The database was written by a newer version of HubDesk (schema version ${current}; this version knows up to ${newest}). ` +
        'Nothing was changed. Update HubDesk, or point HUBDESK_DATA_DIR at another folder.',
    );
  }
}

/**
 * Journal, verified copy, migrations; on a failing migration the copy goes back in place. Returns null when another
 * process finished the update meanwhile.
 */
function updateWithCopy(
  db: Db,
  filePath: string,
  list: Migration[],
  dir: string,
  undone: UndoneUpdate | null,
  open: Connect,
): DatabaseUpdate | null {
  const newest = list.at(-1)?.version ?? 0;
  // Another process may have updated it while this one waited for the lock.
  const from = storedSchemaVersion(db);
  if (from >= newest) return null;
  let journal: UpdateJournal;
  let copyPath: string;
  try {
    journal = beginUpdate(dir, from, newest);
  } catch (error) {
    throw copyRefusal(error, from, newest, dir);
  }
  try {
    // After undoing a cut-off update, its copy is the database as it is now: no second copy is needed.
    copyPath =
      undone && undone.fromVersion === from && fs.existsSync(undone.copyPath)
        ? undone.copyPath
        : takeUpdateCopy(db, dir, from, newest, open);
    journal.migrating(copyPath, from);
  } catch (error) {
    journal.close();
    throw copyRefusal(error, from, newest, dir);
  }
  try {
    pruneUpdateCopies(dir, copyPath);
  } catch {
    // An old copy that cannot be deleted stays; it never stands in the way of the update.
  }
  applyMigrations(db, list, (failure) => {
    db.close();
    try {
      restoreUpdateCopy(filePath, copyPath);
    } catch (restoreError) {
      // The journal stays: the next start tries again to put the copy back.
      const why = restoreError instanceof Error ? restoreError.message : String(restoreError);
      return new Error(
        `${describeFailure(failure, from)}. Putting back the copy taken before the update failed too (${why}); ` +
          `HubDesk tries again when it next starts. The copy is at ${copyPath}.`,
        { cause: failure.cause },
      );
    }
    journal.close();
    return new Error(
      `${describeFailure(failure, from)}. Your data was restored to how it was before the update ` +
        `(schema version ${from}) from the copy kept at ${copyPath}.`,
      { cause: failure.cause },
    );
  });
  journal.close();
  return { fromVersion: from, toVersion: newest, copyPath, resumed: undone !== null };
}

/** The lock, to undo a cut-off update; waits for a process still updating. */
function lockForUndo(dir: string, open: Connect): UpdateLock {
  try {
    return lockUpdates(dir, open, BUSY_TIMEOUT_MS);
  } catch (error) {
    if (!(error instanceof CopyError)) throw error;
    throw new Error(
      `An update of the database was cut off, and HubDesk cannot undo it now: ${error.reason}. Nothing was changed. ` +
        `Make ${dir} writable, then start HubDesk again.`,
    );
  }
}

function lockForUpdate(dir: string, open: Connect, from: number, to: number): UpdateLock {
  try {
    return lockUpdates(dir, open, BUSY_TIMEOUT_MS);
  } catch (error) {
    throw copyRefusal(error, from, to, dir);
  }
}

function copyRefusal(error: unknown, from: number, to: number, dir: string): Error {
  if (!(error instanceof CopyError)) return error instanceof Error ? error : new Error(String(error));
  return new Error(
    `HubDesk needs to update its database (schema version ${from} to ${to}) and first keeps a copy of it in ${dir}, ` +
      `but the copy could not be made: ${error.reason}. Nothing was changed: the database is as it was. ` +
      'Free some disk space or make that folder writable, then start HubDesk again.',
  );
}

function describeFailure(failure: MigrationFailure, from: number): string {
  const { migration, reached, cause } = failure;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return (
    `Database migration ${migration.version} "${migration.name}" failed ` +
    `(the update from schema version ${from} had reached version ${reached}): ${reason}`
  );
}

/** Keeps `user_version` equal to the schema version (databases migrated by older HubDesks lack it). */
function mirrorSchemaVersion(db: Db): void {
  const version = schemaVersion(db);
  if (Number(db.pragma('user_version', { simple: true })) !== version) db.pragma(`user_version = ${version}`);
}

function restrictSidecarFiles(filePath: string): void {
  for (const suffix of ['-wal', '-shm', '-journal']) {
    try {
      fs.chmodSync(filePath + suffix, FILE_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
