import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type { DoctorFact } from '../../../shared/doctor';
import { findFfmpeg } from '../../files/ffmpeg';
import type { TokenStore } from '../../secrets/token-store';
import { type Db, openSqlite } from '../../store/connection';
import { probeSqliteFeatures } from '../../store/database-probe';
import {
  betterSqlite3Binary,
  betterSqlite3Version,
  currentRuntime,
  MIN_NODE,
  runtimeProblem,
} from '../../store/sqlite-binding';
import { tryLoadSqliteVec } from '../../store/sqlite-vec';
import { type Found, flag, reasonOf, text } from './findings';

const run = promisify(execFile);
// Not `require`: electron-vite's ESM bundle declares one of its own.
const requirePackage = createRequire(import.meta.url);

function packageVersion(name: string): string | undefined {
  try {
    return (requirePackage(`${name}/package.json`) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

export function runtimeCheck(): Found<'runtime'> {
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
export function sqliteCheck(): { check: Found<'sqlite'>; db?: Db } {
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
  const { sqliteVersion, fts5, trigram } = probeSqliteFeatures(db);
  facts.push(text('sqliteVersion', sqliteVersion));
  facts.push(flag('fts5', fts5), flag('trigram', trigram));
  if (!fts5) return { check: { id: 'sqlite', status: 'fail', note: 'noFts5', facts }, db };
  if (!trigram) return { check: { id: 'sqlite', status: 'fail', note: 'noTrigram', facts }, db };
  return { check: { id: 'sqlite', status: 'ok', note: 'ok', facts }, db };
}

export async function keytarCheck(tokens: TokenStore): Promise<Found<'keytar'>> {
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

export function sqliteVecCheck(db: Db | undefined): Found<'sqliteVec'> {
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

export async function ffmpegCheck(env: NodeJS.ProcessEnv): Promise<Found<'ffmpeg'>> {
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
