import { z } from 'zod';
import { kbSourcesSchema } from './chat-knowledge';
import { chatParamsSchema } from './chat-params';
import { documentRefSchema } from './documents';
import { appErrorKinds, appErrorSchema } from './errors';
import { chatApiSchema } from './models';
import { toolResultSchema } from './tools';

/**
 * The title a conversation has until its first message names it. Stored as is (the CLI and exports show it); the
 * window shows it in the UI language instead (chat:list.untitled).
 */
export const UNTITLED_CONVERSATION = 'New chat';

export const messageStatusSchema = z.enum(['streaming', 'complete', 'interrupted', 'failed']);
export type MessageStatus = z.infer<typeof messageStatusSchema>;

export const usageSchema = z.object({
  inputTokens: z.number().int().optional(),
  outputTokens: z.number().int().optional(),
  cachedTokens: z.number().int().optional(),
  reasoningTokens: z.number().int().optional(),
  totalTokens: z.number().int().optional(),
  /** How long the model reasoned before it began to answer, by HubDesk's clock (absent when it did not reason). */
  reasoningMs: z.number().min(0).optional(),
});
export type Usage = z.infer<typeof usageSchema>;

/**
 * Where a tool call stands in the tool loop (issue 15): `streaming` while the model writes it, `waiting` for the
 * user's approval, `running`, then `done` (its result may be an error the tool reported), `denied`, `failed`
 * (HubDesk could not run it: no such tool, arguments that are not JSON, the server failed), `cancelled` (Stop), or
 * `skipped` (the step limit was reached before it ran).
 */
export const toolCallStatusSchema = z.enum([
  'streaming',
  'waiting',
  'running',
  'done',
  'denied',
  'failed',
  'cancelled',
  'skipped',
]);
export type ToolCallStatus = z.infer<typeof toolCallStatusSchema>;

export const toolApprovalSchema = z.enum(['auto', 'allowed', 'edited', 'denied']);
export type ToolApproval = z.infer<typeof toolApprovalSchema>;

export const toolCallSchema = z.object({
  id: z.string(),
  /** The name the model used (for a tool HubDesk offered, `server__tool`). */
  name: z.string(),
  /** The arguments as the model wrote them (a JSON text, possibly partial while streaming). */
  arguments: z.string(),
  /** An opaque token the provider gave with the call and wants back with it (Gemini's `thoughtSignature`). */
  signature: z.string().optional(),
  /** The tool loop's round this call belongs to, from 0; absent on calls HubDesk did not run. */
  step: z.number().int().min(0).optional(),
  /** How much of the message's text came before this call's round (the round's text is what precedes it). */
  textOffset: z.number().int().min(0).optional(),
  /** The provider and tool the name maps to. */
  server: z.string().optional(),
  tool: z.string().optional(),
  status: toolCallStatusSchema.optional(),
  approval: toolApprovalSchema.optional(),
  /** The arguments the tool ran with, when the user edited them. */
  runArguments: z.string().optional(),
  /** What the model is sent back: the tool's result, or an error result that says why it did not run. */
  result: toolResultSchema.optional(),
  /** The result's text was cut to this many characters from this many. */
  truncatedFrom: z.number().int().optional(),
  /** Why HubDesk could not run it (status `failed`), as the window shows errors. */
  error: appErrorSchema.optional(),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

/**
 * The calls of a reply that ended while they were still being written, waiting or running (a crash, a stop): each
 * becomes `cancelled`, with a result that says so, so the model reads why it has no answer.
 */
export function settleToolCalls(calls: ToolCall[]): ToolCall[] {
  return calls.map((call) =>
    call.status === 'streaming' || call.status === 'waiting' || call.status === 'running'
      ? {
          ...call,
          status: 'cancelled',
          result: {
            content: [{ type: 'text', text: 'The reply was interrupted before this tool call finished.' }],
            isError: true,
          },
        }
      : call,
  );
}

/** An image kept with a message: a file in the library folder, by relative path. */
export const imageRefSchema = z.object({
  path: z.string(),
  mimeType: z.string(),
  name: z.string(),
});
export type ImageRef = z.infer<typeof imageRefSchema>;

export const messageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  /** Messages form a tree: an edit or a regenerate adds a sibling; the old branch stays. */
  parentId: z.string().nullable(),
  role: z.enum(['user', 'assistant']),
  text: z.string(),
  /** Reasoning shown apart from the answer; never sent back to the model. */
  reasoning: z.string(),
  images: z.array(imageRefSchema),
  /** Documents sent as context with a user message (their text is a file in the library). */
  documents: z.array(documentRefSchema).default([]),
  toolCalls: z.array(toolCallSchema),
  /** The passages of the user's knowledge bases the reply was given (absent when none): its `[n]` cite them. */
  sources: kbSourcesSchema.optional(),
  model: z.string().nullable(),
  api: chatApiSchema.nullable(),
  status: messageStatusSchema,
  finishReason: z.string().nullable(),
  error: appErrorSchema.nullable(),
  usage: usageSchema.nullable(),
  /** Milliseconds from sending to the first streamed token. */
  firstTokenMs: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Message = z.infer<typeof messageSchema>;

/** A message as shown in a conversation: with its place among its siblings (the branches at that point). */
export const threadMessageSchema = messageSchema.extend({
  siblingIds: z.array(z.string()),
});
export type ThreadMessage = z.infer<typeof threadMessageSchema>;

export const conversationSchema = z.object({
  id: z.string(),
  title: z.string(),
  pinned: z.boolean(),
  model: z.string(),
  api: chatApiSchema,
  systemPrompt: z.string(),
  params: chatParamsSchema,
  /** The last message of the branch being shown. */
  activeLeafId: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Conversation = z.infer<typeof conversationSchema>;

export const conversationSummarySchema = conversationSchema
  .pick({ id: true, title: true, pinned: true, model: true, updatedAt: true })
  .extend({ preview: z.string(), messageCount: z.number().int() });
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

export const searchHitSchema = z.object({
  conversationId: z.string(),
  conversationTitle: z.string(),
  messageId: z.string(),
  role: z.enum(['user', 'assistant']),
  /** The matching passage; matches are wrapped in \u0002 … \u0003 (never HTML). */
  snippet: z.string(),
  createdAt: z.number(),
  /** Set when the words were found in this tool call (its name, arguments or result), not in the text. */
  toolName: z.string().optional(),
});
export type SearchHit = z.infer<typeof searchHitSchema>;
export const SNIPPET_MATCH_START = '\u0002';
export const SNIPPET_MATCH_END = '\u0003';

/** Coalesced stream deltas: at most one per ~16 ms per stream, numbered from 1. */
export const chatDeltaSchema = z.object({
  streamId: z.string(),
  conversationId: z.string(),
  messageId: z.string(),
  seq: z.number().int(),
  text: z.string().optional(),
  reasoning: z.string().optional(),
  /** The whole current list of tool calls, when it changed. */
  toolCalls: z.array(toolCallSchema).optional(),
  usage: usageSchema.optional(),
  firstTokenMs: z.number().optional(),
  /** The reply's sources (passages it was given), once, with the first delta after they were found. */
  sources: kbSourcesSchema.optional(),
});
export type ChatDelta = z.infer<typeof chatDeltaSchema>;

/** The one terminal event of a stream: the stored assistant message (complete, interrupted or failed). */
export const chatEndSchema = z.object({
  streamId: z.string(),
  conversationId: z.string(),
  seq: z.number().int(),
  message: messageSchema,
});
export type ChatEnd = z.infer<typeof chatEndSchema>;

/**
 * The request of a reply failed and is tried again after `waitMs` (a rate limit, a server error); the window says
 * so until the next delta. Only before the reply's first delta: a stream that started is never retried.
 */
export const chatRetryingSchema = z.object({
  streamId: z.string(),
  conversationId: z.string(),
  messageId: z.string(),
  /** 1 for the first retry. */
  attempt: z.number().int().min(1),
  maxAttempts: z.number().int().min(1),
  waitMs: z.number().min(0),
  /** The kind of the failure that is retried (`rate_limited`, `server`, …). */
  reason: z.enum(appErrorKinds),
});
export type ChatRetrying = z.infer<typeof chatRetryingSchema>;

/** An image sent with a prompt, as the renderer hands it over. */
export const imageUploadSchema = z.object({
  name: z.string().max(300),
  mimeType: z.enum(['image/png', 'image/jpeg', 'image/webp', 'image/gif']),
  dataBase64: z
    .string()
    .max(28_000_000, 'is larger than 20 MB')
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'is not base64'),
});
export type ImageUpload = z.infer<typeof imageUploadSchema>;
