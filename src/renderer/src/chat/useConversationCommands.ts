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
  /** The active profile's default model: a new chat starts with it rather than with the open chat's. */
  defaultModel: string | null;
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
  defaultModel,
  onError,
}: Deps) {
  const current = thread.thread;
  const conversation: Conversation | null = current?.conversation ?? null;
  /** The conversation just deleted, offered back for a few seconds. */
  const [deleted, setDeleted] = useState<{ id: string; title: string; wasOpen: boolean } | null>(null);

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
        conversation && !defaultModel ? { model: conversation.model, api: conversation.api } : {},
      );
      await refreshList();
      select(created.id);
      composer.focusWhenShown(created.id);
    } catch (cause) {
      onError(toAppError(cause));
    }
  };

  /** Saves a title for the open conversation, or for `id` (from the list); resolves true once saved. */
  const rename = async (title: string, id = conversation?.id): Promise<boolean> => {
    if (!id) return false;
    try {
      const updated = await call('conversations.update', { id, patch: { title } });
      if (updated.id === conversation?.id) thread.replaceConversation(updated);
      void refreshList();
      return true;
    } catch (cause) {
      onError(toAppError(cause));
      return false;
    }
  };

  const togglePin = async (target: Pick<Conversation, 'id' | 'pinned'> | null = conversation) => {
    if (!target) return;
    try {
      const updated = await call('conversations.update', {
        id: target.id,
        patch: { pinned: !target.pinned },
      });
      if (updated.id === conversation?.id) thread.replaceConversation(updated);
      void refreshList();
    } catch (cause) {
      onError(toAppError(cause));
    }
  };

  /** Deletes the open conversation, or `target` (from the list); the open one gives its place to a neighbour. */
  const remove = async (target: Pick<Conversation, 'id' | 'title'> | null = conversation) => {
    if (!target) return;
    const items = list ?? [];
    const index = items.findIndex((item) => item.id === target.id);
    const neighbour: ConversationSummary | undefined = items[index + 1] ?? items[index - 1];
    try {
      await call('conversations.delete', { id: target.id });
      const wasOpen = target.id === conversation?.id;
      setDeleted({ id: target.id, title: target.title, wasOpen });
      if (wasOpen) show(neighbour?.id ?? null);
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
      if (deleted.wasOpen) show(restored.id);
    } catch (cause) {
      onError(toAppError(cause));
    }
  };

  const exportAs = async (format: 'markdown' | 'json', id = conversation?.id) => {
    if (!id) return;
    try {
      const file = await call('conversations.export', { id, format });
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
