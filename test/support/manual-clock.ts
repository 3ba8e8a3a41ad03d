import type { Clock } from '../../src/main/base/clock';

interface Timer {
  at: number;
  order: number;
  fn: () => void;
}

/** A clock that moves only when told to; the timers that fall due run in time order, at their own time. */
export class ManualClock implements Clock {
  private time = 0;
  private count = 0;
  private timers: Timer[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.time + Math.max(0, ms), order: this.count++, fn };
    this.timers.push(timer);
    return { cancel: () => this.drop(timer) };
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers
        .filter((timer) => timer.at <= end)
        .sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!due) break;
      this.drop(due);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }

  /** Timers set and not yet run or cancelled. */
  pending(): number {
    return this.timers.length;
  }

  private drop(timer: Timer): void {
    this.timers = this.timers.filter((other) => other !== timer);
  }
}
