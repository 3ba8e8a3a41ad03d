import packageJson from '../../../../package.json';
import type { DoctorCheck, DoctorReport } from '../../../shared/doctor';
import { worstStatus } from '../../../shared/doctor';
import type { TokenStore } from '../../secrets/token-store';
import { connectionCheck, type DoctorConnection } from './connection-check';
import { complete } from './findings';
import { ffmpegCheck, keytarCheck, runtimeCheck, sqliteCheck, sqliteVecCheck } from './runtime-checks';
import { databaseCheck, dataFolderCheck } from './storage-checks';

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
