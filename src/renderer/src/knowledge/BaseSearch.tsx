import { useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KbHitView } from '../../../shared/knowledge-channels';
import { call, messageFor, toAppError } from '../hub';
import { ErrorNote } from '../ui/errors';
import { SearchGlyph } from '../ui/glyphs';
import { useDebouncedSearch } from '../ui/useDebouncedSearch';
import { fileParts, markQuery } from './file-paths';

const SEARCH_DELAY_MS = 250;
const HIT_LIMIT = 20;

function Hit({ hit, roots, query }: { hit: KbHitView; roots: readonly string[]; query: string }) {
  const { t } = useTranslation('knowledge');
  const [note, setNote] = useState<string | null>(null);
  const open = () => {
    setNote(null);
    call('kb.open', { chunkId: hit.chunkId })
      .then((result) => {
        if (!result.opened) setNote(t('hit.notOpened'));
      })
      .catch((cause: unknown) => setNote(messageFor(toAppError(cause))));
  };
  const { name, folder } = fileParts(hit.path, roots);
  const place =
    hit.page !== null
      ? t('hit.page', { page: hit.page })
      : hit.line !== null
        ? t('hit.line', { line: hit.line })
        : '';
  return (
    <li className="kb-hit">
      <p className="kb-hit-where">
        <button
          type="button"
          className="kb-file-title kb-hit-open"
          title={t('hit.open', { path: hit.path })}
          onClick={open}
        >
          {name}
        </button>
        {place ? <span className="kb-hit-place">{place}</span> : null}
        {folder ? <span className="kb-file-folder">{folder}</span> : null}
      </p>
      {hit.heading ? <p className="kb-hit-heading">{hit.heading}</p> : null}
      <p className="kb-hit-snippet">
        {markQuery(hit.snippet, query).map((part, index) =>
          part.match ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one snippet never reorder
            <mark key={index}>{part.text}</mark>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one snippet never reorder
            <span key={index}>{part.text}</span>
          ),
        )}
      </p>
      {note ? (
        <p className="kb-hit-note" role="status">
          {note}
        </p>
      ) : null}
    </li>
  );
}

/** Searches one base as typed: the passages found, with their file, page or line. */
export function BaseSearch({ name, roots }: { name: string; roots: readonly string[] }) {
  const { t } = useTranslation('knowledge');
  const ids = useId();
  const [query, setQuery] = useState('');
  const search = useCallback(
    (trimmed: string) => call('kb.search', { name, query: trimmed, limit: HIT_LIMIT }),
    [name],
  );
  const { result, error, searching } = useDebouncedSearch(query, SEARCH_DELAY_MS, search);
  const trimmed = query.trim();

  return (
    <section className="card kb-search" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} className="kb-section-title">
        {t('search.title')}
      </h2>
      <div className="kb-search-field">
        <SearchGlyph />
        <input
          type="search"
          aria-labelledby={`${ids}-title`}
          placeholder={t('search.placeholder')}
          value={query}
          maxLength={1000}
          onChange={(event) => setQuery(event.target.value)}
        />
      </div>
      <div aria-live="polite">
        {trimmed && searching && result === null ? <p className="muted">{t('search.searching')}</p> : null}
        {trimmed && result !== null && result.length === 0 && !searching ? (
          <p className="muted">{t('search.none', { query: trimmed })}</p>
        ) : null}
        {trimmed && result !== null && result.length > 0 ? (
          <p className="muted">{t('search.found', { count: result.length })}</p>
        ) : null}
      </div>
      {error ? <ErrorNote error={error} /> : null}
      {trimmed && result !== null && result.length > 0 ? (
        <ol className="kb-hits" aria-label={t('search.results')}>
          {result.map((hit) => (
            <Hit key={hit.chunkId} hit={hit} roots={roots} query={trimmed} />
          ))}
        </ol>
      ) : null}
    </section>
  );
}
