import { useEffect, useState } from 'react';
import type { Conversation, ConversationSummary } from '../../../shared/chat';
import type { AppError } from '../../../shared/errors';
import { call, toAppError } from '../hub';
import { downloadText } from '../ui/download';
import type { ThreadHandle } from './useThread';

const UNDO_MS = 8000;

type Deps = {
  thread: ThreadHandle;
  list: ConversationSummary[] | null;
  refreshList: () => Promise<void>;
  select: (id: string) => void;
  show: (id: string | null) => void;
  composer: { focus: () => void; focusWhenShown: (conversationId: string) => void };
  /** The page's error line; null clears it. */
  onError: (error: AppError | null) => void;
};

/** New, rename, pin, delete (with undo), export and import: what the page does to conversations. */
export function useConversationCommands({
  thread,
  list,
  refreshList,
  select,
  show,
  composer,
  onError,
}: Deps) {
  const current = thread.thread;
  const conversation: Conversation | null = current?.conversation ?? null;
  /** The conversation just deleted, offered back for a few seconds. */
  const [deleted, setDeleted] = useState<{ id: string; title: string } | null>(null);

  useEffect(() => {
    if (!deleted) return;
    const timer = setTimeout(() => setDeleted(null), UNDO_MS);
    return () => clearTimeout(timer);
  }, [deleted]);

  const newChat = async () => {
    onError(null);
    if (current && current.messages.length === 0) {
      composer.focus();
      return;
    }
    try {
      const created = await call(
        'conversations.create',
        conversation ? { model: conversation.model, api: conversation.api } : {},
      );
      await refreshList();
      select(created.id);
      composer.focusWhenShown(created.id);
    } catch (cause) {
      onError(toAppError(cause));
    }
  };

  /** Resolves true once saved. */
  const rename = async (title: string): Promise<boolean> => {
    if (!conversation) return false;
    try {
      thread.replaceConversation(
        await call('conversations.update', { id: conversation.id, patch: { title } }),
      );
      void refreshList();
      return true;
    } catch (cause) {
      onError(toAppError(cause));
      return false;
    }
  };

  const togglePin = async () => {
    if (!conversation) return;
    try {
      thread.replaceConversation(
        await call('conversations.update', { id: conversation.id, patch: { pinned: !conversation.pinned } }),
      );
      void refreshList();
    } catch (cause) {
      onError(toAppError(cause));
    }
  };

  const remove = async () => {
    if (!conversation) return;
    const items = list ?? [];
    const index = items.findIndex((item) => item.id === conversation.id);
    const neighbour: ConversationSummary | undefined = items[index + 1] ?? items[index - 1];
    try {
      await call('conversations.delete', { id: conversation.id });
      setDeleted({ id: conversation.id, title: conversation.title });
      show(neighbour?.id ?? null);
      await refreshList();
    } catch (cause) {
      onError(toAppError(cause));
    }
  };

  const undoDelete = async () => {
    if (!deleted) return;
    try {
      const restored = await call('conversations.restore', { id: deleted.id });
      setDeleted(null);
      await refreshList();
      show(restored.id);
    } catch (cause) {
      onError(toAppError(cause));
    }
  };

  const exportAs = async (format: 'markdown' | 'json') => {
    if (!conversation) return;
    try {
      const file = await call('conversations.export', { id: conversation.id, format });
      downloadText(file.fileName, file.mimeType, file.content);
    } catch (cause) {
      onError(toAppError(cause));
    }
  };

  const importFile = async (file: File) => {
    onError(null);
    try {
      const imported = await call('conversations.import', { content: await file.text() });
      await refreshList();
      select(imported.id);
    } catch (cause) {
      onError(toAppError(cause));
    }
  };

  return { deleted, newChat, rename, togglePin, remove, undoDelete, exportAs, importFile };
}
