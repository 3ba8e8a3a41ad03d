/** How the indexer keeps out of a chat reply's way, and how often `index.progress` goes out. */
import type { Clock } from '../../base/clock';

/** A chat delta within this long means a reply is streaming: the indexer steps back. */
export const STREAM_QUIET_MS = 250;
export const PROGRESS_INTERVAL_MS = 250;

/** Whether a chat reply is streaming now, from when its last delta came. */
export class StreamActivity {
  private lastDeltaAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly clock: Clock) {}

  noteDelta(): void {
    this.lastDeltaAt = this.clock.now();
  }

  busy(): boolean {
    return this.clock.now() - this.lastDeltaAt < STREAM_QUIET_MS;
  }
}

/** The pause after a batch: longer while a reply streams, else just a yield to the event loop (gapMs 0). */
export function pauseAfterBatch(timing: { gapMs: number; busyGapMs: number }, busy: boolean): number {
  return busy ? timing.busyGapMs : timing.gapMs;
}

/** Sends at once for a state change, else at most once per PROGRESS_INTERVAL_MS (a late change waits its turn). */
export class ProgressThrottle {
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private pending: { cancel(): void } | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly send: () => void,
  ) {}

  changed(now: boolean): void {
    const elapsed = this.clock.now() - this.lastSentAt;
    if (now || elapsed >= PROGRESS_INTERVAL_MS) {
      this.cancel();
      this.lastSentAt = this.clock.now();
      this.send();
    } else if (!this.pending) {
      this.pending = this.clock.setTimeout(() => {
        this.pending = undefined;
        this.changed(true);
      }, PROGRESS_INTERVAL_MS - elapsed);
    }
  }

  cancel(): void {
    this.pending?.cancel();
    this.pending = undefined;
  }
}
