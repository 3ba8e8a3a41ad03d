import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchHit } from '../../../shared/chat';
import type { AppError } from '../../../shared/errors';
import { conversationTitle, shortDate, splitSnippet } from '../chat/format';
import { call, toAppError } from '../hub';
import { ErrorNote } from '../settings/errors';

const SEARCH_DELAY_MS = 200;

/** Keyword search over every conversation, on this computer (works with no network). */
export function useMessageSearch(query: string) {
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [searching, setSearching] = useState(false);

  useEffect(() => {
    const trimmed = query.trim();
    if (!trimmed) {
      setHits(null);
      setError(null);
      setSearching(false);
      return;
    }
    let live = true;
    setSearching(true);
    const timer = setTimeout(() => {
      call('search.messages', { query: trimmed, limit: 50 })
        .then((found) => {
          if (!live) return;
          setHits(found);
          setError(null);
        })
        .catch((cause: unknown) => live && setError(toAppError(cause)))
        .finally(() => live && setSearching(false));
    }, SEARCH_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query]);

  return { hits, error, searching };
}

/** A snippet with its matches as <mark>: built from text nodes only, never from HTML. */
export function Snippet({ text }: { text: string }) {
  return (
    <>
      {splitSnippet(text).map((part, index) =>
        part.match ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one snippet never reorder
          <mark key={index}>{part.text}</mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one snippet never reorder
          <span key={index}>{part.text}</span>
        ),
      )}
    </>
  );
}

type Props = {
  query: string;
  onOpen: (hit: SearchHit) => void;
};

export function SearchResults({ query, onOpen }: Props) {
  const { t } = useTranslation('search');
  const { hits, error, searching } = useMessageSearch(query);
  return (
    <section className="search-results" aria-label={t('results.label')}>
      {error ? <ErrorNote error={error} /> : null}
      {hits === null && searching ? <p className="list-note">{t('results.searching')}</p> : null}
      {hits && hits.length === 0 ? (
        <p className="list-note">{t('results.none', { query: query.trim() })}</p>
      ) : null}
      {hits && hits.length > 0 ? (
        <>
          <p className="list-note" aria-live="polite">
            {t('results.count', { count: hits.length })}
          </p>
          <ul className="hit-list">
            {hits.map((hit) => (
              <li key={hit.messageId}>
                <button type="button" className="hit" onClick={() => onOpen(hit)}>
                  <span className="hit-head">
                    <span className="hit-title">{conversationTitle(hit.conversationTitle)}</span>
                    <span className="hit-date">{shortDate(hit.createdAt)}</span>
                  </span>
                  <span className="hit-snippet">
                    <span className="hit-role">{hit.role === 'user' ? t('hit.you') : t('hit.reply')}</span>
                    <Snippet text={hit.snippet} />
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
