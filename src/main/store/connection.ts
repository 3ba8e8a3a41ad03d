import type BetterSqlite3 from 'better-sqlite3';
import Database from 'better-sqlite3';
import { currentRuntime, explainNativeLoadError, runtimeProblem } from './sqlite-binding';

export type Db = BetterSqlite3.Database;

/**
 * Opens one SQLite connection. `readonly` never creates the file; note that SQLite still creates the -wal and -shm
 * files of a WAL database read that way when they are missing (see `peekSchemaVersion`).
 */
export type Connect = (file: string, mode: 'readwrite' | 'readonly') => Db;

/** Every connection the store opens goes through here: one place that says how better-sqlite3 is loaded. */
export function connect(file: string, mode: 'readwrite' | 'readonly'): Db {
  return mode === 'readonly' ? openSqlite(file, { readonly: true, fileMustExist: true }) : openSqlite(file);
}

/** A better-sqlite3 connection; a runtime or a binary that cannot load the module becomes one sentence with the fix. */
export function openSqlite(file: string, options: BetterSqlite3.Options = {}): Db {
  const runtime = currentRuntime();
  const unfit = runtimeProblem(runtime);
  if (unfit) throw unfit;
  try {
    return new Database(file, options);
  } catch (error) {
    throw explainNativeLoadError(error, runtime) ?? error;
  }
}

/** The newest migration applied; 0 for a database without the migrations table (new or empty). Reads only. */
export function storedSchemaVersion(db: Db): number {
  const table = db
    .prepare("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (!table) return 0;
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as
    | { version: number | null }
    | undefined;
  return row?.version ?? 0;
}
