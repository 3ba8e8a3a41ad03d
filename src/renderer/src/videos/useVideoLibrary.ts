import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import type { VideoJob } from '../../../shared/videos/job';
import { type VideoVendorSpec, videoVendorSpecs } from '../../../shared/videos/vendor-specs';
import { call, toAppError, useHubEvent } from '../hub';
import { lineageFromLibrary, newerJob } from './library';

/** What the OS shell offers for a downloaded file (the browser harness has neither: the page downloads instead). */
export type FileShell = { saveDialog: boolean; showInFolder: boolean };

export type VideoLibrary = {
  /** Every job known to this window, by id (the trash included when an event told of it). */
  jobs: Map<string, VideoJob>;
  loading: boolean;
  error: AppError | null;
  /** Puts a job answered by an invoke into the library at once (its event may come later). */
  upsert: (job: VideoJob) => void;
  reload: () => void;
};

/** Past this many jobs applied by one sync, the whole list is read again rather than each job. */
const SYNCED_READ_ONE_BY_ONE = 50;

/**
 * The library as main keeps it: read once, then kept current by `videos.changed`, download progress and
 * `sync.applied`.
 */
export function useVideoLibrary(): VideoLibrary {
  const [jobs, setJobs] = useState<Map<string, VideoJob>>(() => new Map());
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<AppError | null>(null);
  const [generation, setGeneration] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload() bumps the generation to read again
  useEffect(() => {
    let live = true;
    setLoading(true);
    call('videos.list', { limit: 1000 })
      .then((listed) => {
        if (!live) return;
        setError(null);
        // Events that arrived while the list was on its way are newer than it: keep them.
        setJobs((current) => {
          const next = new Map(current);
          for (const job of listed) next.set(job.id, newerJob(current.get(job.id), job));
          return next;
        });
      })
      .catch((cause: unknown) => live && setError(toAppError(cause)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [generation]);

  const upsert = useCallback((job: VideoJob) => {
    setJobs((current) => {
      const kept = newerJob(current.get(job.id), job);
      if (kept === current.get(job.id)) return current;
      const next = new Map(current);
      next.set(job.id, kept);
      return next;
    });
  }, []);

  useHubEvent('videos.changed', ({ job }) => upsert(job));

  // Jobs another computer made, changed or deleted, applied here by a sync: each is read again as main has it now.
  useHubEvent('sync.applied', ({ videos }) => {
    if (videos.length > SYNCED_READ_ONE_BY_ONE) {
      setGeneration((value) => value + 1);
      return;
    }
    for (const id of videos) {
      call('videos.get', { id })
        .then((job) => setJobs((current) => new Map(current).set(id, job)))
        .catch((cause: unknown) => {
          if (toAppError(cause).kind !== 'not_found') return;
          setJobs((current) => {
            if (!current.has(id)) return current;
            const next = new Map(current);
            next.delete(id);
            return next;
          });
        });
    }
  });

  useHubEvent('videos.downloadProgress', ({ id, bytes, total }) => {
    setJobs((current) => {
      const job = current.get(id);
      if (!job || (job.downloadedBytes === bytes && job.downloadTotal === total)) return current;
      const next = new Map(current);
      const download = job.download === 'done' ? job.download : 'downloading';
      next.set(id, { ...job, download, downloadedBytes: bytes, downloadTotal: total ?? job.downloadTotal });
      return next;
    });
  });

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { jobs, loading, error, upsert, reload };
}

/** The vendors, models and option ranges for the forms; the built-in catalogue until main answers. */
export function useVendorSpecs(): VideoVendorSpec[] {
  const [specs, setSpecs] = useState<VideoVendorSpec[]>(videoVendorSpecs);
  useEffect(() => {
    let live = true;
    call('videos.vendors', {})
      .then((answer) => live && answer.length > 0 && setSpecs(answer))
      .catch(() => {
        // The catalogue compiled into this window describes the same vendors; creating still asks main.
      });
    return () => {
      live = false;
    };
  }, []);
  return specs;
}

/** What the OS shell can do with a downloaded file here; nothing until main has said. */
export function useFileShell(): FileShell {
  const [shell, setShell] = useState<FileShell>({ saveDialog: false, showInFolder: false });
  useEffect(() => {
    let live = true;
    call('videos.fileShell', {})
      .then((answer) => live && setShell(answer))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return shell;
}

/** The remix tree of the open job: main's answer, with each member as the library currently knows it. */
export function useLineage(job: VideoJob | null, jobs: Map<string, VideoJob>): VideoJob[] {
  const [answer, setAnswer] = useState<VideoJob[]>([]);
  const id = job?.id ?? null;
  const parentId = job?.parentId ?? null;
  // A new remix of this job, or of one of its relatives, changes the tree.
  const familyKey = useMemo(() => {
    let linked = 0;
    for (const candidate of jobs.values()) if (candidate.parentId !== null) linked += 1;
    return linked;
  }, [jobs]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new parent or a new remix changes the tree
  useEffect(() => {
    if (id === null) {
      setAnswer([]);
      return;
    }
    let live = true;
    call('videos.lineage', { id })
      .then((family) => live && setAnswer(family))
      .catch(() => live && setAnswer([]));
    return () => {
      live = false;
    };
  }, [id, parentId, familyKey]);

  return useMemo(() => {
    if (id === null) return [];
    const fromLibrary = lineageFromLibrary([...jobs.values()], id);
    const merged = new Map<string, VideoJob>();
    for (const member of [...answer, ...fromLibrary]) {
      merged.set(member.id, newerJob(merged.get(member.id), jobs.get(member.id) ?? member));
    }
    return [...merged.values()];
  }, [answer, jobs, id]);
}
