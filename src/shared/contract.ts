/**
 * The one contract between the renderer and main (DESIGN.md rule 2).
 * Every invoke channel with its request and response schema, and every event with its payload.
 * Preload, routes, the renderer client and the test transports are all typed from this file.
 */
import { z } from 'zod';
import { endpointOverridesSchema } from './endpoints';
import { type AppError, appErrorSchema } from './errors';

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

export const channels = {
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
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

export const events = {
  /** Profiles were added, changed, removed, or another became active. */
  'profiles.changed': profilesStateSchema,
  /** A token was set or cleared for a profile. */
  'token.changed': tokenStatusSchema,
} as const satisfies Record<string, z.ZodType>;

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

/** Every invoke resolves to this envelope: errors are values (DESIGN.md rule 8), never thrown across IPC. */
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
};
