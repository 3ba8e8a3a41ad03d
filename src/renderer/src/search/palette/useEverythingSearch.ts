import { useEffect, useState } from 'react';
import type { AppError } from '../../../../shared/errors';
import type { SearchKind, SearchResult } from '../../../../shared/search';
import { call, toAppError } from '../../hub';

const SEARCH_DELAY_MS = 150;
const LIMIT = 30;

export type EverythingSearch = {
  /** The last answer, kept while the next one is on its way; null before the first or for an empty query. */
  result: SearchResult | null;
  error: AppError | null;
  searching: boolean;
};

/** `search.everything` for what is typed, a moment after typing stops; an older answer never wins. */
export function useEverythingSearch(query: string, kind: SearchKind | 'all'): EverythingSearch {
  const [result, setResult] = useState<SearchResult | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [searching, setSearching] = useState(false);

  useEffect(() => {
    const trimmed = query.trim();
    if (!trimmed) {
      setResult(null);
      setError(null);
      setSearching(false);
      return;
    }
    let live = true;
    setSearching(true);
    const timer = setTimeout(() => {
      call('search.everything', {
        query: trimmed,
        limit: LIMIT,
        ...(kind === 'all' ? {} : { kinds: [kind] }),
      })
        .then((found) => {
          if (!live) return;
          setResult(found);
          setError(null);
        })
        .catch((cause: unknown) => live && setError(toAppError(cause)))
        .finally(() => live && setSearching(false));
    }, SEARCH_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query, kind]);

  return { result, error, searching };
}
