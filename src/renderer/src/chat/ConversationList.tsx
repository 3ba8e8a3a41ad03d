import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../shared/chat';
import type { AppError } from '../../../shared/errors';
import { call, toAppError, useHubEvent } from '../hub';
import { conversationTitle, shortDate } from '../ui/format';

/** Pinned first, then newest first. */
export function sortConversations(list: ConversationSummary[]): ConversationSummary[] {
  return [...list].sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.updatedAt - a.updatedAt);
}

/** Every conversation's summary, read again whenever main says they changed. */
export function useConversationList() {
  const [list, setList] = useState<ConversationSummary[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  const refresh = useCallback(async () => {
    try {
      setList(sortConversations(await call('conversations.list', {})));
      setError(null);
    } catch (cause) {
      setError(toAppError(cause));
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);
  useHubEvent('conversations.changed', () => void refresh());

  return { list, error, refresh };
}

type Props = {
  list: ConversationSummary[];
  selectedId: string | null;
  onSelect: (id: string) => void;
};

function Row({
  item,
  selected,
  onSelect,
}: {
  item: ConversationSummary;
  selected: boolean;
  onSelect: () => void;
}) {
  return (
    <li>
      <button
        type="button"
        className="conversation"
        aria-current={selected ? 'true' : undefined}
        onClick={onSelect}
      >
        <span className="conversation-head">
          {item.pinned ? (
            <svg viewBox="0 0 24 24" className="pin-glyph" aria-hidden="true" focusable="false">
              <path d="M9 4h6l-1 6 4 3v2H6v-2l4-3zM12 15v6" />
            </svg>
          ) : null}
          <span className="conversation-title">{conversationTitle(item.title)}</span>
          <span className="conversation-date">{shortDate(item.updatedAt)}</span>
        </span>
        <span className="conversation-preview">{item.preview || item.model}</span>
      </button>
    </li>
  );
}

/** Rows in the window's first paint; the rest follow right after it, so a long history shows its newest chats at once. */
export const FIRST_PAINT_ROWS = 40;

/** False until the frame after the first paint of a list longer than `FIRST_PAINT_ROWS`. */
function useAllRowsAfterFirstPaint(length: number): boolean {
  const [all, setAll] = useState(false);
  useEffect(() => {
    if (all || length <= FIRST_PAINT_ROWS) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setAll(true), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [all, length]);
  return all || length <= FIRST_PAINT_ROWS;
}

export function ConversationList({ list, selectedId, onSelect }: Props) {
  const { t } = useTranslation('chat');
  const allRows = useAllRowsAfterFirstPaint(list.length);
  const pinned = list.filter((item) => item.pinned);
  const recent = list.filter((item) => !item.pinned);
  if (!allRows) recent.splice(Math.max(0, FIRST_PAINT_ROWS - pinned.length));
  return (
    <nav aria-label={t('list.label')} className="conversation-nav">
      {list.length === 0 ? <p className="list-note">{t('list.empty')}</p> : null}
      {pinned.length > 0 ? (
        <>
          <h2 className="list-heading">{t('list.pinned')}</h2>
          <ul className="conversation-list">
            {pinned.map((item) => (
              <Row
                key={item.id}
                item={item}
                selected={item.id === selectedId}
                onSelect={() => onSelect(item.id)}
              />
            ))}
          </ul>
        </>
      ) : null}
      {recent.length > 0 ? (
        <>
          {pinned.length > 0 ? <h2 className="list-heading">{t('list.recent')}</h2> : null}
          <ul className="conversation-list">
            {recent.map((item) => (
              <Row
                key={item.id}
                item={item}
                selected={item.id === selectedId}
                onSelect={() => onSelect(item.id)}
              />
            ))}
          </ul>
        </>
      ) : null}
    </nav>
  );
}
