import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { doctorReportText } from '../../shared/doctor';
import { dataPaths, defaultDataDir } from '../paths';
import { TokenStore } from '../secrets/token-store';
import type { DoctorConnection } from '../services/doctor/connection-check';
import { runDoctor } from '../services/doctor/doctor';
import { EventBus } from '../services/event-bus';
import { SettingsService } from '../services/settings-service';
import { type Db, openMemoryDatabase } from '../store/database';
import { openReadOnly } from '../store/database-probe';
import { ProfilesRepo } from '../store/profiles-repo';
import type { CliIo } from './io';

export const doctorUsage = `Usage: hubdesk doctor [--online] [--json]

Checks what HubDesk needs, without changing anything: the runtime, better-sqlite3 (with FTS5 and trigram), the
keychain, sqlite-vec, ffmpeg and ffprobe, the data folder and the database (opened read-only). One line per check;
exits 1 when a check fails (warnings exit 0). Works when the database cannot open.

  --online   also test the active profile's connection (one cheap real call, as hubdesk ping)
  --json     the report as JSON`;

/**
 * The active profile's connection test over the database opened read-only, so `--online` changes nothing either.
 * Before HubDesk ever started there is no database: the default profile is made in memory (HUBDESK_TOKEN, if set).
 */
function readOnlyConnection(
  databasePath: string,
  tokens: TokenStore,
  env: NodeJS.ProcessEnv,
): { connection: DoctorConnection; close(): Promise<void> } {
  let db: Db;
  try {
    db = existsSync(databasePath) ? openReadOnly(databasePath) : openMemoryDatabase();
  } catch (error) {
    const cannot = (): never => {
      throw error;
    };
    return {
      connection: { activeProfile: cannot, testConnection: async () => cannot() },
      close: async () => {},
    };
  }
  const settings = new SettingsService({ profiles: new ProfilesRepo(db), tokens, bus: new EventBus(), env });
  return {
    connection: settings,
    async close() {
      await settings.close();
      db.close();
    },
  };
}

/** `hubdesk doctor [--online] [--json]`: needs no core, so it also runs when the database cannot open. */
export async function doctorCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    allowPositionals: false,
    options: {
      online: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(doctorUsage);
    return 0;
  }
  const online = values.online ?? false;
  const paths = dataPaths(defaultDataDir(io.env), undefined, io.env);
  const tokens = new TokenStore({ env: io.env, ...(io.keytar ? { keytar: io.keytar } : {}) });
  const profiles = online ? readOnlyConnection(paths.databasePath, tokens, io.env) : undefined;
  try {
    const report = await runDoctor({
      dataDir: paths.dataDir,
      databasePath: paths.databasePath,
      tokens,
      env: io.env,
      online,
      ...(profiles ? { connection: profiles.connection } : {}),
    });
    io.out(values.json ? JSON.stringify(report) : doctorReportText(report));
    return report.status === 'fail' ? 1 : 0;
  } finally {
    await profiles?.close();
  }
}
