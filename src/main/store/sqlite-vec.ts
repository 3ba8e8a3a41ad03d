import { sep } from 'node:path';
import * as sqliteVec from 'sqlite-vec';
import type { Db } from './database';

/** Loads sqlite-vec into the connection: its version, or why it cannot load (the doctor reports either). */
export function tryLoadSqliteVec(
  db: Db,
): { loaded: true; version: string } | { loaded: false; reason: string } {
  try {
    // Inside a packaged app the extension is unpacked next to app.asar: SQLite cannot load from the archive.
    db.loadExtension(sqliteVec.getLoadablePath().replace(`app.asar${sep}`, `app.asar.unpacked${sep}`));
    const row = db.prepare('SELECT vec_version() AS version').get() as { version: string };
    return { loaded: true, version: row.version };
  } catch (error) {
    return { loaded: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Loads sqlite-vec into the connection; false (with the reason logged) where it cannot load. */
export function loadSqliteVec(db: Db, log?: (line: string) => void): boolean {
  const result = tryLoadSqliteVec(db);
  if (!result.loaded) log?.(`sqlite-vec did not load; vector search uses an exact scan: ${result.reason}`);
  return result.loaded;
}
