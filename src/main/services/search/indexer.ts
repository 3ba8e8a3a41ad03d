/**
 * The background indexer: takes items off the queue the triggers fill, embeds what changed, stores the vectors.
 * Low priority by construction: small batches, a yield to the event loop after each, a longer gap while a chat
 * reply streams; offline it waits and tries again, and it never sends while paused.
 */
import { embedTexts } from '../../api/embeddings';
import type { HttpClient } from '../../api/http-client';
import type { Clock } from '../../base/clock';
import { HubError, toAppError } from '../../base/errors';
import { WorkQueue } from '../../base/work-queue';
import type { IndexKind, QueuedItem, SearchIndexRepo } from '../../store/search-index-repo';
import type { SearchItemsRepo } from '../../store/search-items-repo';
import { type Chunk, messageChunks, passageChunks, promptChunks, segmentWindows } from './chunking';
import { pauseAfterBatch } from './index-pacing';

export interface IndexerTiming {
  /** How often an idle indexer looks at the queue (triggers fill it without telling anyone). */
  idleCheckMs: number;
  /** Items taken off the queue per batch. */
  batchItems: number;
  /** Inputs per embeddings request, roughly (one large item may exceed it, within the API's limits). */
  batchInputs: number;
  /** Pause between batches (0 = just yield to the event loop). */
  gapMs: number;
  /** Pause between batches while a chat reply is streaming. */
  busyGapMs: number;
  /** First wait after a network failure; doubles up to offlineRetryMaxMs. */
  offlineRetryMs: number;
  offlineRetryMaxMs: number;
  /** Wait after a rate limit the HTTP core's own retries did not get past, when the proxy named no delay. */
  rateLimitRetryMs: number;
  /**
   * First wait when another process holds the database's write lock (SQLITE_BUSY after the busy timeout); doubles
   * up to databaseBusyMaxMs. A batch tries its writes `databaseBusyTries` times before the turn backs off.
   */
  databaseBusyMs: number;
  databaseBusyMaxMs: number;
  databaseBusyTries: number;
}

export const defaultIndexerTiming: IndexerTiming = {
  idleCheckMs: 2_000,
  batchItems: 64,
  batchInputs: 64,
  gapMs: 0,
  busyGapMs: 100,
  offlineRetryMs: 15_000,
  offlineRetryMaxMs: 300_000,
  rateLimitRetryMs: 60_000,
  databaseBusyMs: 1_000,
  databaseBusyMaxMs: 60_000,
  databaseBusyTries: 4,
};

/** Who woke the indexer: new work (any event), or the user (resume, rebuild, new settings, a token). */
export type WakeReason = 'work' | 'user';

export interface IndexerHooks {
  index: SearchIndexRepo;
  items: SearchItemsRepo;
  client: () => HttpClient;
  /** Something a status shows changed; `now` = a state change worth telling at once. */
  changed: (now: boolean) => void;
  /** True while a chat reply is streaming. */
  busy: () => boolean;
  log?: ((line: string) => void) | undefined;
  clock: Clock;
}

/** What the background loop waits for before its next turn; `wakesOn` null: only the time. */
interface Wait {
  ms: number;
  wakesOn: WakeReason | null;
}

export class Indexer {
  /** A batch is in flight, or the loop is about to take the next one. */
  running = false;
  /** The last attempt failed for lack of network. */
  offline = false;
  private started = false;
  private stopped = false;
  /** The batches of the background loop and of `drain`, one at a time. */
  private readonly batches = new WorkQueue<number>({ concurrency: 1 });
  private batchCount = 0;
  private runningBatch: number | null = null;
  /** The turn of the background loop under way (stop waits for it). */
  private turnDone: Promise<void> = Promise.resolve();
  private waiting: { cancel(): void; wakesOn: WakeReason | null } | null = null;
  private failures = 0;
  /** Bumped by a rebuild: a batch started before it is thrown away. */
  private generation = 0;

  constructor(
    private readonly hooks: IndexerHooks,
    private readonly timing: IndexerTiming,
  ) {}

  /** Starts the background loop (once). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.nextTurn();
  }

  /** Ends a wait that this reason ends ('work' waits also end on 'user'). */
  wake(reason: WakeReason): void {
    const waiting = this.waiting;
    if (!waiting || waiting.wakesOn === null || (waiting.wakesOn === 'user' && reason !== 'user')) return;
    waiting.cancel();
    this.nextTurn();
  }

  /** Throws away the batch in flight (its vectors belong to the old settings). */
  invalidate(): void {
    this.generation++;
    if (this.runningBatch !== null) void this.batches.cancel(this.runningBatch);
    this.offline = false;
    this.wake('user');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.waiting?.cancel();
    this.waiting = null;
    if (this.runningBatch !== null) void this.batches.cancel(this.runningBatch);
    await this.turnDone;
    await this.batches.idle();
    this.setRunning(false);
  }

  /**
   * Indexes everything queued, then resolves (the CLI's `index run`); runs even when paused. The first failure
   * rejects. `onBatch` is called after each batch.
   */
  async drain(options: { signal?: AbortSignal; onBatch?: () => void } = {}): Promise<void> {
    while (this.hooks.index.hasQueued()) {
      if (options.signal?.aborted) throw stoppedError();
      await this.batch(options.signal);
      options.onBatch?.();
      await new Promise<void>((resolve) => this.after(this.timing.gapMs, resolve));
    }
  }

  private nextTurn(): void {
    this.waiting = null;
    if (this.stopped) return;
    const turn = this.turn().catch((error: unknown): Wait => {
      // The turn's own bookkeeping failed (a full disk under the error it meant to record): the loop goes on.
      this.failures++;
      this.hooks.log?.(`search index: ${toAppError(error).message}`);
      this.setRunning(false);
      return { ms: this.busyWait(this.failures - 1), wakesOn: 'user' };
    });
    this.turnDone = turn.then((wait) => {
      if (!wait || this.stopped) return;
      if (!Number.isFinite(wait.ms)) {
        this.waiting = { cancel: () => undefined, wakesOn: wait.wakesOn };
        return;
      }
      const timer = this.after(wait.ms, () => this.nextTurn());
      this.waiting = { cancel: () => timer.cancel(), wakesOn: wait.wakesOn };
    });
  }

  /** One turn of the background loop: a batch when there is work and no pause; then what to wait for. */
  private async turn(): Promise<Wait | null> {
    const { index } = this.hooks;
    if (index.state().paused || !index.hasQueued()) {
      this.setRunning(false);
      return { ms: this.timing.idleCheckMs, wakesOn: 'work' };
    }
    this.setRunning(true);
    try {
      await this.batch();
      this.failures = 0;
      if (this.offline || index.state().lastError !== null) {
        this.offline = false;
        index.setLastError(null);
        this.hooks.changed(true);
      } else this.hooks.changed(false);
      return { ms: pauseAfterBatch(this.timing, this.hooks.busy()), wakesOn: null };
    } catch (error) {
      if (this.stopped) return null;
      const info = toAppError(error);
      if (info.kind === 'cancelled') return { ms: 0, wakesOn: null }; // a rebuild or settings change aborted it
      this.failures++;
      if (isDatabaseBusy(error)) {
        // Not the network and nothing the user must fix: another process writes; the queue stays as it is.
        this.hooks.log?.(
          'search index: the database is busy (another process is writing); trying again later',
        );
        this.setRunning(false);
        return { ms: this.busyWait(this.failures - 1), wakesOn: 'user' };
      }
      this.offline = info.kind === 'network' || info.kind === 'timeout';
      index.setLastError(
        this.offline ? `Offline: ${info.message} Indexing resumes when the network is back.` : info.message,
      );
      this.hooks.log?.(`search index: ${info.kind}: ${info.message}`);
      this.setRunning(false);
      this.hooks.changed(true);
      if (this.offline || info.kind === 'server') {
        const ms = Math.min(
          this.timing.offlineRetryMaxMs,
          this.timing.offlineRetryMs * 2 ** (this.failures - 1),
        );
        return { ms, wakesOn: 'user' };
      }
      if (info.kind === 'rate_limited') {
        return { ms: info.retryAfterMs ?? this.timing.rateLimitRetryMs, wakesOn: 'user' };
      }
      // auth, bad_request (e.g. an unknown model): nothing changes until the user acts.
      return { ms: Number.POSITIVE_INFINITY, wakesOn: 'user' };
    }
  }

  private setRunning(running: boolean): void {
    if (this.running === running) return;
    this.running = running;
    this.hooks.changed(true);
  }

  /** Calls `fn` after `ms`; 0 = once the event loop has run what waits (I/O, a chat delta). */
  private after(ms: number, fn: () => void): { cancel(): void } {
    if (ms > 0) return this.hooks.clock.setTimeout(fn, ms);
    const immediate = setImmediate(fn);
    return { cancel: () => clearImmediate(immediate) };
  }

  /** One batch on the work queue, which runs one at a time; `signal` (drain's) also aborts it. */
  private batch(signal?: AbortSignal): Promise<void> {
    const key = this.batchCount++;
    return new Promise((resolve, reject) => {
      const added = this.batches.add(key, async (context) => {
        this.runningBatch = key;
        try {
          if (this.stopped) throw stoppedError();
          await this.embedBatch(signal ? AbortSignal.any([context.signal, signal]) : context.signal);
          resolve();
        } catch (error) {
          reject(error);
        } finally {
          this.runningBatch = null;
        }
      });
      if (!added) reject(stoppedError());
    });
  }

  private async embedBatch(signal: AbortSignal): Promise<void> {
    const { index } = this.hooks;
    const generation = this.generation;
    const { model, dimensions } = index.state();
    const work: { item: QueuedItem; chunks: Chunk[]; toEmbed: Chunk[] }[] = [];
    let inputs = 0;
    for (const item of index.next(this.timing.batchItems)) {
      const chunks = this.chunksOf(item.kind, item.itemId);
      const stored = new Map(
        index.storedChunks(item.kind, item.itemId, model, dimensions).map((row) => [row.chunk, row.hash]),
      );
      const toEmbed = (chunks ?? []).filter((chunk) => stored.get(chunk.chunk) !== chunk.hash);
      if (toEmbed.length > 0 && inputs > 0 && inputs + toEmbed.length > this.timing.batchInputs) break;
      work.push({ item, chunks: chunks ?? [], toEmbed });
      inputs += toEmbed.length;
    }
    const texts = work.flatMap((entry) => entry.toEmbed.map((chunk) => chunk.text));
    let vectors: Float32Array[] = [];
    if (texts.length > 0) {
      const result = await embedTexts(this.hooks.client(), { model, inputs: texts, dimensions, signal });
      vectors = result.vectors;
      if (generation === this.generation)
        await this.whenWritable(() => index.addTokens(result.tokens), signal);
    }
    if (generation !== this.generation || index.state().model !== model) return;
    let at = 0;
    const saved = work.map((entry) => {
      const embedded = new Map<number, Float32Array>();
      for (const chunk of entry.toEmbed) {
        const vector = vectors[at++];
        if (vector) embedded.set(chunk.chunk, vector);
      }
      return { item: entry.item, chunks: entry.chunks, embedded };
    });
    // The vectors are paid for: a write lock held elsewhere is waited out rather than the batch thrown away.
    await this.whenWritable(() => {
      if (generation === this.generation) index.saveItems(saved, model, dimensions);
    }, signal);
  }

  /** Runs a write, and again after a growing wait while another process holds the write lock. */
  private async whenWritable(write: () => void, signal: AbortSignal): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        write();
        return;
      } catch (error) {
        if (!isDatabaseBusy(error) || attempt + 1 >= this.timing.databaseBusyTries) throw error;
        this.hooks.log?.('search index: the database is busy (another process is writing); waiting to save');
        await new Promise<void>((resolve, reject) => {
          const onAbort = () => {
            timer.cancel();
            reject(stoppedError());
          };
          const timer = this.hooks.clock.setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          }, this.busyWait(attempt));
          if (signal.aborted) onAbort();
          else signal.addEventListener('abort', onAbort, { once: true });
        });
      }
    }
  }

  private busyWait(attempt: number): number {
    return Math.min(this.timing.databaseBusyMaxMs, this.timing.databaseBusyMs * 2 ** attempt);
  }

  /** The item's chunks now; null when it no longer exists (its vectors are dropped). */
  private chunksOf(kind: IndexKind, itemId: string): Chunk[] | null {
    const { items } = this.hooks;
    if (kind === 'kb_chunk') {
      const passage = items.kbChunk(Number(itemId));
      return passage === null ? null : passageChunks(passage);
    }
    if (kind === 'message') {
      const text = items.messageText(itemId);
      return text === null ? null : messageChunks(text);
    }
    if (kind === 'segment') {
      const segments = items.transcriptSegments(itemId);
      return segments === null ? null : segmentWindows(segments);
    }
    const prompt = items.videoPrompt(itemId);
    return prompt === null ? null : promptChunks(prompt);
  }
}

/** Another connection holds the write lock (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, …) or a table lock. */
function isDatabaseBusy(error: unknown): boolean {
  for (let link = error, depth = 0; link && typeof link === 'object' && depth < 5; depth++) {
    const code = (link as { code?: unknown }).code;
    if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code)) return true;
    link = (link as { cause?: unknown }).cause;
  }
  return false;
}

function stoppedError(): HubError {
  return new HubError({
    kind: 'cancelled',
    message: 'Indexing was stopped.',
    reason: { code: 'indexStopped', values: {} },
  });
}
