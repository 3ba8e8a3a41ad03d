/**
 * Copies of the database for moving, backing up and restoring the data folder: SQLite's online backup of the open
 * database, and opening a copy as the app would to check it (or to copy it back).
 */
import fs from 'node:fs';
import { HubError } from '../base/errors';
import { type Db, openDatabase, schemaVersion } from './database';

/** Pages copied per step when progress is watched. */
const PAGES_PER_STEP = 256;

/** The open database, as the data-folder operations see it. */
export class DatabaseCopies {
  constructor(private readonly db: Db) {}

  /** A consistent copy of the open database written to `file`; `onProgress` gets the share done, 0 to 1. */
  async copyTo(file: string, onProgress?: (done: number) => void): Promise<void> {
    await this.db.backup(
      file,
      onProgress
        ? {
            progress: ({ totalPages, remainingPages }) => {
              onProgress(totalPages > 0 ? 1 - remainingPages / totalPages : 0);
              return PAGES_PER_STEP;
            },
          }
        : undefined,
    );
  }

  /** Bytes of the main database file (pages × page size). */
  sizeBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true });
    const pageSize = this.db.pragma('page_size', { simple: true });
    return Number(pages) * Number(pageSize);
  }

  schemaVersion(): number {
    return schemaVersion(this.db);
  }

  /** Throws when the open database fails SQLite's quick check (after a restore wrote into it). */
  quickCheck(): void {
    const check = this.db.pragma('quick_check', { simple: true });
    if (check !== 'ok') {
      throw new HubError({
        kind: 'invalid_input',
        message: `The restored database does not pass a check (${String(check)}); the data before it was put back.`,
        reason: { code: 'copyDamaged', values: { detail: String(check) } },
      });
    }
  }
}

/** A checked copy kept open, to be written into the app's database file. */
export class OpenCopy {
  constructor(private readonly db: Db) {}

  async copyInto(file: string): Promise<void> {
    await this.db.backup(file);
  }

  close(): void {
    this.db.close();
  }
}

/**
 * Opens a database copy as the app would (applying migrations, without keeping a copy of the copy) and checks it.
 * With `expectVersion`, the copy must be at that schema version. Throws a readable error.
 */
export function checkCopy(file: string, expectVersion: number | null): void {
  openCheckedCopy(file, expectVersion).close();
}

/** As `checkCopy`, and keeps the copy open. */
export function openCheckedCopy(file: string, expectVersion: number | null): OpenCopy {
  if (!fs.existsSync(file)) {
    throw new HubError({
      kind: 'invalid_input',
      message: `The database copy is missing (${file}).`,
      reason: { code: 'copyMissing', values: { path: file } },
    });
  }
  let db: Db;
  try {
    db = openDatabase(file, { updateCopies: null });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new HubError({
      kind: 'invalid_input',
      message: `The database copy does not open: ${detail}`,
      reason: { code: 'copyDoesNotOpen', values: { detail } },
    });
  }
  try {
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') {
      throw new HubError({
        kind: 'invalid_input',
        message: `The database copy is damaged (${String(check)}).`,
        reason: { code: 'copyDamaged', values: { detail: String(check) } },
      });
    }
    const actual = schemaVersion(db);
    if (expectVersion !== null && actual !== expectVersion) {
      throw new HubError({
        kind: 'invalid_input',
        message: `The database copy is at schema ${actual}, expected ${expectVersion}.`,
        reason: { code: 'copyWrongSchema', values: { actual, expected: expectVersion } },
      });
    }
  } catch (error) {
    db.close();
    if (error instanceof HubError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new HubError({
      kind: 'invalid_input',
      message: detail,
      reason: { code: 'copyDamaged', values: { detail } },
    });
  }
  return new OpenCopy(db);
}

/** Writes the database at `source` into `target` (an open database's file) through SQLite's backup API. */
export async function copyDatabaseInto(source: string, target: string): Promise<void> {
  const copy = new OpenCopy(openDatabase(source, { updateCopies: null }));
  try {
    await copy.copyInto(target);
  } finally {
    copy.close();
  }
}
