/** Backing the data folder up into one archive, and restoring it from one. */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { BACKUP_TARGET_EXISTS, type BackupResult } from '../../../shared/desktop';
import { HubError } from '../../base/errors';
import { isSameOrInside, realLocation } from '../../files/path-inside';
import type { DataPaths } from '../../paths';
import {
  copyDatabaseInto,
  type DatabaseCopies,
  type OpenCopy,
  openCheckedCopy,
} from '../../store/database-copies';
import { syncFile, syncFolder } from '../../store/durable-files';
import type { EventBus } from '../event-bus';
import { extractArchive, readManifest, writeArchive } from './archive';
import {
  BACKUP_SNAPSHOT_FILE,
  DATABASE_FILE,
  LIBRARY_DIR,
  listDataFiles,
  RESTORE_JOURNAL_FILE,
  RESTORE_PREVIOUS_DIR,
  RESTORE_STAGING_DIR,
  removeBackupSnapshots,
} from './data-folder';
import { type DataOperations, ensureSpace, lockForOperation, targetError } from './data-operation';
import { type RestoreJournal, removeJournal, writeJournal } from './operation-journal';
import { undoLibraryReplacement } from './recovery';

export interface BackupRestoreDeps {
  paths: DataPaths;
  database: DatabaseCopies;
  bus: EventBus;
  operations: DataOperations;
  now: () => number;
  /** Called at each named step of a restore (tests stop the process there). */
  stepReached?: ((step: string) => void) | undefined;
}

export class BackupRestore {
  constructor(private readonly deps: BackupRestoreDeps) {}

  /** See `data.backup` in the contract: a consistent snapshot of the database (online backup), then the library. */
  async backup(targetInput: string, options: { overwrite?: boolean } = {}): Promise<BackupResult> {
    const { paths, database } = this.deps;
    const target = path.resolve(targetInput);
    if (
      isSameOrInside(paths.dataDir, target) ||
      isSameOrInside(realLocation(paths.dataDir), realLocation(target))
    ) {
      throw targetError('must be outside the data folder (a backup inside it would be backed up again).', {
        code: 'backupTargetInsideData',
        values: {},
      });
    }
    const existing = await fsp.stat(target).catch(() => null);
    if (existing?.isDirectory()) {
      throw targetError('is a folder: give the name of the backup file to write.', {
        code: 'backupTargetIsFolder',
        values: {},
      });
    }
    if (existing && !options.overwrite) {
      throw targetError(
        `already holds a file (${target}): give another name, or remove that file first.`,
        { code: 'backupTargetExists', values: { path: target } },
        BACKUP_TARGET_EXISTS,
      );
    }
    if (!(await fsp.stat(path.dirname(target)).catch(() => null))?.isDirectory()) {
      throw targetError(`is in a folder that does not exist (${path.dirname(target)}).`, {
        code: 'targetFolderMissing',
        values: { path: path.dirname(target) },
      });
    }
    return this.deps.operations.exclusive('backup', async (progress) => {
      const snapshot = path.join(paths.dataDir, BACKUP_SNAPSHOT_FILE);
      try {
        // Stale copies: one a crash left in the data folder, one an earlier HubDesk wrote beside the target.
        await removeBackupSnapshots(paths.dataDir);
        await fsp.rm(`${target}.database.part`, { force: true });
        ensureSpace(paths.dataDir, database.sizeBytes());
        // Owner-only from the first byte: SQLite writes into the existing empty file and keeps its mode.
        await (await fsp.open(snapshot, 'wx', 0o600)).close();
        progress.step('copyDatabase', 0);
        await database.copyTo(snapshot);
        // The library only, as a restore takes only it (not the copies taken before updates, nor other programs' files).
        const files = (await listDataFiles(paths.dataDir)).files.filter((file) => isRestorable(file.path));
        const snapshotBytes = (await fsp.stat(snapshot)).size;
        const total = snapshotBytes + files.reduce((sum, file) => sum + file.size, 0);
        ensureSpace(path.dirname(target), total);
        progress.step('writeArchive', total);
        const result = await writeArchive(
          target,
          [
            { path: DATABASE_FILE, file: snapshot },
            ...files.map((file) => ({ path: file.path, file: file.file })),
          ],
          (bytes) => progress.add(bytes),
          this.deps.now(),
        );
        progress.done();
        return { path: target, ...result };
      } finally {
        await removeBackupSnapshots(paths.dataDir);
      }
    });
  }

  /**
   * See `data.restore` in the contract. Only the database and the library are taken from an archive: anything else in
   * it (HubDesk's own bookkeeping files, the database's WAL, another program's files) is left out, so an archive can
   * never plant a file that steers a start. Every file taken is checked (size, SHA-256) into a staging folder and the
   * staged database is opened (and migrated) before anything current is touched. Then, under a journal (see
   * operation-journal.ts), the current library is set aside, the archive's takes its place, and the database is
   * written through SQLite's backup API into the open file; the journal's commit follows. Any failure before it puts
   * the current data back, here or, after a crash, at the next start; the set-aside data goes at the next start.
   */
  async restore(sourceInput: string): Promise<{ files: number; bytes: number }> {
    const { paths } = this.deps;
    const source = path.resolve(sourceInput);
    return this.deps.operations.exclusive('restore', async (progress) => {
      progress.step('checkBackup', 0);
      const manifest = await readManifest(source);
      const taken = manifest.files.filter((file) => isRestorable(file.path));
      if (!taken.some((file) => file.path === DATABASE_FILE)) {
        throw new HubError({
          kind: 'invalid_input',
          field: 'source',
          message: `${path.basename(source)} holds no HubDesk database. Nothing was changed.`,
          reason: { code: 'backupNoDatabase', values: { name: path.basename(source) } },
        });
      }
      const total = taken.reduce((sum, file) => sum + file.size, 0);
      ensureSpace(paths.dataDir, total * 2);
      const lock = lockForOperation(paths.dataDir);
      const staging = path.join(paths.dataDir, RESTORE_STAGING_DIR);
      let staged: OpenCopy | null = null;
      try {
        await fsp.rm(staging, { recursive: true, force: true });
        progress.step('checkFiles', total);
        await extractArchive(source, manifest, staging, (bytes) => progress.add(bytes), isRestorable);
        progress.step('openBackupDatabase');
        staged = openCheckedCopy(path.join(staging, DATABASE_FILE), null);
        this.reached('restore:staged');
        progress.step('replaceData');
        await this.replaceWith(
          staging,
          taken.some((file) => file.path !== DATABASE_FILE),
          staged,
        );
      } finally {
        staged?.close();
        await fsp.rm(staging, { recursive: true, force: true });
        lock.release();
      }
      progress.done();
      this.deps.bus.emit('data.reopen', { reason: 'restored', dataDir: paths.dataDir });
      return { files: taken.length, bytes: total };
    });
  }

  private reached(step: string): void {
    this.deps.stepReached?.(step);
  }

  /** `newLibrary`: whether the staging folder holds a library to move in. */
  private async replaceWith(staging: string, newLibrary: boolean, staged: OpenCopy): Promise<void> {
    const { paths, database } = this.deps;
    const dataDir = paths.dataDir;
    const previous = path.join(dataDir, RESTORE_PREVIOUS_DIR);
    await fsp.rm(previous, { recursive: true, force: true });
    await fsp.mkdir(previous, { recursive: true, mode: 0o700 });
    const previousDatabase = path.join(previous, DATABASE_FILE);
    await database.copyTo(previousDatabase);
    syncFile(previousDatabase);
    syncFolder(previous);
    this.reached('restore:previous');
    const hadLibrary = fs.existsSync(paths.libraryDir);
    const journalFile = path.join(dataDir, RESTORE_JOURNAL_FILE);
    const journal: RestoreJournal = { state: 'replacing', hadLibrary, newLibrary };
    writeJournal(journalFile, journal);
    try {
      if (hadLibrary) await fsp.rename(paths.libraryDir, path.join(previous, LIBRARY_DIR));
      this.reached('restore:libraryAside');
      if (newLibrary) await fsp.rename(path.join(staging, LIBRARY_DIR), paths.libraryDir);
      syncFolder(previous);
      syncFolder(dataDir);
      this.reached('restore:libraryIn');
      await staged.copyInto(paths.databasePath);
      database.quickCheck();
      this.reached('restore:database');
      writeJournal(journalFile, { ...journal, state: 'committed' });
    } catch (error) {
      undoLibraryReplacement(dataDir, journal);
      await copyDatabaseInto(previousDatabase, paths.databasePath);
      removeJournal(journalFile);
      throw error;
    }
    this.reached('restore:committed');
  }
}

/** What a restore takes from an archive: the database and the files of the library, nothing else. */
function isRestorable(relativePath: string): boolean {
  return relativePath === DATABASE_FILE || relativePath.startsWith(`${LIBRARY_DIR}/`);
}
