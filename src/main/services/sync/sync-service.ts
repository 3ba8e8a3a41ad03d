import { z } from 'zod';
import { type SyncTarget, syncTargetSchema } from '../../../shared/sync-target';
import { type Clock, systemClock } from '../../base/clock';
import { HubError } from '../../base/errors';
import type { RemoteProblem, RemoteStore } from '../../remotes/remote-store';
import type { SyncSecretStore } from '../../secrets/sync-secret-store';
import type { SettingsRepo } from '../../store/settings-repo';
import type { SyncRepo } from '../../store/sync-repo';
import type { SyncRowsRepo } from '../../store/sync-rows-repo';
import { SyncEngine, type SyncEngineOptions } from './sync-engine';
import type { SyncProgress, SyncReport } from './sync-report';

/** Makes the RemoteStore of a target (the folder one here; WebDAV and S3 come from remotes/open-remote.ts). */
export type OpenRemote = (target: SyncTarget, secret: string) => RemoteStore;

export interface SyncServiceDeps {
  settingsRepo: SettingsRepo;
  repo: SyncRepo;
  rows: SyncRowsRepo;
  secrets: SyncSecretStore;
  openRemote: OpenRemote;
  /** Where video files live; sync sends and places them by content. */
  libraryDir?: string;
  clock?: Pick<Clock, 'now'>;
  /** Change-set size and compaction threshold (tests make them small). */
  engine?: Pick<SyncEngineOptions, 'entriesPerChangeSet' | 'compactAfter'>;
}

export interface SyncStatus {
  configured: boolean;
  target: SyncTarget | null;
  /** The storage without secrets (`folder /path`, `webdav https://…`). */
  describe: string | null;
  /** This computer's id in the library (random, made at setup). */
  device: string | null;
  /** Changes made here that are not yet on the storage (rows in the outbox, change sets waiting to upload). */
  waiting: { rows: number; changeSets: number };
  running: boolean;
  last: LastSync | null;
}

const lastSyncSchema = z.object({
  at: z.number(),
  report: z.custom<SyncReport>().optional(),
  error: z.string().optional(),
});
type LastSync = z.infer<typeof lastSyncSchema>;

const TARGET_KEY = 'sync.target';
const LAST_KEY = 'sync.last';

const problemWords: Record<RemoteProblem, string> = {
  address: 'cannot be reached at that address',
  auth: 'refused the user name or password',
  permission: 'does not let HubDesk list, read or write there',
  clock_skew: "refused the request because this computer's clock is off",
  not_found: 'has no such folder or bucket',
  tls: 'has a certificate problem',
  unknown: 'did not work',
};

/** Sync as the app and the CLI see it: set up, sync now, status, off. One sync runs at a time. */
export class SyncService {
  private engine: SyncEngine | undefined;
  private running: Promise<SyncReport> | undefined;

  constructor(private readonly deps: SyncServiceDeps) {}

  /**
   * Checks the storage, unlocks (or starts) the library with the passphrase and keeps the target here and the
   * secrets in the keychain. A wrong passphrase leaves everything as it was, here and on the storage.
   */
  async setup(
    target: SyncTarget,
    secret: string,
    passphrase: string,
    signal?: AbortSignal,
  ): Promise<SyncStatus> {
    const parsed = syncTargetSchema.parse(target);
    if (passphrase.trim() === '')
      throw new HubError({
        kind: 'invalid_input',
        message: 'Choose a sync passphrase.',
        field: 'passphrase',
      });
    const remote = this.deps.openRemote(parsed, secret);
    const check = await remote.test(signal);
    if (!check.ok) {
      throw new HubError({
        kind: check.problem === 'auth' ? 'auth' : check.problem === 'permission' ? 'auth' : 'network',
        code: `sync_${check.problem}`,
        message: `The sync storage (${remote.describe}) ${problemWords[check.problem]}: ${check.detail}`,
      });
    }
    const engine = this.makeEngine(remote);
    await engine.connect(passphrase, signal);
    await this.deps.secrets.set({ passphrase, secret });
    this.deps.settingsRepo.set(TARGET_KEY, parsed);
    this.engine = engine;
    return this.status();
  }

  /** One sync; a call while one runs gets that one's report. */
  now(
    options: { signal?: AbortSignal; onProgress?: (progress: SyncProgress) => void } = {},
  ): Promise<SyncReport> {
    this.running ??= this.run(options).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Folds the change sets applied here into a snapshot, so a new computer's first sync reads that and the tail. */
  async compact(signal?: AbortSignal): Promise<void> {
    await this.running?.catch(() => undefined);
    const engine = await this.connectedEngine(signal);
    await engine.compact(signal ? { signal } : {});
  }

  status(): SyncStatus {
    const target = this.target();
    return {
      configured: target !== null,
      target,
      describe: target ? describeTarget(target) : null,
      device: target ? this.deps.repo.state('device') : null,
      waiting: { rows: this.deps.repo.outboxSize(), changeSets: this.deps.repo.pendingCount() },
      running: this.running !== undefined,
      last: this.deps.settingsRepo.get(LAST_KEY, lastSyncSchema) ?? null,
    };
  }

  /**
   * Stops syncing: the target, the secrets and this computer's place in the library are forgotten (changes stop being
   * recorded); what is here and on the storage stays. Setting up again sends this computer's rows once more.
   */
  async off(): Promise<SyncStatus> {
    await this.running?.catch(() => undefined);
    this.engine = undefined;
    this.deps.repo.resetForLibrary();
    this.deps.settingsRepo.delete(TARGET_KEY);
    this.deps.settingsRepo.delete(LAST_KEY);
    await this.deps.secrets.clear();
    return this.status();
  }

  private async run(options: {
    signal?: AbortSignal;
    onProgress?: (progress: SyncProgress) => void;
  }): Promise<SyncReport> {
    const clock = this.deps.clock ?? systemClock;
    try {
      const engine = await this.connectedEngine(options.signal);
      const report = await engine.syncOnce(options);
      this.deps.settingsRepo.set(LAST_KEY, { at: clock.now(), report });
      return report;
    } catch (error) {
      this.deps.settingsRepo.set(LAST_KEY, {
        at: clock.now(),
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  }

  private async connectedEngine(signal?: AbortSignal): Promise<SyncEngine> {
    if (this.engine) return this.engine;
    const target = this.target();
    if (!target)
      throw new HubError({
        kind: 'invalid_input',
        code: 'sync_not_set_up',
        message: 'Sync is not set up on this computer: run `hubdesk sync setup` or open Settings → Sync.',
      });
    const secrets = await this.deps.secrets.get();
    if (!secrets)
      throw new HubError({
        kind: 'auth',
        code: 'sync_no_passphrase',
        message:
          'The sync passphrase is not in the system keychain: set sync up again, or set HUBDESK_SYNC_PASSPHRASE.',
      });
    const engine = this.makeEngine(this.deps.openRemote(target, secrets.secret));
    await engine.connect(secrets.passphrase, signal);
    this.engine = engine;
    return engine;
  }

  private makeEngine(remote: RemoteStore): SyncEngine {
    return new SyncEngine({
      remote,
      repo: this.deps.repo,
      rows: this.deps.rows,
      clock: this.deps.clock ?? systemClock,
      ...(this.deps.libraryDir ? { libraryDir: this.deps.libraryDir } : {}),
      ...this.deps.engine,
    });
  }

  private target(): SyncTarget | null {
    return this.deps.settingsRepo.get(TARGET_KEY, syncTargetSchema) ?? null;
  }
}

export function describeTarget(target: SyncTarget): string {
  if (target.kind === 'folder') return `folder ${target.path}`;
  if (target.kind === 'webdav') return `webdav ${target.url} (user ${target.user})`;
  return `s3 ${target.endpoint} bucket ${target.bucket}${target.prefix ? ` prefix ${target.prefix}` : ''}`;
}
