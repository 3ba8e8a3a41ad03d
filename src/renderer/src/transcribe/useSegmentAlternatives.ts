import { useCallback, useEffect, useMemo, useState } from 'react';
import type { SegmentAlternative, TranscriptSegment } from '../../../shared/transcription';
import { call, useHubEvent } from '../hub';

/**
 * The corrections of a transcript's segments that lost to another computer's concurrent correction, by segment
 * index; read again when a sync changed the transcript. `resolve` uses one (the segment's new text is returned) or
 * dismisses it.
 */
export function useSegmentAlternatives(transcriptId: string) {
  const [alternatives, setAlternatives] = useState<SegmentAlternative[]>([]);
  const [reads, setReads] = useState(0);

  useEffect(() => {
    let live = true;
    void reads;
    call('transcripts.alternatives', { id: transcriptId })
      .then((value) => live && setAlternatives(value))
      .catch(() => live && setAlternatives([]));
    return () => {
      live = false;
    };
  }, [transcriptId, reads]);

  useHubEvent('sync.applied', ({ transcripts }) => {
    if (transcripts.includes(transcriptId)) setReads((value) => value + 1);
  });

  const bySegment = useMemo(() => {
    const map = new Map<number, SegmentAlternative[]>();
    for (const alternative of alternatives) {
      const list = map.get(alternative.segmentIndex) ?? [];
      list.push(alternative);
      map.set(alternative.segmentIndex, list);
    }
    return map;
  }, [alternatives]);

  const resolve = useCallback(
    async (alternative: SegmentAlternative, use: boolean): Promise<TranscriptSegment> => {
      const segment = await call('transcripts.resolveAlternative', {
        id: transcriptId,
        segmentIndex: alternative.segmentIndex,
        version: alternative.version,
        use,
      });
      setAlternatives((value) =>
        value.filter(
          (item) => item.segmentIndex !== alternative.segmentIndex || item.version !== alternative.version,
        ),
      );
      // Another kept text of the same segment may now equal its text: the list says which are still worth showing.
      setReads((value) => value + 1);
      return segment;
    },
    [transcriptId],
  );

  return { bySegment, resolve };
}
