import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { DoctorFact } from '../../../shared/doctor';
import { storedSchemaVersion } from '../../store/connection';
import { newestSchemaVersion } from '../../store/database';
import { openReadOnly, quickCheckLines } from '../../store/database-probe';
import { errnoOf } from '../../store/durable-files';
import { folderBytes } from '../desktop/data-folder';
import { bytes, type Found, flag, fsReason, reasonOf, text } from './findings';

/** Under this much free space on the data folder's disk, the doctor warns. */
export const LOW_SPACE_BYTES = 200 * 1024 * 1024;

/** The data folder exists, takes a probe file (written, then removed), and has room left on its disk. */
export async function dataFolderCheck(dataDir: string): Promise<Found<'dataFolder'>> {
  const facts: DoctorFact[] = [text('path', dataDir)];
  try {
    const stat = await fsp.stat(dataDir);
    if (!stat.isDirectory()) {
      return { id: 'dataFolder', status: 'fail', note: 'notFolder', facts: [...facts, flag('exists', true)] };
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return { id: 'dataFolder', status: 'warn', note: 'missing', facts: [...facts, flag('exists', false)] };
    }
    if (code === 'ENOTDIR') return { id: 'dataFolder', status: 'fail', note: 'notFolder', facts };
    return notWritable(error, facts);
  }
  facts.push(flag('exists', true));

  let writeError: unknown;
  const probe = path.join(dataDir, `.hubdesk-doctor-${process.pid}-${randomUUID()}.tmp`);
  try {
    await fsp.writeFile(probe, 'hubdesk doctor\n', { flag: 'wx', mode: 0o600 });
  } catch (error) {
    writeError = error;
  } finally {
    await fsp.rm(probe, { force: true }).catch(() => undefined);
  }
  facts.push(flag('writable', writeError === undefined));

  const size = await folderBytes(dataDir).catch(() => undefined);
  if (size !== undefined) facts.push(bytes('size', size));
  const disk = await fsp.statfs(dataDir).catch(() => undefined);
  const free = disk ? disk.bavail * disk.bsize : undefined;
  if (free !== undefined) facts.push(bytes('free', free));

  if (writeError !== undefined) return notWritable(writeError, facts);
  if (free !== undefined && free < LOW_SPACE_BYTES) {
    return { id: 'dataFolder', status: 'warn', note: 'lowSpace', facts };
  }
  return { id: 'dataFolder', status: 'ok', note: 'ok', facts };
}

function notWritable(error: unknown, facts: DoctorFact[]): Found<'dataFolder'> {
  return {
    id: 'dataFolder',
    status: 'fail',
    note: 'notWritable',
    values: { detail: fsReason(error) },
    facts,
  };
}

async function fileSize(file: string): Promise<number> {
  return (await fsp.stat(file).catch(() => undefined))?.size ?? 0;
}

/** `PRAGMA quick_check` and the schema version, on a read-only connection: the doctor never migrates. */
export async function databaseCheck(databasePath: string, sqliteLoads: boolean): Promise<Found<'database'>> {
  const newest = newestSchemaVersion();
  const facts: DoctorFact[] = [text('path', databasePath)];
  if (!sqliteLoads) return { id: 'database', status: 'warn', note: 'notChecked', facts };
  try {
    await fsp.stat(databasePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { id: 'database', status: 'warn', note: 'missing', facts: [...facts, flag('exists', false)] };
    }
    return { id: 'database', status: 'fail', note: 'unreadable', values: { detail: fsReason(error) }, facts };
  }
  facts.push(bytes('size', (await fileSize(databasePath)) + (await fileSize(`${databasePath}-wal`))));

  let db: ReturnType<typeof openReadOnly> | undefined;
  try {
    db = openReadOnly(databasePath);
    const problems = quickCheckLines(db);
    const result = problems.length === 1 && problems[0] === 'ok' ? 'ok' : problems.slice(0, 4).join('; ');
    facts.push(text('quickCheck', result));
    if (result !== 'ok') {
      return { id: 'database', status: 'fail', note: 'damaged', values: { detail: result }, facts };
    }
    const version = storedSchemaVersion(db);
    facts.push(text('schemaVersion', String(version)), text('newestSchema', String(newest)));
    if (version > newest) {
      return { id: 'database', status: 'fail', note: 'newer', values: { version, newest }, facts };
    }
    if (version < newest)
      return { id: 'database', status: 'ok', note: 'upgrade', values: { version, newest }, facts };
    return { id: 'database', status: 'ok', note: 'ok', facts };
  } catch (error) {
    const note = (errnoOf(error) ?? '').startsWith('SQLITE_CORRUPT') ? 'damaged' : 'unreadable';
    return { id: 'database', status: 'fail', note, values: { detail: reasonOf(error) }, facts };
  } finally {
    db?.close();
  }
}
