import { type FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ConversationSummary, UNTITLED_CONVERSATION } from '../../../shared/chat';
import type { AppError } from '../../../shared/errors';
import { modelLabel } from '../../../shared/model-names';
import { call, toAppError, useHubEvent } from '../hub';
import { currentLanguage } from '../i18n';
import { conversationTitle, shortDate } from '../ui/format';
import { type ConversationActions, ConversationMenu, type ListActions } from './ConversationMenu';
import { type DateGroupKey, groupByDate } from './date-groups';

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
  actions: ListActions;
  /** Saves a new title; resolves true once saved. */
  onRename: (id: string, title: string) => Promise<boolean>;
};

function RenameRow({
  item,
  onSave,
  onDone,
}: {
  item: ConversationSummary;
  onSave: (title: string) => Promise<boolean>;
  onDone: () => void;
}) {
  const { t } = useTranslation('chat');
  const [value, setValue] = useState(item.title === UNTITLED_CONVERSATION ? '' : item.title);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const title = value.trim();
    if (title) void onSave(title).then((saved) => saved && onDone());
  };
  return (
    <li>
      <form className="conversation conversation-rename" onSubmit={submit}>
        <input
          aria-label={t('rename.label')}
          value={value}
          maxLength={200}
          onChange={(event) => setValue(event.target.value)}
          onBlur={onDone}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              event.stopPropagation();
              onDone();
            }
          }}
          // biome-ignore lint/a11y/noAutofocus: the field appears because the user chose Rename
          autoFocus
        />
      </form>
    </li>
  );
}

function Row({
  item,
  selected,
  onSelect,
  onMenu,
}: {
  item: ConversationSummary;
  selected: boolean;
  onSelect: () => void;
  onMenu: (at: { x: number; y: number }, row: HTMLButtonElement) => void;
}) {
  return (
    <li>
      <button
        type="button"
        className="conversation"
        data-id={item.id}
        aria-current={selected ? 'true' : undefined}
        aria-haspopup="menu"
        onClick={onSelect}
        onContextMenu={(event) => {
          event.preventDefault();
          // Shift+F10 and the context-menu key also fire this event, at the row rather than at a pointer.
          const box = event.currentTarget.getBoundingClientRect();
          const fromKeyboard = event.clientX === 0 && event.clientY === 0;
          onMenu(
            fromKeyboard ? { x: box.left + 24, y: box.bottom - 4 } : { x: event.clientX, y: event.clientY },
            event.currentTarget,
          );
        }}
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
        <span className="conversation-preview">{item.preview || modelLabel(item.model)}</span>
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

/** A moment of today, renewed just after each local midnight: an open window moves today's chats under Yesterday. */
function useToday(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const midnight = new Date(now);
    midnight.setHours(24, 0, 0, 0);
    const timer = setTimeout(() => setNow(Date.now()), midnight.getTime() - now + 1000);
    return () => clearTimeout(timer);
  }, [now]);
  return now;
}

/** A group's heading in the UI language: a named period, or a month ("March", "March 2025" in another year). */
function useGroupLabel(): (key: DateGroupKey) => string {
  const { t } = useTranslation('chat');
  const language = currentLanguage();
  const formats = useMemo(
    () => ({
      month: new Intl.DateTimeFormat(language, { month: 'long' }),
      monthYear: new Intl.DateTimeFormat(language, { month: 'long', year: 'numeric' }),
    }),
    [language],
  );
  return (key) => {
    if (key.kind !== 'calendar') return t(`list.groups.${key.kind}`);
    const date = new Date(key.year, key.month, 1);
    return (key.year === new Date().getFullYear() ? formats.month : formats.monthYear).format(date);
  };
}

export function ConversationList({ list, selectedId, onSelect, actions, onRename }: Props) {
  const { t } = useTranslation('chat');
  const allRows = useAllRowsAfterFirstPaint(list.length);
  const label = useGroupLabel();
  const [menu, setMenu] = useState<{
    item: ConversationSummary;
    at: { x: number; y: number };
    row: HTMLButtonElement;
  } | null>(null);
  const [renamingId, setRenamingId] = useState<string | null>(null);
  const shown = allRows ? list : list.slice(0, FIRST_PAINT_ROWS);
  // Any moment of today groups alike; the next day's first second groups anew.
  const today = useToday();
  const groups = useMemo(() => groupByDate(shown, today), [shown, today]);
  const closeMenu = useCallback(
    (restoreFocus: boolean) => {
      if (restoreFocus) menu?.row.focus();
      setMenu(null);
    },
    [menu],
  );
  const menuActions: ConversationActions = {
    ...actions,
    rename: (item) => setRenamingId(item.id),
  };
  return (
    <nav aria-label={t('list.label')} className="conversation-nav">
      {list.length === 0 ? <p className="list-note">{t('list.empty')}</p> : null}
      {groups.map((group) => (
        <section key={group.id} className="conversation-group" data-group={group.id}>
          <h2 className="list-heading">{label(group.key)}</h2>
          <ul className="conversation-list">
            {group.items.map((item) =>
              item.id === renamingId ? (
                <RenameRow
                  key={item.id}
                  item={item}
                  onSave={(title) => onRename(item.id, title)}
                  onDone={() => setRenamingId(null)}
                />
              ) : (
                <Row
                  key={item.id}
                  item={item}
                  selected={item.id === selectedId}
                  onSelect={() => onSelect(item.id)}
                  onMenu={(at, row) => setMenu({ item, at, row })}
                />
              ),
            )}
          </ul>
        </section>
      ))}
      {menu ? (
        <ConversationMenu item={menu.item} at={menu.at} actions={menuActions} onClose={closeMenu} />
      ) : null}
    </nav>
  );
}
