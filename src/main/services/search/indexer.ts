/**
 * The background indexer: takes items off the queue the triggers fill, embeds what changed, stores the vectors.
 * Low priority by construction: small batches, a yield to the event loop after each, a longer gap while a chat
 * reply streams; offline it waits and tries again, and it never sends while paused.
 */
import type { SearchKind } from '../../../shared/search';
import { embedTexts } from '../../api/embeddings';
import type { HttpClient } from '../../api/http-client';
import { HubError, toAppError } from '../../base/errors';
import { type Chunk, messageChunks, promptChunks, segmentWindows } from './chunking';
import type { IndexRepo, QueuedItem } from './index-repo';

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
}

export const defaultIndexerTiming: IndexerTiming = {
  idleCheckMs: 2_000,
  batchItems: 32,
  batchInputs: 64,
  gapMs: 0,
  busyGapMs: 100,
  offlineRetryMs: 15_000,
  offlineRetryMaxMs: 300_000,
  rateLimitRetryMs: 60_000,
};

/** Who woke the indexer: new work (any event), or the user (resume, rebuild, new settings, a token). */
export type WakeReason = 'work' | 'user';

export interface IndexerHooks {
  repo: IndexRepo;
  client: () => HttpClient;
  /** Something a status shows changed; `now` = a state change worth telling at once. */
  changed: (now: boolean) => void;
  /** True while a chat reply is streaming. */
  busy: () => boolean;
  log?: ((line: string) => void) | undefined;
}

export class Indexer {
  /** A batch is in flight, or the loop is about to take the next one. */
  running = false;
  /** The last attempt failed for lack of network. */
  offline = false;
  private looping = false;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wakeUp: ((reason: WakeReason) => void) | null = null;
  private request: AbortController | null = null;
  /** Bumped by a rebuild: a batch started before it is thrown away. */
  private generation = 0;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly hooks: IndexerHooks,
    private readonly timing: IndexerTiming,
  ) {}

  /** Starts the background loop (once). */
  start(): void {
    if (this.looping || this.stopped) return;
    this.looping = true;
    this.loop = this.run();
  }

  wake(reason: WakeReason): void {
    this.wakeUp?.(reason);
  }

  /** Throws away the batch in flight (its vectors belong to the old settings). */
  invalidate(): void {
    this.generation++;
    this.request?.abort();
    this.offline = false;
    this.wake('user');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.request?.abort();
    this.wake('user');
    await this.loop;
    await this.lock.catch(() => undefined);
  }

  /**
   * Indexes everything queued, then resolves (the CLI's `index run`); runs even when paused. The first failure
   * rejects. `onBatch` is called after each batch.
   */
  async drain(options: { signal?: AbortSignal; onBatch?: () => void } = {}): Promise<void> {
    while (this.hooks.repo.hasQueued()) {
      if (options.signal?.aborted)
        throw new HubError({ kind: 'cancelled', message: 'Indexing was stopped.' });
      await this.batch(options.signal);
      options.onBatch?.();
      await yieldToEventLoop(this.timing.gapMs);
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      const { repo } = this.hooks;
      if (repo.state().paused || !repo.hasQueued()) {
        this.setRunning(false);
        await this.sleep(this.timing.idleCheckMs, 'work');
        continue;
      }
      this.setRunning(true);
      try {
        await this.batch();
        failures = 0;
        if (this.offline || repo.state().lastError !== null) {
          this.offline = false;
          repo.setLastError(null);
          this.hooks.changed(true);
        } else this.hooks.changed(false);
        await yieldToEventLoop(this.hooks.busy() ? this.timing.busyGapMs : this.timing.gapMs);
      } catch (error) {
        if (this.stopped) break;
        const info = toAppError(error);
        if (info.kind === 'cancelled') continue; // a rebuild or settings change aborted the request
        failures++;
        this.offline = info.kind === 'network' || info.kind === 'timeout';
        repo.setLastError(
          this.offline ? `Offline: ${info.message} Indexing resumes when the network is back.` : info.message,
        );
        this.hooks.log?.(`search index: ${info.kind}: ${info.message}`);
        this.setRunning(false);
        this.hooks.changed(true);
        if (this.offline || info.kind === 'server') {
          const wait = Math.min(
            this.timing.offlineRetryMaxMs,
            this.timing.offlineRetryMs * 2 ** (failures - 1),
          );
          await this.sleep(wait, 'user');
        } else if (info.kind === 'rate_limited') {
          await this.sleep(info.retryAfterMs ?? this.timing.rateLimitRetryMs, 'user');
        } else {
          // auth, bad_request (e.g. an unknown model): nothing changes until the user acts.
          await this.sleep(Number.POSITIVE_INFINITY, 'user');
        }
      }
    }
    this.setRunning(false);
  }

  private setRunning(running: boolean): void {
    if (this.running === running) return;
    this.running = running;
    this.hooks.changed(true);
  }

  /** Waits `ms`, or until a wake of a reason in `wakesOn` ('work' also wakes on 'user'). */
  private sleep(ms: number, wakesOn: WakeReason): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
      timer?.unref?.();
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wakeUp = null;
        resolve();
      }
      this.wakeUp = (reason) => {
        if (wakesOn === 'work' || reason === 'user') done();
      };
    });
  }

  /** One batch, never two at once. */
  private batch(signal?: AbortSignal): Promise<void> {
    const next = this.lock.then(() => this.embedBatch(signal));
    this.lock = next.catch(() => undefined);
    return next;
  }

  private async embedBatch(signal?: AbortSignal): Promise<void> {
    const { repo } = this.hooks;
    const generation = this.generation;
    const { model, dimensions } = repo.state();
    const work: { item: QueuedItem; chunks: Chunk[]; toEmbed: Chunk[] }[] = [];
    let inputs = 0;
    for (const item of repo.next(this.timing.batchItems)) {
      const chunks = this.chunksOf(item.kind, item.itemId);
      const stored = new Map(
        repo.storedChunks(item.kind, item.itemId, model, dimensions).map((row) => [row.chunk, row.hash]),
      );
      const toEmbed = (chunks ?? []).filter((chunk) => stored.get(chunk.chunk) !== chunk.hash);
      if (toEmbed.length > 0 && inputs > 0 && inputs + toEmbed.length > this.timing.batchInputs) break;
      work.push({ item, chunks: chunks ?? [], toEmbed });
      inputs += toEmbed.length;
    }
    const texts = work.flatMap((entry) => entry.toEmbed.map((chunk) => chunk.text));
    let vectors: Float32Array[] = [];
    if (texts.length > 0) {
      const controller = new AbortController();
      const onAbort = () => controller.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.request = controller;
      try {
        const result = await embedTexts(this.hooks.client(), {
          model,
          inputs: texts,
          dimensions,
          signal: controller.signal,
        });
        vectors = result.vectors;
        if (generation === this.generation) repo.addTokens(result.tokens);
      } finally {
        this.request = null;
        signal?.removeEventListener('abort', onAbort);
      }
    }
    if (generation !== this.generation || repo.state().model !== model) return;
    let at = 0;
    const saved = work.map((entry) => {
      const embedded = new Map<number, Float32Array>();
      for (const chunk of entry.toEmbed) {
        const vector = vectors[at++];
        if (vector) embedded.set(chunk.chunk, vector);
      }
      return { item: entry.item, chunks: entry.chunks, embedded };
    });
    repo.saveItems(saved, model, dimensions);
  }

  /** The item's chunks now; null when it no longer exists (its vectors are dropped). */
  private chunksOf(kind: SearchKind, itemId: string): Chunk[] | null {
    const { repo } = this.hooks;
    if (kind === 'message') {
      const text = repo.messageText(itemId);
      return text === null ? null : messageChunks(text);
    }
    if (kind === 'segment') {
      const segments = repo.transcriptSegments(itemId);
      return segments === null ? null : segmentWindows(segments);
    }
    const prompt = repo.videoPrompt(itemId);
    return prompt === null ? null : promptChunks(prompt);
  }
}

function yieldToEventLoop(ms: number): Promise<void> {
  return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
}
