import { useEffect, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import type { Transcript } from '../../../shared/transcription';
import { call, toAppError } from '../hub';
import { wordedError } from './reasons';

/** A stored transcript, read again when the id changes; `setTranscript` keeps local edits. */
export function useTranscript(id: string) {
  const [transcript, setTranscript] = useState<Transcript | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    let live = true;
    setTranscript(null);
    setError(null);
    call('transcripts.get', { id })
      .then((value) => live && setTranscript(value))
      .catch((cause: unknown) => live && setError(wordedError(toAppError(cause))));
    return () => {
      live = false;
    };
  }, [id]);
  return { transcript, setTranscript, error };
}
