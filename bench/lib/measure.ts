import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

export function median(samples: number[]): number {
  return percentile(samples, 50);
}

/** Nearest-rank percentile. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/**
 * Runs every variant `runs` times, interleaved (A B C, A B C, …) after one warm-up each, so that drift in
 * the machine's load hits all of them alike. Returns the samples per variant, in ms.
 */
export async function interleaved<K extends string>(
  runs: number,
  variants: Record<K, () => Promise<unknown>>,
): Promise<Record<K, number[]>> {
  const names = Object.keys(variants) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (const name of names) await variants[name]();
  for (let run = 0; run < runs; run++) {
    for (const name of names) samples[name].push((await timed(variants[name])).ms);
  }
  return samples;
}

/** Peak resident set size above the level when `start` was called, sampled every few milliseconds. */
export class RssPeak {
  private base = 0;
  private peak = 0;
  private timer: NodeJS.Timeout | undefined;

  start(): void {
    this.base = process.memoryUsage.rss();
    this.peak = this.base;
    this.timer = setInterval(() => this.sample(), 5);
  }

  /** Growth in bytes. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return Math.max(0, this.peak - this.base);
  }

  private sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
  }
}

export const MiB = 1024 * 1024;

/** Gives the garbage collector a chance between measurements when node runs with --expose-gc. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
}

/**
 * The main thread's stalls while `work` runs (what a window would feel: IPC and timers wait that long): the longest
 * gap between ticks of a short interval or monitorEventLoopDelay's max, whichever is longer, and the delay's p99.
 */
export async function loopStalls<T>(
  work: () => Promise<T>,
  tickMs = 5,
): Promise<{ value: T; longestMs: number; p99Ms: number; totalMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let last = performance.now();
  let longestGap = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
  }, tickMs);
  delay.enable();
  const started = performance.now();
  try {
    const value = await work();
    const ended = performance.now();
    longestGap = Math.max(longestGap, ended - last);
    return {
      value,
      longestMs: Math.max(longestGap, delay.max / 1e6),
      p99Ms: delay.percentile(99) / 1e6,
      totalMs: ended - started,
    };
  } finally {
    clearInterval(ticker);
    delay.disable();
  }
}
