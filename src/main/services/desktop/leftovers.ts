/** What a move, a restore or a backup leaves for the next start: removed once the app has opened its data folder. */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { overlaps } from '../../files/path-inside';
import { DataFolderBusyError, lockDataFolder } from '../../store/data-lock';
import {
  MOVE_JOURNAL_FILE,
  MOVED_FROM_FILE,
  type MovedFrom,
  removeBackupSnapshots,
  removeDataFolder,
  TRASH_PREFIX,
  WORK_PREFIX,
} from './data-folder';
import { moveCommitted, readMoveJournal, sameLocation } from './operation-journal';

/** Removes the trash of a restore, a backup's stale database copy, and the old folder a committed move came from. */
export async function removeLeftovers(dataDir: string, log?: (line: string) => void): Promise<void> {
  for (const name of await fsp.readdir(dataDir).catch(() => [])) {
    if (name.startsWith(TRASH_PREFIX))
      await fsp.rm(path.join(dataDir, name), { recursive: true, force: true });
  }
  await removeBackupSnapshots(dataDir);
  await removeMovedFrom(dataDir, log);
}

/**
 * The marker says which folder this one was moved from. That folder is removed only when its own move journal
 * names this folder, the move is committed, and neither folder lies inside the other (by where they really lead).
 */
async function removeMovedFrom(dataDir: string, log?: (line: string) => void): Promise<void> {
  const markerFile = path.join(dataDir, MOVED_FROM_FILE);
  let marker: Partial<MovedFrom>;
  try {
    marker = JSON.parse(await fsp.readFile(markerFile, 'utf8')) as Partial<MovedFrom>;
  } catch {
    return;
  }
  const old =
    typeof marker.from === 'string' && path.isAbsolute(marker.from) ? path.resolve(marker.from) : null;
  const journal = old ? readMoveJournal(path.join(old, MOVE_JOURNAL_FILE)) : null;
  if (!old || !journal || !sameLocation(journal.target, dataDir)) {
    log?.(`desktop: the note of a move into ${dataDir} names no folder that moved here; nothing was removed`);
  } else if (!moveCommitted(journal)) {
    return; // Opened before the move was committed (a folder given by hand): the old folder stays the data folder.
  } else if (overlaps(old, dataDir)) {
    log?.(`desktop: the old data folder ${old} and ${dataDir} overlap; nothing was removed`);
  } else {
    let lock: { release(): void };
    try {
      lock = lockDataFolder(old, 0);
    } catch (error) {
      if (error instanceof DataFolderBusyError) return; // In use by another process: the next start tries again.
      throw error;
    }
    try {
      const topLevel = journal.topLevel.filter((name) => !name.startsWith(WORK_PREFIX));
      await removeDataFolder(old, topLevel);
    } finally {
      lock.release();
    }
    await fsp.rmdir(old).catch(() => {});
    log?.(`desktop: removed the old data folder ${old} after the move`);
  }
  await fsp.rm(markerFile, { force: true });
}
