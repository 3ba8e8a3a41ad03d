import { PriceBook } from '../../../shared/costs';
import type { BackupResult, DatabaseUpdateNotice, DataLocation, UsageSummary } from '../../../shared/desktop';
import type { DataPaths } from '../../paths';
import type { DatabaseUpdate } from '../../store/database';
import type { DatabaseCopies } from '../../store/database-copies';
import type { ProfilesRepo } from '../../store/profiles-repo';
import type { UsageRepo } from '../../store/usage-repo';
import type { EventBus } from '../event-bus';
import { BackupRestore } from './backup-restore';
import { DataMove } from './data-move';
import { DataOperations } from './data-operation';
import { removeLeftovers } from './leftovers';
import { UsageAttribution } from './usage-attribution';
import { usageSummary } from './usage-summary';

export interface DesktopServiceDeps {
  usage: UsageRepo;
  profiles: ProfilesRepo;
  database: DatabaseCopies;
  bus: EventBus;
  /** The prices in force, for the usage page's costs; without it nothing is priced. */
  prices?: () => PriceBook;
  log?: ((line: string) => void) | undefined;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  /** Called at each named step of a move or a restore (tests stop the process there). */
  stepReached?: (step: string) => void;
}

/** Usage sums, and the data folder: where it is, moving it, backing it up, restoring it. */
export class DesktopService {
  private readonly attribution: UsageAttribution;
  private readonly dataMove: DataMove;
  private readonly backupRestore: BackupRestore;
  private cleanup: Promise<void> = Promise.resolve();
  /** The update this run made to the database, until the window has shown it. */
  private pendingUpdateNotice: DatabaseUpdateNotice | null;

  constructor(
    private readonly deps: DesktopServiceDeps,
    readonly paths: DataPaths,
    databaseUpdate: DatabaseUpdate | null = null,
  ) {
    this.pendingUpdateNotice = databaseUpdate ? { ...databaseUpdate } : null;
    const now = deps.now ?? Date.now;
    const operations = new DataOperations(deps.bus, now);
    this.attribution = new UsageAttribution(deps.bus, deps.usage, deps.profiles, deps.log);
    const stepReached = deps.stepReached;
    this.dataMove = new DataMove({ paths, database: deps.database, bus: deps.bus, operations, stepReached });
    this.backupRestore = new BackupRestore({
      paths,
      database: deps.database,
      bus: deps.bus,
      operations,
      now,
      stepReached,
    });
  }

  /**
   * Records which profile made each reply, transcript and video from now on, and finishes what a move or a
   * restore left for the next start: the old folder and the set-aside data are removed once this one opened.
   */
  recover(): void {
    this.attribution.start();
    this.cleanup = removeLeftovers(this.paths.dataDir, this.deps.log).catch((error: unknown) => {
      this.deps.log?.(`desktop: cleaning up after a move or restore failed: ${String(error)}`);
    });
  }

  async close(): Promise<void> {
    this.attribution.stop();
    await this.cleanup;
  }

  usageSummary(request: { from: string; to: string; profileId?: string | undefined }): UsageSummary {
    const prices = this.deps.prices?.() ?? new PriceBook([]);
    return usageSummary(this.deps.usage, prices, request.from, request.to, request.profileId ?? null);
  }

  /** See `data.updateNotice` in the contract. */
  updateNotice(): DatabaseUpdateNotice | null {
    return this.pendingUpdateNotice;
  }

  dismissUpdateNotice(): Record<string, never> {
    this.pendingUpdateNotice = null;
    return {};
  }

  location(): Promise<DataLocation> {
    return this.dataMove.location();
  }

  /** See `data.move` in the contract (after the start-up clean-up, which works in the same folders). */
  async move(target: string): Promise<{ dataDir: string }> {
    await this.cleanup;
    return this.dataMove.move(target);
  }

  /** See `data.backup` in the contract. */
  async backup(target: string, options: { overwrite?: boolean } = {}): Promise<BackupResult> {
    await this.cleanup;
    return this.backupRestore.backup(target, options);
  }

  /** See `data.restore` in the contract. */
  async restore(source: string): Promise<{ files: number; bytes: number }> {
    await this.cleanup;
    return this.backupRestore.restore(source);
  }
}
