import type { EventName } from '../../../shared/contract';
import type { SyncReport } from '../../../shared/sync';
import type { Clock } from '../../base/clock';
import { toAppError } from '../../base/errors';
import type { EventBus } from '../event-bus';

/** Events that follow a change the user made here: a sync soon after carries it to the storage. */
const LOCAL_CHANGES: ReadonlySet<EventName> = new Set<EventName>([
  'conversations.changed',
  'chat.end',
  'transcription.changed',
  'videos.changed',
  'kb.changed',
]);

export interface SyncSchedulerDeps {
  clock: Clock;
  bus: EventBus;
  /** One sync; the service runs one at a time. */
  sync(): Promise<SyncReport>;
  /** A cheap request to the storage; resolves when the storage answers. */
  probe(): Promise<void>;
  /**
   * Whether a target is set up, how many changes made here wait to go, and whether the storage could not be reached
   * at the last sync (offline).
   */
  state(): { configured: boolean; waitingRows: number; offline: boolean };
  paused(): boolean;
  /** Told whenever the next time changes, so the status can show it. */
  onScheduled?: (nextAt: number | null) => void;
  log?: (line: string) => void;
  /** How often to sync when nothing changes here (the other computers' changes come in). */
  everyMs?: number;
  /** How long to wait after a change here, so a burst of changes goes as one. */
  afterChangeMs?: number;
  /** Offline, the first wait before probing the storage; it doubles after each failed probe up to offlineRetryMaxMs. */
  offlineRetryMs?: number;
  offlineRetryMaxMs?: number;
}

const EVERY_MS = 5 * 60 * 1000;
const AFTER_CHANGE_MS = 15 * 1000;
/** After a failed sync (the storage answered with an error), the waits before the next try. */
const RETRY_WAITS_MS = [30_000, 60_000, 2 * 60_000, 5 * 60_000];
const OFFLINE_RETRY_MS = 30_000;
const OFFLINE_RETRY_MAX_MS = 5 * 60_000;

/**
 * Syncs in the background: soon after a change made here, on a schedule for the other computers' changes, and
 * again after a failure with growing waits. Offline (the storage cannot be reached) changes here wait: it probes the
 * storage with a cheap request on a growing wait and syncs as soon as it answers. Paused, it schedules nothing.
 */
export class SyncScheduler {
  private timer: { cancel(): void } | undefined;
  private nextAt: number | null = null;
  private failures = 0;
  /** Tries in a row that found the storage unreachable. */
  private offlineTries = 0;
  private running = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: SyncSchedulerDeps) {}

  start(): void {
    this.unsubscribe ??= this.deps.bus.subscribe((event) => {
      if (!this.running && LOCAL_CHANGES.has(event)) this.changed();
    });
    this.schedule(this.plannedWait());
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.cancel();
  }

  /** Plans again after setup, off, pause or resume. */
  reschedule(): void {
    this.failures = 0;
    this.offlineTries = 0;
    this.cancel();
    if (this.unsubscribe) this.schedule(this.plannedWait());
  }

  /** A sync not started here (Sync now) found the storage unreachable, or reached it again. */
  offlineChanged(): void {
    if (!this.running) this.reschedule();
  }

  next(): number | null {
    return this.nextAt;
  }

  private plannedWait(): number {
    return this.deps.state().offline ? this.offlineWait() : (this.deps.everyMs ?? EVERY_MS);
  }

  private offlineWait(): number {
    const first = this.deps.offlineRetryMs ?? OFFLINE_RETRY_MS;
    const most = this.deps.offlineRetryMaxMs ?? OFFLINE_RETRY_MAX_MS;
    return Math.min(most, first * 2 ** Math.max(0, this.offlineTries - 1));
  }

  private changed(): void {
    if (this.deps.state().offline) return;
    const soon = this.deps.clock.now() + (this.deps.afterChangeMs ?? AFTER_CHANGE_MS);
    if (this.nextAt === null || soon < this.nextAt) this.schedule(soon - this.deps.clock.now());
  }

  private schedule(inMs: number): void {
    this.cancel();
    if (this.deps.paused() || !this.deps.state().configured) return;
    this.nextAt = this.deps.clock.now() + inMs;
    this.deps.onScheduled?.(this.nextAt);
    this.timer = this.deps.clock.setTimeout(() => void this.run(), inMs);
  }

  private cancel(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.nextAt !== null) {
      this.nextAt = null;
      this.deps.onScheduled?.(null);
    }
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    this.nextAt = null;
    if (this.deps.paused() || !this.deps.state().configured) return this.deps.onScheduled?.(null);
    this.running = true;
    let failed = false;
    try {
      if (this.deps.state().offline && !(await this.answers())) failed = true;
      else await this.deps.sync();
    } catch (error) {
      failed = true;
      this.deps.log?.(`background sync failed (${this.failures + 1} in a row): ${toAppError(error).message}`);
    } finally {
      this.running = false;
    }
    if (!this.unsubscribe) return;
    this.failures = failed ? this.failures + 1 : 0;
    if (this.deps.state().offline) {
      this.offlineTries += 1;
      return this.schedule(this.offlineWait());
    }
    this.offlineTries = 0;
    const retry = RETRY_WAITS_MS[Math.min(this.failures, RETRY_WAITS_MS.length) - 1];
    // A change made while the sync ran went into the outbox after it had been read: it goes soon.
    const pending = this.deps.state().waitingRows > 0;
    if (retry !== undefined) this.schedule(retry);
    else
      this.schedule(pending ? (this.deps.afterChangeMs ?? AFTER_CHANGE_MS) : (this.deps.everyMs ?? EVERY_MS));
  }

  /** Whether the storage answers the probe; an answer that is an error (refused, missing) still counts. */
  private async answers(): Promise<boolean> {
    try {
      await this.deps.probe();
      return true;
    } catch (error) {
      const unreachable = toAppError(error).reason?.code === 'syncUnreachable';
      if (unreachable) this.deps.log?.(`sync storage still cannot be reached: ${toAppError(error).message}`);
      return !unreachable;
    }
  }
}
