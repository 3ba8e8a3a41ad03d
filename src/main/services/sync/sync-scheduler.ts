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
  /** Whether a target is set up, and how many changes made here wait to go. */
  state(): { configured: boolean; waitingRows: number };
  paused(): boolean;
  /** Told whenever the next time changes, so the status can show it. */
  onScheduled?: (nextAt: number | null) => void;
  log?: (line: string) => void;
  /** How often to sync when nothing changes here (the other computers' changes come in). */
  everyMs?: number;
  /** How long to wait after a change here, so a burst of changes goes as one. */
  afterChangeMs?: number;
}

const EVERY_MS = 5 * 60 * 1000;
const AFTER_CHANGE_MS = 15 * 1000;
/** After a failed sync (offline, storage down), the waits before the next try. */
const RETRY_WAITS_MS = [30_000, 60_000, 2 * 60_000, 5 * 60_000];

/**
 * Syncs in the background: soon after a change made here, on a schedule for the other computers' changes, and
 * again after a failure with growing waits (offline: it simply tries later). Paused, it schedules nothing.
 */
export class SyncScheduler {
  private timer: { cancel(): void } | undefined;
  private nextAt: number | null = null;
  private failures = 0;
  private running = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: SyncSchedulerDeps) {}

  start(): void {
    this.unsubscribe ??= this.deps.bus.subscribe((event) => {
      if (!this.running && LOCAL_CHANGES.has(event)) this.changed();
    });
    this.schedule(this.deps.everyMs ?? EVERY_MS);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.cancel();
  }

  /** Plans again after setup, off, pause or resume. */
  reschedule(): void {
    this.failures = 0;
    this.cancel();
    if (this.unsubscribe) this.schedule(this.deps.everyMs ?? EVERY_MS);
  }

  next(): number | null {
    return this.nextAt;
  }

  private changed(): void {
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
    try {
      await this.deps.sync();
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      this.deps.log?.(`background sync failed (${this.failures} in a row): ${toAppError(error).message}`);
    } finally {
      this.running = false;
    }
    if (!this.unsubscribe) return;
    const retry = RETRY_WAITS_MS[Math.min(this.failures, RETRY_WAITS_MS.length) - 1];
    // A change made while the sync ran went into the outbox after it had been read: it goes soon.
    const pending = this.deps.state().waitingRows > 0;
    if (retry !== undefined) this.schedule(retry);
    else
      this.schedule(pending ? (this.deps.afterChangeMs ?? AFTER_CHANGE_MS) : (this.deps.everyMs ?? EVERY_MS));
  }
}
