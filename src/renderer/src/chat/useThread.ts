import i18next from 'i18next';
import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  ChatDelta,
  ChatRetrying,
  Conversation,
  ImageUpload,
  Message,
  ThreadMessage,
  ToolCall,
  Usage,
} from '../../../shared/chat';
import type { AppError } from '../../../shared/errors';
import { call, toAppError, useHubEvent } from '../hub';

/** What has streamed so far into one assistant message. */
export type LiveReply = {
  streamId: string;
  conversationId: string;
  messageId: string;
  seq: number;
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  usage: Usage | null;
  firstTokenMs: number | null;
  /** False when this window joined mid-stream: the pieces seen do not make the whole text. */
  fromStart: boolean;
  /** The request waits to be retried (a rate limit); cleared by the next delta. */
  retrying: Pick<ChatRetrying, 'attempt' | 'maxAttempts' | 'waitMs' | 'reason'> | null;
};

export type ThreadState = {
  conversation: Conversation;
  messages: ThreadMessage[];
};

function placeholder(
  conversation: Conversation,
  id: string,
  parentId: string | null,
  siblingIds: string[],
): ThreadMessage {
  const now = Date.now();
  return {
    id,
    conversationId: conversation.id,
    parentId,
    role: 'assistant',
    text: '',
    reasoning: '',
    images: [],
    toolCalls: [],
    model: conversation.model,
    api: conversation.api,
    status: 'streaming',
    finishReason: null,
    error: null,
    usage: null,
    firstTokenMs: null,
    createdAt: now,
    updatedAt: now,
    siblingIds,
  };
}

function applyDelta(live: LiveReply, delta: ChatDelta): LiveReply {
  return {
    ...live,
    seq: delta.seq,
    text: delta.text ? live.text + delta.text : live.text,
    reasoning: delta.reasoning ? live.reasoning + delta.reasoning : live.reasoning,
    toolCalls: delta.toolCalls ?? live.toolCalls,
    usage: delta.usage ?? live.usage,
    firstTokenMs: delta.firstTokenMs ?? live.firstTokenMs,
    retrying: null,
  };
}

function emptyLive(
  streamId: string,
  conversationId: string,
  messageId: string,
  fromStart: boolean,
): LiveReply {
  return {
    streamId,
    conversationId,
    messageId,
    seq: 0,
    text: '',
    reasoning: '',
    toolCalls: [],
    usage: null,
    firstTokenMs: null,
    fromStart,
    retrying: null,
  };
}

/** The message as it should be shown: the stored row, overlaid with what has streamed since. */
export function withLive(message: ThreadMessage, live: LiveReply | undefined): ThreadMessage {
  if (!live) return message;
  return {
    ...message,
    status: 'streaming',
    ...(live.fromStart ? { text: live.text, reasoning: live.reasoning } : {}),
    toolCalls: live.toolCalls.length > 0 ? live.toolCalls : message.toolCalls,
    usage: live.usage ?? message.usage,
    firstTokenMs: live.firstTokenMs ?? message.firstTokenMs,
  };
}

export type ThreadHandle = ReturnType<typeof useThread>;

/**
 * The open conversation, its branch of messages, and every reply streaming in this window (in any conversation,
 * so switching away and back keeps the text that arrived meanwhile).
 */
export function useThread(conversationId: string | null) {
  const [thread, setThread] = useState<ThreadState | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [live, setLive] = useState<Record<string, LiveReply>>({});
  const openId = useRef(conversationId);
  openId.current = conversationId;
  /** Replies that ended before their send/regenerate call answered (events can overtake the answer). */
  const endedEarly = useRef(new Map<string, Message>());

  const load = useCallback(async (id: string) => {
    setLoading(true);
    setError(null);
    try {
      const opened = await call('conversations.open', { id });
      if (openId.current === id) setThread(opened);
    } catch (cause) {
      if (openId.current === id) setError(toAppError(cause));
    } finally {
      if (openId.current === id) setLoading(false);
    }
  }, []);

  useEffect(() => {
    setThread(null);
    if (conversationId) void load(conversationId);
  }, [conversationId, load]);

  useHubEvent('chat.delta', (delta) => {
    setLive((current) => {
      const known = current[delta.messageId];
      if (known && delta.seq <= known.seq) return current;
      const base = known ?? emptyLive(delta.streamId, delta.conversationId, delta.messageId, delta.seq === 1);
      return { ...current, [delta.messageId]: applyDelta(base, delta) };
    });
  });

  // Retries happen before the first delta only, so a reply not seen yet has all its text to come.
  useHubEvent('chat.retrying', ({ streamId, conversationId, messageId, ...retrying }) => {
    setLive((current) => {
      const known = current[messageId] ?? emptyLive(streamId, conversationId, messageId, true);
      return { ...current, [messageId]: { ...known, retrying } };
    });
  });

  useHubEvent('chat.end', (end) => {
    const ended = end.message;
    setLive((current) => {
      if (!current[ended.id]) return current;
      const { [ended.id]: _done, ...rest } = current;
      return rest;
    });
    if (openId.current !== end.conversationId) return;
    // The reply may not be in the thread yet (its send call has not answered): send/regenerate pick it up.
    // Whether it is placed is decided in the updater, which sees the latest state, not the last render.
    endedEarly.current.set(ended.id, ended);
    setThread((current) => {
      if (!current || current.conversation.id !== end.conversationId) return current;
      const index = current.messages.findIndex((message) => message.id === ended.id);
      if (index === -1) return current;
      endedEarly.current.delete(ended.id);
      const messages = current.messages.slice();
      messages[index] = { ...ended, siblingIds: current.messages[index]?.siblingIds ?? [ended.id] };
      return { ...current, messages };
    });
  });

  const addReply = useCallback((assistantId: string, streamId: string, conversationId: string) => {
    const early = endedEarly.current.get(assistantId);
    if (early) {
      endedEarly.current.delete(assistantId);
      return early;
    }
    setLive((current) =>
      current[assistantId]
        ? current
        : {
            ...current,
            [assistantId]: emptyLive(streamId, conversationId, assistantId, true),
          },
    );
    return null;
  }, []);

  /** Sends a message (or an edit of one, as a new branch). Throws the AppError on refusal; nothing is lost. */
  const send = useCallback(
    async (text: string, images: ImageUpload[], editOf?: string) => {
      const current = thread;
      if (!current) throw new Error(i18next.t('chat:errors.noConversation'));
      const conversation = current.conversation;
      const result = await call('chat.send', {
        conversationId: conversation.id,
        text,
        images,
        ...(editOf ? { editOf } : {}),
      });
      const early = addReply(result.assistantMessageId, result.streamId, conversation.id);
      setThread((state) => {
        if (!state || state.conversation.id !== conversation.id) return state;
        const editedIndex = editOf ? state.messages.findIndex((message) => message.id === editOf) : -1;
        const kept = editedIndex === -1 ? state.messages : state.messages.slice(0, editedIndex);
        const siblings =
          editedIndex === -1
            ? [result.userMessage.id]
            : [...(state.messages[editedIndex]?.siblingIds ?? [editOf ?? '']), result.userMessage.id];
        const user: ThreadMessage = { ...result.userMessage, siblingIds: siblings };
        const reply = early
          ? { ...early, siblingIds: [early.id] }
          : placeholder(state.conversation, result.assistantMessageId, user.id, [result.assistantMessageId]);
        return { ...state, messages: [...kept, user, reply] };
      });
    },
    [thread, addReply],
  );

  const regenerate = useCallback(
    async (assistantId: string) => {
      const current = thread;
      if (!current) return;
      const conversation = current.conversation;
      const result = await call('chat.regenerate', {
        conversationId: conversation.id,
        messageId: assistantId,
      });
      const early = addReply(result.assistantMessageId, result.streamId, conversation.id);
      setThread((state) => {
        if (!state || state.conversation.id !== conversation.id) return state;
        const index = state.messages.findIndex((message) => message.id === assistantId);
        if (index === -1) return state;
        const old = state.messages[index];
        const siblings = [...(old?.siblingIds ?? [assistantId]), result.assistantMessageId];
        const reply = early
          ? { ...early, siblingIds: siblings }
          : placeholder(state.conversation, result.assistantMessageId, old?.parentId ?? null, siblings);
        return { ...state, messages: [...state.messages.slice(0, index), reply] };
      });
    },
    [thread, addReply],
  );

  const cancel = useCallback(async (streamId: string) => {
    await call('chat.cancel', { streamId });
  }, []);

  const selectBranch = useCallback(async (messageId: string) => {
    const id = openId.current;
    if (!id) return;
    const opened = await call('conversations.selectBranch', { conversationId: id, messageId });
    if (openId.current === id) setThread(opened);
  }, []);

  const replaceConversation = useCallback((conversation: Conversation) => {
    setThread((state) =>
      state && state.conversation.id === conversation.id ? { ...state, conversation } : state,
    );
  }, []);

  /** The reply streaming in the open conversation, if any (for Stop and Escape). */
  const activeStream = Object.values(live).find((reply) => reply.conversationId === conversationId) ?? null;

  return {
    thread,
    loading,
    error,
    live,
    activeStream,
    reload: load,
    send,
    regenerate,
    cancel,
    selectBranch,
    replaceConversation,
  };
}
