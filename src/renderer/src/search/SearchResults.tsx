import { useTranslation } from 'react-i18next';
import type { SearchHit } from '../../../shared/chat';
import { call } from '../hub';
import { ErrorNote } from '../ui/errors';
import { conversationTitle, shortDate } from '../ui/format';
import { useDebouncedSearch } from '../ui/useDebouncedSearch';
import { Snippet } from './snippet';

const SEARCH_DELAY_MS = 200;

const searchMessages = (trimmed: string) => call('search.messages', { query: trimmed, limit: 50 });

type Props = {
  query: string;
  onOpen: (hit: SearchHit) => void;
};

export function SearchResults({ query, onOpen }: Props) {
  const { t } = useTranslation('search');
  const { result: hits, error, searching } = useDebouncedSearch(query, SEARCH_DELAY_MS, searchMessages);
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
                    <span className="hit-role">
                      {hit.toolName
                        ? t('hit.tool', { name: hit.toolName })
                        : hit.role === 'user'
                          ? t('hit.you')
                          : t('hit.reply')}
                    </span>
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
