import { statSync, watch } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Clock } from '../../base/clock';
import { type TreeWatch, type TreeWatchHandlers, watchFolderTree } from './folder-tree-watch';
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

/** FSEvents (macOS) and ReadDirectoryChangesW (Windows) watch a whole tree with one handle. */
const nativeRecursive = process.platform === 'darwin' || process.platform === 'win32';

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

/** The OS watches the tree (macOS, Windows). */
function watchRecursively(root: string, handlers: TreeWatchHandlers): TreeWatch {
  try {
    const watcher = watch(root, { recursive: true }, (_event, name) => {
      if (name === null) handlers.onPath(null);
      else if (name.length === 0) handlers.onLost(`${root} was moved or deleted`);
      else if (!inSkippedFolder(root, join(root, name), false)) handlers.onPath(join(root, name));
    });
    watcher.on('error', (error) => handlers.onLost(`the watch of ${root} failed: ${String(error)}`));
    watcher.on('close', () => handlers.onLost(`the watch of ${root} was closed`));
    return { close: () => watcher.close() };
  } catch (error) {
    handlers.onLost(`cannot watch ${root}: ${String(error)}`);
    return { close: () => {} };
  }
}

/**
 * A file root, watched through its folder: saving by writing a new file and renaming it over the old one (what most
 * editors do) would leave a watch on the file itself looking at a file that is gone.
 */
function watchFileRoot(root: string, handlers: TreeWatchHandlers): TreeWatch {
  try {
    const watcher = watch(dirname(root), (_event, name) => {
      if (name === null || name === basename(root)) handlers.onPath(root);
    });
    watcher.on('error', (error) => handlers.onLost(`the watch of ${root} failed: ${String(error)}`));
    return { close: () => watcher.close() };
  } catch (error) {
    handlers.onLost(`cannot watch ${root}: ${String(error)}`);
    return { close: () => {} };
  }
}

/**
 * Watches a knowledge base's roots and reports what changed once things go quiet (on the injected clock). A root
 * that is gone, or whose watch fails, is looked for again on the clock and reported whole once it is back, so the
 * sync walks it again (what a watch missed meanwhile, or in an overflow, is found that way).
 */
export class FolderWatch {
  private readonly watches = new Map<string, TreeWatch>();
  /** The current watch of each root, by a token its handlers hold: a lost watch's late reports are ignored. */
  private readonly tokens = new Map<string, object>();
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
    this.tokens.clear();
    const watches = [...this.watches.values()];
    this.watches.clear();
    for (const watch of watches) watch.close();
  }

  private open(root: string): void {
    let isFolder: boolean;
    try {
      isFolder = statSync(root).isDirectory();
    } catch {
      this.waitFor(root);
      return;
    }
    const token = {};
    this.tokens.set(root, token);
    const current = () => !this.closed && this.tokens.get(root) === token;
    const handlers: TreeWatchHandlers = {
      onPath: (path) => {
        if (current()) this.note(path);
      },
      onLost: (reason) => {
        if (current()) this.lost(root, reason);
      },
      ...(this.options.log ? { log: this.options.log } : {}),
    };
    const handle = !isFolder
      ? watchFileRoot(root, handlers)
      : nativeRecursive
        ? watchRecursively(root, handlers)
        : watchFolderTree(root, handlers);
    if (current()) this.watches.set(root, handle);
    else handle.close();
  }

  /** The root's watch stopped: what is under it is looked at again, and the root is looked for until it is back. */
  private lost(root: string, reason: string): void {
    this.tokens.delete(root);
    const handle = this.watches.get(root);
    this.watches.delete(root);
    handle?.close();
    this.options.log?.(reason);
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
