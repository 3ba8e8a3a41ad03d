import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import packageJson from '../../../../package.json';
import type { DoctorCheck, DoctorFact, DoctorReport } from '../../../shared/doctor';
import { worstStatus } from '../../../shared/doctor';
import type { ConnectionTestResult, Profile } from '../../../shared/profiles';
import { toAppError } from '../../base/errors';
import { findFfmpeg } from '../../files/ffmpeg';
import type { TokenStore } from '../../secrets/token-store';
import { type Db, openSqlite } from '../../store/connection';
import { newestSchemaVersion } from '../../store/database';
import {
  betterSqlite3Binary,
  betterSqlite3Version,
  currentRuntime,
  MIN_NODE,
  runtimeProblem,
} from '../../store/sqlite-binding';
import { folderBytes } from '../desktop/data-folder';
import { tryLoadSqliteVec } from '../search/vector-index';

const run = promisify(execFile);
// Not `require`: electron-vite's ESM bundle declares one of its own.
const requirePackage = createRequire(import.meta.url);

/** Under this much free space on the data folder's disk, the doctor warns. */
export const LOW_SPACE_BYTES = 200 * 1024 * 1024;

/** The connection test the Settings screen runs (SettingsService has both verbs). */
export interface DoctorConnection {
  /** The active profile; throws when it cannot be read. */
  activeProfile(): Profile;
  testConnection(profileId: string): Promise<ConnectionTestResult>;
}

export interface DoctorOptions {
  dataDir: string;
  databasePath: string;
  /** The keychain as the app uses it: the doctor asks its own probe. */
  tokens: TokenStore;
  env?: NodeJS.ProcessEnv;
  /** Adds the connection test of the active profile. */
  online: boolean;
  connection?: DoctorConnection;
  /** The moment the report is dated (tests pass their own clock). */
  now?: () => number;
}

/** A check as its builder returns it: `values` and `facts` may be left out when there are none. */
type Draft<C> = C extends DoctorCheck
  ? Omit<C, 'values' | 'facts'> & { values?: Record<string, string | number>; facts?: DoctorFact[] }
  : never;
type Found<I extends DoctorCheck['id'] = DoctorCheck['id']> = Draft<Extract<DoctorCheck, { id: I }>>;

const text = (name: DoctorFact['name'], value: string): DoctorFact => ({ name, kind: 'text', value });
const flag = (name: DoctorFact['name'], value: boolean): DoctorFact => ({ name, kind: 'flag', value });
const bytes = (name: DoctorFact['name'], value: number): DoctorFact => ({ name, kind: 'bytes', value });

/** An error as one short line: never a stack, never more than a sentence or two. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim().slice(0, 400) || 'unknown error';
}

/** `EACCES: permission denied` from `EACCES: permission denied, open '/x/y'`. */
function fsReason(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const short = typeof message === 'string' ? message.split(', ')[0]?.trim() : undefined;
  return short || code || reasonOf(error);
}

function packageVersion(name: string): string | undefined {
  try {
    return (requirePackage(`${name}/package.json`) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

function runtimeCheck(): Found<'runtime'> {
  const runtime = currentRuntime();
  const facts = [
    text('node', runtime.node),
    ...(runtime.electron ? [text('electron', runtime.electron)] : []),
    text('napi', String(runtime.napi)),
    text('abi', runtime.abi),
    text('platform', runtime.platform),
    text('arch', runtime.arch),
  ];
  if (runtimeProblem(runtime)) {
    return {
      id: 'runtime',
      status: 'fail',
      note: 'oldNode',
      values: { required: MIN_NODE.join('.'), node: runtime.node },
      facts,
    };
  }
  return { id: 'runtime', status: 'ok', note: 'ok', facts };
}

/** better-sqlite3 opens an in-memory database; FTS5 and its trigram tokenizer work. */
function sqliteCheck(): { check: Found<'sqlite'>; db?: Db } {
  const facts: DoctorFact[] = [
    text('moduleVersion', betterSqlite3Version()),
    text('binding', betterSqlite3Binary() ?? 'none'),
  ];
  let db: Db;
  try {
    db = openSqlite(':memory:');
  } catch (error) {
    // openSqlite turns a binary this runtime cannot load into one sentence that names the fix.
    return {
      check: { id: 'sqlite', status: 'fail', note: 'noLoad', values: { detail: reasonOf(error) }, facts },
    };
  }
  const version = (db.prepare('SELECT sqlite_version() AS version').get() as { version: string }).version;
  facts.push(text('sqliteVersion', version));
  const works = (sql: string) => {
    try {
      db.exec(sql);
      return true;
    } catch {
      return false;
    }
  };
  const fts5 = works('CREATE VIRTUAL TABLE temp.doctor_fts5 USING fts5(body)');
  const trigram =
    fts5 && works("CREATE VIRTUAL TABLE temp.doctor_trigram USING fts5(body, tokenize='trigram')");
  facts.push(flag('fts5', fts5), flag('trigram', trigram));
  if (!fts5) return { check: { id: 'sqlite', status: 'fail', note: 'noFts5', facts }, db };
  if (!trigram) return { check: { id: 'sqlite', status: 'fail', note: 'noTrigram', facts }, db };
  return { check: { id: 'sqlite', status: 'ok', note: 'ok', facts }, db };
}

async function keytarCheck(tokens: TokenStore): Promise<Found<'keytar'>> {
  const { moduleLoaded, keychain } = await tokens.diagnose();
  const version = packageVersion('keytar');
  const facts = [
    ...(version ? [text('moduleVersion', version)] : []),
    flag('moduleLoaded', moduleLoaded),
    flag('keychain', keychain.available),
  ];
  if (keychain.available) return { id: 'keytar', status: 'ok', note: 'ok', facts };
  return {
    id: 'keytar',
    status: 'warn',
    note: moduleLoaded ? 'noService' : 'noModule',
    values: { detail: keychain.error ?? '' },
    facts,
  };
}

function sqliteVecCheck(db: Db | undefined): Found<'sqliteVec'> {
  if (!db) return { id: 'sqliteVec', status: 'warn', note: 'notChecked' };
  const loaded = tryLoadSqliteVec(db);
  if (!loaded.loaded) {
    return { id: 'sqliteVec', status: 'warn', note: 'noLoad', values: { detail: reasonOf(loaded.reason) } };
  }
  return { id: 'sqliteVec', status: 'ok', note: 'ok', facts: [text('extensionVersion', loaded.version)] };
}

async function versionLine(binary: string): Promise<string> {
  try {
    const { stdout } = await run(binary, ['-version'], { timeout: 10_000 });
    // `ffmpeg version N-1234-static https://… Copyright (c) 2000-2018 the FFmpeg developers`: up to the copyright.
    return (stdout.split('\n')[0] ?? '').replace(/\s+Copyright.*$/, '').trim();
  } catch (error) {
    return reasonOf(error);
  }
}

async function ffmpegCheck(env: NodeJS.ProcessEnv): Promise<Found<'ffmpeg'>> {
  const tools = await findFfmpeg(env);
  if (!tools) return { id: 'ffmpeg', status: 'fail', note: 'missing' };
  const [ffmpegVersion, ffprobeVersion] = await Promise.all([
    versionLine(tools.ffmpeg),
    versionLine(tools.ffprobe),
  ]);
  return {
    id: 'ffmpeg',
    status: 'ok',
    note: 'ok',
    facts: [
      text('ffmpegPath', tools.ffmpeg),
      text('ffprobePath', tools.ffprobe),
      { name: 'source', kind: 'source', value: tools.source },
      text('ffmpegVersion', ffmpegVersion),
      text('ffprobeVersion', ffprobeVersion),
    ],
  };
}

/** The data folder exists, takes a probe file (written, then removed), and has room left on its disk. */
async function dataFolderCheck(dataDir: string): Promise<Found<'dataFolder'>> {
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
    return {
      id: 'dataFolder',
      status: 'fail',
      note: 'notWritable',
      values: { detail: fsReason(error) },
      facts,
    };
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

  if (writeError !== undefined) {
    return {
      id: 'dataFolder',
      status: 'fail',
      note: 'notWritable',
      values: { detail: fsReason(writeError) },
      facts,
    };
  }
  if (free !== undefined && free < LOW_SPACE_BYTES) {
    return { id: 'dataFolder', status: 'warn', note: 'lowSpace', facts };
  }
  return { id: 'dataFolder', status: 'ok', note: 'ok', facts };
}

function sqliteCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/**
 * Opens the database read-only. A folder HubDesk cannot write to has no room for SQLite's shared-memory file, so
 * there the file is read as immutable: nothing can be writing to it, since the app could not either.
 */
export function openReadOnly(file: string): Db {
  try {
    const db = openSqlite(file, { readonly: true });
    try {
      db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  } catch (error) {
    const code = sqliteCode(error);
    if (!code.startsWith('SQLITE_READONLY') && code !== 'SQLITE_CANTOPEN') throw error;
    return openSqlite(`${pathToFileURL(file).href}?immutable=1`, { readonly: true });
  }
}

async function fileSize(file: string): Promise<number> {
  return (await fsp.stat(file).catch(() => undefined))?.size ?? 0;
}

/** `PRAGMA quick_check` and the schema version, on a read-only connection: the doctor never migrates. */
async function databaseCheck(databasePath: string, sqliteLoads: boolean): Promise<Found<'database'>> {
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

  let db: Db | undefined;
  try {
    db = openReadOnly(databasePath);
    const problems = (db.pragma('quick_check') as { quick_check: string }[])
      .flatMap((row) => row.quick_check.split('\n'))
      .map((line) => line.trim())
      .filter((line) => line !== '');
    const result = problems.length === 1 && problems[0] === 'ok' ? 'ok' : problems.slice(0, 4).join('; ');
    facts.push(text('quickCheck', result));
    if (result !== 'ok') {
      return { id: 'database', status: 'fail', note: 'damaged', values: { detail: result }, facts };
    }
    const hasMigrations = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
      .get();
    const version = hasMigrations
      ? ((
          db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as {
            version: number | null;
          }
        ).version ?? 0)
      : 0;
    facts.push(text('schemaVersion', String(version)), text('newestSchema', String(newest)));
    if (version > newest) {
      return { id: 'database', status: 'fail', note: 'newer', values: { version, newest }, facts };
    }
    if (version < newest)
      return { id: 'database', status: 'ok', note: 'upgrade', values: { version, newest }, facts };
    return { id: 'database', status: 'ok', note: 'ok', facts };
  } catch (error) {
    const code = sqliteCode(error);
    const note = code.startsWith('SQLITE_CORRUPT') ? 'damaged' : 'unreadable';
    return { id: 'database', status: 'fail', note, values: { detail: reasonOf(error) }, facts };
  } finally {
    db?.close();
  }
}

async function connectionCheck(connection: DoctorConnection | undefined): Promise<Found<'connection'>> {
  let profile: Profile;
  try {
    if (!connection) throw new Error('no profiles are available');
    profile = connection.activeProfile();
  } catch (error) {
    return { id: 'connection', status: 'fail', note: 'noProfile', values: { detail: reasonOf(error) } };
  }
  const facts: DoctorFact[] = [text('profile', `${profile.name} (${profile.baseUrl})`)];
  try {
    const result = await connection.testConnection(profile.id);
    return {
      id: 'connection',
      status: 'ok',
      note: 'ok',
      facts: [
        ...facts,
        text('endpoint', result.endpoint),
        text('httpStatus', String(result.status)),
        { name: 'latency', kind: 'ms', value: result.latencyMs },
        text('model', result.model),
      ],
    };
  } catch (cause) {
    const error = toAppError(cause);
    return {
      id: 'connection',
      status: 'fail',
      note: 'failed',
      values: { detail: error.message },
      facts: [...facts, ...(error.status !== undefined ? [text('httpStatus', String(error.status))] : [])],
      error,
    };
  }
}

function complete(check: Found): DoctorCheck {
  return { ...check, values: check.values ?? {}, facts: check.facts ?? [] } as DoctorCheck;
}

/**
 * Every check, read-only: the runtime, better-sqlite3 (with the core's binary), the keychain, sqlite-vec, ffmpeg,
 * the data folder and the database; with `online`, the active profile's connection test. Needs no core, so it
 * also runs when the core cannot start.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const checks: DoctorCheck[] = [complete(runtimeCheck())];
  const sqlite = sqliteCheck();
  try {
    checks.push(complete(sqlite.check));
    checks.push(complete(await keytarCheck(options.tokens)));
    checks.push(complete(sqliteVecCheck(sqlite.db)));
  } finally {
    sqlite.db?.close();
  }
  checks.push(complete(await ffmpegCheck(env)));
  checks.push(complete(await dataFolderCheck(options.dataDir)));
  checks.push(complete(await databaseCheck(options.databasePath, sqlite.db !== undefined)));
  if (options.online) checks.push(complete(await connectionCheck(options.connection)));
  return {
    version: packageJson.version,
    checkedAt: now(),
    online: options.online,
    status: worstStatus(checks.map((check) => check.status)),
    checks,
  };
}

/** The doctor inside the app: the core's keychain, binary and settings. */
export class DoctorService {
  constructor(private readonly options: Omit<DoctorOptions, 'online'>) {}

  run(request: { online: boolean }): Promise<DoctorReport> {
    return runDoctor({ ...this.options, online: request.online });
  }
}
