/**
 * Search by meaning (issue 6): one search box over conversations, transcript segments and video prompts, the
 * background embeddings index behind it, and their contract channels and events. Spread into contract.ts.
 *
 * Keyword hits come from the FTS5 indexes (work offline); meaning hits come from stored embeddings (the query's
 * own embedding needs the network unless it was asked recently). Both are blended by reciprocal rank fusion.
 */
import { z } from 'zod';
import type { ChannelMap, EventMap } from './channel-map';

/** What a hit points at: a chat message, a passage of a transcript, or a generated video's prompt. */
export const searchKinds = ['message', 'segment', 'video'] as const;
export const searchKindSchema = z.enum(searchKinds);
export type SearchKind = z.infer<typeof searchKindSchema>;

export const DEFAULT_EMBEDDING_MODEL = 'text-embedding-3-small';
/** Models the settings offer; any other id is accepted too (a gateway may serve others). */
export const embeddingModels = [
  'text-embedding-3-small',
  'text-embedding-3-large',
  'text-embedding-ada-002',
] as const;
/** Only the 3-series models accept a `dimensions` parameter (docs/proxy-api.md §4.1). */
export function modelAcceptsDimensions(model: string): boolean {
  return model.startsWith('text-embedding-3');
}

const hitBase = {
  /** Stable id of the item: a message id, `<transcriptId>:<segmentIndex>`, or a video job id. */
  id: z.string(),
  /** Conversation title, transcript file name, or the video's vendor and model. */
  title: z.string(),
  /**
   * The passage to show. Where the keyword search matched, matches are wrapped in \u0002 … \u0003
   * (SNIPPET_MATCH_START / SNIPPET_MATCH_END from shared/chat); a meaning-only hit has no markers.
   */
  snippet: z.string(),
  /** When the item was created, ms since the epoch. */
  date: z.number(),
  /** Fused rank score: higher is better; only comparable within one response. */
  score: z.number(),
  /** Which search found it: the words, the meaning, or both. */
  matchedBy: z.enum(['keyword', 'meaning', 'both']),
};

export const messageHitSchema = z.object({
  kind: z.literal('message'),
  ...hitBase,
  role: z.enum(['user', 'assistant']),
  /** Set when the keyword search found the words in this tool call (name, arguments or result), not the text. */
  toolName: z.string().optional(),
  /** Open the conversation and scroll to the message. */
  target: z.object({ conversationId: z.string(), messageId: z.string() }),
});
export const segmentHitSchema = z.object({
  kind: z.literal('segment'),
  ...hitBase,
  /** Open the transcript at this segment and seek the player to `startSec`. */
  target: z.object({ transcriptId: z.string(), segmentIndex: z.number().int(), startSec: z.number() }),
});
export const videoHitSchema = z.object({
  kind: z.literal('video'),
  ...hitBase,
  /** Open the video in the library. */
  target: z.object({ videoId: z.string() }),
});
export const everythingHitSchema = z.discriminatedUnion('kind', [
  messageHitSchema,
  segmentHitSchema,
  videoHitSchema,
]);
export type EverythingHit = z.infer<typeof everythingHitSchema>;
export type MessageHit = z.infer<typeof messageHitSchema>;
export type SegmentHit = z.infer<typeof segmentHitSchema>;
export type VideoHit = z.infer<typeof videoHitSchema>;

export const meaningReasonCodes = [
  'notIndexed',
  'noEmbedding',
  'offline',
  'needsToken',
  'unavailable',
  'relatedNotIndexed',
] as const;
/** Why meaning search did not run: a code each side words in its language, and the error it met, if any. */
export const meaningReasonSchema = z.object({
  code: z.enum(meaningReasonCodes),
  detail: z.string().optional(),
});
export type MeaningReason = z.infer<typeof meaningReasonSchema>;

/** The key of a reason's sentence in search.json (`reasons.*`): the window and the CLI word it from there. */
export function meaningReasonKey(reason: MeaningReason): MeaningReason['code'] | 'notIndexedDetail' {
  return reason.code === 'notIndexed' && reason.detail ? 'notIndexedDetail' : reason.code;
}

export const searchResultSchema = z.object({
  hits: z.array(everythingHitSchema),
  /** False when only keyword search ran (offline, no token, nothing indexed yet…). */
  meaningUsed: z.boolean(),
  /** Why meaning search did not run (absent when it ran). */
  meaningUnavailable: meaningReasonSchema.optional(),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

export const kindProgressSchema = z.object({
  /** Items (messages, transcript segments, videos with a prompt) whose vectors are up to date. */
  indexed: z.number().int(),
  total: z.number().int(),
});
export type KindProgress = z.infer<typeof kindProgressSchema>;

export const indexSettingsSchema = z.object({
  model: z.string(),
  /** Requested vector length (3-series models only); null = the model's own length. */
  dimensions: z.number().int().nullable(),
});
export type IndexSettings = z.infer<typeof indexSettingsSchema>;

export const indexStatusSchema = z.object({
  ...indexSettingsSchema.shape,
  kinds: z.object({ message: kindProgressSchema, segment: kindProgressSchema, video: kindProgressSchema }),
  /** Sums over the kinds. */
  indexed: z.number().int(),
  total: z.number().int(),
  /** Tokens the proxy reported for indexing with the current model since its last rebuild. */
  tokensUsed: z.number().int(),
  /** Paused by the user (kept across restarts). */
  paused: z.boolean(),
  /** An embeddings request is in flight or more batches are about to follow. */
  running: z.boolean(),
  /** The last request failed for lack of network; the indexer retries by itself. */
  offline: z.boolean(),
  /** The last failure, in words a person can read; null after a batch succeeds. */
  lastError: z.string().nullable(),
  /** How vectors are searched: the sqlite-vec extension, or an exact scan where it does not load. */
  vectorSearch: z.enum(['sqlite-vec', 'scan']),
});
export type IndexStatus = z.infer<typeof indexStatusSchema>;

const id = z.string().trim().min(1).max(100);
const empty = z.object({}).strict();
const embeddingModelId = z.string().trim().min(1).max(200);
const dimensionsSchema = z.number().int().min(1).max(8192);

export const searchChannels = {
  /**
   * The one search box (Ctrl/Cmd+K): keyword and meaning hits over every kind, blended, best first. Works
   * offline with keyword hits only (then `meaningUsed` is false and the reason says meaning needs the network,
   * unless this query was asked recently).
   */
  'search.everything': {
    request: z
      .object({
        query: z.string().trim().min(1).max(500),
        /** Absent = every kind. */
        kinds: z.array(searchKindSchema).min(1).max(3).optional(),
        limit: z.number().int().min(1).max(100).default(20),
      })
      .strict(),
    response: searchResultSchema,
  },
  /**
   * "Related" on a message: the closest messages in other conversations (one hit per conversation), by the
   * message's stored vector; needs no network. Empty with a reason when the message is not indexed yet.
   */
  'search.related': {
    request: z.object({ messageId: id, limit: z.number().int().min(1).max(50).default(5) }).strict(),
    response: z.object({
      hits: z.array(messageHitSchema),
      meaningUsed: z.boolean(),
      meaningUnavailable: meaningReasonSchema.optional(),
    }),
  },

  /** Progress of the index for Settings: items indexed / total per kind, tokens, model, paused, errors. */
  'index.status': { request: empty, response: indexStatusSchema },
  /** Stops sending embeddings requests until `index.resume` (kept across restarts). */
  'index.pause': { request: empty, response: indexStatusSchema },
  'index.resume': { request: empty, response: indexStatusSchema },
  /**
   * Drops every stored vector and indexes everything again, with a new model or dimensions when given (these
   * become the settings). Vectors of different models are never compared.
   */
  'index.rebuild': {
    request: z
      .object({ model: embeddingModelId.optional(), dimensions: dimensionsSchema.nullable().optional() })
      .strict(),
    response: indexStatusSchema,
  },
  /** The embeddings model and dimensions the index uses. */
  'index.getSettings': { request: empty, response: indexSettingsSchema },
  /**
   * Changes the model or dimensions; a change rebuilds the index (same as `index.rebuild`). `dimensions` is
   * refused for models other than the 3-series.
   */
  'index.setSettings': {
    request: z
      .object({ model: embeddingModelId.optional(), dimensions: dimensionsSchema.nullable().optional() })
      .strict(),
    response: indexSettingsSchema,
  },
} as const satisfies ChannelMap;

export const searchEvents = {
  /** The index moved on (a batch finished, it paused, resumed, went offline, or was rebuilt); ≤ a few per s. */
  'index.progress': indexStatusSchema,
} as const satisfies EventMap;
