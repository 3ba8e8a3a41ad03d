import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import type { KbBaseSummary, KbProgress } from '../../../shared/knowledge';
import { call, toAppError, useHubEvent } from '../hub';

export type KnowledgeBases = {
  /** Null until the first answer. */
  bases: KbBaseSummary[] | null;
  error: AppError | null;
  /** The sync under way per base id, from `kb.progress`. */
  progress: ReadonlyMap<string, KbProgress>;
  /** Grows each time a base's files changed (a sync finished, or a step of one), so its page reads them again. */
  revisions: ReadonlyMap<string, number>;
  reload: () => Promise<void>;
};

/** A running sync's counts and files are read again every this many files, and at most ~20 times per sync. */
const FILES_PER_REFRESH = 25;
const REFRESHES_PER_SYNC = 20;

function refreshStep(total: number): number {
  return Math.max(FILES_PER_REFRESH, Math.ceil(total / REFRESHES_PER_SYNC));
}

/** The bases with their counts, and the syncs under way, kept current by `kb.progress` and `kb.changed`. */
export function useKnowledgeBases(): KnowledgeBases {
  const [bases, setBases] = useState<KbBaseSummary[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [progress, setProgress] = useState<ReadonlyMap<string, KbProgress>>(new Map());
  const [revisions, setRevisions] = useState<ReadonlyMap<string, number>>(new Map());
  const known = useRef(new Set<string>());
  const asked = useRef(0);
  const latest = useRef(new Map<string, KbProgress>());

  const reload = useCallback(async () => {
    const ask = ++asked.current;
    try {
      const list = await call('kb.list', {});
      if (ask !== asked.current) return;
      known.current = new Set(list.map((base) => base.id));
      // A paused or removed base's sync was stopped: it sends no last step.
      const stopped = [...latest.current.keys()].filter(
        (id) => !list.some((base) => base.id === id && !base.paused),
      );
      if (stopped.length > 0) {
        const next = new Map(latest.current);
        for (const id of stopped) next.delete(id);
        latest.current = next;
        setProgress(next);
      }
      setBases(list);
      setError(null);
    } catch (cause) {
      if (ask === asked.current) setError(toAppError(cause));
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const bump = useCallback((baseId: string) => {
    setRevisions((previous) => new Map(previous).set(baseId, (previous.get(baseId) ?? 0) + 1));
  }, []);

  useHubEvent('kb.progress', (step) => {
    const before = latest.current.get(step.baseId);
    const every = refreshStep(step.total);
    const stepped = before !== undefined && Math.floor(before.done / every) !== Math.floor(step.done / every);
    const next = new Map(latest.current);
    if (step.finished) next.delete(step.baseId);
    else next.set(step.baseId, step);
    latest.current = next;
    setProgress(next);
    if (step.finished || stepped) bump(step.baseId);
    if (step.finished || stepped || !known.current.has(step.baseId)) void reload();
  });

  // Paused, resumed, removed, a sync finished, a watched folder changed.
  useHubEvent('kb.changed', ({ baseId }) => {
    bump(baseId);
    void reload();
  });

  return { bases, error, progress, revisions, reload };
}
