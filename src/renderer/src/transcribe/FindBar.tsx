import { type RefObject, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TranscriptSegment } from '../../../shared/transcription';
import { findMatches, stepMatch } from './find';
import { Glyph, icons } from './Glyph';

/** Find in the open transcript: the matches, the one shown, and Ctrl/Cmd+F to the find box. */
export function useTranscriptFind(segments: readonly TranscriptSegment[]) {
  const [query, setQueryText] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'f') {
        event.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const matches = useMemo(() => findMatches(segments, query), [segments, query]);
  const rangesBySegment = useMemo(() => {
    const map = new Map<number, { start: number; end: number }[]>();
    for (const match of matches) {
      const ranges = map.get(match.segmentIndex) ?? [];
      ranges.push(match);
      map.set(match.segmentIndex, ranges);
    }
    return map;
  }, [matches]);

  return {
    query,
    setQuery: (value: string) => {
      setQueryText(value);
      setActive(0);
    },
    active,
    step: (direction: 1 | -1) => setActive((value) => stepMatch(value, matches.length, direction)),
    matches,
    rangesBySegment,
    activeMatch: matches[active] ?? null,
    input,
  };
}

export function FindBar({
  query,
  onQuery,
  count,
  active,
  onStep,
  inputRef,
}: {
  query: string;
  onQuery: (query: string) => void;
  count: number;
  active: number;
  onStep: (direction: 1 | -1) => void;
  inputRef: RefObject<HTMLInputElement | null>;
}) {
  const { t } = useTranslation('transcribe');
  const searching = query.trim().length > 0;
  return (
    <div className="tx-find">
      <div className="tx-find-box">
        <Glyph className="tx-find-glyph">{icons.search}</Glyph>
        <input
          ref={inputRef}
          type="search"
          aria-label={t('find.label')}
          placeholder={t('find.label')}
          title={t('find.title')}
          value={query}
          onChange={(event) => onQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              onStep(event.shiftKey ? -1 : 1);
            } else if (event.key === 'Escape' && query) {
              event.preventDefault();
              onQuery('');
            }
          }}
        />
        {searching ? (
          <span className={`tx-find-count${count === 0 ? ' is-none' : ''}`} aria-live="polite">
            {count === 0 ? t('find.noMatches') : t('find.position', { current: active + 1, total: count })}
          </span>
        ) : null}
      </div>
      <button
        type="button"
        className="tx-icon-button"
        aria-label={t('find.previous')}
        title={t('find.previousTitle')}
        disabled={count === 0}
        onClick={() => onStep(-1)}
      >
        <Glyph>{icons.up}</Glyph>
      </button>
      <button
        type="button"
        className="tx-icon-button"
        aria-label={t('find.next')}
        title={t('find.nextTitle')}
        disabled={count === 0}
        onClick={() => onStep(1)}
      >
        <Glyph>{icons.down}</Glyph>
      </button>
    </div>
  );
}
