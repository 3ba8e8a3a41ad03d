import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso';
import type { ThreadMessage } from '../../../shared/chat';
import type { FindReveal } from './FindBar';
import { type MessageActions, MessageItem } from './MessageItem';
import type { ChatSlots } from './slots';
import { type LiveReply, withLive } from './useThread';

/** Virtuoso's index of the first message when a list starts: room for every page that may be put before it. */
const FIRST_INDEX = 1_000_000_000;

type Props = {
  messages: ThreadMessage[];
  live: Record<string, LiveReply>;
  actions: MessageActions;
  busy: boolean;
  /** Scroll to and flash this message (from a search hit); the nonce repeats a jump to the same one. */
  jump: { messageId: string; nonce: number } | null;
  /** Scroll to this message without flashing it (the find bar's current match). */
  reveal?: FindReveal | null;
  /** The message the list starts at (the branch was opened around it); else it starts at the end. */
  anchor: string | null;
  /** The branch goes on before the first message / after the last one: asked for when scrolled to. */
  hasOlder: boolean;
  hasNewer: boolean;
  onOlder: () => void;
  onNewer: () => void;
  /** The row key of a message (a sent message keeps the row it was shown in before it was stored). */
  rowKey: (messageId: string) => string;
  Related: ChatSlots['Related'];
};

/**
 * The stretch of the branch being shown, virtualized: only the rows in view are in the DOM, only the streaming
 * row re-renders. Pages put before the first row keep the rows in view where they are.
 */
export function MessageList({
  messages,
  live,
  actions,
  busy,
  jump,
  reveal = null,
  anchor,
  hasOlder,
  hasNewer,
  onOlder,
  onNewer,
  rowKey,
  Related,
}: Props) {
  const { t } = useTranslation('chat');
  const list = useRef<VirtuosoHandle>(null);
  const [highlighted, setHighlighted] = useState<string | null>(null);
  // Only a new jump scrolls; the list growing afterwards must not pull the view back.
  const shown = useRef(messages);
  shown.current = messages;
  const firstItemIndex = useFirstItemIndex(messages);

  // A jump made before this list started was for the list it replaced, unless this list was opened at its message.
  const jumpBefore = useRef(jump && jump.messageId !== anchor ? jump.nonce : null);
  useEffect(() => {
    if (!jump || jump.nonce === jumpBefore.current) return;
    const index = shown.current.findIndex((message) => message.id === jump.messageId);
    if (index === -1) return;
    list.current?.scrollToIndex({ index, align: 'center' });
    setHighlighted(jump.messageId);
    const timer = setTimeout(() => setHighlighted(null), 2400);
    return () => clearTimeout(timer);
  }, [jump]);

  useEffect(() => {
    const index = reveal ? shown.current.findIndex((message) => message.id === reveal.messageId) : -1;
    if (index !== -1) list.current?.scrollToIndex({ index, align: 'center' });
  }, [reveal]);

  const startIndex = anchor ? messages.findIndex((message) => message.id === anchor) : -1;

  return (
    <div className="message-log" role="log" aria-label={t('message.log')}>
      <Virtuoso
        ref={list}
        className="message-scroller"
        data={messages}
        firstItemIndex={firstItemIndex}
        computeItemKey={(_index, message) => rowKey(message.id)}
        initialTopMostItemIndex={
          startIndex === -1 ? messages.length - 1 : { index: startIndex, align: 'center' }
        }
        startReached={hasOlder ? onOlder : undefined}
        endReached={hasNewer ? onNewer : undefined}
        followOutput={(atBottom) => (atBottom && !hasNewer ? 'auto' : false)}
        atBottomThreshold={80}
        increaseViewportBy={{ top: 600, bottom: 600 }}
        components={{ Header: ListPad, Footer: ListPad }}
        itemContent={(_index, message) => (
          <div className="message-row">
            <MessageItem
              message={withLive(message, live[message.id])}
              retrying={live[message.id]?.retrying ?? null}
              actions={actions}
              busy={busy}
              highlighted={highlighted === message.id}
              last={!hasNewer && message.id === messages.at(-1)?.id}
              Related={Related}
            />
          </div>
        )}
      />
    </div>
  );
}

/** Lowers the first index by the number of messages put before the ones held, as Virtuoso wants for a prepend. */
function useFirstItemIndex(messages: ThreadMessage[]): number {
  const first = useRef({ id: messages[0]?.id, index: FIRST_INDEX });
  const firstId = messages[0]?.id;
  if (firstId !== first.current.id) {
    const prepended = messages.findIndex((message) => message.id === first.current.id);
    first.current = { id: firstId, index: first.current.index - Math.max(0, prepended) };
  }
  return first.current.index;
}

function ListPad() {
  return <div className="message-pad" />;
}
