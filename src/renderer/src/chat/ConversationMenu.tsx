import { type KeyboardEvent, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../shared/chat';
import { conversationTitle } from '../ui/format';

/** What the menu can do to a conversation; each is one of the page's conversation commands. */
export interface ConversationActions {
  togglePin: (item: ConversationSummary) => void;
  rename: (item: ConversationSummary) => void;
  exportAs: (item: ConversationSummary, format: 'markdown' | 'json') => void;
  remove: (item: ConversationSummary) => void;
}

/** The actions the page hands the list; the list renames in place itself. */
export type ListActions = Omit<ConversationActions, 'rename'>;

type Props = {
  item: ConversationSummary;
  /** Where it opens (the pointer, or the row's corner for the keyboard), in viewport pixels. */
  at: { x: number; y: number };
  actions: ConversationActions;
  /** Closes the menu; `restoreFocus` hands focus back to the row (Escape, or after a choice). */
  onClose: (restoreFocus: boolean) => void;
};

/** The right-click (Shift+F10, context-menu key) menu of a conversation in the list. */
export function ConversationMenu({ item, at, actions, onClose }: Props) {
  const { t } = useTranslation('chat');
  const menu = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState(at);

  // Kept inside the window: a menu opened near the bottom or right edge opens upwards or to the left.
  useLayoutEffect(() => {
    const box = menu.current?.getBoundingClientRect();
    if (!box) return;
    setPosition({
      x: Math.max(4, Math.min(at.x, window.innerWidth - box.width - 4)),
      y: Math.max(4, at.y + box.height > window.innerHeight - 4 ? at.y - box.height : at.y),
    });
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [at]);

  useEffect(() => {
    const away = (event: Event) => {
      if (!menu.current?.contains(event.target as Node)) onClose(false);
    };
    const close = () => onClose(false);
    document.addEventListener('pointerdown', away, true);
    window.addEventListener('blur', close);
    window.addEventListener('resize', close);
    return () => {
      document.removeEventListener('pointerdown', away, true);
      window.removeEventListener('blur', close);
      window.removeEventListener('resize', close);
    };
  }, [onClose]);

  const move = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    const to = (next: number) => {
      event.preventDefault();
      items[(next + items.length) % items.length]?.focus();
    };
    if (event.key === 'ArrowDown') to(index + 1);
    else if (event.key === 'ArrowUp') to(index - 1);
    else if (event.key === 'Home') to(0);
    else if (event.key === 'End') to(items.length - 1);
    else if (event.key === 'Escape' || event.key === 'Tab') {
      event.preventDefault();
      event.stopPropagation();
      onClose(true);
    }
  };

  const choose = (action: () => void) => () => {
    onClose(true);
    action();
  };

  return (
    <div
      ref={menu}
      role="menu"
      aria-label={t('list.menu', { title: conversationTitle(item.title) })}
      className="conversation-menu"
      style={{ left: position.x, top: position.y }}
      onKeyDown={move}
      onContextMenu={(event) => event.preventDefault()}
    >
      <button type="button" role="menuitem" tabIndex={-1} onClick={choose(() => actions.togglePin(item))}>
        {item.pinned ? t('header.unpin') : t('header.pin')}
      </button>
      <button type="button" role="menuitem" tabIndex={-1} onClick={choose(() => actions.rename(item))}>
        {t('header.rename')}
      </button>
      <hr />
      <button
        type="button"
        role="menuitem"
        tabIndex={-1}
        onClick={choose(() => actions.exportAs(item, 'markdown'))}
      >
        {t('header.exportMarkdown')}
      </button>
      <button
        type="button"
        role="menuitem"
        tabIndex={-1}
        onClick={choose(() => actions.exportAs(item, 'json'))}
      >
        {t('header.exportJson')}
      </button>
      <hr />
      <button
        type="button"
        role="menuitem"
        tabIndex={-1}
        className="danger"
        onClick={choose(() => actions.remove(item))}
      >
        {t('header.delete')}
      </button>
    </div>
  );
}
