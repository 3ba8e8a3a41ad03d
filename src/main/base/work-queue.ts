/**
 * Work items run at most `concurrency` at a time, in the order they were added. Each has a key: a key already
 * waiting or running is not added twice; `cancel(key)` drops a waiting item or aborts a running one; `close()`
 * aborts everything and waits for what runs to settle. Items report progress through `report`, which the queue
 * passes on to `onProgress` (the service decides what a person sees and how often).
 */
export interface WorkContext<P> {
  signal: AbortSignal;
  report(progress: P): void;
}

export type WorkItem<P> = (context: WorkContext<P>) => Promise<void>;

export interface WorkQueueOptions<K, P> {
  concurrency: number;
  onProgress?: (key: K, progress: P) => void;
  /** Called with what an item threw (the queue itself never throws on an item's behalf). */
  onError?: (key: K, error: unknown) => void;
  /** Called once an item has left the running set, before the next one starts: `has(key)` is false by then. */
  onSettled?: (key: K) => void;
}

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

export class WorkQueue<K, P = never> {
  private readonly waiting: { key: K; item: WorkItem<P> }[] = [];
  private readonly running = new Map<K, Running>();
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private concurrency: number;

  constructor(private readonly options: WorkQueueOptions<K, P>) {
    this.concurrency = options.concurrency;
  }

  /** Adds an item unless its key is already waiting or running; false when it was not added. */
  add(key: K, item: WorkItem<P>): boolean {
    if (this.closed || this.has(key)) return false;
    this.waiting.push({ key, item });
    this.pump();
    return true;
  }

  has(key: K): boolean {
    return this.running.has(key) || this.waiting.some((entry) => entry.key === key);
  }

  isRunning(key: K): boolean {
    return this.running.has(key);
  }

  get size(): number {
    return this.running.size + this.waiting.length;
  }

  /** Drops a waiting item, or aborts a running one and waits until it settles. False when the key is unknown. */
  async cancel(key: K): Promise<boolean> {
    const index = this.waiting.findIndex((entry) => entry.key === key);
    if (index >= 0) {
      this.waiting.splice(index, 1);
      this.settleIfIdle();
      return true;
    }
    const running = this.running.get(key);
    if (!running) return false;
    running.controller.abort();
    await running.done;
    return true;
  }

  /** A new limit; when it grew, waiting items start at once (running ones are never stopped). */
  setConcurrency(concurrency: number): void {
    this.concurrency = concurrency;
    this.pump();
  }

  /** Resolves when nothing waits and nothing runs. */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Refuses new items, drops waiting ones, aborts running ones and waits for them to settle. */
  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    const running = [...this.running.values()];
    for (const entry of running) entry.controller.abort();
    await Promise.allSettled(running.map((entry) => entry.done));
    this.settleIfIdle();
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift();
      if (!next) break;
      const controller = new AbortController();
      const context: WorkContext<P> = {
        signal: controller.signal,
        report: (progress) => this.options.onProgress?.(next.key, progress),
      };
      const done = Promise.resolve()
        .then(() => next.item(context))
        .catch((error: unknown) => this.options.onError?.(next.key, error))
        .finally(() => {
          this.running.delete(next.key);
          this.options.onSettled?.(next.key);
          this.pump();
          this.settleIfIdle();
        });
      this.running.set(next.key, { controller, done });
    }
  }

  private settleIfIdle(): void {
    if (this.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
