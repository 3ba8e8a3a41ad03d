import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import type { VideoJob } from '../../../shared/videos/job';
import { type VideoVendorSpec, videoVendorSpecs } from '../../../shared/videos/vendor-specs';
import { call, toAppError, useHubEvent } from '../hub';
import { newerJob } from './library';

export type VideoLibrary = {
  /** Every job known to this window, by id (the trash included when an event told of it). */
  jobs: Map<string, VideoJob>;
  loading: boolean;
  error: AppError | null;
  /** Puts a job answered by an invoke into the library at once (its event may come later). */
  upsert: (job: VideoJob) => void;
  reload: () => void;
};

/** The library as main keeps it: read once, then kept current by `videos.changed` and download progress. */
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
