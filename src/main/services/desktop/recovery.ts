/**
 * What a start does, before it opens the database, about a restore or a move that was cut off (see
 * operation-journal.ts): before its commit point it is undone, after it the set-aside data is put in the trash.
 * Runs under the data folder's lock, so never while another process is still restoring or moving this folder.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { overlaps } from '../../files/path-inside';
import { lockDataFolder } from '../../store/data-lock';
import { syncFolder } from '../../store/durable-files';
import { restoreUpdateCopy } from '../../store/update-copies';
import {
  DATABASE_FILE,
  LIBRARY_DIR,
  MOVE_JOURNAL_FILE,
  MOVED_FROM_FILE,
  RESTORE_JOURNAL_FILE,
  RESTORE_PREVIOUS_DIR,
  RESTORE_STAGING_DIR,
  TRASH_PREFIX,
} from './data-folder';
import {
  type MoveJournal,
  moveCommitted,
  type RestoreJournal,
  readMoveJournal,
  readRestoreJournal,
  removeJournal,
  sameLocation,
} from './operation-journal';

/** How long a start waits for another process that restores or moves this folder. */
const LOCK_WAIT_MS = 10_000;

/** Undoes or finishes a cut-off restore or move of `dataDir`; nothing to do is the common case and costs a few stats. */
export function recoverDataFolder(dataDir: string, databasePath: string, log?: (line: string) => void): void {
  const journals = [RESTORE_JOURNAL_FILE, MOVE_JOURNAL_FILE].flatMap((name) => [name, `${name}.tmp`]);
  const names = [...journals, RESTORE_STAGING_DIR, RESTORE_PREVIOUS_DIR];
  if (!names.some((name) => fs.existsSync(path.join(dataDir, name)))) return;
  const lock = lockDataFolder(dataDir, LOCK_WAIT_MS);
  try {
    recoverRestore(dataDir, databasePath, log);
    recoverMove(dataDir, log);
  } finally {
    lock.release();
  }
}

function recoverRestore(dataDir: string, databasePath: string, log?: (line: string) => void): void {
  const journalFile = path.join(dataDir, RESTORE_JOURNAL_FILE);
  const previous = path.join(dataDir, RESTORE_PREVIOUS_DIR);
  const journal = readRestoreJournal(journalFile);
  if (journal?.state === 'replacing' || (!journal && fs.existsSync(journalFile))) {
    undoLibraryReplacement(dataDir, journal ?? { state: 'replacing', hadLibrary: true, newLibrary: true });
    const previousDatabase = path.join(previous, DATABASE_FILE);
    if (fs.existsSync(previousDatabase)) restoreUpdateCopy(databasePath, previousDatabase);
    log?.('desktop: a restore was cut off before it finished; the data from before it is back in place');
  }
  trash(dataDir, RESTORE_STAGING_DIR);
  trash(dataDir, RESTORE_PREVIOUS_DIR);
  removeJournal(journalFile);
}

/** Puts the library set aside by a restore back (removing what came in in its place); safe to repeat. */
export function undoLibraryReplacement(dataDir: string, journal: RestoreJournal): void {
  const library = path.join(dataDir, LIBRARY_DIR);
  const aside = path.join(dataDir, RESTORE_PREVIOUS_DIR, LIBRARY_DIR);
  if (journal.hadLibrary && fs.existsSync(aside)) {
    fs.rmSync(library, { recursive: true, force: true });
    fs.renameSync(aside, library);
  } else if (!journal.hadLibrary && journal.newLibrary) {
    fs.rmSync(library, { recursive: true, force: true });
  }
  syncFolder(dataDir);
}

/** This folder is one a move started from: when the move was not committed, its copy in the target goes. */
function recoverMove(dataDir: string, log?: (line: string) => void): void {
  const journalFile = path.join(dataDir, MOVE_JOURNAL_FILE);
  if (!fs.existsSync(journalFile)) {
    // Cut off while the journal was first written: nothing was copied yet.
    fs.rmSync(`${journalFile}.tmp`, { force: true });
    return;
  }
  const journal = readMoveJournal(journalFile);
  // Committed: the new folder's start removes this one (this start was told to open it all the same).
  if (journal && moveCommitted(journal)) return;
  if (journal) removeMoveCopy(dataDir, journal);
  removeJournal(journalFile);
  log?.(`desktop: a move of the data folder was cut off before it finished; the data stays in ${dataDir}`);
}

/** Removes the copy in the target, only when its marker names this folder (so it is this move's copy). */
function removeMoveCopy(dataDir: string, journal: MoveJournal): void {
  const target = journal.target;
  if (overlaps(dataDir, target) || !fs.existsSync(target)) return;
  if (!copyOf(dataDir, target)) {
    // Cut off before the marker was written: nothing was copied; a folder the move created is empty.
    if (journal.createdTarget) {
      try {
        fs.rmdirSync(target);
      } catch {
        // Not empty: not this move's to remove.
      }
    }
    return;
  }
  if (journal.createdTarget) {
    fs.rmSync(target, { recursive: true, force: true });
    return;
  }
  for (const name of fs.readdirSync(target)) {
    const own = name === MOVED_FROM_FILE || name.startsWith(DATABASE_FILE) || journal.topLevel.includes(name);
    if (own) fs.rmSync(path.join(target, name), { recursive: true, force: true });
  }
}

function copyOf(dataDir: string, target: string): boolean {
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(target, MOVED_FROM_FILE), 'utf8')) as {
      from?: unknown;
    };
    return typeof marker.from === 'string' && sameLocation(marker.from, dataDir);
  } catch {
    return false;
  }
}

/** Renames `name` in the data folder to a trash name (deleted in the background once the app runs). */
function trash(dataDir: string, name: string): void {
  const from = path.join(dataDir, name);
  if (!fs.existsSync(from)) return;
  fs.renameSync(from, path.join(dataDir, `${TRASH_PREFIX}${randomUUID()}`));
  syncFolder(dataDir);
}
