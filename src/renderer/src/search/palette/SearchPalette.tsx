import '../search.css';
import { type KeyboardEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { EverythingHit, SearchKind } from '../../../../shared/search';
import { useCommand } from '../../commands';
import { ErrorNote } from '../../ui/errors';
import { conversationTitle, formatClock, shortDate } from '../../ui/format';
import { KindGlyph, SearchGlyph } from '../../ui/glyphs';
import { Snippet } from '../snippet';
import { filterLabel, kindFilters, kindLabel, matchLabel, meaningReason, openHit, stepOption } from './hits';
import { useEverythingSearch } from './useEverythingSearch';

function HitOption({
  hit,
  id,
  selected,
  onChoose,
  onPoint,
}: {
  hit: EverythingHit;
  id: string;
  selected: boolean;
  onChoose: () => void;
  onPoint: () => void;
}) {
  const { t } = useTranslation('search');
  const match = matchLabel(hit.matchedBy);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the search field owns the keys (arrows and Enter) for the list
    <div
      id={id}
      role="option"
      tabIndex={-1}
      aria-selected={selected}
      data-kind={hit.kind}
      className={`palette-hit${selected ? ' is-active' : ''}`}
      onClick={onChoose}
      onMouseMove={onPoint}
    >
      <span className={`palette-kind kind-${hit.kind}`}>
        <KindGlyph kind={hit.kind} />
        <span className="palette-kind-label">{kindLabel(hit.kind)}</span>
      </span>
      <span className="palette-hit-main">
        <span className="palette-hit-head">
          <span className="palette-hit-title">
            {hit.kind === 'message' ? conversationTitle(hit.title) : hit.title}
          </span>
          {hit.kind === 'segment' ? (
            <span className="palette-hit-at">{t('hit.at', { time: formatClock(hit.target.startSec) })}</span>
          ) : null}
          <span className={`palette-match match-${hit.matchedBy}`} title={match.title}>
            {match.text}
          </span>
          <span className="palette-hit-date">{shortDate(hit.date)}</span>
        </span>
        <span className="palette-hit-snippet">
          {hit.kind === 'message' ? (
            <span className="palette-hit-role">
              {hit.toolName
                ? t('hit.tool', { name: hit.toolName })
                : hit.role === 'user'
                  ? t('hit.you')
                  : t('hit.reply')}
            </span>
          ) : null}
          <Snippet text={hit.snippet} />
        </span>
      </span>
    </div>
  );
}

/** One search box over chats, transcripts and video prompts (Ctrl/Cmd+K anywhere); a hit opens where it lives. */
export function SearchPalette() {
  const { t } = useTranslation('search');
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [kind, setKind] = useState<SearchKind | 'all'>('all');
  const [active, setActive] = useState(0);
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const ids = useId();
  const { result, error, searching } = useEverythingSearch(open ? query : '', kind);
  const hits = query.trim() ? (result?.hits ?? []) : [];

  const show = useCallback(() => {
    if (!dialog.current?.open && document.activeElement instanceof HTMLElement) {
      returnFocus.current = document.activeElement;
    }
    setOpen(true);
    input.current?.focus();
    input.current?.select();
  }, []);

  useCommand('search', show);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      input.current?.focus();
      input.current?.select();
    }
    if (!open && element.open) element.close();
  }, [open]);

  // A new answer starts at its best hit.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the answer changing is the trigger
  useEffect(() => setActive(0), [result]);

  useEffect(() => {
    if (!open) return;
    document.getElementById(`${ids}-hit-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active, open, ids]);

  const close = (restoreFocus: boolean) => {
    setOpen(false);
    dialog.current?.close();
    const previous = returnFocus.current;
    returnFocus.current = null;
    if (restoreFocus && previous?.isConnected) previous.focus();
  };

  const choose = (hit: EverythingHit | undefined) => {
    if (!hit) return;
    close(false);
    openHit(hit);
  };

  const onInputKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((value) => stepOption(value, hits.length, event.key === 'ArrowDown' ? 1 : -1));
    } else if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
      event.preventDefault();
      choose(hits[active]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    }
  };

  const trimmed = query.trim();
  const answered = trimmed !== '' && result !== null;
  const meaningNote =
    answered && !result.meaningUsed
      ? result.meaningUnavailable
        ? meaningReason(result.meaningUnavailable)
        : t('palette.offline')
      : null;
  const listId = `${ids}-hits`;
  const activeId = hits[active] ? `${ids}-hit-${active}` : undefined;

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: a click on the backdrop closes; Escape is the keyboard's way
    <dialog
      ref={dialog}
      className="palette"
      aria-label={t('palette.label')}
      onClose={() => {
        if (open) close(true);
      }}
      onCancel={(event) => {
        event.preventDefault();
        close(true);
      }}
      onClick={(event) => {
        if (event.target === event.currentTarget) close(true);
      }}
    >
      {open ? (
        <div className="palette-box">
          <div className="palette-field">
            <SearchGlyph />
            <input
              ref={input}
              type="search"
              aria-label={t('palette.input')}
              placeholder={t('palette.placeholder')}
              aria-controls={listId}
              aria-activedescendant={activeId}
              aria-autocomplete="list"
              autoComplete="off"
              spellCheck={false}
              value={query}
              onChange={(event) => setQuery(event.target.value)}
              onKeyDown={onInputKey}
            />
            {searching ? <span className="spinner palette-spinner" aria-hidden="true" /> : null}
          </div>
          <fieldset className="palette-filters" aria-label={t('palette.filters')}>
            {kindFilters.map((filter) => (
              <button
                key={filter}
                type="button"
                className="palette-filter"
                aria-pressed={kind === filter}
                onClick={() => {
                  setKind(filter);
                  input.current?.focus();
                }}
              >
                {filter === 'all' ? null : <KindGlyph kind={filter} />}
                {filterLabel(filter)}
              </button>
            ))}
          </fieldset>

          {meaningNote ? (
            <p className="palette-note" role="status">
              <span className="palette-note-dot" aria-hidden="true" />
              {meaningNote}
            </p>
          ) : null}
          {error ? (
            <div className="palette-error">
              <ErrorNote error={error} />
            </div>
          ) : null}

          <div id={listId} role="listbox" aria-label={t('palette.results')} className="palette-hits">
            {hits.map((hit, index) => (
              <HitOption
                key={`${hit.kind}:${hit.id}`}
                hit={hit}
                id={`${ids}-hit-${index}`}
                selected={index === active}
                onChoose={() => choose(hit)}
                onPoint={() => index !== active && setActive(index)}
              />
            ))}
          </div>

          {trimmed === '' ? (
            <p className="palette-empty">{t('palette.intro')}</p>
          ) : answered && hits.length === 0 ? (
            <p className="palette-empty">{t('palette.nothing', { query: trimmed })}</p>
          ) : !answered && searching ? (
            <p className="palette-empty">{t('palette.searching')}</p>
          ) : null}

          <footer className="palette-footer">
            <span aria-live="polite">{answered ? t('palette.count', { count: hits.length }) : ''}</span>
            <span className="palette-keys">
              <Trans t={t} i18nKey="palette.keys" components={{ kbd: <kbd /> }} />
            </span>
          </footer>
        </div>
      ) : null}
    </dialog>
  );
}
