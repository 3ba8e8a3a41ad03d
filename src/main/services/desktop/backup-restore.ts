/** Backing the data folder up into one archive, and restoring it from one. */
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { BackupResult } from '../../../shared/desktop';
import { HubError } from '../../base/errors';
import { isSameOrInside } from '../../files/path-inside';
import type { DataPaths } from '../../paths';
import {
  copyDatabaseInto,
  type DatabaseCopies,
  type OpenCopy,
  openCheckedCopy,
} from '../../store/database-copies';
import type { EventBus } from '../event-bus';
import { extractArchive, readManifest, writeArchive } from './archive';
import {
  BACKUP_SNAPSHOT_FILE,
  DATABASE_FILE,
  isUpdateCopies,
  listDataFiles,
  RESTORE_PREVIOUS_DIR,
  RESTORE_STAGING_DIR,
  removeBackupSnapshots,
} from './data-folder';
import { type DataOperations, ensureSpace, targetError } from './data-operation';

export interface BackupRestoreDeps {
  paths: DataPaths;
  database: DatabaseCopies;
  bus: EventBus;
  operations: DataOperations;
  now: () => number;
}

export class BackupRestore {
  constructor(private readonly deps: BackupRestoreDeps) {}

  /** See `data.backup` in the contract: a consistent snapshot of the database (online backup), then the files. */
  async backup(targetInput: string, options: { overwrite?: boolean } = {}): Promise<BackupResult> {
    const { paths, database } = this.deps;
    const target = path.resolve(targetInput);
    if (isSameOrInside(paths.dataDir, target)) {
      throw targetError('must be outside the data folder (a backup inside it would be backed up again).');
    }
    const existing = await fsp.stat(target).catch(() => null);
    if (existing?.isDirectory()) throw targetError('is a folder: give the name of the backup file to write.');
    if (existing && !options.overwrite) {
      throw targetError(`already holds a file (${target}): give another name, or remove that file first.`);
    }
    if (!(await fsp.stat(path.dirname(target)).catch(() => null))?.isDirectory()) {
      throw targetError(`is in a folder that does not exist (${path.dirname(target)}).`);
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
        const files = (await listDataFiles(paths.dataDir)).files.filter((file) => !isUpdateCopies(file.path));
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
   * See `data.restore` in the contract. Every file is checked (size, SHA-256) into a staging folder and the
   * staged database is opened (and migrated) before anything current is touched. Then the current data is set
   * aside, the archive's takes its place (the database through SQLite's backup API into the open file), and the
   * set-aside data is removed when the app next starts. Any failure on the way puts the current data back.
   */
  async restore(sourceInput: string): Promise<{ files: number; bytes: number }> {
    const { paths } = this.deps;
    const source = path.resolve(sourceInput);
    return this.deps.operations.exclusive('restore', async (progress) => {
      progress.step('checkBackup', 0);
      const manifest = await readManifest(source);
      if (!manifest.files.some((file) => file.path === DATABASE_FILE)) {
        throw new HubError({
          kind: 'invalid_input',
          field: 'source',
          message: `${path.basename(source)} holds no HubDesk database. Nothing was changed.`,
        });
      }
      const total = manifest.files.reduce((sum, file) => sum + file.size, 0);
      ensureSpace(paths.dataDir, total * 2);
      const staging = path.join(paths.dataDir, RESTORE_STAGING_DIR);
      await fsp.rm(staging, { recursive: true, force: true });
      let staged: OpenCopy | null = null;
      try {
        progress.step('checkFiles', total);
        await extractArchive(source, manifest, staging, (bytes) => progress.add(bytes));
        progress.step('openBackupDatabase');
        staged = openCheckedCopy(path.join(staging, DATABASE_FILE), null);
        progress.step('replaceData');
        const topLevel = new Set(manifest.files.map((file) => file.path.split('/')[0] ?? ''));
        topLevel.delete(DATABASE_FILE);
        // The copies taken before updates stay as they are (an archive never holds them).
        for (const name of topLevel) if (isUpdateCopies(name)) topLevel.delete(name);
        await this.replaceWith(staging, [...topLevel], staged);
      } finally {
        staged?.close();
        await fsp.rm(staging, { recursive: true, force: true });
      }
      progress.done();
      this.deps.bus.emit('data.reopen', { reason: 'restored', dataDir: paths.dataDir });
      return { files: manifest.files.length, bytes: total };
    });
  }

  /** `incoming`: the archive's top-level entries other than the database (not the open staged database's files). */
  private async replaceWith(staging: string, incoming: string[], staged: OpenCopy): Promise<void> {
    const { paths, database } = this.deps;
    const dataDir = paths.dataDir;
    const previous = path.join(dataDir, RESTORE_PREVIOUS_DIR);
    await fsp.rm(previous, { recursive: true, force: true });
    await fsp.mkdir(previous, { recursive: true, mode: 0o700 });
    await database.copyTo(path.join(previous, DATABASE_FILE));
    const current = (await listDataFiles(dataDir)).topLevel.filter((name) => !isUpdateCopies(name));
    const movedAside: string[] = [];
    const movedIn: string[] = [];
    try {
      for (const name of current) {
        await fsp.rename(path.join(dataDir, name), path.join(previous, name));
        movedAside.push(name);
      }
      for (const name of incoming) {
        await fsp.rename(path.join(staging, name), path.join(dataDir, name));
        movedIn.push(name);
      }
      await staged.copyInto(paths.databasePath);
      database.quickCheck();
    } catch (error) {
      for (const name of movedIn) await fsp.rm(path.join(dataDir, name), { recursive: true, force: true });
      for (const name of movedAside) await fsp.rename(path.join(previous, name), path.join(dataDir, name));
      await copyDatabaseInto(path.join(previous, DATABASE_FILE), paths.databasePath);
      throw error;
    }
  }
}
