import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso';
import type { ThreadMessage } from '../../../shared/chat';
import { type MessageActions, MessageItem } from './MessageItem';
import type { ChatSlots } from './slots';
import { type LiveReply, withLive } from './useThread';

type Props = {
  messages: ThreadMessage[];
  live: Record<string, LiveReply>;
  actions: MessageActions;
  busy: boolean;
  /** Scroll to and flash this message (from a search hit); the nonce repeats a jump to the same one. */
  jump: { messageId: string; nonce: number } | null;
  Related: ChatSlots['Related'];
};

/** The branch being shown, virtualized: only the rows in view are in the DOM, only the streaming row re-renders. */
export function MessageList({ messages, live, actions, busy, jump, Related }: Props) {
  const { t } = useTranslation('chat');
  const list = useRef<VirtuosoHandle>(null);
  const [highlighted, setHighlighted] = useState<string | null>(null);
  // Only a new jump scrolls; the list growing afterwards must not pull the view back.
  const shown = useRef(messages);
  shown.current = messages;

  useEffect(() => {
    if (!jump) return;
    const index = shown.current.findIndex((message) => message.id === jump.messageId);
    if (index === -1) return;
    list.current?.scrollToIndex({ index, align: 'center' });
    setHighlighted(jump.messageId);
    const timer = setTimeout(() => setHighlighted(null), 2400);
    return () => clearTimeout(timer);
  }, [jump]);

  return (
    <div className="message-log" role="log" aria-label={t('message.log')}>
      <Virtuoso
        ref={list}
        className="message-scroller"
        data={messages}
        computeItemKey={(_index, message) => message.id}
        initialTopMostItemIndex={
          jump
            ? Math.max(
                0,
                messages.findIndex((message) => message.id === jump.messageId),
              )
            : messages.length - 1
        }
        followOutput={(atBottom) => (atBottom ? 'auto' : false)}
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
              Related={Related}
            />
          </div>
        )}
      />
    </div>
  );
}

function ListPad() {
  return <div className="message-pad" />;
}
