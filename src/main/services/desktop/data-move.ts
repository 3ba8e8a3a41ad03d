/** Where the data folder is and how big, and moving it to another place. */
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { DataLocation } from '../../../shared/desktop';
import type { ErrorReason } from '../../../shared/error-reasons';
import { fileReasons, HubError } from '../../base/errors';
import { overlaps } from '../../files/path-inside';
import { type DataPaths, writeDataLocation } from '../../paths';
import { checkCopy, type DatabaseCopies } from '../../store/database-copies';
import { errnoOf, reasonOf, syncFile, syncFolder, writeDurably } from '../../store/durable-files';
import { listUpdateCopies, updateCopiesDir } from '../../store/update-copies';
import type { EventBus } from '../event-bus';
import {
  copyDataFiles,
  createFolders,
  DATABASE_FILE,
  folderBytes,
  listDataFiles,
  MOVE_JOURNAL_FILE,
  MOVED_FROM_FILE,
  type MovedFrom,
  WORK_PREFIX,
} from './data-folder';
import {
  type DataOperations,
  ensureSpace,
  lockForOperation,
  type Progress,
  targetError,
} from './data-operation';
import { removeJournal, writeJournal } from './operation-journal';

export interface DataMoveDeps {
  paths: DataPaths;
  database: DatabaseCopies;
  bus: EventBus;
  operations: DataOperations;
  /** Called at each named step of a move (tests stop the process there). */
  stepReached?: ((step: string) => void) | undefined;
}

const OVERLAPS: ErrorReason = { code: 'moveTargetOverlaps', values: {} };

export class DataMove {
  constructor(private readonly deps: DataMoveDeps) {}

  async location(): Promise<DataLocation> {
    const { paths } = this.deps;
    const databaseBytes = await sizeOf(paths.databasePath);
    const walBytes = await sizeOf(`${paths.databasePath}-wal`);
    return {
      dataDir: paths.dataDir,
      databaseBytes: databaseBytes + walBytes,
      libraryBytes: await folderBytes(paths.libraryDir),
      updateCopies: listUpdateCopies(updateCopiesDir(paths.databasePath)),
      movable: paths.locationFile !== undefined,
      ...(paths.locationFile === undefined
        ? {
            notMovableReason:
              'HubDesk was started with this folder chosen by HUBDESK_DATA_DIR (or the command line). ' +
              'To use another folder, copy it with “Back up everything” and “Restore”, or change that setting.',
          }
        : {}),
    };
  }

  /** See `data.move` in the contract. The old folder stays until the app has opened the new one. */
  async move(targetInput: string): Promise<{ dataDir: string }> {
    const { paths, bus } = this.deps;
    const locationFile = paths.locationFile;
    if (locationFile === undefined) {
      throw new HubError({
        kind: 'invalid_input',
        message: (await this.location()).notMovableReason ?? '',
        reason: { code: 'dataFolderNotMovable', values: {} },
      });
    }
    const target = path.resolve(targetInput);
    const dataDir = path.resolve(paths.dataDir);
    if (overlaps(dataDir, target)) {
      throw targetError('must be outside the current data folder, and not contain it.', OVERLAPS);
    }
    return this.deps.operations.exclusive('move', async (progress) => {
      const lock = lockForOperation(dataDir);
      try {
        await this.copyAndCommit(dataDir, target, locationFile, progress);
      } finally {
        lock.release();
      }
      progress.done();
      bus.emit('data.reopen', { reason: 'moved', dataDir: target });
      return { dataDir: target };
    });
  }

  /**
   * The journal first (in the old folder) and the marker naming it (in the new one), then the copies, each flushed
   * to disk; writing the data-location file is the commit point. Anything failing before it removes the copy.
   */
  private async copyAndCommit(
    dataDir: string,
    target: string,
    locationFile: string,
    progress: Progress,
  ): Promise<void> {
    const { database } = this.deps;
    const reached = this.deps.stepReached ?? (() => {});
    const createdTarget = await prepareEmptyFolder(target);
    // Again now that the target exists: where it really leads (a symlink into the data folder) is known.
    if (overlaps(dataDir, target)) {
      await emptyFolder(target, createdTarget);
      throw targetError('must be outside the current data folder, and not contain it.', OVERLAPS);
    }
    const journalFile = path.join(dataDir, MOVE_JOURNAL_FILE);
    try {
      const { files, topLevel } = await listDataFiles(dataDir);
      const databaseBytes = database.sizeBytes();
      const total = databaseBytes + files.reduce((sum, file) => sum + file.size, 0);
      ensureSpace(target, total);
      writeJournal(journalFile, { target, createdTarget, locationFile, topLevel });
      // The marker names this folder from the start: a start that undoes the move removes only a copy that says so.
      const marker: MovedFrom = { from: dataDir, topLevel };
      writeDurably(path.join(target, MOVED_FROM_FILE), JSON.stringify(marker));
      reached('move:journal');
      progress.step('copyDatabase', total);
      const databaseCopy = path.join(target, DATABASE_FILE);
      await database.copyTo(databaseCopy, (done) => progress.set(databaseBytes * done));
      syncFile(databaseCopy);
      progress.set(databaseBytes);
      reached('move:database');
      progress.step('copyLibrary');
      await copyDataFiles(files, target, (bytes) => progress.add(bytes));
      reached('move:library');
      progress.step('openCopy');
      checkCopy(databaseCopy, database.schemaVersion());
      syncFolder(target);
      reached('move:checked');
      writeDataLocation(locationFile, target);
    } catch (error) {
      // Compared again before removing anything: the target must still lead outside the data folder.
      if (!overlaps(dataDir, target)) await emptyFolder(target, createdTarget);
      removeJournal(journalFile);
      throw error;
    }
    reached('move:committed');
  }
}

async function sizeOf(file: string): Promise<number> {
  return (await fsp.stat(file).catch(() => null))?.size ?? 0;
}

/** Creates `dir`, or accepts an existing empty folder; returns whether it was created. */
async function prepareEmptyFolder(dir: string): Promise<boolean> {
  const stat = await fsp.stat(dir).catch(() => null);
  if (stat && !stat.isDirectory()) {
    throw targetError(`is a file, not a folder (${dir}).`, {
      code: 'moveTargetIsFile',
      values: { path: dir },
    });
  }
  if (stat && (await fsp.readdir(dir)).length > 0) {
    throw targetError(`is a folder that is not empty (${dir}).`, {
      code: 'moveTargetNotEmpty',
      values: { path: dir },
    });
  }
  try {
    if (!stat) await createFolders(dir);
    const probe = path.join(dir, `${WORK_PREFIX}probe`);
    await fsp.writeFile(probe, '', { mode: 0o600 });
    await fsp.rm(probe);
  } catch (error) {
    if (!stat) await fsp.rm(dir, { recursive: true, force: true }).catch(() => {});
    const code = errnoOf(error);
    throw targetError(`cannot be written (${dir}): ${reasonOf(error)}.`, {
      code: 'moveTargetNotWritable',
      values: { path: dir, cause: code && fileReasons[code] ? code : reasonOf(error) },
    });
  }
  return !stat;
}

/** Undoes a failed move: removes what was copied (and the folder, when the move created it). */
async function emptyFolder(dir: string, remove: boolean): Promise<void> {
  if (remove) {
    await fsp.rm(dir, { recursive: true, force: true });
    return;
  }
  for (const name of await fsp.readdir(dir).catch(() => [])) {
    await fsp.rm(path.join(dir, name), { recursive: true, force: true });
  }
}
