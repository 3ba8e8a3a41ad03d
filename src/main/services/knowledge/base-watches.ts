import type { Clock } from '../../base/clock';
import type { KbBase } from '../../store/knowledge-repo';
import { FolderWatch } from './folder-watch';
import type { SyncScope } from './knowledge-sync';

export interface BaseWatchesDeps {
  clock: Clock;
  debounceMs?: number;
  roots: (baseId: string) => string[];
  /** The base's sync waiting or under way, if there is one. */
  current: (baseId: string) => Promise<unknown> | undefined;
  /** Starts a sync of what a watch saw change (it tells no one when it changed nothing). */
  sync: (base: KbBase, scope: SyncScope) => Promise<unknown>;
  /** Whether the base is watched changed. */
  changed: (baseId: string) => void;
  log?: (line: string) => void;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The folder watches of the knowledge bases, once watching is started: one `FolderWatch` per base that is not
 * paused. What a watch sees change becomes a sync of those paths; changes seen while the base's sync runs wait for
 * it, gathered into one sync that takes them all when it starts.
 */
export class BaseWatches {
  private started = false;
  private readonly watches = new Map<string, FolderWatch>();
  /** Paths seen changing that no sync has taken yet (null: anything may have changed), by base id. */
  private readonly changes = new Map<string, Set<string> | null>();

  constructor(private readonly deps: BaseWatchesDeps) {}

  start(bases: readonly KbBase[]): void {
    if (this.started) return;
    this.started = true;
    for (const base of bases) this.watch(base);
  }

  has(baseId: string): boolean {
    return this.watches.has(baseId);
  }

  /** Watches the base, when watching is started and the base is not paused. */
  watch(base: KbBase): void {
    if (!this.started || base.paused || this.watches.has(base.id)) return;
    const watch = new FolderWatch({
      roots: this.deps.roots(base.id),
      clock: this.deps.clock,
      ...(this.deps.debounceMs !== undefined ? { debounceMs: this.deps.debounceMs } : {}),
      onChange: (paths) => this.seen(base, paths),
      ...(this.deps.log ? { log: this.deps.log } : {}),
    });
    this.watches.set(base.id, watch);
    this.deps.changed(base.id);
  }

  /** Stops the base's watch and forgets the changes it saw that no sync took yet. */
  unwatch(baseId: string): void {
    this.changes.delete(baseId);
    const watch = this.watches.get(baseId);
    if (!watch) return;
    watch.close();
    this.watches.delete(baseId);
    this.deps.changed(baseId);
  }

  close(): void {
    this.started = false;
    for (const baseId of [...this.watches.keys()]) this.unwatch(baseId);
  }

  private seen(base: KbBase, paths: readonly string[] | null): void {
    const waiting = this.changes.has(base.id);
    const gathered = this.changes.get(base.id);
    this.changes.set(
      base.id,
      paths === null || gathered === null ? null : new Set([...(gathered ?? []), ...paths]),
    );
    if (waiting) return;
    const start = () => {
      const changes = this.changes.get(base.id);
      this.changes.delete(base.id);
      if (changes === undefined || !this.watches.has(base.id)) return;
      const scope: SyncScope = { paths: changes === null ? null : [...changes], force: false };
      this.deps
        .sync(base, scope)
        .catch((error: unknown) =>
          this.deps.log?.(
            `knowledge base ${base.name}: sync after a change on disk failed: ${messageOf(error)}`,
          ),
        );
    };
    const current = this.deps.current(base.id);
    if (current) {
      void current.then(start, start);
    } else start();
  }
}
