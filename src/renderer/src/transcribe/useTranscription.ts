import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import type {
  TranscriptionCapabilities,
  TranscriptionJob,
  TranscriptionRetrying,
} from '../../../shared/transcription';
import { call, toAppError, useHubEvent } from '../hub';
import { applyJobChange, applyProgress, mergeJobs } from './jobs';
import { wordedError } from './reasons';

/**
 * Every transcription job, newest first, kept current by `transcription.changed`, `.progress` and syncs; and the
 * jobs whose upload waits to be sent again (`transcription.retrying`, until the job's next progress or change).
 */
export function useJobs(): {
  jobs: TranscriptionJob[] | null;
  retrying: ReadonlyMap<string, TranscriptionRetrying>;
  error: AppError | null;
  merge: (added: readonly TranscriptionJob[]) => void;
  change: (id: string, job: TranscriptionJob | null) => void;
} {
  const [jobs, setJobs] = useState<TranscriptionJob[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  // A sync that applied transcripts may have given a job's transcript or taken it away: the list is read again.
  const [synced, setSynced] = useState(0);
  useHubEvent('sync.applied', ({ transcripts }) => {
    if (transcripts.length > 0) setSynced((value) => value + 1);
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: a sync that applied transcripts reads the list again
  useEffect(() => {
    let live = true;
    call('transcription.list', {})
      .then((list) => {
        // Events that arrived while the list was being read are newer than it.
        if (live) setJobs((current) => (current ? mergeJobs(list, current) : list));
      })
      .catch((cause: unknown) => live && setError(wordedError(toAppError(cause))));
    return () => {
      live = false;
    };
  }, [synced]);

  const [retrying, setRetrying] = useState<ReadonlyMap<string, TranscriptionRetrying>>(new Map());
  const endWait = useCallback((jobId: string) => {
    setRetrying((current) => {
      if (!current.has(jobId)) return current;
      const next = new Map(current);
      next.delete(jobId);
      return next;
    });
  }, []);
  useHubEvent('transcription.retrying', (event) => {
    setRetrying((current) => new Map(current).set(event.jobId, event));
  });

  useHubEvent('transcription.changed', (event) => {
    endWait(event.id);
    setJobs((current) => applyJobChange(current ?? [], event));
  });
  useHubEvent('transcription.progress', (progress) => {
    endWait(progress.jobId);
    setJobs((current) => (current ? applyProgress(current, progress) : current));
  });

  const merge = useCallback((added: readonly TranscriptionJob[]) => {
    setJobs((current) => mergeJobs(current ?? [], added));
  }, []);
  const change = useCallback((id: string, job: TranscriptionJob | null) => {
    setJobs((current) => applyJobChange(current ?? [], { id, job }));
  }, []);
  return { jobs, retrying, error, merge, change };
}

export function useCapabilities(): { value: TranscriptionCapabilities | null; error: AppError | null } {
  const [state, setState] = useState<{ value: TranscriptionCapabilities | null; error: AppError | null }>({
    value: null,
    error: null,
  });
  useEffect(() => {
    let live = true;
    call('transcription.capabilities', {})
      .then((value) => live && setState({ value, error: null }))
      .catch((cause: unknown) => live && setState({ value: null, error: wordedError(toAppError(cause)) }));
    return () => {
      live = false;
    };
  }, []);
  return state;
}
