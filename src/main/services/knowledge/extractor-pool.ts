import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { HubError } from '../../base/errors';
import type { ExtractedDocument } from './extract-document';

/** What the pool posts to a worker: the file's name (its extension picks the reader) and its bytes. */
export interface ExtractRequest {
  path: string;
  bytes: Uint8Array;
}

export type ExtractResponse = { ok: true; document: ExtractedDocument } | { ok: false; message: string };

export interface ExtractorPoolOptions {
  /** Workers running at once, at most. */
  size: number;
  /** A worker with nothing to do ends after this long; the next file starts a new one. */
  idleMs: number;
  /** Each worker's heap: a file that needs more ends its worker (that file fails), never the app. */
  maxHeapMb: number;
}

export interface ExtractOptions {
  /** Aborting ends the worker reading this file at once (a new one takes the next file). */
  signal?: AbortSignal;
  /**
   * The caller gives its bytes away: they move to the worker without a copy and the caller's Buffer is left
   * empty. Without it the worker gets a copy and the caller's bytes stay as they were.
   */
  handOver?: boolean;
}

interface Job {
  path: string;
  bytes: Uint8Array;
  handOver: boolean;
  signal: AbortSignal | undefined;
  resolve: (document: ExtractedDocument) => void;
  reject: (error: unknown) => void;
  onAbort: () => void;
}

interface Thread {
  worker: Worker;
  job: Job | null;
  /** Why the worker failed, when it did ('error' comes before 'exit'). */
  failure: Error | null;
  idleTimer: NodeJS.Timeout | null;
}

/**
 * The worker script beside this module: `extract-worker.ts` under tsx and vitest (the worker gets tsx's loader, by
 * its resolved URL so that any working folder will do), `extract-worker.js` beside out/main/index.js in the
 * electron-vite build (a second entry of the main bundle). Built with join, not `new URL('…', import.meta.url)`,
 * which Vite would copy as an asset.
 */
function workerScript(): { url: URL; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const extension = extname(here);
  const url = pathToFileURL(join(dirname(here), `extract-worker${extension}`));
  if (extension !== '.ts') return { url, execArgv: [] };
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { url, execArgv: ['--import', tsxLoader] };
}

function crashError(failure: Error | null, exitCode: number): HubError {
  if ((failure as NodeJS.ErrnoException | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new HubError({
      kind: 'internal',
      message: 'Reading it needed more memory than a file may take; the reader stopped.',
      reason: { code: 'kbExtractorOutOfMemory', values: {} },
    });
  }
  const detail = failure ? failure.message : `exit code ${exitCode}`;
  return new HubError({
    kind: 'internal',
    message: failure
      ? `The reader stopped on this file: ${failure.message}`
      : `The reader stopped on this file (exit code ${exitCode}).`,
    reason: { code: 'kbExtractorCrashed', values: { detail } },
  });
}

/**
 * Reads documents on worker threads so that PDF and DOCX parsing never blocks the main thread's event loop.
 * Workers start when a file comes, stay warm for `idleMs`, and do not keep the process alive while idle. A worker
 * that dies (out of memory, a crash in a parser) fails only the file it was reading; the next file gets a new one.
 */
export class ExtractorPool {
  private readonly threads = new Set<Thread>();
  private readonly queue: Job[] = [];

  constructor(private readonly options: ExtractorPoolOptions) {}

  /** Workers alive now (reading or warm). */
  get workerCount(): number {
    return this.threads.size;
  }

  extract(path: string, bytes: Uint8Array, options: ExtractOptions = {}): Promise<ExtractedDocument> {
    const { signal, handOver = false } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<ExtractedDocument>((resolve, reject) => {
      const job: Job = { path, bytes, handOver, signal, resolve, reject, onAbort: () => this.abort(job) };
      signal?.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /** Ends every worker; files still queued or being read fail. A later file starts a new worker. */
  async close(): Promise<void> {
    const unfinished = [...this.queue.splice(0)];
    for (const thread of this.threads) {
      if (thread.job) unfinished.push(thread.job);
      thread.job = null;
    }
    for (const job of unfinished) this.settle(job, () => job.reject(new Error('Extraction was shut down.')));
    await Promise.all([...this.threads].map((thread) => this.retire(thread)));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let thread: Thread | null;
      try {
        thread = this.idleThread() ?? this.newThread();
      } catch (error) {
        const message = `The document reader could not start: ${error instanceof Error ? error.message : String(error)}`;
        for (const job of this.queue.splice(0)) this.settle(job, () => job.reject(new Error(message)));
        return;
      }
      if (!thread) return;
      const job = this.queue.shift() as Job;
      this.start(thread, job);
    }
  }

  private idleThread(): Thread | null {
    for (const thread of this.threads) if (!thread.job) return thread;
    return null;
  }

  private newThread(): Thread | null {
    if (this.threads.size >= this.options.size) return null;
    const { url, execArgv } = workerScript();
    const worker = new Worker(url, {
      execArgv,
      name: 'hubdesk-extract',
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb },
    });
    const thread: Thread = { worker, job: null, failure: null, idleTimer: null };
    worker.on('message', (response: ExtractResponse) => this.answered(thread, response));
    worker.on('error', (error) => {
      thread.failure = error;
    });
    worker.on('exit', (code) => this.exited(thread, code));
    this.threads.add(thread);
    return thread;
  }

  private start(thread: Thread, job: Job): void {
    if (thread.idleTimer) clearTimeout(thread.idleTimer);
    thread.idleTimer = null;
    thread.job = job;
    thread.worker.ref();
    const owned =
      job.handOver && job.bytes.byteOffset === 0 && job.bytes.byteLength === job.bytes.buffer.byteLength;
    const bytes = owned && job.bytes.buffer instanceof ArrayBuffer ? job.bytes : new Uint8Array(job.bytes);
    job.bytes = new Uint8Array(0);
    const request: ExtractRequest = { path: job.path, bytes };
    thread.worker.postMessage(request, [bytes.buffer as ArrayBuffer]);
  }

  private answered(thread: Thread, response: ExtractResponse): void {
    const job = thread.job;
    thread.job = null;
    if (job) {
      this.settle(job, () =>
        response.ok ? job.resolve(response.document) : job.reject(new Error(response.message)),
      );
    }
    this.rest(thread);
    this.pump();
  }

  /** An idle worker lets the process exit and ends itself after `idleMs`. */
  private rest(thread: Thread): void {
    if (thread.job || !this.threads.has(thread)) return;
    thread.worker.unref();
    thread.idleTimer = setTimeout(() => void this.retire(thread), this.options.idleMs);
    thread.idleTimer.unref();
  }

  private exited(thread: Thread, code: number): void {
    if (thread.idleTimer) clearTimeout(thread.idleTimer);
    this.threads.delete(thread);
    const job = thread.job;
    thread.job = null;
    if (job) this.settle(job, () => job.reject(crashError(thread.failure, code)));
    this.pump();
  }

  private abort(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    for (const thread of this.threads) {
      if (thread.job === job) {
        thread.job = null;
        void this.retire(thread);
      }
    }
    this.settle(job, () => job.reject(job.signal?.reason));
  }

  private async retire(thread: Thread): Promise<void> {
    if (thread.idleTimer) clearTimeout(thread.idleTimer);
    this.threads.delete(thread);
    await thread.worker.terminate();
    this.pump();
  }

  private settle(job: Job, finish: () => void): void {
    job.signal?.removeEventListener('abort', job.onAbort);
    finish();
  }
}
