import { useEffect, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import type { Transcript } from '../../../shared/transcription';
import { call, toAppError, useHubEvent } from '../hub';
import { wordedError } from './reasons';

/**
 * A stored transcript, read again when the id changes and when a sync applied another computer's change to it (a
 * segment being edited keeps its text: the editor holds it); `setTranscript` keeps local edits.
 */
export function useTranscript(id: string) {
  const [transcript, setTranscript] = useState<Transcript | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [synced, setSynced] = useState(0);
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

  useEffect(() => {
    if (synced === 0) return;
    let live = true;
    call('transcripts.get', { id })
      .then((value) => live && setTranscript(value))
      .catch((cause: unknown) => live && setError(wordedError(toAppError(cause))));
    return () => {
      live = false;
    };
  }, [id, synced]);

  useHubEvent('sync.applied', ({ transcripts }) => {
    if (transcripts.includes(id)) setSynced((value) => value + 1);
  });
  return { transcript, setTranscript, error };
}
