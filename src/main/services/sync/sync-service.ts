import { z } from 'zod';
import {
  type ConnectionReport,
  type LastSync,
  lastSyncSchema,
  type SyncMediaFile,
  type SyncMediaMode,
  type SyncProgress,
  type SyncReport,
  type SyncStatus,
  syncMediaModeSchema,
} from '../../../shared/sync';
import { type SyncTarget, syncTargetSchema } from '../../../shared/sync-target';
import { type Clock, systemClock } from '../../base/clock';
import { HubError, toAppError } from '../../base/errors';
import type { RemoteProblem, RemoteStore } from '../../remotes/remote-store';
import type { SyncSecretStore } from '../../secrets/sync-secret-store';
import type { SegmentAlternativesRepo } from '../../store/segment-alternatives-repo';
import type { SettingsRepo } from '../../store/settings-repo';
import type { MediaEntry } from '../../store/sync-files-repo';
import type { SyncRepo } from '../../store/sync-repo';
import type { SyncRowsRepo } from '../../store/sync-rows-repo';
import type { EventBus } from '../event-bus';
import { AppliedChanges } from './sync-applied';
import { SyncEngine, type SyncEngineOptions } from './sync-engine';

/** Makes the RemoteStore of a target (the folder one here; WebDAV and S3 come from remotes/open-remote.ts). */
export type OpenRemote = (target: SyncTarget, secret: string) => RemoteStore;

export interface SyncServiceDeps {
  settingsRepo: SettingsRepo;
  repo: SyncRepo;
  rows: SyncRowsRepo;
  /** Where a segment correction that lost to a concurrent one is kept. */
  alternatives?: SegmentAlternativesRepo;
  secrets: SyncSecretStore;
  openRemote: OpenRemote;
  /** Where video files live; sync sends and places them by content. */
  libraryDir?: string;
  clock?: Pick<Clock, 'now'>;
  /** Change-set size and compaction threshold (tests make them small). */
  engine?: Pick<SyncEngineOptions, 'entriesPerChangeSet' | 'compactAfter'>;
  /** The window hears of every change of state (`sync.changed`) and how far a sync is (`sync.progress`). */
  bus?: EventBus;
  /** When the background sync runs next (the scheduler's plan), for the status. */
  nextAt?: () => number | null;
  /** Told of media files placed here (a video, thumbnail, audio or image from another computer). */
  onMediaPlaced?: (entries: MediaEntry[]) => void;
  /** Told after setup, off, pause and resume, so the background sync plans again. */
  onSetupChanged?: () => void;
  /** Told when a sync finds the storage unreachable, or reaches it again: the background sync probes or goes on. */
  onOfflineChanged?: () => void;
}

const TARGET_KEY = 'sync.target';
const LAST_KEY = 'sync.last';
const PAUSED_KEY = 'sync.paused';
const MEDIA_KEY = 'sync.media';
const OFFLINE_KEY = 'sync.offline';
const offlineSchema = z.object({ since: z.number() });

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
        reason: { code: 'syncPassphraseMissing', values: {} },
      });
    const remote = this.deps.openRemote(parsed, secret);
    const check = await remote.test(signal);
    if (!check.ok) {
      throw new HubError({
        kind: check.problem === 'auth' ? 'auth' : check.problem === 'permission' ? 'auth' : 'network',
        code: `sync_${check.problem}`,
        message: `The sync storage (${remote.describe}) ${problemWords[check.problem]}: ${check.detail}`,
        reason: { code: 'syncStorage', values: { problem: check.problem, detail: check.detail } },
      });
    }
    const engine = this.makeEngine(remote);
    await engine.connect(passphrase, signal);
    await this.deps.secrets.set({ passphrase, secret });
    this.deps.settingsRepo.set(TARGET_KEY, parsed);
    this.deps.settingsRepo.delete(OFFLINE_KEY);
    this.engine = engine;
    this.deps.onSetupChanged?.();
    return this.changed();
  }

  /** Tries a storage (list, write, read, delete a probe) without keeping anything. */
  test(target: SyncTarget, secret: string, signal?: AbortSignal): Promise<ConnectionReport> {
    return this.deps.openRemote(syncTargetSchema.parse(target), secret).test(signal);
  }

  /** Pauses or resumes syncing in the background; Sync now still works while paused. */
  setPaused(paused: boolean): SyncStatus {
    this.deps.settingsRepo.set(PAUSED_KEY, paused);
    this.deps.onSetupChanged?.();
    return this.changed();
  }

  paused(): boolean {
    return this.deps.settingsRepo.get(PAUSED_KEY, z.boolean()) ?? false;
  }

  /** One sync; a call while one runs gets that one's report. */
  now(
    options: { signal?: AbortSignal; onProgress?: (progress: SyncProgress) => void } = {},
  ): Promise<SyncReport> {
    if (!this.running) {
      this.running = this.run(options).finally(() => {
        this.running = undefined;
        this.changed();
      });
      this.changed();
    }
    return this.running;
  }

  /** A cheap request to the storage (the listing of the computers' heads); resolves when the storage answers. */
  async probe(signal?: AbortSignal): Promise<void> {
    const { remote } = await this.configured();
    await remote.list('h/', signal);
  }

  /** Folds the change sets applied here into a snapshot, so a new computer's first sync reads that and the tail. */
  async compact(signal?: AbortSignal): Promise<void> {
    await this.running?.catch(() => undefined);
    const engine = await this.connectedEngine(signal);
    const applied = new AppliedChanges();
    try {
      await engine.compact({ ...(signal ? { signal } : {}), applied });
    } finally {
      this.told(applied);
    }
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
      paused: this.paused(),
      last: this.deps.settingsRepo.get(LAST_KEY, lastSyncSchema) ?? null,
      nextAt: target ? (this.deps.nextAt?.() ?? null) : null,
      media: { mode: this.mediaMode(), waiting: this.deps.repo.files.waiting() },
      offline: target ? (this.deps.settingsRepo.get(OFFLINE_KEY, offlineSchema) ?? null) : null,
    };
  }

  mediaMode(): SyncMediaMode {
    return this.deps.settingsRepo.get(MEDIA_KEY, syncMediaModeSchema) ?? 'eager';
  }

  /** Eager: every sync brings all media; on demand: thumbnails and images, a video or audio when it is opened. */
  setMediaMode(mode: SyncMediaMode): SyncStatus {
    this.deps.settingsRepo.set(MEDIA_KEY, syncMediaModeSchema.parse(mode));
    return this.changed();
  }

  /** Files the synced rows name that are not here yet: those of one row, or the first 1,000. */
  waitingMedia(owner?: string): SyncMediaFile[] {
    return this.deps.repo.files.waitingList(1000, owner);
  }

  /** Fetches one file now (a video or kept audio opened on demand), verified; the library paths it was placed at. */
  async fetchMedia(sha256: string, signal?: AbortSignal): Promise<string[]> {
    const media = (await this.connectedEngine(signal)).media;
    if (!media) return [];
    let told = -1;
    const placed = await media.fetchOne(
      sha256,
      (got, total) => {
        // At most one event per percent: a large video arrives in many small pieces.
        const percent = Math.floor((got / total) * 100);
        if (percent === told && got !== total) return;
        told = percent;
        this.deps.bus?.emit('sync.mediaProgress', { sha256, got, total });
      },
      signal,
    );
    this.changed();
    return placed.map((entry) => entry.path);
  }

  /** The status, told to the window. */
  changed(): SyncStatus {
    const status = this.status();
    this.deps.bus?.emit('sync.changed', status);
    return status;
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
    this.deps.settingsRepo.delete(PAUSED_KEY);
    this.deps.settingsRepo.delete(OFFLINE_KEY);
    await this.deps.secrets.clear();
    this.deps.onSetupChanged?.();
    return this.changed();
  }

  /** Waits for a running sync to end (its change sets stay resumable if it is cut). */
  async close(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async run(options: {
    signal?: AbortSignal;
    onProgress?: (progress: SyncProgress) => void;
  }): Promise<SyncReport> {
    const clock = this.deps.clock ?? systemClock;
    const onProgress = (progress: SyncProgress) => {
      options.onProgress?.(progress);
      this.deps.bus?.emit('sync.progress', progress);
    };
    const applied = new AppliedChanges();
    try {
      const engine = await this.connectedEngine(options.signal);
      const report = await engine.syncOnce({ ...options, onProgress, applied });
      this.deps.settingsRepo.set(LAST_KEY, { at: clock.now(), report } satisfies LastSync);
      this.setOffline(false);
      return report;
    } catch (error) {
      const info = toAppError(error);
      this.deps.settingsRepo.set(LAST_KEY, { at: clock.now(), error: info } satisfies LastSync);
      if (info.kind !== 'cancelled') this.setOffline(info.reason?.code === 'syncUnreachable');
      throw error;
    } finally {
      this.told(applied);
    }
  }

  /** Offline is what the last sync found: the storage could not be reached. */
  private setOffline(offline: boolean): void {
    const was = this.deps.settingsRepo.get(OFFLINE_KEY, offlineSchema) ?? null;
    if (offline === (was !== null)) return;
    if (offline) this.deps.settingsRepo.set(OFFLINE_KEY, { since: (this.deps.clock ?? systemClock).now() });
    else this.deps.settingsRepo.delete(OFFLINE_KEY);
    this.deps.onOfflineChanged?.();
  }

  /** What came from the other computers (also before a failure), told to the window, which reads it again. */
  private told(applied: AppliedChanges): void {
    if (applied.empty) return;
    const event = applied.toEvent();
    if (event.conversations.length > 0)
      this.deps.bus?.emit('conversations.changed', { ids: event.conversations });
    this.deps.bus?.emit('sync.applied', event);
  }

  private async connectedEngine(signal?: AbortSignal): Promise<SyncEngine> {
    if (this.engine) return this.engine;
    const { remote, passphrase } = await this.configured();
    const engine = this.makeEngine(remote);
    await engine.connect(passphrase, signal);
    this.engine = engine;
    return engine;
  }

  /** The storage that is set up, opened with its secret from the keychain, and the passphrase. */
  private async configured(): Promise<{ remote: RemoteStore; passphrase: string }> {
    const target = this.target();
    if (!target)
      throw new HubError({
        kind: 'invalid_input',
        code: 'sync_not_set_up',
        reason: { code: 'syncNotSetUp', values: {} },
        message: 'Sync is not set up on this computer: run `hubdesk sync setup` or open Settings → Sync.',
      });
    const secrets = await this.deps.secrets.get();
    if (!secrets)
      throw new HubError({
        kind: 'auth',
        code: 'sync_no_passphrase',
        reason: { code: 'syncNoPassphrase', values: {} },
        message:
          'The sync passphrase is not in the system keychain: set sync up again, or set HUBDESK_SYNC_PASSPHRASE.',
      });
    return { remote: this.deps.openRemote(target, secrets.secret), passphrase: secrets.passphrase };
  }

  private makeEngine(remote: RemoteStore): SyncEngine {
    return new SyncEngine({
      remote,
      repo: this.deps.repo,
      rows: this.deps.rows,
      ...(this.deps.alternatives ? { alternatives: this.deps.alternatives } : {}),
      clock: this.deps.clock ?? systemClock,
      ...(this.deps.libraryDir ? { libraryDir: this.deps.libraryDir } : {}),
      mediaMode: () => this.mediaMode(),
      ...(this.deps.onMediaPlaced ? { onMediaPlaced: this.deps.onMediaPlaced } : {}),
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
