import { useCallback } from 'react';
import type { SearchKind, SearchResult } from '../../../../shared/search';
import { call } from '../../hub';
import { type DebouncedSearch, useDebouncedSearch } from '../../ui/useDebouncedSearch';

const SEARCH_DELAY_MS = 150;
const LIMIT = 30;

/** `search.everything` for what is typed, a moment after typing stops; an older answer never wins. */
export function useEverythingSearch(query: string, kind: SearchKind | 'all'): DebouncedSearch<SearchResult> {
  const search = useCallback(
    (trimmed: string) =>
      call('search.everything', {
        query: trimmed,
        limit: LIMIT,
        ...(kind === 'all' ? {} : { kinds: [kind] }),
      }),
    [kind],
  );
  return useDebouncedSearch(query, SEARCH_DELAY_MS, search);
}
