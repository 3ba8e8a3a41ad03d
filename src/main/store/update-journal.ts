/**
 * The journal and lock of an update, and undoing an update that failed or was cut off. In the `backups` folder:
 *
 *   update-in-progress.json   the journal of an update running (or cut off)
 *   update.lock               locked by the process updating, while it does
 *
 * The journal makes a crash at any point recoverable. It is written before the copy is started ("copying") and names
 * the verified copy before the first migration runs ("migrating"); it is removed after the last one. The process
 * holds the lock throughout, and the operating system releases it when the process ends, however it ends. A start
 * that finds a journal takes the lock (waiting for a process still updating), and if the journal is still there the
 * update was cut off: "migrating" puts the copy back in place, "copying" only clears the journal and the unfinished
 * copy away (the database was not touched yet).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Connect, Db } from './connection';
import { errnoOf, reasonOf, syncFolder, writeDurably } from './durable-files';
import {
  CopyError,
  isUpdateCopyName,
  removePartialCopies,
  restoreUpdateCopy,
  verifyUpdateCopy,
} from './update-copies';

const JOURNAL_FILE = 'update-in-progress.json';
const LOCK_FILE = 'update.lock';
const TEMP_SUFFIX = '.tmp';
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

interface Journal {
  state: 'copying' | 'migrating';
  fromVersion: number;
  toVersion: number;
  /** The verified copy's file name in the folder, once migrating. */
  copy?: string;
}

export interface UpdateJournal {
  /** The copy is verified: migrations may start; from now on a crash is undone from `copyPath`. */
  migrating(copyPath: string, fromVersion: number): void;
  /** The update finished, or was undone, or never started: the journal goes. */
  close(): void;
}

/** An update that was cut off and has been undone from its copy. */
export interface UndoneUpdate {
  copyPath: string;
  fromVersion: number;
  toVersion: number;
}

export interface UpdateLock {
  release(): void;
}

/** Whether an update is running or was cut off: its journal is there. */
export function updateJournalExists(dir: string): boolean {
  return fs.existsSync(path.join(dir, JOURNAL_FILE));
}

/**
 * Takes the lock that one process at a time holds while it updates the database or undoes an update: an exclusive
 * SQLite lock on `update.lock` in the folder, which the operating system releases when the process ends, however it
 * ends. So a journal whose lock can be taken belongs to an update that is over (finished or cut off), never to one
 * still running. Waits up to `waitMs` for another process; then throws an `UpdateBusyError`. A folder that cannot be
 * written throws a `CopyError`. Nothing else may open and close `update.lock` in this process while it is held
 * (closing any handle to a file drops the process's POSIX locks on it).
 */
export function lockUpdates(dir: string, open: Connect, waitMs: number): UpdateLock {
  const file = path.join(dir, LOCK_FILE);
  let lock: Db;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
    // Owner-only before SQLite opens it (SQLite would create it readable by others).
    fs.closeSync(fs.openSync(file, 'a', FILE_MODE));
    lock = open(file, 'readwrite');
  } catch (error) {
    throw new CopyError(dir, reasonOf(error));
  }
  try {
    lock.pragma(`busy_timeout = ${Math.max(0, Math.round(waitMs))}`);
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if (errnoOf(error)?.startsWith('SQLITE_BUSY')) throw new UpdateBusyError();
    throw new CopyError(dir, reasonOf(error));
  }
  return {
    release() {
      if (lock.open) lock.close();
    },
  };
}

/** Starts the journal of an update (state "copying"); the caller holds the lock. Throws a `CopyError`. */
export function beginUpdate(dir: string, fromVersion: number, toVersion: number): UpdateJournal {
  const file = path.join(dir, JOURNAL_FILE);
  const write = (journal: Journal) => {
    try {
      writeDurably(`${file}${TEMP_SUFFIX}`, `${JSON.stringify(journal)}\n`);
      fs.renameSync(`${file}${TEMP_SUFFIX}`, file);
      syncFolder(dir);
    } catch (error) {
      throw new CopyError(dir, reasonOf(error));
    }
  };
  write({ state: 'copying', fromVersion, toVersion });
  return {
    migrating(copyPath, from) {
      write({ state: 'migrating', fromVersion: from, toVersion, copy: path.basename(copyPath) });
    },
    close() {
      fs.rmSync(file, { force: true });
      syncFolder(dir);
    },
  };
}

/** Another process (window or command) is updating this database now. */
export class UpdateBusyError extends Error {
  constructor() {
    super(
      'HubDesk is updating its database in another window or command. ' +
        'Wait until it has finished, then start HubDesk again. Nothing was changed.',
    );
    this.name = 'UpdateBusyError';
  }
}

/**
 * Undoes an update that was cut off, from the copy its journal names; the caller holds the lock (so the update's
 * process is gone). Returns what was undone, or null when there was nothing to undo. Throws when the copy the journal
 * names cannot be used (then nothing is changed).
 */
export function undoInterruptedUpdate(databasePath: string, dir: string, open: Connect): UndoneUpdate | null {
  const file = path.join(dir, JOURNAL_FILE);
  if (!fs.existsSync(file)) return null;
  const journal = readJournal(file);
  if (journal?.state !== 'migrating' || !journal.copy) {
    // Cut off before the first migration: the database is as it was. The unfinished copy goes too.
    removePartialCopies(dir);
    fs.rmSync(file, { force: true });
    syncFolder(dir);
    return null;
  }
  const copyPath = path.join(dir, journal.copy);
  try {
    verifyUpdateCopy(copyPath, journal.fromVersion, open);
  } catch (error) {
    const reason = error instanceof CopyError ? error.reason : reasonOf(error);
    throw new Error(
      `An update of the database from schema version ${journal.fromVersion} to ${journal.toVersion} was cut off, ` +
        `and the copy taken before it cannot be used to undo it: ${reason} (${copyPath}). Nothing was changed. ` +
        `To open the database as the cut-off update left it, delete ${file} and start HubDesk again.`,
    );
  }
  restoreUpdateCopy(databasePath, copyPath);
  fs.rmSync(file, { force: true });
  syncFolder(dir);
  return { copyPath, fromVersion: journal.fromVersion, toVersion: journal.toVersion };
}

/** The journal, or null when it is unreadable (only a journal cut off while it was first written can be). */
function readJournal(file: string): Journal | null {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Journal>;
    const integer = (n: unknown): n is number => Number.isSafeInteger(n);
    if (
      (value.state !== 'copying' && value.state !== 'migrating') ||
      !integer(value.fromVersion) ||
      !integer(value.toVersion) ||
      (value.copy !== undefined && (typeof value.copy !== 'string' || !isUpdateCopyName(value.copy)))
    ) {
      return null;
    }
    return value as Journal;
  } catch {
    return null;
  }
}
