import { type FSWatcher, statSync, watch } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Clock } from '../../base/clock';
import { inSkippedFolder, isUnder } from './folder-walk';

export interface FolderWatchOptions {
  /** Folders (watched with everything under them) and files. */
  roots: readonly string[];
  clock: Clock;
  /** Quiet time after the last change before `onChange` is called. */
  debounceMs?: number;
  /** A folder that never goes quiet is still synced this often. */
  maxWaitMs?: number;
  /** How often a root that is gone (an unplugged drive) is looked for. */
  rootRetryMs?: number;
  /** More changed paths than this at once are reported as "anything may have changed". */
  maxPaths?: number;
  /** The files and folders that changed (none under another), or null when anything may have changed. */
  onChange: (paths: readonly string[] | null) => void;
  log?: (line: string) => void;
}

/** Of the paths, those not under another one of them. */
function outermost(paths: Iterable<string>): string[] {
  const kept: string[] = [];
  for (const path of [...paths].sort()) {
    if (!kept.some((outer) => isUnder(path, outer))) kept.push(path);
  }
  return kept;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Watches a knowledge base's roots with Node's `fs.watch` (recursive on Linux, macOS and Windows) and reports
 * what changed once things go quiet. A root that is gone, or whose watch fails or closes, is looked for again on
 * the clock and reported whole once it is back, so the sync walks it again (what a watch misses meanwhile, or in an
 * overflow, is found that way).
 */
export class FolderWatch {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly retries = new Map<string, { cancel(): void }>();
  private pending: Set<string> | null = new Set();
  private timer: { cancel(): void } | undefined;
  private firstAt = 0;
  private closed = false;
  private readonly debounceMs: number;
  private readonly maxWaitMs: number;
  private readonly rootRetryMs: number;
  private readonly maxPaths: number;

  constructor(private readonly options: FolderWatchOptions) {
    this.debounceMs = options.debounceMs ?? 500;
    this.maxWaitMs = options.maxWaitMs ?? 5_000;
    this.rootRetryMs = options.rootRetryMs ?? 5_000;
    this.maxPaths = options.maxPaths ?? 1_000;
    for (const root of options.roots) this.open(root);
  }

  close(): void {
    this.closed = true;
    this.timer?.cancel();
    for (const retry of this.retries.values()) retry.cancel();
    this.retries.clear();
    const watchers = [...this.watchers.values()];
    this.watchers.clear();
    for (const watcher of watchers) watcher.close();
  }

  private open(root: string): void {
    let isFolder: boolean;
    try {
      isFolder = statSync(root).isDirectory();
    } catch {
      this.waitFor(root);
      return;
    }
    let watcher: FSWatcher;
    try {
      // A file root is watched through its folder: saving by writing a new file and renaming it over the old one
      // (what most editors do) would leave a watch on the file itself looking at a file that is gone.
      watcher = isFolder
        ? watch(root, { recursive: true }, (event, name) => {
            // The root itself renamed or deleted: on Linux the watch then follows the folder wherever it went, or
            // nothing at all.
            if (event === 'rename' && name?.length === 0) this.lost(root, watcher);
            else this.seen(root, name);
          })
        : watch(dirname(root), (_event, name) => {
            if (name === null || name === basename(root)) this.seen(root, '');
          });
    } catch (error) {
      this.options.log?.(`cannot watch ${root}: ${String(error)}`);
      this.waitFor(root);
      return;
    }
    watcher.on('error', (error) => {
      this.options.log?.(`the watch of ${root} failed: ${String(error)}`);
      this.lost(root, watcher);
    });
    // Node closes a folder's watch itself when the folder goes away.
    watcher.on('close', () => this.lost(root, watcher));
    this.watchers.set(root, watcher);
  }

  /** The root's watch stopped: what is under it is looked at again, and the root is looked for until it is back. */
  private lost(root: string, watcher: FSWatcher): void {
    if (this.closed || this.watchers.get(root) !== watcher) return;
    this.watchers.delete(root);
    watcher.close();
    this.note(root);
    this.waitFor(root);
  }

  private waitFor(root: string): void {
    if (this.closed) return;
    this.retries.set(
      root,
      this.options.clock.setTimeout(() => {
        this.retries.delete(root);
        if (this.closed) return;
        if (!exists(root)) {
          this.waitFor(root);
          return;
        }
        this.open(root);
        this.note(root);
      }, this.rootRetryMs),
    );
  }

  private seen(root: string, name: string | Buffer | null): void {
    if (name === null) {
      this.note(null);
      return;
    }
    const path = name.length === 0 ? root : join(root, name.toString());
    if (!inSkippedFolder(root, path, false)) this.note(path);
  }

  private note(path: string | null): void {
    if (this.closed) return;
    if (path === null || this.pending === null) this.pending = null;
    else {
      this.pending.add(path);
      if (this.pending.size > this.maxPaths) this.pending = null;
    }
    const now = this.options.clock.now();
    if (this.timer === undefined) this.firstAt = now;
    this.timer?.cancel();
    const wait = Math.max(0, Math.min(this.debounceMs, this.firstAt + this.maxWaitMs - now));
    this.timer = this.options.clock.setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    const paths = this.pending;
    this.pending = new Set();
    if (this.closed || paths?.size === 0) return;
    this.options.onChange(paths === null ? null : outermost(paths));
  }
}
