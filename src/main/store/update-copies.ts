/**
 * Copies of the database taken before an update (migrating an existing database to a newer schema), and putting one
 * back. The files, in the `backups` folder beside the database:
 *
 *   hubdesk-v5-before-v7-2026-03-15T10-15-00-123Z.sqlite   a verified copy (owner-only); the newest three are kept
 *   hubdesk-v5-before-v7-….sqlite.part                        a copy being written: never used, removed later
 *   update-in-progress.json, update.lock                      the journal and lock of an update (update-journal.ts)
 */
import fs from 'node:fs';
import path from 'node:path';
import { formatBytes } from '../../shared/sizes';
import { type Connect, type Db, storedSchemaVersion } from './connection';
import { errnoOf, reasonOf, syncFile, syncFolder } from './durable-files';

export const UPDATE_COPIES_DIR = 'backups';
/** How many copies are kept; older ones are deleted when a new one has been taken. */
export const UPDATE_COPIES_KEPT = 3;
const FILE_MODE = 0o600;
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

/** Whether `name` is the name of a copy (as a journal names it). */
export function isUpdateCopyName(name: string): boolean {
  return parseCopyName(name) !== null;
}

/** Removes copies left half-written (`.part`) by a crash; other files in the folder are never touched. */
export function removePartialCopies(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    if (name.endsWith(PARTIAL_SUFFIX) && parseCopyName(name.slice(0, -PARTIAL_SUFFIX.length))) {
      fs.rmSync(path.join(dir, name), { force: true });
    }
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
