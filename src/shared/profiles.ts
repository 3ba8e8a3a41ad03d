/** Profiles (a proxy's address and settings), their tokens, and the connection test: the settings page's contract. */
import { z } from 'zod';
import type { ChannelMap, EventMap } from './channel-map';
import { endpointOverridesSchema } from './endpoints';
import { errorReasonSchema } from './error-reasons';
import { isHttpUrlWithoutCredentials } from './urls';

const id = z.string().trim().min(1).max(100);
const empty = z.object({}).strict();

export const DEFAULT_BASE_URL = 'https://ai.tikhub.io';

export const baseUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine(
    isHttpUrlWithoutCredentials,
    'must be an http(s) URL such as https://ai.tikhub.io, without a user name or password',
  )
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
  /**
   * HTTP(S) proxy for this profile, without its user name and password; null means "use HTTPS_PROXY from the
   * environment, if set".
   */
  proxyUrl: z.string().nullable(),
  /** Whether a user name and password for the proxy are kept (in the keychain: the window never gets them). */
  proxyCredentialsSet: z.boolean(),
  endpointOverrides: endpointOverridesSchema,
  /** The model new conversations on this profile start with; null: HubDesk's default (or the open chat's). */
  defaultModel: z.string().nullable(),
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
  /** The same as a code and values, which the window words in its language. */
  reason: errorReasonSchema.optional(),
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

export const profileChannels = {
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
            /**
             * A `user:password@` in it goes to the keychain. Without one, the saved credentials stay while the proxy
             * (scheme, host, port) stays the same; another proxy, or none, drops them.
             */
            proxyUrl: proxyUrlSchema.nullable().optional(),
            endpointOverrides: endpointOverridesSchema.optional(),
            /** null: no default of its own. */
            defaultModel: z.string().trim().min(1).max(200).nullable().optional(),
          })
          .strict(),
        /**
         * A new base URL on another origin, for a profile that has a token, sends the token there: main refuses it
         * unless this names that origin, which the window sends only after the user confirmed it.
         */
        confirmTokenTo: z.string().max(2000).optional(),
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
} as const satisfies ChannelMap;

export const profileEvents = {
  /** Profiles were added, changed, removed, or another became active. */
  'profiles.changed': profilesStateSchema,
  /** A token was set or cleared for a profile. */
  'token.changed': tokenStatusSchema,
} as const satisfies EventMap;
