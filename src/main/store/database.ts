import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import Database from 'better-sqlite3';
import { migrations as appMigrations, type Migration } from './migrations';
import { currentRuntime, explainNativeLoadError, runtimeProblem } from './sqlite-binding';

export type Db = BetterSqlite3.Database;

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) the app's database file: owner-only permissions, WAL, foreign keys on,
 * and every pending migration applied, each in its own transaction. A failing migration or a database
 * written by a newer HubDesk throws: the caller shows it; the file is never reset.
 */
export function openDatabase(filePath: string, options: { migrations?: Migration[] } = {}): Db {
  const list = checkedMigrations(options.migrations ?? appMigrations);
  fs.mkdirSync(path.dirname(filePath), { recursive: true, mode: DIR_MODE });
  fs.closeSync(fs.openSync(filePath, 'a', FILE_MODE));
  fs.chmodSync(filePath, FILE_MODE);

  const db = openSqlite(filePath);
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    applyMigrations(db, list);
    restrictSidecarFiles(filePath);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** A database in memory with every migration applied: the app's tables with nothing of the user's (the doctor). */
export function openMemoryDatabase(options: { migrations?: Migration[] } = {}): Db {
  const db = openSqlite(':memory:');
  db.pragma('foreign_keys = ON');
  applyMigrations(db, checkedMigrations(options.migrations ?? appMigrations));
  return db;
}

/** The newest schema version this HubDesk knows. */
export function newestSchemaVersion(list: Migration[] = appMigrations): number {
  return Math.max(0, ...list.map((migration) => migration.version));
}

/** A better-sqlite3 connection; a runtime or a binary that cannot load it becomes one sentence with the fix. */
export function openSqlite(filePath: string, options: { readonly?: boolean } = {}): Db {
  const runtime = currentRuntime();
  const unfit = runtimeProblem(runtime);
  if (unfit) throw unfit;
  try {
    return new Database(filePath, { readonly: options.readonly ?? false });
  } catch (error) {
    throw explainNativeLoadError(error, runtime) ?? error;
  }
}

export function schemaVersion(db: Db): number {
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as
    | { version: number | null }
    | undefined;
  return row?.version ?? 0;
}

function applyMigrations(db: Db, list: Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const current = schemaVersion(db);
  const newest = list.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new Error(
      `The database was written by a newer version of HubDesk (schema version ${current}; this version knows up to ${newest}). ` +
        'Update HubDesk, or point HUBDESK_DATA_DIR at another folder.',
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of list) {
    if (migration.version <= current) continue;
    try {
      db.transaction(() => {
        migration.up(db);
        record.run(migration.version, migration.name, Date.now());
      })();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `Database migration ${migration.version} "${migration.name}" failed and was rolled back ` +
          `(the database stays at version ${schemaVersion(db)}): ${reason}`,
        { cause: error },
      );
    }
  }
}

function checkedMigrations(list: Migration[]): Migration[] {
  const sorted = [...list].sort((a, b) => a.version - b.version);
  sorted.forEach((migration, index) => {
    if (!Number.isInteger(migration.version) || migration.version < 1) {
      throw new Error(`Migration "${migration.name}" has an invalid version ${migration.version}`);
    }
    if (index > 0 && sorted[index - 1]?.version === migration.version) {
      throw new Error(`Two migrations share version ${migration.version}`);
    }
  });
  return sorted;
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
