import { useEffect, useRef, useState } from 'react';
import type { ConversationSummary, SearchHit } from '../../../shared/chat';
import type { AppError } from '../../../shared/errors';
import { toAppError } from '../hub';
import { type ChatTarget, onPendingTarget, takePendingChat } from '../navigation';
import { LAST_OPEN_KEY, readStored, store } from './remembered';
import { useThread } from './useThread';

/** Scroll to and flash this message; the nonce repeats a jump to the same one. */
export type Jump = { messageId: string; nonce: number };

/**
 * Which conversation is open and which message to show in it: the one remembered, one asked for by another page
 * (the search palette, "Related") or by a search hit, else the newest. `onError` must keep its identity.
 */
export function useChatSelection(list: ConversationSummary[] | null, onError: (error: AppError) => void) {
  // A message asked for by another page is shown once its thread has loaded.
  const [arrival] = useState(takePendingChat);
  const [selectedId, setSelectedId] = useState<string | null>(
    () => arrival?.conversationId ?? readStored(LAST_OPEN_KEY),
  );
  const [jump, setJump] = useState<Jump | null>(null);
  // The conversation opens at this message (the page holding it) rather than at its end.
  const pendingJump = useRef<string | null>(arrival?.messageId ?? null);
  const thread = useThread(selectedId, pendingJump);

  // Keep the selection valid: the remembered chat if it still exists, else the newest one.
  useEffect(() => {
    if (!list) return;
    if (selectedId && list.some((item) => item.id === selectedId)) return;
    if (selectedId && thread.loading) return;
    setSelectedId(list[0]?.id ?? null);
  }, [list, selectedId, thread.loading]);

  useEffect(() => {
    if (selectedId) store(LAST_OPEN_KEY, selectedId);
  }, [selectedId]);

  const current = thread.thread;
  const conversation = current?.conversation ?? null;

  // Main names a new chat after its first message; the list hears of it first.
  const listedTitle = list?.find((item) => item.id === conversation?.id)?.title;
  const { replaceConversation } = thread;
  useEffect(() => {
    if (conversation && listedTitle && listedTitle !== conversation.title) {
      replaceConversation({ ...conversation, title: listedTitle });
    }
  }, [conversation, listedTitle, replaceConversation]);

  // A search hit in another conversation is shown once that conversation has loaded (opened at the hit).
  const { showMessage } = thread;
  useEffect(() => {
    const target = pendingJump.current;
    if (!target || !current) return;
    pendingJump.current = null;
    if (current.messages.some((message) => message.id === target)) {
      setJump({ messageId: target, nonce: Date.now() });
      return;
    }
    showMessage(target)
      .then(() => setJump({ messageId: target, nonce: Date.now() }))
      .catch((cause: unknown) => onError(toAppError(cause)));
  }, [current, showMessage, onError]);

  const openHit = (hit: Pick<SearchHit, 'conversationId' | 'messageId'>) => {
    if (hit.conversationId === selectedId && current?.conversation.id === selectedId) {
      if (current.messages.some((message) => message.id === hit.messageId)) {
        setJump({ messageId: hit.messageId, nonce: Date.now() });
        return;
      }
      // An older page of the open conversation, or another branch of it.
      showMessage(hit.messageId)
        .then(() => setJump({ messageId: hit.messageId, nonce: Date.now() }))
        .catch((cause: unknown) => onError(toAppError(cause)));
      return;
    }
    pendingJump.current = hit.messageId;
    setSelectedId(hit.conversationId);
  };

  /** Opens a conversation at its end. */
  const select = (id: string) => {
    setJump(null);
    pendingJump.current = null;
    setSelectedId(id);
  };

  const openTarget = (target: ChatTarget) => {
    if (target.messageId) openHit({ conversationId: target.conversationId, messageId: target.messageId });
    else select(target.conversationId);
  };
  const latestOpenTarget = useRef(openTarget);
  latestOpenTarget.current = openTarget;
  useEffect(
    () =>
      onPendingTarget(() => {
        const target = takePendingChat();
        if (target) latestOpenTarget.current(target);
      }),
    [],
  );

  /** Opens a conversation keeping the jump asked for, if any (after a delete or its undo). */
  const show = (id: string | null) => setSelectedId(id);

  return { selectedId, thread, jump, openHit, select, show };
}
