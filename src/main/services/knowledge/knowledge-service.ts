import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { KbBaseSummary, KbFileView, KbHit, KbProgress, KbSyncReport } from '../../../shared/knowledge';
import { type Clock, systemClock } from '../../base/clock';
import { HubError } from '../../base/errors';
import { WorkQueue } from '../../base/work-queue';
import type { KbBase, KnowledgeRepo } from '../../store/knowledge-repo';
import type { EventBus } from '../event-bus';
import { BaseWatches } from './base-watches';
import { isSupportedFile } from './extract-document';
import type { KnowledgeSearch } from './knowledge-search';
import { changedAnything, emptyReport, runSync, type SyncScope } from './knowledge-sync';

/** A file larger than this is not read (its error says so); a text that big is rarely a document. */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

export interface KnowledgeServiceDeps {
  knowledge: KnowledgeRepo;
  search: KnowledgeSearch;
  bus: EventBus;
  /** Timers of the folder watch (its debounce, the look for a root that went away); injectable for tests. */
  clock?: Clock;
  /** Milliseconds since the epoch (progress pacing); default: the clock's. */
  now?: () => number;
  maxFileBytes?: number;
  /** How long a folder watch waits for quiet before it syncs what changed; default 500 ms. */
  watchDebounceMs?: number;
  log?: (line: string) => void;
}

export interface KbStatus {
  base: KbBaseSummary;
  files: KbFileView[];
  /** The sync under way, if one is. */
  progress: KbProgress | null;
}

interface PendingSync {
  scope: SyncScope;
  /** Started by a folder watch: it tells no one when it changed nothing. */
  fromWatch: boolean;
  done: Promise<KbSyncReport>;
  resolve: (report: KbSyncReport) => void;
  reject: (error: unknown) => void;
  /** Set when the sync ran; a sync dropped before it ran has none. */
  outcome?: { report: KbSyncReport } | { error: unknown };
}

const wholeBase: SyncScope = { paths: null, force: false };

function stopped(): HubError {
  return new HubError({
    kind: 'cancelled',
    message: 'The sync of the knowledge base was stopped.',
    reason: { code: 'kbSyncStopped', values: {} },
  });
}

function pausedError(name: string): HubError {
  return new HubError({
    kind: 'cancelled',
    message: `The knowledge base "${name}" is paused: resume it to sync.`,
    reason: { code: 'kbPaused', values: { name } },
  });
}

function noBase(name: string): HubError {
  return new HubError({
    kind: 'not_found',
    message: `No knowledge base named "${name}".`,
    reason: { code: 'kbNoBase', values: { name } },
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function noop(): void {}

/**
 * Knowledge bases over the user's folders and files. Syncs (`knowledge-sync.ts`) run one at a time on a work queue;
 * a base can be paused (persisted: no sync runs for it until resumed) and its failed files retried. Once
 * `startWatching()` is called (the app does, the CLI does not), each base's folders are watched and what changes
 * on disk is synced, only at the paths that changed.
 */
export class KnowledgeService {
  private readonly queue: WorkQueue<string, KbProgress>;
  /** Syncs waiting or under way, by base id. */
  private readonly syncs = new Map<string, PendingSync>();
  private readonly progress = new Map<string, KbProgress>();
  private readonly clock: Clock;
  private readonly now: () => number;
  private readonly maxFileBytes: number;
  private readonly watches: BaseWatches;

  constructor(private readonly deps: KnowledgeServiceDeps) {
    this.clock = deps.clock ?? systemClock;
    this.now = deps.now ?? (() => this.clock.now());
    this.maxFileBytes = deps.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.queue = new WorkQueue<string, KbProgress>({
      concurrency: 1,
      onProgress: (_key, progress) => deps.bus.emit('kb.progress', progress),
      onSettled: (key) => this.settle(key),
    });
    this.watches = new BaseWatches({
      clock: this.clock,
      ...(deps.watchDebounceMs !== undefined ? { debounceMs: deps.watchDebounceMs } : {}),
      roots: (baseId) => deps.knowledge.roots(baseId),
      current: (baseId) => this.syncs.get(baseId)?.done,
      sync: (base, scope) => this.startSync(base, scope, true),
      changed: (baseId) => this.changed(baseId),
      ...(deps.log ? { log: deps.log } : {}),
    });
  }

  /** Creates a base over the paths and indexes them; resolves when the first sync is done. */
  async addBase(
    name: string,
    paths: readonly string[],
  ): Promise<{ base: KbBaseSummary; report: KbSyncReport }> {
    const trimmed = name.trim();
    if (trimmed === '' || trimmed.length > 100) {
      throw new HubError({
        kind: 'invalid_input',
        message: 'A knowledge base needs a name of 1 to 100 characters.',
        field: 'name',
        reason: { code: 'kbNameLength', values: {} },
      });
    }
    if (paths.length === 0) {
      throw new HubError({
        kind: 'invalid_input',
        message: 'Give at least one folder or file.',
        field: 'paths',
        reason: { code: 'kbNoPaths', values: {} },
      });
    }
    const roots: string[] = [];
    for (const path of paths) {
      const root = resolve(path);
      const info = await stat(root).catch(() => undefined);
      if (!info || !(info.isFile() || info.isDirectory())) {
        throw new HubError({
          kind: 'invalid_input',
          message: `There is no file or folder at ${root}.`,
          field: 'paths',
          reason: { code: 'kbNoSuchPath', values: { path: root } },
        });
      }
      if (info.isFile() && !isSupportedFile(root)) {
        throw new HubError({
          kind: 'invalid_input',
          message: `HubDesk cannot read ${extname(root) || 'extension-less'} files (${root}): it reads PDF, DOCX, Markdown, text, HTML and source code.`,
          field: 'paths',
          reason: { code: 'kbUnsupportedFile', values: { path: root } },
        });
      }
      roots.push(root);
    }
    const id = randomUUID();
    if (!this.deps.knowledge.createBase({ id, name: trimmed, roots })) {
      throw new HubError({
        kind: 'invalid_input',
        message: `A knowledge base named "${trimmed}" exists already.`,
        field: 'name',
        reason: { code: 'kbNameTaken', values: { name: trimmed } },
      });
    }
    this.changed(id);
    this.watches.watch(this.requireBase(trimmed));
    const report = await this.sync(trimmed);
    return { base: this.summary(trimmed), report };
  }

  list(): KbBaseSummary[] {
    return this.deps.knowledge.listBases().map((base) => ({ ...base, watching: this.watches.has(base.id) }));
  }

  status(name: string): KbStatus {
    const base = this.requireBase(name);
    return {
      base: this.summary(base.name),
      files: this.deps.knowledge.fileViews(base.id),
      progress: this.progress.get(base.id) ?? null,
    };
  }

  /** How many of the base's passages are searchable by meaning (embedded for the current model). */
  meaning(name: string): { embedded: number; total: number } | null {
    return this.deps.search.embedded(this.requireBase(name).id);
  }

  /**
   * Picks up what changed on disk since the last sync (also while HubDesk was closed). A sync of the whole base
   * already waiting or under way is joined, not repeated. A paused base refuses.
   */
  sync(name: string): Promise<KbSyncReport> {
    return this.startSync(this.requireBase(name), wholeBase, false);
  }

  /**
   * Stops the base's sync after the file being read (what was indexed stays) and runs none until `resume`, also
   * after a restart; its folders are not watched meanwhile.
   */
  async pause(name: string): Promise<void> {
    const base = this.requireBase(name);
    this.deps.knowledge.setPaused(base.id, true);
    this.watches.unwatch(base.id);
    await this.queue.cancel(base.id);
    this.settle(base.id);
    this.changed(base.id);
  }

  /** Unpauses the base, watches it again (when watching) and syncs it: what changed meanwhile is picked up. */
  resume(name: string): Promise<KbSyncReport> {
    const base = this.requireBase(name);
    this.deps.knowledge.setPaused(base.id, false);
    const resumed = { ...base, paused: false };
    this.changed(base.id);
    this.watches.watch(resumed);
    return this.startSync(resumed, wholeBase, false);
  }

  /**
   * Reads the base's failed files again (or only the file at `path`, whatever its state), even when they did not
   * change on disk: a file that was locked, or a reader that failed once.
   */
  retry(name: string, path?: string): Promise<KbSyncReport> {
    const base = this.requireBase(name);
    const { knowledge } = this.deps;
    let paths: string[];
    if (path === undefined) {
      paths = knowledge
        .files(base.id)
        .filter((file) => file.status === 'failed')
        .map((file) => file.path);
    } else {
      const wanted = resolve(path);
      if (!knowledge.filesUnder(base.id, [wanted]).some((file) => file.path === wanted)) {
        return Promise.reject(
          new HubError({
            kind: 'not_found',
            message: `The knowledge base "${base.name}" has no file ${wanted}.`,
            field: 'path',
            reason: { code: 'kbNoSuchFile', values: { name: base.name, path: wanted } },
          }),
        );
      }
      paths = [wanted];
    }
    if (base.paused) return Promise.reject(pausedError(base.name));
    if (paths.length === 0) return Promise.resolve(emptyReport());
    return this.startSync(base, { paths, force: true }, false);
  }

  /**
   * Watches every base's folders from now on (bases added later too, paused ones once resumed) and syncs what
   * changes on disk. The app calls it at start (before its start-up sync, so nothing changed during that sync is
   * missed); the CLI never does, so it exits when done.
   */
  startWatching(): void {
    const bases = this.deps.knowledge.listBases().map((summary) => this.deps.knowledge.base(summary.name));
    this.watches.start(bases.filter((base) => base !== undefined));
  }

  /** Syncs every base that is not paused, in turn (the app calls it at start, for what changed while it was closed). */
  async syncAll(): Promise<void> {
    for (const base of this.list()) {
      if (base.paused) continue;
      await this.sync(base.name).catch((error: unknown) =>
        this.deps.log?.(`knowledge base ${base.name}: sync failed: ${messageOf(error)}`),
      );
    }
  }

  /** The passages of one base that best match the query. */
  search(name: string, query: string, limit = 10): Promise<KbHit[]> {
    const base = this.requireBase(name);
    return this.deps.search.retrieve([base.id], query, { limit });
  }

  /** Where a passage found by a search is, from what is stored (a file the window names is never opened). */
  chunkPlace(chunkId: number): { path: string; page: number | null; line: number | null } {
    const place = this.deps.knowledge.chunkPlace(chunkId);
    if (!place) {
      throw new HubError({
        kind: 'not_found',
        message: 'That passage is no longer in the knowledge base: search again.',
        reason: { code: 'kbPassageGone', values: {} },
      });
    }
    return place;
  }

  /** Stops its watch and its sync and forgets the base (its files on disk are the user's and stay). */
  async removeBase(name: string): Promise<void> {
    const base = this.requireBase(name);
    this.watches.unwatch(base.id);
    await this.queue.cancel(base.id);
    this.settle(base.id);
    this.deps.knowledge.removeBase(base.id);
    this.changed(base.id);
  }

  async close(): Promise<void> {
    this.watches.close();
    await this.queue.close();
    for (const baseId of [...this.syncs.keys()]) this.settle(baseId);
  }

  /**
   * Queues a sync of the scope. A whole-base sync joins one of the whole base already waiting or under way; any
   * other sync waits for the base's current one to settle first (it may have walked past what changed since).
   */
  private startSync(base: KbBase, scope: SyncScope, fromWatch: boolean): Promise<KbSyncReport> {
    if (base.paused) return Promise.reject(pausedError(base.name));
    const current = this.syncs.get(base.id);
    if (current) {
      const joins =
        scope.paths === null && !scope.force && current.scope.paths === null && !current.fromWatch;
      if (joins) return current.done;
      return current.done.catch(noop).then(() => {
        const now = this.deps.knowledge.base(base.name);
        if (!now || now.id !== base.id) throw stopped();
        return this.startSync(now, scope, fromWatch);
      });
    }
    let resolveDone: (report: KbSyncReport) => void = noop;
    let rejectDone: (error: unknown) => void = noop;
    const done = new Promise<KbSyncReport>((resolvePromise, reject) => {
      resolveDone = resolvePromise;
      rejectDone = reject;
    });
    const pending: PendingSync = { scope, fromWatch, done, resolve: resolveDone, reject: rejectDone };
    const added = this.queue.add(base.id, async (context) => {
      const run = {
        knowledge: this.deps.knowledge,
        maxFileBytes: this.maxFileBytes,
        now: this.now,
        signal: context.signal,
        onStep: (progress: KbProgress) => this.progress.set(base.id, progress),
        report: context.report,
      };
      try {
        pending.outcome = { report: await runSync(run, base, scope) };
      } catch (error) {
        const paused = this.deps.knowledge.base(base.name)?.paused === true;
        pending.outcome = {
          error: context.signal.aborted ? (paused ? pausedError(base.name) : stopped()) : error,
        };
      } finally {
        this.progress.delete(base.id);
      }
    });
    if (!added) return Promise.reject(stopped());
    this.syncs.set(base.id, pending);
    return done;
  }

  /** Settles a sync once the queue has let go of it (so a sync asked for next is a new one), or dropped it. */
  private settle(baseId: string): void {
    const pending = this.syncs.get(baseId);
    if (!pending) return;
    this.syncs.delete(baseId);
    const { outcome } = pending;
    if (outcome && 'report' in outcome) {
      if (!pending.fromWatch || changedAnything(outcome.report)) this.changed(baseId);
      pending.resolve(outcome.report);
    } else {
      pending.reject(outcome ? outcome.error : stopped());
    }
  }

  private changed(baseId: string): void {
    this.deps.bus.emit('kb.changed', { baseId });
  }

  private requireBase(name: string): KbBase {
    const base = this.deps.knowledge.base(name.trim());
    if (!base) throw noBase(name);
    return base;
  }

  private summary(name: string): KbBaseSummary {
    const summary = this.list().find((base) => base.name.toLowerCase() === name.toLowerCase());
    if (!summary) throw noBase(name);
    return summary;
  }
}
