/** Chat's contract: the model catalogue, conversations and their messages, replies, history search and drafts. */
import { z } from 'zod';
import type { ChannelMap, EventMap } from './channel-map';
import {
  chatDeltaSchema,
  chatEndSchema,
  chatRetryingSchema,
  conversationSchema,
  conversationSummarySchema,
  imageUploadSchema,
  messageSchema,
  searchHitSchema,
  threadMessageSchema,
} from './chat';
import { MAX_CHAT_BASES } from './chat-knowledge';
import { chatParamsSchema } from './chat-params';
import {
  documentReadingSchema,
  documentRefSchema,
  documentUploadSchema,
  MAX_DOCUMENTS_PER_MESSAGE,
} from './documents';
import { chatApiSchema, customModelSchema, modelInfoSchema } from './models';

const id = z.string().trim().min(1).max(100);
const empty = z.object({}).strict();

export const modelsStateSchema = z.object({
  /** The catalogue followed by the user's own model ids. */
  models: z.array(modelInfoSchema),
  custom: z.array(customModelSchema),
  /** The models picked last in any window, newest first. */
  recent: z.array(z.string()),
});
export type ModelsState = z.infer<typeof modelsStateSchema>;

/**
 * A conversation as opened: its settings and a stretch of the branch being shown, oldest first. `hasOlder` and
 * `hasNewer` say whether the branch goes on before the first message and after the last one.
 */
export const openConversationSchema = z.object({
  conversation: conversationSchema,
  messages: z.array(threadMessageSchema),
  hasOlder: z.boolean(),
  hasNewer: z.boolean(),
});
export type OpenConversation = z.infer<typeof openConversationSchema>;

/** The page of a branch before a message, oldest first. */
export const olderMessagesSchema = z.object({
  messages: z.array(threadMessageSchema),
  hasOlder: z.boolean(),
});
export type OlderMessages = z.infer<typeof olderMessagesSchema>;

/** The page of the branch shown after a message, oldest first. */
export const newerMessagesSchema = z.object({
  messages: z.array(threadMessageSchema),
  hasNewer: z.boolean(),
});
export type NewerMessages = z.infer<typeof newerMessagesSchema>;

/** A conversation written out for saving: the file's suggested name, its type and its text. */
export const conversationFileSchema = z.object({
  fileName: z.string(),
  mimeType: z.string(),
  content: z.string(),
});
export type ConversationFile = z.infer<typeof conversationFileSchema>;

const modelId = z.string().trim().min(1).max(200);
const messageText = z.string().max(400_000, 'is longer than 400,000 characters');

export const chatChannels = {
  'models.list': { request: empty, response: modelsStateSchema },
  'models.addCustom': { request: customModelSchema.strict(), response: modelsStateSchema },
  'models.removeCustom': { request: z.object({ id: modelId }).strict(), response: modelsStateSchema },
  /** A model was picked for a chat: it goes first among the recently used. */
  'models.used': { request: z.object({ id: modelId }).strict(), response: modelsStateSchema },

  'conversations.list': { request: empty, response: z.array(conversationSummarySchema) },
  'conversations.create': {
    request: z
      .object({
        model: modelId.optional(),
        api: chatApiSchema.optional(),
        systemPrompt: messageText.optional(),
      })
      .strict(),
    response: conversationSchema,
  },
  /** The newest page of the branch shown; with `around`, the page holding that message, on its branch. */
  'conversations.open': {
    request: z.object({ id, around: id.optional() }).strict(),
    response: openConversationSchema,
  },
  /** Scrolling up: the page before `before` (the first message the window holds). */
  'conversations.olderMessages': {
    request: z.object({ conversationId: id, before: id }).strict(),
    response: olderMessagesSchema,
  },
  /** Scrolling down in a page opened around a message: the page after `after` (the last one held). */
  'conversations.newerMessages': {
    request: z.object({ conversationId: id, after: id }).strict(),
    response: newerMessagesSchema,
  },
  'conversations.update': {
    request: z
      .object({
        id,
        patch: z
          .object({
            title: z.string().trim().min(1).max(200).optional(),
            pinned: z.boolean().optional(),
            model: modelId.optional(),
            api: chatApiSchema.optional(),
            systemPrompt: messageText.optional(),
            params: chatParamsSchema.optional(),
          })
          .strict(),
      })
      .strict(),
    response: conversationSchema,
  },
  /** Moves a conversation to the bin; `conversations.restore` undoes it. */
  'conversations.delete': { request: z.object({ id }).strict(), response: z.object({ id: z.string() }) },
  'conversations.restore': { request: z.object({ id }).strict(), response: conversationSchema },
  /** Shows the branch through a message, opened at that message. */
  'conversations.selectBranch': {
    request: z.object({ conversationId: id, messageId: id }).strict(),
    response: openConversationSchema,
  },
  'conversations.export': {
    request: z.object({ id, format: z.enum(['markdown', 'json']) }).strict(),
    response: conversationFileSchema,
  },
  'conversations.import': {
    request: z.object({ content: z.string().min(2).max(100_000_000) }).strict(),
    response: conversationSchema,
  },

  /** Commits the user message, then starts the reply; deltas follow as `chat.delta`, then one `chat.end`. */
  'chat.send': {
    request: z
      .object({
        conversationId: id,
        text: messageText,
        images: z.array(imageUploadSchema).max(10).default([]),
        /** Documents read by `chat.readDocument`, sent as context with this message. */
        documents: z.array(documentRefSchema).max(MAX_DOCUMENTS_PER_MESSAGE).default([]),
        /** Edit: the new message becomes a sibling of this user message; the old branch stays. */
        editOf: id.optional(),
        /** The knowledge bases (ids) for this message instead of the chat's; an empty list: none. */
        knowledgeBases: z.array(id).max(MAX_CHAT_BASES).optional(),
      })
      .strict(),
    response: z.object({ streamId: z.string(), userMessage: messageSchema, assistantMessageId: z.string() }),
  },
  /**
   * A file dropped into the composer: main extracts its text (PDF, DOCX, Markdown, HTML, text, code) and keeps it
   * for the message that sends it; the answer is the document with its token estimate, or why it cannot go.
   */
  'chat.readDocument': { request: documentUploadSchema.strict(), response: documentReadingSchema },
  /** A new reply to the same user message, as a sibling of the old one. */
  'chat.regenerate': {
    request: z.object({ conversationId: id, messageId: id }).strict(),
    response: z.object({ streamId: z.string(), assistantMessageId: z.string() }),
  },
  /**
   * The user's answer to a tool call shown as `waiting` in a reply's deltas: run it, run it with edited arguments,
   * or deny it (the model reads the denial). `answered` is false when the call no longer waits (the reply stopped).
   */
  'chat.answerTool': {
    request: z
      .object({
        messageId: id,
        callId: z.string().min(1).max(200),
        decision: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('allow') }).strict(),
          z.object({ kind: z.literal('deny'), reason: z.string().max(2000).optional() }).strict(),
          z.object({ kind: z.literal('edit'), arguments: z.record(z.string(), z.unknown()) }).strict(),
        ]),
      })
      .strict(),
    response: z.object({ answered: z.boolean() }),
  },
  'chat.cancel': {
    request: z.object({ streamId: id }).strict(),
    response: z.object({ cancelled: z.boolean() }),
  },

  'search.messages': {
    request: z
      .object({
        query: z.string().trim().min(1).max(500),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    response: z.array(searchHitSchema),
  },

  'drafts.get': {
    request: z.object({ conversationId: id }).strict(),
    response: z.object({ text: z.string() }),
  },
  'drafts.set': {
    request: z.object({ conversationId: id, text: messageText }).strict(),
    response: z.object({}),
  },
} as const satisfies ChannelMap;

export const chatEvents = {
  /** Conversations were added, changed or removed: the list should be read again. */
  'conversations.changed': z.object({ ids: z.array(z.string()) }),
  /** The user's own models or the recently used ones changed (in this window or another). */
  'models.changed': modelsStateSchema,
  'chat.delta': chatDeltaSchema,
  /** The reply's request is retried after a wait; the next `chat.delta` (or `chat.end`) ends the wait. */
  'chat.retrying': chatRetryingSchema,
  'chat.end': chatEndSchema,
} as const satisfies EventMap;
