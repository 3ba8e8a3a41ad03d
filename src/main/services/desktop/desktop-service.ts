import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { EventName, EventPayload } from '../../../shared/contract';
import type {
  BackupResult,
  DatabaseUpdateNotice,
  DataLocation,
  DataOperation,
  DataStep,
  UsageSummary,
} from '../../../shared/desktop';
import { formatBytes } from '../../../shared/sizes';
import { HubError } from '../../base/errors';
import { type DataPaths, writeDataLocation } from '../../paths';
import { type DatabaseUpdate, type Db, openDatabase, schemaVersion } from '../../store/database';
import { ProfilesRepo } from '../../store/profiles-repo';
import { listUpdateCopies, updateCopiesDir } from '../../store/update-copies';
import type { ServiceDeps } from '../service-deps';
import { extractArchive, readManifest, writeArchive } from './archive';
import {
  copyDataFiles,
  DATABASE_FILE,
  folderBytes,
  freeBytes,
  isSameOrInside,
  isUpdateCopies,
  listDataFiles,
  MOVED_FROM_FILE,
  RESTORE_PREVIOUS_DIR,
  RESTORE_STAGING_DIR,
  removeDataFolder,
  WORK_PREFIX,
} from './data-folder';
import { type UsageKind, UsageStore } from './usage';

const PROGRESS_INTERVAL_MS = 100;

interface MovedFrom {
  from: string;
  topLevel: string[];
}

/** Usage sums, and the data folder: where it is, moving it, backing it up, restoring it. */
export class DesktopService {
  private readonly usage: UsageStore;
  private readonly profiles: ProfilesRepo;
  private unsubscribe: (() => void) | null = null;
  private cleanup: Promise<void> = Promise.resolve();
  private running: DataOperation | null = null;
  /** Item ids already attributed in this run, so frequent events do not write each time. */
  private readonly attributed = new Set<string>();
  /** The update this run made to the database, until the window has shown it. */
  private pendingUpdateNotice: DatabaseUpdateNotice | null;

  constructor(
    readonly deps: ServiceDeps,
    readonly paths: DataPaths,
    databaseUpdate: DatabaseUpdate | null = null,
  ) {
    this.pendingUpdateNotice = databaseUpdate ? { ...databaseUpdate } : null;
    this.usage = new UsageStore(deps.db);
    this.profiles = new ProfilesRepo(deps.db);
  }

  /**
   * Records which profile made each reply, transcript and video from now on, and finishes what a move or a
   * restore left for the next start: the old folder and the set-aside data are removed once this one opened.
   */
  recover(): void {
    this.unsubscribe ??= this.deps.bus.subscribe((event, payload) => {
      const item = usageItemOf(event, payload);
      if (!item || this.attributed.has(item.id)) return;
      const profileId = this.profiles.activeId();
      if (profileId === null) return;
      this.usage.attribute(item.kind, item.id, profileId);
      if (this.attributed.size > 5000) this.attributed.clear();
      this.attributed.add(item.id);
    });
    this.cleanup = this.finishPreviousOperations().catch((error: unknown) => {
      this.deps.log?.(`desktop: cleaning up after a move or restore failed: ${String(error)}`);
    });
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.cleanup;
  }

  usageSummary(request: { from: string; to: string; profileId?: string | undefined }): UsageSummary {
    return this.usage.summary(request.from, request.to, request.profileId ?? null);
  }

  /** See `data.updateNotice` in the contract. */
  updateNotice(): DatabaseUpdateNotice | null {
    return this.pendingUpdateNotice;
  }

  dismissUpdateNotice(): Record<string, never> {
    this.pendingUpdateNotice = null;
    return {};
  }

  async location(): Promise<DataLocation> {
    const databaseBytes = await sizeOf(this.paths.databasePath);
    const walBytes = await sizeOf(`${this.paths.databasePath}-wal`);
    return {
      dataDir: this.paths.dataDir,
      databaseBytes: databaseBytes + walBytes,
      libraryBytes: await folderBytes(this.paths.libraryDir),
      updateCopies: listUpdateCopies(updateCopiesDir(this.paths.databasePath)),
      movable: this.paths.locationFile !== undefined,
      ...(this.paths.locationFile === undefined
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
    const locationFile = this.paths.locationFile;
    if (locationFile === undefined) {
      throw new HubError({ kind: 'invalid_input', message: (await this.location()).notMovableReason ?? '' });
    }
    const target = path.resolve(targetInput);
    const dataDir = path.resolve(this.paths.dataDir);
    if (isSameOrInside(dataDir, target) || isSameOrInside(target, dataDir)) {
      throw targetError('must be outside the current data folder, and not contain it.');
    }
    return this.exclusive('move', async (progress) => {
      const createdTarget = await prepareEmptyFolder(target);
      const { files, topLevel } = await listDataFiles(dataDir);
      const databaseBytes = await this.databaseBytes();
      const total = databaseBytes + files.reduce((sum, file) => sum + file.size, 0);
      ensureSpace(target, total);
      try {
        progress.step('copyDatabase', total);
        await this.deps.db.backup(path.join(target, DATABASE_FILE), {
          progress: ({ totalPages, remainingPages }) => {
            progress.set(totalPages > 0 ? databaseBytes * (1 - remainingPages / totalPages) : 0);
            return 256;
          },
        });
        progress.set(databaseBytes);
        progress.step('copyLibrary');
        await copyDataFiles(files, target, (bytes) => progress.add(bytes));
        progress.step('openCopy');
        verifyDatabase(path.join(target, DATABASE_FILE), schemaVersion(this.deps.db));
        const marker: MovedFrom = { from: dataDir, topLevel };
        await fsp.writeFile(path.join(target, MOVED_FROM_FILE), JSON.stringify(marker), { mode: 0o600 });
        writeDataLocation(locationFile, target);
      } catch (error) {
        await emptyFolder(target, createdTarget);
        throw error;
      }
      progress.done();
      this.deps.bus.emit('data.reopen', { reason: 'moved', dataDir: target });
      return { dataDir: target };
    });
  }

  /** See `data.backup` in the contract: a consistent snapshot of the database (online backup), then the files. */
  async backup(targetInput: string): Promise<BackupResult> {
    const target = path.resolve(targetInput);
    if (isSameOrInside(this.paths.dataDir, target)) {
      throw targetError('must be outside the data folder (a backup inside it would be backed up again).');
    }
    const existing = await fsp.stat(target).catch(() => null);
    if (existing?.isDirectory()) throw targetError('is a folder: give the name of the backup file to write.');
    if (!(await fsp.stat(path.dirname(target)).catch(() => null))?.isDirectory()) {
      throw targetError(`is in a folder that does not exist (${path.dirname(target)}).`);
    }
    return this.exclusive('backup', async (progress) => {
      const snapshot = `${target}.database.part`;
      try {
        progress.step('copyDatabase', 0);
        await this.deps.db.backup(snapshot);
        const files = (await listDataFiles(this.paths.dataDir)).files.filter(
          (file) => !isUpdateCopies(file.path),
        );
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
          this.now(),
        );
        progress.done();
        return { path: target, ...result };
      } finally {
        await fsp.rm(snapshot, { force: true });
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
    const source = path.resolve(sourceInput);
    return this.exclusive('restore', async (progress) => {
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
      ensureSpace(this.paths.dataDir, total * 2);
      const staging = path.join(this.paths.dataDir, RESTORE_STAGING_DIR);
      await fsp.rm(staging, { recursive: true, force: true });
      let staged: Db | null = null;
      try {
        progress.step('checkFiles', total);
        await extractArchive(source, manifest, staging, (bytes) => progress.add(bytes));
        progress.step('openBackupDatabase');
        staged = verifyDatabase(path.join(staging, DATABASE_FILE), null, { keepOpen: true });
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
      this.deps.bus.emit('data.reopen', { reason: 'restored', dataDir: this.paths.dataDir });
      return { files: manifest.files.length, bytes: total };
    });
  }

  /** `incoming`: the archive's top-level entries other than the database (not the open staged database's files). */
  private async replaceWith(staging: string, incoming: string[], staged: Db): Promise<void> {
    const dataDir = this.paths.dataDir;
    const previous = path.join(dataDir, RESTORE_PREVIOUS_DIR);
    await fsp.rm(previous, { recursive: true, force: true });
    await fsp.mkdir(previous, { recursive: true, mode: 0o700 });
    await this.deps.db.backup(path.join(previous, DATABASE_FILE));
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
      await staged.backup(this.paths.databasePath);
      const check = this.deps.db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`the restored database does not pass a check (${String(check)})`);
    } catch (error) {
      for (const name of movedIn) await fsp.rm(path.join(dataDir, name), { recursive: true, force: true });
      for (const name of movedAside) await fsp.rename(path.join(previous, name), path.join(dataDir, name));
      const kept = openDatabase(path.join(previous, DATABASE_FILE), { updateCopies: null });
      try {
        await kept.backup(this.paths.databasePath);
      } finally {
        kept.close();
      }
      throw error;
    }
  }

  private async finishPreviousOperations(): Promise<void> {
    const dataDir = this.paths.dataDir;
    await fsp.rm(path.join(dataDir, RESTORE_STAGING_DIR), { recursive: true, force: true });
    await fsp.rm(path.join(dataDir, RESTORE_PREVIOUS_DIR), { recursive: true, force: true });
    const markerFile = path.join(dataDir, MOVED_FROM_FILE);
    let marker: MovedFrom;
    try {
      marker = JSON.parse(await fsp.readFile(markerFile, 'utf8')) as MovedFrom;
    } catch {
      return;
    }
    const old = typeof marker.from === 'string' ? path.resolve(marker.from) : null;
    if (
      old &&
      !isSameOrInside(old, dataDir) &&
      !isSameOrInside(dataDir, old) &&
      Array.isArray(marker.topLevel)
    ) {
      await removeDataFolder(
        old,
        marker.topLevel.filter(
          (name): name is string => typeof name === 'string' && !name.startsWith(WORK_PREFIX),
        ),
      );
      this.deps.log?.(`desktop: removed the old data folder ${old} after the move`);
    }
    await fsp.rm(markerFile, { force: true });
  }

  private async databaseBytes(): Promise<number> {
    const pages = this.deps.db.pragma('page_count', { simple: true });
    const pageSize = this.deps.db.pragma('page_size', { simple: true });
    return Number(pages) * Number(pageSize);
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  private async exclusive<T>(operation: DataOperation, run: (progress: Progress) => Promise<T>): Promise<T> {
    if (this.running) {
      throw new HubError({
        kind: 'invalid_input',
        message: `A ${this.running} of the data folder is still running; wait for it to finish.`,
      });
    }
    this.running = operation;
    try {
      return await run(new Progress(operation, this.deps));
    } finally {
      this.running = null;
    }
  }
}

/** `data.progress` events, at most one per PROGRESS_INTERVAL_MS, plus every change of step and the end. */
class Progress {
  private stepId: DataStep | null = null;
  private done_ = 0;
  private total = 0;
  private lastSent = 0;

  constructor(
    private readonly operation: DataOperation,
    private readonly deps: ServiceDeps,
  ) {}

  step(id: DataStep, total?: number): void {
    this.stepId = id;
    if (total !== undefined) {
      this.total = total;
      this.done_ = 0;
    }
    this.send();
  }

  add(bytes: number): void {
    this.set(this.done_ + bytes);
  }

  set(bytes: number): void {
    this.done_ = Math.min(bytes, this.total);
    if ((this.deps.now ?? Date.now)() - this.lastSent >= PROGRESS_INTERVAL_MS) this.send();
  }

  done(): void {
    this.stepId = 'done';
    this.done_ = this.total;
    this.send();
  }

  private send(): void {
    // Every operation names its first step before it counts bytes.
    if (this.stepId === null) return;
    this.lastSent = (this.deps.now ?? Date.now)();
    this.deps.bus.emit('data.progress', {
      operation: this.operation,
      step: this.stepId,
      bytesDone: Math.round(this.done_),
      bytesTotal: this.total,
    });
  }
}

/** The reply, transcription job or video an event is about, for recording which profile made it. */
function usageItemOf(event: EventName, payload: unknown): { kind: UsageKind; id: string } | null {
  if (event === 'chat.delta') {
    const delta = payload as EventPayload<'chat.delta'>;
    return delta.seq === 1 ? { kind: 'message', id: delta.messageId } : null;
  }
  if (event === 'chat.end') return { kind: 'message', id: (payload as EventPayload<'chat.end'>).message.id };
  if (event === 'transcription.changed') {
    const job = (payload as EventPayload<'transcription.changed'>).job;
    return job ? { kind: 'transcription_job', id: job.id } : null;
  }
  if (event === 'videos.changed')
    return { kind: 'video', id: (payload as EventPayload<'videos.changed'>).job.id };
  return null;
}

function targetError(why: string): HubError {
  return new HubError({ kind: 'invalid_input', field: 'target', message: `The chosen place ${why}` });
}

async function sizeOf(file: string): Promise<number> {
  return (await fsp.stat(file).catch(() => null))?.size ?? 0;
}

/** Creates `dir`, or accepts an existing empty folder; returns whether it was created. */
async function prepareEmptyFolder(dir: string): Promise<boolean> {
  const stat = await fsp.stat(dir).catch(() => null);
  if (!stat) {
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    return true;
  }
  if (!stat.isDirectory()) throw targetError(`is a file, not a folder (${dir}).`);
  if ((await fsp.readdir(dir)).length > 0) throw targetError(`is a folder that is not empty (${dir}).`);
  return false;
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

function ensureSpace(dir: string, bytes: number): void {
  const free = freeBytes(dir);
  if (free !== null && free < bytes * 1.05 + 16 * 1024 * 1024) {
    throw new HubError({
      kind: 'invalid_input',
      field: 'target',
      message: `There is not enough free space at ${dir}: ${formatBytes(bytes, { zeros: 'keep' })} needed, ${formatBytes(free, { zeros: 'keep' })} free.`,
    });
  }
}

/**
 * Opens a database copy as the app would (applying migrations, without keeping a copy of the copy) and checks it.
 * With `expectVersion`, the copy must be at that schema version. Throws a readable error; closes it unless
 * `keepOpen`.
 */
function verifyDatabase(
  file: string,
  expectVersion: number | null,
  options: { keepOpen?: boolean } = {},
): Db {
  if (!fs.existsSync(file)) throw new Error(`the database copy is missing (${file})`);
  let db: Db;
  try {
    db = openDatabase(file, { updateCopies: null });
  } catch (error) {
    throw new HubError({
      kind: 'invalid_input',
      message: `The database copy does not open: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  try {
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`The database copy is damaged (${String(check)}).`);
    if (expectVersion !== null && schemaVersion(db) !== expectVersion) {
      throw new Error(`The database copy is at schema ${schemaVersion(db)}, expected ${expectVersion}.`);
    }
  } catch (error) {
    db.close();
    throw new HubError({
      kind: 'invalid_input',
      message: error instanceof Error ? error.message : String(error),
    });
  }
  if (!options.keepOpen) db.close();
  return db;
}
