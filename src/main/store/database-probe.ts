import { pathToFileURL } from 'node:url';
import { type Db, openSqlite } from './connection';
import { errnoOf } from './durable-files';

/** What this SQLite build can do that HubDesk needs: keyword search uses FTS5 with the trigram tokenizer. */
export interface SqliteFeatures {
  sqliteVersion: string;
  fts5: boolean;
  trigram: boolean;
}

/** Tries the features on `db` (an in-memory database: the probe tables are temporary). */
export function probeSqliteFeatures(db: Db): SqliteFeatures {
  const sqliteVersion = (db.prepare('SELECT sqlite_version() AS version').get() as { version: string })
    .version;
  const works = (sql: string) => {
    try {
      db.exec(sql);
      return true;
    } catch {
      return false;
    }
  };
  const fts5 = works('CREATE VIRTUAL TABLE temp.doctor_fts5 USING fts5(body)');
  const trigram =
    fts5 && works("CREATE VIRTUAL TABLE temp.doctor_trigram USING fts5(body, tokenize='trigram')");
  return { sqliteVersion, fts5, trigram };
}

/**
 * Opens the database read-only. A folder HubDesk cannot write to has no room for SQLite's shared-memory file, so
 * there the file is read as immutable: nothing can be writing to it, since the app could not either.
 */
export function openReadOnly(file: string): Db {
  try {
    const db = openSqlite(file, { readonly: true });
    try {
      db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  } catch (error) {
    const code = errnoOf(error) ?? '';
    if (!code.startsWith('SQLITE_READONLY') && code !== 'SQLITE_CANTOPEN') throw error;
    return openSqlite(`${pathToFileURL(file).href}?immutable=1`, { readonly: true });
  }
}

/** `PRAGMA quick_check`: `['ok']` for a sound database, else one line per problem found. */
export function quickCheckLines(db: Db): string[] {
  return (db.pragma('quick_check') as { quick_check: string }[])
    .flatMap((row) => row.quick_check.split('\n'))
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
