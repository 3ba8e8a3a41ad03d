// Past 400 lines: one state (the branch held, its pages, live replies, sends) that every part of it updates.
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
import type { OpenConversation } from '../../../shared/chat-channels';
import type { KbSource } from '../../../shared/chat-knowledge';
import type { ResponseOf } from '../../../shared/contract';
import type { DocumentRef } from '../../../shared/documents';
import type { AppError } from '../../../shared/errors';
import { call, toAppError, useHubEvent } from '../hub';
import { withFreshEnd } from './thread-refresh';
import { isUnsent, ShownInThread, unsent } from './unsent-message';

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
  /** The passages the reply was given, as soon as they were found (its citations work while it streams). */
  sources?: KbSource[];
  /** False when this window joined mid-stream: the pieces seen do not make the whole text. */
  fromStart: boolean;
  /** The request waits to be retried (a rate limit); cleared by the next delta. */
  retrying: Pick<ChatRetrying, 'attempt' | 'maxAttempts' | 'waitMs' | 'reason'> | null;
};

/** The open conversation and the stretch of its branch held in the window (pages are added as the user scrolls). */
export type ThreadState = OpenConversation;

/**
 * The list starts again (at `anchor`, else at the end) whenever `key` changes: a new window of the branch
 * replaced the old one rather than extending it.
 */
export type ThreadView = { key: number; anchor: string | null };

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
    documents: [],
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
    ...(delta.sources || live.sources ? { sources: delta.sources ?? live.sources } : {}),
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
    ...(live.sources ? { sources: live.sources } : {}),
  };
}

export type ThreadHandle = ReturnType<typeof useThread>;

/**
 * The open conversation, its branch of messages a page at a time, and every reply streaming in this window (in any
 * conversation, so switching away and back keeps the text that arrived meanwhile). `around`, when it holds a
 * message id as a conversation opens, opens it at that message instead of at the end.
 */
export function useThread(conversationId: string | null, around?: { readonly current: string | null }) {
  const [thread, setThread] = useState<ThreadState | null>(null);
  const [view, setView] = useState<ThreadView>({ key: 0, anchor: null });
  /** One page request at a time in each direction; the window's edge it was asked from. */
  const paging = useRef<{ older: string | null; newer: string | null }>({ older: null, newer: null });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [live, setLive] = useState<Record<string, LiveReply>>({});
  const openId = useRef(conversationId);
  openId.current = conversationId;
  /** Replies that ended before their send/regenerate call answered (events can overtake the answer). */
  const endedEarly = useRef(new Map<string, Message>());
  /** Stored message id → the id its row was shown under while being sent. */
  const rowKeys = useRef(new Map<string, string>());
  /**
   * This window's own sends: how many are under way and how many began, so the end of the branch read again for a
   * sync is laid over neither a send's rows nor their absence; a read that would be waits for the sends to end.
   */
  const sends = useRef({ running: 0, begun: 0, refreshAfter: false });

  const show = useCallback((opened: OpenConversation, anchor: string | null) => {
    paging.current = { older: null, newer: null };
    setThread(opened);
    setView((current) => ({ key: current.key + 1, anchor }));
  }, []);

  const load = useCallback(
    async (id: string, at?: string) => {
      setLoading(true);
      setError(null);
      try {
        const opened = await call('conversations.open', at ? { id, around: at } : { id });
        if (openId.current === id) show(opened, at ?? null);
      } catch (cause) {
        if (openId.current === id) setError(toAppError(cause));
      } finally {
        if (openId.current === id) setLoading(false);
      }
    },
    [show],
  );

  /** One read of the end at a time; a change heard during it reads once more after it. */
  const refreshing = useRef({ running: false, again: false });

  /**
   * The open conversation changed elsewhere (another window, the CLI, a sync from another computer): the end of its
   * branch and its own fields are read again into the rows held, the view and the composer left as they are. A
   * conversation deleted there leaves the list, which moves the selection; nothing is said here.
   */
  const refreshEnd = useCallback(async () => {
    const id = openId.current;
    if (!id) return;
    if (sends.current.running > 0) {
      sends.current.refreshAfter = true;
      return;
    }
    if (refreshing.current.running) {
      refreshing.current.again = true;
      return;
    }
    refreshing.current = { running: true, again: false };
    const begun = sends.current.begun;
    const fresh = await call('conversations.open', { id }).catch(() => null);
    const again = refreshing.current.again;
    refreshing.current = { running: false, again: false };
    if (!fresh || openId.current !== id) return;
    if (sends.current.begun !== begun) {
      sends.current.refreshAfter = true;
      if (sends.current.running === 0) void refreshEnd();
      return;
    }
    setThread((state) => (state ? withFreshEnd(state, fresh) : state));
    if (again) void refreshEnd();
  }, []);

  useHubEvent('sync.applied', ({ conversations }) => {
    if (openId.current && conversations.includes(openId.current)) void refreshEnd();
  });
  useHubEvent('conversations.changed', ({ ids }) => {
    if (openId.current && ids.includes(openId.current)) void refreshEnd();
  });

  const whileSending = useCallback(
    async <T>(work: () => Promise<T>): Promise<T> => {
      sends.current.running += 1;
      sends.current.begun += 1;
      try {
        return await work();
      } finally {
        sends.current.running -= 1;
        if (sends.current.running === 0 && sends.current.refreshAfter) {
          sends.current.refreshAfter = false;
          void refreshEnd();
        }
      }
    },
    [refreshEnd],
  );

  const aroundRef = useRef(around);
  aroundRef.current = around;
  useEffect(() => {
    setThread(null);
    if (conversationId) void load(conversationId, aroundRef.current?.current ?? undefined);
  }, [conversationId, load]);

  /** Scrolling up: puts the page before the first message held in front of it. */
  const loadOlder = useCallback(async () => {
    const current = thread;
    const first = current?.messages[0];
    if (!current || !first || !current.hasOlder || paging.current.older === first.id) return;
    paging.current.older = first.id;
    const id = current.conversation.id;
    try {
      const page = await call('conversations.olderMessages', { conversationId: id, before: first.id });
      setThread((state) => {
        if (!state || state.conversation.id !== id || state.messages[0]?.id !== first.id) return state;
        return { ...state, messages: [...page.messages, ...state.messages], hasOlder: page.hasOlder };
      });
    } catch (cause) {
      if (openId.current === id) setError(toAppError(cause));
    } finally {
      if (paging.current.older === first.id) paging.current.older = null;
    }
  }, [thread]);

  /** Scrolling down in a window opened around an older message: puts the next page after the last one held. */
  const loadNewer = useCallback(async () => {
    const current = thread;
    const last = current?.messages.at(-1);
    if (!current || !last || !current.hasNewer || paging.current.newer === last.id) return;
    paging.current.newer = last.id;
    const id = current.conversation.id;
    try {
      const page = await call('conversations.newerMessages', { conversationId: id, after: last.id });
      setThread((state) => {
        if (!state || state.conversation.id !== id || state.messages.at(-1)?.id !== last.id) return state;
        return { ...state, messages: [...state.messages, ...page.messages], hasNewer: page.hasNewer };
      });
    } catch (cause) {
      if (openId.current === id) setError(toAppError(cause));
    } finally {
      if (paging.current.newer === last.id) paging.current.newer = null;
    }
  }, [thread]);

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

  /**
   * Sends a message (or an edit of one, as a new branch). Throws the AppError on refusal; nothing is lost. A new
   * message at the end of the branch shows at once, before main has stored it ({@link unsent}); refused, it stays
   * there with its error and the error thrown is a {@link ShownInThread}.
   */
  const sendNow = useCallback(
    async (
      text: string,
      attachments: { images?: ImageUpload[]; documents?: DocumentRef[] },
      editOf?: string,
      knowledgeBases?: string[],
    ) => {
      const current = thread;
      if (!current) throw new Error(i18next.t('chat:errors.noConversation'));
      const conversation = current.conversation;
      const shownAtOnce = !editOf && !current.hasNewer;
      const local = shownAtOnce
        ? unsent(conversation, current.messages.at(-1)?.id ?? null, text, attachments)
        : null;
      if (local) {
        setThread((state) => {
          if (!state || state.conversation.id !== conversation.id) return state;
          // An earlier message that was refused gives way to this attempt.
          const kept = state.messages.filter((message) => !isUnsent(message));
          return { ...state, messages: [...kept, local] };
        });
      }
      let result: ResponseOf<'chat.send'>;
      try {
        result = await call('chat.send', {
          conversationId: conversation.id,
          text,
          images: attachments.images ?? [],
          documents: attachments.documents ?? [],
          ...(editOf ? { editOf } : {}),
          ...(knowledgeBases ? { knowledgeBases } : {}),
        });
      } catch (cause) {
        if (!local) throw cause;
        const error = toAppError(cause);
        setThread((state) => {
          if (!state || state.conversation.id !== conversation.id) return state;
          const messages = state.messages.map((message) =>
            message.id === local.id ? { ...message, status: 'failed' as const, error } : message,
          );
          return { ...state, messages };
        });
        throw new ShownInThread(error);
      }
      if (local) rowKeys.current.set(result.userMessage.id, local.id);
      const early = addReply(result.assistantMessageId, result.streamId, conversation.id);
      if (!editOf && current.hasNewer) {
        // The window does not reach the end of the branch the message was added to: show that end.
        const opened = await call('conversations.open', { id: conversation.id });
        if (openId.current === conversation.id) show(opened, null);
        return;
      }
      setThread((state) => {
        if (!state || state.conversation.id !== conversation.id) return state;
        const editedIndex = editOf ? state.messages.findIndex((message) => message.id === editOf) : -1;
        const shown = state.messages.filter((message) => message.id !== local?.id);
        const kept = editedIndex === -1 ? shown : shown.slice(0, editedIndex);
        const siblings =
          editedIndex === -1
            ? [result.userMessage.id]
            : [...(state.messages[editedIndex]?.siblingIds ?? [editOf ?? '']), result.userMessage.id];
        const user: ThreadMessage = { ...result.userMessage, siblingIds: siblings };
        const reply = early
          ? { ...early, siblingIds: [early.id] }
          : placeholder(state.conversation, result.assistantMessageId, user.id, [result.assistantMessageId]);
        return { ...state, messages: [...kept, user, reply], hasNewer: false };
      });
    },
    [thread, addReply, show],
  );
  const send = useCallback(
    (...args: Parameters<typeof sendNow>) => whileSending(() => sendNow(...args)),
    [sendNow, whileSending],
  );

  const regenerateNow = useCallback(
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
        return { ...state, messages: [...state.messages.slice(0, index), reply], hasNewer: false };
      });
    },
    [thread, addReply],
  );
  const regenerate = useCallback(
    (assistantId: string) => whileSending(() => regenerateNow(assistantId)),
    [regenerateNow, whileSending],
  );

  const cancel = useCallback(async (streamId: string) => {
    await call('chat.cancel', { streamId });
  }, []);

  /** Shows the branch through a message, the list kept at that message. */
  const selectBranch = useCallback(
    async (messageId: string) => {
      const id = openId.current;
      if (!id) return;
      const opened = await call('conversations.selectBranch', { conversationId: id, messageId });
      if (openId.current === id) show(opened, messageId);
    },
    [show],
  );

  /** Loads the page holding a message of the open conversation (switching to its branch when needed). */
  const showMessage = useCallback(
    async (messageId: string) => {
      const id = openId.current;
      if (!id) return;
      const opened = await call('conversations.open', { id, around: messageId });
      if (openId.current === id) show(opened, messageId);
    },
    [show],
  );

  const replaceConversation = useCallback((conversation: Conversation) => {
    setThread((state) =>
      state && state.conversation.id === conversation.id ? { ...state, conversation } : state,
    );
  }, []);

  /** The list's key for a message: a sent message keeps the key it was shown under before main stored it. */
  const rowKey = useCallback((messageId: string) => rowKeys.current.get(messageId) ?? messageId, []);

  /** The reply streaming in the open conversation, if any (for Stop and Escape). */
  const activeStream = Object.values(live).find((reply) => reply.conversationId === conversationId) ?? null;

  return {
    thread,
    view,
    loading,
    error,
    live,
    activeStream,
    send,
    regenerate,
    cancel,
    selectBranch,
    showMessage,
    loadOlder,
    loadNewer,
    replaceConversation,
    rowKey,
  };
}
