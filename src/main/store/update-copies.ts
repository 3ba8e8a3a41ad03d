/**
 * Copies of the database taken before an update (migrating an existing database to a newer schema), and undoing an
 * update that failed or was cut off. The files, in the `backups` folder beside the database:
 *
 *   hubdesk-v5-before-v7-2026-03-15T10-15-00-123Z.sqlite   a verified copy (owner-only); the newest three are kept
 *   hubdesk-v5-before-v7-….sqlite.part                        a copy being written: never used, removed later
 *   update-in-progress.json                                   the journal of an update running (or cut off)
 *   update.lock                                               locked by the process updating, while it does
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
import { formatBytes } from '../../shared/sizes';
import { type Connect, type Db, storedSchemaVersion } from './connection';

export const UPDATE_COPIES_DIR = 'backups';
/** How many copies are kept; older ones are deleted when a new one has been taken. */
export const UPDATE_COPIES_KEPT = 3;
const JOURNAL_FILE = 'update-in-progress.json';
const LOCK_FILE = 'update.lock';
const TEMP_SUFFIX = '.tmp';
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
const COPY_NAME =
  /^hubdesk-v(\d+)-before-v(\d+)-(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.sqlite$/;
const PARTIAL_SUFFIX = '.part';
/** The database's own work file while a copy is put back (never archived or moved: see data-folder.ts). */
export const RESTORING_SUFFIX = '-restoring';
/** Room left free on the disk besides the copy itself. */
const SPARE_BYTES = 8 * 1024 * 1024;

export interface UpdateCopy {
  path: string;
  fromVersion: number;
  toVersion: number;
  /** When it was taken, ms since the epoch: from its name, which a move of the data folder keeps. */
  createdAt: number;
  bytes: number;
}

/** The folder of copies for a database file: `backups` beside it. */
export function updateCopiesDir(databasePath: string): string {
  return path.join(path.dirname(databasePath), UPDATE_COPIES_DIR);
}

function copyName(fromVersion: number, toVersion: number, createdAt: number): string {
  // 2026-03-15T10:15:00.123Z → 2026-03-15T10-15-00-123Z: no characters a file system refuses.
  const stamp = new Date(createdAt).toISOString().replace(/[:.]/g, '-');
  return `hubdesk-v${fromVersion}-before-v${toVersion}-${stamp}.sqlite`;
}

function parseCopyName(name: string): Omit<UpdateCopy, 'path' | 'bytes'> | null {
  const match = COPY_NAME.exec(name);
  if (!match) return null;
  const [, from, to, year, month, day, hour, minute, second, ms] = match.map(Number);
  const createdAt = Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second, ms);
  if (!Number.isFinite(createdAt) || from === undefined || to === undefined) return null;
  return { fromVersion: from, toVersion: to, createdAt };
}

/** The copies in `dir`, newest first; none when the folder is missing or is not a folder. */
export function listUpdateCopies(dir: string): UpdateCopy[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const copies: UpdateCopy[] = [];
  for (const name of names) {
    const parsed = parseCopyName(name);
    if (!parsed) continue;
    const file = path.join(dir, name);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(file, { throwIfNoEntry: false });
    } catch {
      continue;
    }
    if (stat?.isFile()) copies.push({ path: file, ...parsed, bytes: stat.size });
  }
  return copies.sort(
    (a, b) =>
      b.createdAt - a.createdAt ||
      b.toVersion - a.toVersion ||
      b.fromVersion - a.fromVersion ||
      b.path.localeCompare(a.path),
  );
}

/**
 * Deletes all but the newest UPDATE_COPIES_KEPT copies (`keep`, the copy just taken, stays whatever its time says)
 * and copies left half-written by a crash. Other files in the folder are never touched.
 */
export function pruneUpdateCopies(dir: string, keep: string): void {
  const others = listUpdateCopies(dir).filter((copy) => path.resolve(copy.path) !== path.resolve(keep));
  for (const copy of others.slice(UPDATE_COPIES_KEPT - 1)) fs.rmSync(copy.path, { force: true });
  removePartialCopies(dir);
}

/**
 * Takes a copy of the open database with `VACUUM INTO` (one consistent snapshot, synchronously, compacted, in
 * SQLite's own rollback-journal format so the copy stands alone without -wal/-shm files). It is written to
 * `<name>.part`, created owner-only before the first byte, flushed to disk, checked (it opens, passes
 * `quick_check`, has the source's schema version), and only then renamed to its name. Throws a `CopyError`.
 */
export function takeUpdateCopy(
  db: Db,
  dir: string,
  fromVersion: number,
  toVersion: number,
  open: Connect,
): string {
  ensureRoom(db, dir);
  let createdAt = Date.now();
  let target = '';
  let partial = '';
  for (;;) {
    target = path.join(dir, copyName(fromVersion, toVersion, createdAt));
    partial = target + PARTIAL_SUFFIX;
    if (!fs.existsSync(target)) {
      try {
        fs.closeSync(fs.openSync(partial, 'wx', FILE_MODE));
        break;
      } catch (error) {
        if (errnoOf(error) !== 'EEXIST') throw new CopyError(dir, reasonOf(error));
      }
    }
    // Another copy took this millisecond: the next one keeps the names in order.
    createdAt += 1;
  }
  try {
    db.prepare('VACUUM INTO ?').run(partial);
    // SQLite does not flush a VACUUM INTO file to disk itself.
    syncFile(partial);
    verifyUpdateCopy(partial, fromVersion, open);
    fs.renameSync(partial, target);
    syncFolder(dir);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error instanceof CopyError ? error : new CopyError(dir, reasonOf(error));
  }
  return target;
}

/** Opens the copy read-only: it must pass `quick_check` and be at `version`. Throws a `CopyError`. */
export function verifyUpdateCopy(file: string, version: number, open: Connect): void {
  let copy: Db;
  try {
    copy = open(file, 'readonly');
  } catch (error) {
    throw new CopyError(path.dirname(file), `the copy does not open (${reasonOf(error)})`);
  }
  try {
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') {
      throw new CopyError(path.dirname(file), `the copy does not pass SQLite's check (${String(check)})`);
    }
    const found = storedSchemaVersion(copy);
    if (found !== version) {
      throw new CopyError(path.dirname(file), `the copy is at schema version ${found}, not ${version}`);
    }
  } catch (error) {
    throw error instanceof CopyError ? error : new CopyError(path.dirname(file), reasonOf(error));
  } finally {
    copy.close();
  }
}

/**
 * Puts a copy back as the database: written beside it under a temporary name and flushed, the stale -wal, -shm and
 * -journal of the updated database removed (SQLite would otherwise replay them onto the copy), then renamed over
 * it. No connection to the database may be open. Safe to repeat after a crash part-way.
 */
export function restoreUpdateCopy(databasePath: string, copyPath: string): void {
  const temp = databasePath + RESTORING_SUFFIX;
  fs.rmSync(temp, { force: true });
  fs.copyFileSync(copyPath, temp, fs.constants.COPYFILE_EXCL);
  fs.chmodSync(temp, FILE_MODE);
  syncFile(temp);
  for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(databasePath + suffix, { force: true });
  fs.renameSync(temp, databasePath);
  syncFolder(path.dirname(databasePath));
}

/** The copy could not be taken or is not usable; `reason` is readable. */
export class CopyError extends Error {
  constructor(
    readonly dir: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'CopyError';
  }
}

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
      writeDurably(`${file}${TEMP_SUFFIX}`, journal);
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
      (value.copy !== undefined && (typeof value.copy !== 'string' || !parseCopyName(value.copy)))
    ) {
      return null;
    }
    return value as Journal;
  } catch {
    return null;
  }
}

function removePartialCopies(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    if (name.endsWith(PARTIAL_SUFFIX) && parseCopyName(name.slice(0, -PARTIAL_SUFFIX.length))) {
      fs.rmSync(path.join(dir, name), { force: true });
    }
  }
}

function writeDurably(file: string, journal: Journal): void {
  const fd = fs.openSync(file, 'w', FILE_MODE);
  try {
    fs.writeSync(fd, `${JSON.stringify(journal)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a rename or removal in `dir` durable; Windows cannot open a folder for this and needs no such step. */
function syncFolder(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // Some file systems do not sync folders; the rename is still done.
  } finally {
    fs.closeSync(fd);
  }
}

/** Refuses early when the disk cannot hold the copy (its pages in use, as VACUUM INTO writes them). */
function ensureRoom(db: Db, dir: string): void {
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  const used =
    Number(db.pragma('page_count', { simple: true })) - Number(db.pragma('freelist_count', { simple: true }));
  let available: number;
  try {
    const stat = fs.statfsSync(dir);
    available = stat.bavail * stat.bsize;
  } catch {
    return;
  }
  const needed = used * pageSize;
  if (available < needed + SPARE_BYTES) {
    throw new CopyError(
      dir,
      `there is not enough free space on its disk (${formatBytes(needed, { zeros: 'keep' })} needed, ${formatBytes(available, { zeros: 'keep' })} free)`,
    );
  }
}

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A person's words for why a file operation or SQLite failed, with the original message for support. */
function reasonOf(error: unknown): string {
  const code = errnoOf(error) ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (['ENOSPC', 'EDQUOT', 'SQLITE_FULL'].includes(code)) return `the disk is full (${message})`;
  if (['EACCES', 'EPERM', 'EROFS'].includes(code) || /^SQLITE_(READONLY|CANTOPEN|PERM)/.test(code)) {
    return `HubDesk may not write there (${message})`;
  }
  if (code === 'ENOTDIR' || code === 'EEXIST') return `a file is in the way of the folder (${message})`;
  return message;
}
