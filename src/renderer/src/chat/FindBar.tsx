import './find.css';
import { type RefObject, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ThreadMessage } from '../../../shared/chat';
import { matchesAccelerator, pageShortcuts } from '../../../shared/shortcuts';
import { clearMatches, messagesInView, paintMatches, revealRange } from './find-highlight';
import {
  type ConversationMatch,
  findInMessages,
  foldQuery,
  foldText,
  shownText,
  stepMatch,
} from './find-matches';

/** A message the list is asked to scroll to (the nonce repeats a request for the same one). */
export type FindReveal = { messageId: string; nonce: number };

/**
 * Find in the open conversation (Ctrl/Cmd+F): the matches in the messages held, the current one scrolled to, and
 * all of them highlighted in the rows rendered under `thread` (the virtualized list renders only some).
 */
export function useConversationFind(
  messages: readonly ThreadMessage[],
  thread: RefObject<HTMLElement | null>,
) {
  const [open, setOpen] = useState(false);
  const [query, setQueryText] = useState('');
  /** The match shown, kept by identity: earlier messages loaded above it do not move it. */
  const [chosen, setChosen] = useState<ConversationMatch | null>(null);
  const [reveal, setReveal] = useState<FindReveal | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  /** The current match waits to be scrolled into view once its row is rendered. */
  const revealPending = useRef(false);

  /** Folded only while the bar is open: a closed bar costs nothing as replies stream in. */
  const folded = useMemo(
    () =>
      open
        ? messages.map((message) => ({
            id: message.id,
            folded: foldText(message.role === 'user' ? message.text : shownText(message.text)),
          }))
        : [],
    [messages, open],
  );
  const needle = open ? foldQuery(query) : '';
  const matches = useMemo(() => findInMessages(folded, needle), [folded, needle]);
  const found = chosen
    ? matches.findIndex(
        (match) => match.messageId === chosen.messageId && match.occurrence === chosen.occurrence,
      )
    : -1;
  const index = matches.length === 0 ? -1 : Math.max(found, 0);
  const current = matches[index] ?? null;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // A dialog on top (the image viewer, the shortcuts sheet) keeps the key.
      if (
        !matchesAccelerator(event, pageShortcuts.chat.findInConversation) ||
        document.querySelector('dialog[open]')
      )
        return;
      event.preventDefault();
      const focused = document.activeElement;
      if (focused instanceof HTMLElement && focused !== input.current) returnFocus.current = focused;
      setOpen(true);
      input.current?.focus();
      input.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    if (open) {
      input.current?.focus();
      input.current?.select();
    }
  }, [open]);

  const paint = useCallback(() => {
    const root = thread.current;
    if (!root) return;
    const range = paintMatches(root, needle, current);
    const scroller = root.querySelector('.message-scroller');
    if (range && scroller && revealPending.current) {
      revealPending.current = false;
      revealRange(range, scroller);
    }
  }, [thread, needle, current]);

  // The current match: scrolled to at once when its row is rendered, else the list is asked to bring the row.
  const currentKey = current ? `${current.messageId}:${current.occurrence}:${needle}` : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new current match scrolls, not new messages
  useLayoutEffect(() => {
    if (!current) return;
    revealPending.current = true;
    paint();
    if (revealPending.current)
      setReveal((last) => ({ messageId: current.messageId, nonce: (last?.nonce ?? 0) + 1 }));
  }, [currentKey]);

  // Rows come and go as the list scrolls (and a reply streams in): their matches are painted as they appear.
  useEffect(() => {
    const root = thread.current;
    if (!root || !needle) {
      clearMatches();
      return;
    }
    paint();
    let frame = 0;
    const observer = new MutationObserver(() => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        paint();
      });
    });
    observer.observe(root, { subtree: true, childList: true, characterData: true });
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [thread, needle, paint]);

  useEffect(() => clearMatches, []);

  const setQuery = (value: string) => {
    setQueryText(value);
    // The first match in a message in view, so typing does not carry the reader away from what they see; else the
    // newest one, as a conversation is read from its end.
    const scroller = thread.current?.querySelector('.message-scroller');
    const inView = scroller ? messagesInView(scroller) : new Set<string>();
    const next = findInMessages(folded, foldQuery(value));
    setChosen(next.find((match) => inView.has(match.messageId)) ?? next.at(-1) ?? null);
  };

  const close = () => {
    setOpen(false);
    clearMatches();
    const back = returnFocus.current;
    returnFocus.current = null;
    if (back?.isConnected) back.focus();
  };

  return {
    open,
    query,
    setQuery,
    count: matches.length,
    index,
    step: (direction: 1 | -1) => setChosen(matches[stepMatch(index, matches.length, direction)] ?? null),
    close,
    reveal,
    input,
    messagesSearched: messages.length,
  };
}

export type ConversationFind = ReturnType<typeof useConversationFind>;

/**
 * The find bar over the thread: the query, "3 of 12", previous / next (Enter / Shift+Enter) and close (Esc); in a
 * long conversation, a way to search the messages not loaded yet.
 */
export function FindBar({
  find,
  onEarlier,
}: {
  find: ConversationFind;
  /** Loads the page of messages before those held (null: there are none), which are not searched until then. */
  onEarlier: (() => void) | null;
}) {
  const { t } = useTranslation('chat');
  const searching = find.query.trim().length > 0;
  return (
    <div className="find-anchor">
      {/* Escape anywhere in the bar closes it; it must not also stop a reply being written. */}
      <search
        className="find-bar"
        aria-label={t('find.label')}
        onKeyDown={(event) => {
          if (event.key !== 'Escape') return;
          event.preventDefault();
          event.stopPropagation();
          find.close();
        }}
      >
        <input
          ref={find.input}
          type="search"
          className="find-input"
          aria-label={t('find.label')}
          placeholder={t('find.placeholder')}
          value={find.query}
          onChange={(event) => find.setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              find.step(event.shiftKey ? -1 : 1);
            }
          }}
        />
        <span className={`find-count${searching && find.count === 0 ? ' is-none' : ''}`} aria-live="polite">
          {searching
            ? find.count === 0
              ? t('find.noMatches')
              : t('find.position', { current: find.index + 1, total: find.count })
            : ''}
        </span>
        <button
          type="button"
          className="icon-button"
          aria-label={t('find.previous')}
          title={t('find.previousTitle')}
          disabled={find.count === 0}
          onClick={() => find.step(-1)}
        >
          <svg viewBox="0 0 24 24" className="glyph" aria-hidden="true" focusable="false">
            <path d="m6 15 6-6 6 6" />
          </svg>
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={t('find.next')}
          title={t('find.nextTitle')}
          disabled={find.count === 0}
          onClick={() => find.step(1)}
        >
          <svg viewBox="0 0 24 24" className="glyph" aria-hidden="true" focusable="false">
            <path d="m6 9 6 6 6-6" />
          </svg>
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={t('find.close')}
          title={t('find.closeTitle')}
          onClick={find.close}
        >
          <svg viewBox="0 0 24 24" className="glyph" aria-hidden="true" focusable="false">
            <path d="M6 6l12 12M18 6 6 18" />
          </svg>
        </button>
        {searching && onEarlier ? (
          <p className="find-more">
            <span>{t('find.loadedOnly', { shown: find.messagesSearched })}</span>
            <button type="button" className="text-button" onClick={onEarlier}>
              {t('find.searchEarlier')}
            </button>
          </p>
        ) : null}
      </search>
    </div>
  );
}
