import { useEffect, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import { toAppError } from '../hub';

export type DebouncedSearch<T> = {
  /** The last answer, kept while the next one is on its way; null before the first or for an empty query. */
  result: T | null;
  error: AppError | null;
  searching: boolean;
};

/**
 * `search` for what is typed (trimmed), `delayMs` after typing stops; an older answer never wins. Pass a `search`
 * that keeps its identity (useCallback): a new one searches again.
 */
export function useDebouncedSearch<T>(
  query: string,
  delayMs: number,
  search: (trimmed: string) => Promise<T>,
): DebouncedSearch<T> {
  const [result, setResult] = useState<T | null>(null);
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
      search(trimmed)
        .then((found) => {
          if (!live) return;
          setResult(found);
          setError(null);
        })
        .catch((cause: unknown) => live && setError(toAppError(cause)))
        .finally(() => live && setSearching(false));
    }, delayMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query, delayMs, search]);

  return { result, error, searching };
}
