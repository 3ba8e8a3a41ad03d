import type { Clock } from '../../../base/clock';

/**
 * Runs `flush` at most once per `intervalMs`: the first call after a quiet period runs at once, later ones are
 * gathered and run together when the interval has passed. Used to coalesce stream deltas (one IPC message per
 * frame) and to pace database flushes of a growing reply.
 */
export class Pacer {
  private timer: { cancel(): void } | undefined;
  private last = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly flush: () => void,
    private readonly clock: Clock,
    /** false: even the first flush waits a whole interval (database writes of a reply that just started). */
    private readonly immediateFirst = true,
  ) {}

  /** Something changed: make sure a flush happens within the interval. */
  poke(): void {
    if (this.stopped || this.timer) return;
    const wait = this.immediateFirst ? this.last + this.intervalMs - this.clock.now() : this.intervalMs;
    if (wait <= 0) {
      this.run();
      return;
    }
    this.timer = this.clock.setTimeout(() => this.run(), wait);
  }

  /** Flush what is pending now and stop pacing. */
  finish(): void {
    if (this.stopped) return;
    if (this.timer) this.run();
    this.stopped = true;
  }

  /** Drop what is pending and stop pacing. */
  cancel(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.stopped = true;
  }

  private run(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.last = this.clock.now();
    this.flush();
  }
}
