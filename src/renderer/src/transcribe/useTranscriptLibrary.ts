import { useEffect, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import type { TranscriptSummary } from '../../../shared/transcription';
import { call, toAppError, useHubEvent } from '../hub';
import { wordedError } from './reasons';

/**
 * Every transcript the library holds, newest first, with or without a job. Read again when a job finishes or is
 * removed (its transcript goes with it), when a sync applied transcripts, and when `revision` changes (the page's
 * own edits).
 */
export function useTranscriptLibrary(revision: unknown): {
  transcripts: TranscriptSummary[] | null;
  error: AppError | null;
} {
  const [transcripts, setTranscripts] = useState<TranscriptSummary[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [changes, setChanges] = useState(0);

  useHubEvent('sync.applied', ({ transcripts: changed }) => {
    if (changed.length > 0) setChanges((value) => value + 1);
  });
  useHubEvent('transcription.changed', ({ job }) => {
    if (job === null || job.state === 'done') setChanges((value) => value + 1);
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: each change above, and `revision`, read the list again
  useEffect(() => {
    let live = true;
    call('transcripts.list', {})
      .then((list) => {
        if (!live) return;
        setTranscripts(list);
        setError(null);
      })
      .catch((cause: unknown) => live && setError(wordedError(toAppError(cause))));
    return () => {
      live = false;
    };
  }, [changes, revision]);

  return { transcripts, error };
}
