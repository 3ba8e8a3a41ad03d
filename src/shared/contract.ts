/**
 * The one contract between the renderer and main (docs/architecture.md §Rules 2).
 * Every invoke channel with its request and response schema, and every event with its payload.
 * Preload, routes, the renderer client and the test transports are all typed from this file.
 */
import { z } from 'zod';
import type { ChannelMap, EventMap } from './channel-map';
import {
  chatDeltaSchema,
  chatEndSchema,
  conversationSchema,
  conversationSummarySchema,
  imageUploadSchema,
  messageSchema,
  searchHitSchema,
  threadMessageSchema,
} from './chat';
import { chatParamsSchema } from './chat-params';
import { desktopChannels, desktopEvents } from './desktop';
import { menuEvents } from './desktop-menu';
import { doctorChannels } from './doctor';
import { endpointOverridesSchema } from './endpoints';
import { type AppError, appErrorSchema } from './errors';
import { languageChannels, languageEvents } from './i18n';
import { chatApiSchema, customModelSchema, modelInfoSchema } from './models';
import { searchChannels, searchEvents } from './search';
import { transcriptionChannels, transcriptionEvents } from './transcription';
import { videoChannels, videoEvents } from './videos/channels';

export const DEFAULT_BASE_URL = 'https://ai.tikhub.io';

const id = z.string().trim().min(1).max(100);

export const baseUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'must be an http(s) URL such as https://ai.tikhub.io, without a user name or password')
  .transform((value) => value.replace(/\/+$/, ''));

export const proxyUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) proxy URL such as http://127.0.0.1:3128');

export const profileSchema = z.object({
  id,
  name: z.string(),
  baseUrl: z.string(),
  /** HTTP(S) proxy for this profile; null means "use HTTPS_PROXY from the environment, if set". */
  proxyUrl: z.string().nullable(),
  endpointOverrides: endpointOverridesSchema,
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Profile = z.infer<typeof profileSchema>;

export const profilesStateSchema = z.object({
  profiles: z.array(profileSchema),
  activeId: z.string().nullable(),
});
export type ProfilesState = z.infer<typeof profilesStateSchema>;

export const tokenSourceSchema = z.enum(['keychain', 'session', 'env']);
export type TokenSource = z.infer<typeof tokenSourceSchema>;

export const keychainStatusSchema = z.object({
  available: z.boolean(),
  /** Why the keychain cannot be used, in plain words (absent when available). */
  error: z.string().optional(),
});
export type KeychainStatus = z.infer<typeof keychainStatusSchema>;

/** What the renderer may know about a token: whether one is set and where it lives. Never the token. */
export const tokenStatusSchema = z.object({
  profileId: z.string(),
  set: z.boolean(),
  source: tokenSourceSchema.nullable(),
  keychain: keychainStatusSchema,
});
export type TokenStatus = z.infer<typeof tokenStatusSchema>;

export const connectionTestResultSchema = z.object({
  latencyMs: z.number(),
  status: z.number().int(),
  endpoint: z.string(),
  model: z.string(),
});
export type ConnectionTestResult = z.infer<typeof connectionTestResultSchema>;

export const appInfoSchema = z.object({
  version: z.string(),
  dataDir: z.string(),
  databasePath: z.string(),
  libraryDir: z.string(),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

const empty = z.object({}).strict();

export const modelsStateSchema = z.object({
  /** The catalogue followed by the user's own model ids. */
  models: z.array(modelInfoSchema),
  custom: z.array(customModelSchema),
});
export type ModelsState = z.infer<typeof modelsStateSchema>;

/** A conversation as opened: its settings and the messages of the branch being shown, oldest first. */
export const openConversationSchema = z.object({
  conversation: conversationSchema,
  messages: z.array(threadMessageSchema),
});
export type OpenConversation = z.infer<typeof openConversationSchema>;

const modelId = z.string().trim().min(1).max(200);
const messageText = z.string().max(400_000, 'is longer than 400,000 characters');

const coreChannels = {
  'app.info': { request: empty, response: appInfoSchema },

  'profiles.list': { request: empty, response: profilesStateSchema },
  'profiles.create': {
    request: z.object({ name: z.string().trim().min(1).max(80), baseUrl: baseUrlSchema }).strict(),
    response: profileSchema,
  },
  'profiles.update': {
    request: z
      .object({
        id,
        patch: z
          .object({
            name: z.string().trim().min(1).max(80).optional(),
            baseUrl: baseUrlSchema.optional(),
            proxyUrl: proxyUrlSchema.nullable().optional(),
            endpointOverrides: endpointOverridesSchema.optional(),
          })
          .strict(),
      })
      .strict(),
    response: profileSchema,
  },
  'profiles.delete': { request: z.object({ id }).strict(), response: profilesStateSchema },
  'profiles.setActive': { request: z.object({ id }).strict(), response: profilesStateSchema },

  'token.status': { request: z.object({ profileId: id }).strict(), response: tokenStatusSchema },
  'token.set': {
    request: z
      .object({
        profileId: id,
        token: z
          .string()
          .trim()
          .min(8, 'is too short to be an API token')
          .max(4096)
          .regex(/^[\x21-\x7e]+$/, 'may contain only visible ASCII characters, no spaces'),
        /** `session` keeps the token in memory for this run only (when no keychain is reachable). */
        persist: z.enum(['keychain', 'session']),
      })
      .strict(),
    response: tokenStatusSchema,
  },
  'token.clear': { request: z.object({ profileId: id }).strict(), response: tokenStatusSchema },

  'connection.test': {
    request: z.object({ profileId: id }).strict(),
    response: connectionTestResultSchema,
  },

  'models.list': { request: empty, response: modelsStateSchema },
  'models.addCustom': { request: customModelSchema.strict(), response: modelsStateSchema },
  'models.removeCustom': { request: z.object({ id: modelId }).strict(), response: modelsStateSchema },

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
  'conversations.open': { request: z.object({ id }).strict(), response: openConversationSchema },
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
  'conversations.selectBranch': {
    request: z.object({ conversationId: id, messageId: id }).strict(),
    response: openConversationSchema,
  },
  'conversations.export': {
    request: z.object({ id, format: z.enum(['markdown', 'json']) }).strict(),
    response: z.object({ fileName: z.string(), mimeType: z.string(), content: z.string() }),
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
        /** Edit: the new message becomes a sibling of this user message; the old branch stays. */
        editOf: id.optional(),
      })
      .strict(),
    response: z.object({ streamId: z.string(), userMessage: messageSchema, assistantMessageId: z.string() }),
  },
  /** A new reply to the same user message, as a sibling of the old one. */
  'chat.regenerate': {
    request: z.object({ conversationId: id, messageId: id }).strict(),
    response: z.object({ streamId: z.string(), assistantMessageId: z.string() }),
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

/** Every invoke channel of the app: the core ones above and each capability's own group. */
export const channels = {
  ...coreChannels,
  ...transcriptionChannels,
  ...videoChannels,
  ...searchChannels,
  ...desktopChannels,
  ...languageChannels,
  ...doctorChannels,
} as const;

const coreEvents = {
  /** Profiles were added, changed, removed, or another became active. */
  'profiles.changed': profilesStateSchema,
  /** A token was set or cleared for a profile. */
  'token.changed': tokenStatusSchema,
  /** Conversations were added, changed or removed: the list should be read again. */
  'conversations.changed': z.object({ ids: z.array(z.string()) }),
  'chat.delta': chatDeltaSchema,
  'chat.end': chatEndSchema,
} as const satisfies EventMap;

export const events = {
  ...coreEvents,
  ...transcriptionEvents,
  ...videoEvents,
  ...searchEvents,
  ...desktopEvents,
  ...menuEvents,
  ...languageEvents,
} as const;

export type Channel = keyof typeof channels;
export type EventName = keyof typeof events;
export type RequestOf<C extends Channel> = z.input<(typeof channels)[C]['request']>;
export type ParsedRequestOf<C extends Channel> = z.output<(typeof channels)[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<(typeof channels)[C]['response']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const channelNames = Object.keys(channels) as Channel[];
export const eventNames = Object.keys(events) as EventName[];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(channels, value);
}
export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value);
}

/**
 * Every invoke resolves to this envelope: errors are values (docs/architecture.md §Rules 8),
 * never thrown across IPC.
 */
export type InvokeResult<T> = { ok: true; value: T } | { ok: false; error: AppError };
export const invokeResultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: appErrorSchema }),
]);

/**
 * What preload exposes as `window.hub`: one function per contract channel (no generic invoke),
 * and a subscription that accepts only contract events.
 */
export type HubBridge = {
  invoke: { [C in Channel]: (request: RequestOf<C>) => Promise<InvokeResult<ResponseOf<C>>> };
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /**
   * The path of a file the user dropped or picked, for main to read (Electron's webUtils.getPathForFile).
   * The renderer never reads such files itself.
   */
  pathForFile(file: Blob & { readonly name: string }): Promise<string>;
};
