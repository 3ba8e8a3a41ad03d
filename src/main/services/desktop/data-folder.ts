import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { DATA_LOCATION_FILE } from '../../paths';
import { DATA_LOCK_FILE } from '../../store/data-lock';
import { syncFile, syncFolder } from '../../store/durable-files';
import { RESTORING_SUFFIX, UPDATE_COPIES_DIR } from '../../store/update-copies';

export const DATABASE_FILE = 'hubdesk.sqlite';
/** The library folder's name in the data folder: with the database, all that a backup holds and a restore takes. */
export const LIBRARY_DIR = 'library';
const DATABASE_SIDECARS = ['-wal', '-shm', '-journal', RESTORING_SUFFIX].map(
  (suffix) => DATABASE_FILE + suffix,
);

/**
 * The copies of the database taken before updates (`backups/`): a move carries them along; a backup archive leaves
 * them out (each is a whole database) and a restore leaves them where they are.
 */
export function isUpdateCopies(relativePath: string): boolean {
  return relativePath === UPDATE_COPIES_DIR || relativePath.startsWith(`${UPDATE_COPIES_DIR}/`);
}

/** Everything HubDesk keeps for itself while moving or restoring starts with this and is never backed up. */
export const WORK_PREFIX = '.hubdesk-';
export const MOVED_FROM_FILE = `${WORK_PREFIX}moved-from.json`;
export const RESTORE_STAGING_DIR = `${WORK_PREFIX}restore-staging`;
export const RESTORE_PREVIOUS_DIR = `${WORK_PREFIX}restore-previous`;
/** The journal of a restore, in the data folder (see operation-journal.ts). */
export const RESTORE_JOURNAL_FILE = `${WORK_PREFIX}restore.json`;
/** The journal of a move, in the folder moved from (see operation-journal.ts). */
export const MOVE_JOURNAL_FILE = `${WORK_PREFIX}move.json`;
/** Set-aside data waiting to be deleted (renamed at start-up, deleted in the background). */
export const TRASH_PREFIX = `${WORK_PREFIX}trash-`;
/** The database copy a backup archives, while it writes the archive (and its SQLite journal beside it). */
export const BACKUP_SNAPSHOT_FILE = `${WORK_PREFIX}backup.database.part`;

/** Removes a backup's database copy and its SQLite files (what a crash during a backup leaves). */
export async function removeBackupSnapshots(dataDir: string): Promise<void> {
  for (const suffix of ['', '-journal', '-wal', '-shm']) {
    await fsp.rm(path.join(dataDir, BACKUP_SNAPSHOT_FILE + suffix), { force: true });
  }
}

/** The marker a move leaves in the new folder: the old folder and its entries, removed once the new one opened. */
export interface MovedFrom {
  from: string;
  topLevel: string[];
}

export interface DataFile {
  /** Relative to the data folder, `/`-separated. */
  path: string;
  file: string;
  size: number;
}

function isOwnTopLevelEntry(name: string): boolean {
  return (
    name === DATABASE_FILE ||
    DATABASE_SIDECARS.includes(name) ||
    name === DATA_LOCK_FILE ||
    name.startsWith(WORK_PREFIX) ||
    name === DATA_LOCATION_FILE ||
    name === `${DATA_LOCATION_FILE}.part`
  );
}

/**
 * The files of the data folder other than the database (the library and anything else kept there), without
 * HubDesk's own work files; symlinks are not followed. Top-level names are returned too, for removing later.
 */
export async function listDataFiles(dataDir: string): Promise<{ files: DataFile[]; topLevel: string[] }> {
  const files: DataFile[] = [];
  const topLevel: string[] = [];
  let names: fs.Dirent[];
  try {
    names = await fsp.readdir(dataDir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { files, topLevel };
    throw error;
  }
  for (const entry of names) {
    if (isOwnTopLevelEntry(entry.name)) continue;
    if (!entry.isFile() && !entry.isDirectory()) continue;
    topLevel.push(entry.name);
    await collect(path.join(dataDir, entry.name), entry.name, entry.isDirectory(), files);
  }
  return { files, topLevel };
}

async function collect(
  file: string,
  relative: string,
  isDirectory: boolean,
  into: DataFile[],
): Promise<void> {
  if (!isDirectory) {
    const stat = await fsp.stat(file);
    into.push({ path: relative, file, size: stat.size });
    return;
  }
  for (const entry of await fsp.readdir(file, { withFileTypes: true })) {
    if (!entry.isFile() && !entry.isDirectory()) continue;
    await collect(path.join(file, entry.name), `${relative}/${entry.name}`, entry.isDirectory(), into);
  }
}

export async function folderBytes(dir: string): Promise<number> {
  const files: DataFile[] = [];
  try {
    await collect(dir, '', true, files);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  return files.reduce((sum, file) => sum + file.size, 0);
}

/** Copies each file under `targetDir` at its relative path, flushed to disk; `onBytes` after each file. */
export async function copyDataFiles(
  files: DataFile[],
  targetDir: string,
  onBytes: (bytes: number) => void,
): Promise<void> {
  const folders = new Set<string>();
  for (const file of files) {
    const target = path.join(targetDir, ...file.path.split('/'));
    await fsp.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    await fsp.copyFile(file.file, target, fs.constants.COPYFILE_EXCL);
    syncFile(target);
    folders.add(path.dirname(target));
    onBytes(file.size);
  }
  for (const folder of folders) syncFolder(folder);
}

/**
 * Creates `dir` and its missing parents one level at a time, owner-only. (Node's recursive mkdir never returns
 * where mkdir fails with ENOENT under an existing parent, as it does everywhere under /proc.)
 */
export async function createFolders(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let current = path.resolve(dir); !(await fsp.lstat(current).catch(() => null)); ) {
    missing.push(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const folder of missing.reverse()) await fsp.mkdir(folder, { mode: 0o700 });
}

/** Bytes free for an unprivileged user on the disk that holds `dir` (or its nearest existing parent). */
export function freeBytes(dir: string): number | null {
  let current = path.resolve(dir);
  for (;;) {
    try {
      const stat = fs.statfsSync(current);
      return stat.bavail * stat.bsize;
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return null;
      current = parent;
    }
  }
}

/** Removes the named top-level entries (and the database files) of an old data folder, then the folder if empty. */
export async function removeDataFolder(dataDir: string, topLevel: string[]): Promise<void> {
  for (const name of [DATABASE_FILE, ...DATABASE_SIDECARS, MOVE_JOURNAL_FILE, DATA_LOCK_FILE, ...topLevel]) {
    if (name.includes('/') || name.includes('\\') || name === '..' || name === '.') continue;
    // The lock file is held while this runs: Windows refuses to remove it, and it stays.
    await fsp.rm(path.join(dataDir, name), { recursive: true, force: true }).catch(() => {});
  }
  try {
    await fsp.rmdir(dataDir);
  } catch {
    // Not empty (another program's files, or the data-location file of the platform folder): leave it.
  }
}
