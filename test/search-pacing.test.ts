/** The indexer's pacing around a chat stream, on a clock the test moves by hand. */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../src/main/base/clock';
import {
  PROGRESS_INTERVAL_MS,
  ProgressThrottle,
  pauseAfterBatch,
  STREAM_QUIET_MS,
  StreamActivity,
} from '../src/main/services/search/index-pacing';
import { defaultIndexerTiming } from '../src/main/services/search/indexer';

/** Time stands still until `advance` moves it; timers due by then run in order. */
class ManualClock implements Clock {
  private time = 1_000_000;
  private timers: { at: number; fn: () => void; cancelled: boolean }[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.time + ms, fn, cancelled: false };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  get pending(): number {
    return this.timers.filter((timer) => !timer.cancelled).length;
  }

  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers
        .filter((timer) => !timer.cancelled && timer.at <= until)
        .sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.time = due.at;
      due.cancelled = true;
      due.fn();
    }
    this.time = until;
    this.timers = this.timers.filter((timer) => !timer.cancelled);
  }
}

describe('stream activity', () => {
  it('is busy from a chat delta until the stream has been quiet for STREAM_QUIET_MS', () => {
    const clock = new ManualClock();
    const stream = new StreamActivity(clock);
    expect(stream.busy()).toBe(false);

    stream.noteDelta();
    expect(stream.busy()).toBe(true);
    clock.advance(STREAM_QUIET_MS - 1);
    expect(stream.busy()).toBe(true);
    stream.noteDelta();
    clock.advance(STREAM_QUIET_MS - 1);
    expect(stream.busy()).toBe(true);
    clock.advance(1);
    expect(stream.busy()).toBe(false);
  });

  it('makes the indexer step back between batches while a reply streams, and only then', () => {
    const clock = new ManualClock();
    const stream = new StreamActivity(clock);
    expect(pauseAfterBatch(defaultIndexerTiming, stream.busy())).toBe(defaultIndexerTiming.gapMs);
    stream.noteDelta();
    expect(pauseAfterBatch(defaultIndexerTiming, stream.busy())).toBe(defaultIndexerTiming.busyGapMs);
    expect(defaultIndexerTiming.busyGapMs).toBeGreaterThan(defaultIndexerTiming.gapMs);
    clock.advance(STREAM_QUIET_MS);
    expect(pauseAfterBatch(defaultIndexerTiming, stream.busy())).toBe(defaultIndexerTiming.gapMs);
  });
});

describe('index progress throttle', () => {
  it('sends the first change at once, then at most once per interval, a late change at the end of it', () => {
    const clock = new ManualClock();
    const sent: number[] = [];
    const throttle = new ProgressThrottle(clock, () => sent.push(clock.now()));
    const start = clock.now();

    throttle.changed(false);
    expect(sent).toEqual([start]);
    clock.advance(10);
    throttle.changed(false);
    throttle.changed(false);
    expect(sent).toEqual([start]);
    expect(clock.pending).toBe(1);

    clock.advance(PROGRESS_INTERVAL_MS);
    expect(sent).toEqual([start, start + PROGRESS_INTERVAL_MS]);
    expect(clock.pending).toBe(0);
  });

  it('sends a state change at once and drops the change it was waiting to send', () => {
    const clock = new ManualClock();
    let sent = 0;
    const throttle = new ProgressThrottle(clock, () => sent++);
    throttle.changed(false);
    clock.advance(50);
    throttle.changed(false);
    expect(clock.pending).toBe(1);

    throttle.changed(true);
    expect(sent).toBe(2);
    expect(clock.pending).toBe(0);
    clock.advance(PROGRESS_INTERVAL_MS * 2);
    expect(sent).toBe(2);
  });

  it('sends nothing more once cancelled (the service closing)', () => {
    const clock = new ManualClock();
    let sent = 0;
    const throttle = new ProgressThrottle(clock, () => sent++);
    throttle.changed(false);
    throttle.changed(false);
    expect(clock.pending).toBe(1);
    throttle.cancel();
    clock.advance(PROGRESS_INTERVAL_MS * 2);
    expect(sent).toBe(1);
  });
});
