import { type EndpointOverrides, resolveEndpointPath } from '../../shared/endpoints';
import {
  type ConnectionTestResult,
  type Profile,
  type ProfilesState,
  proxyUrlSchema,
  type TokenStatus,
} from '../../shared/profiles';
import {
  proxyCredentialsOf,
  sameProxy,
  withoutProxyCredentials,
  withProxyCredentials,
} from '../../shared/proxy-url';
import type { HttpTarget } from '../api/api-call';
import { HttpClient } from '../api/http-client';
import type { Clock } from '../base/clock';
import { HubError, invalidField } from '../base/errors';
import type { TokenStore } from '../secrets/token-store';
import type { ProfilesRepo } from '../store/profiles-repo';
import type { EventBus } from './event-bus';

/** The model of the connection test: the cheapest chat model the proxy documents, asked for one token. */
export const CONNECTION_TEST_MODEL = 'gpt-4.1-nano';
/** The connection test gives up after this long, whatever the proxy does. */
export const CONNECTION_TEST_DEADLINE_MS = 30_000;

export interface SettingsServiceDeps {
  profiles: ProfilesRepo;
  tokens: TokenStore;
  bus: EventBus;
  env: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Runs the connection test's deadline (tests inject one). */
  clock?: Clock;
}

/** Profiles, their tokens, and the connection test: the verbs of the Settings screen and `hubdesk profile|ping`. */
export class SettingsService {
  private readonly clients = new Map<string, HttpClient>();

  constructor(private readonly deps: SettingsServiceDeps) {}

  /** The long-lived client of the active profile (keep-alive connections are reused across requests). */
  activeClient(): HttpClient {
    const profileId = this.activeProfile().id;
    let client = this.clients.get(profileId);
    if (!client) {
      client = this.clientFor(profileId);
      this.clients.set(profileId, client);
    }
    return client;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.clients.values()].map((client) => client.close()));
    this.clients.clear();
  }

  listProfiles(): ProfilesState {
    return this.deps.profiles.state();
  }

  createProfile(input: { name: string; baseUrl: string }): Profile {
    const profile = this.deps.profiles.create(input);
    this.publishProfiles();
    return profile;
  }

  /**
   * Changes a profile, for callers that speak for the user themselves (the CLI, start-up, tests). A proxy URL here
   * carries no user name or password (`updateProfileFromWindow` keeps those in the keychain); saved ones stay
   * while the proxy stays the same, and are dropped with it.
   */
  updateProfile(id: string, patch: ProfileUpdate): Profile {
    return this.applyUpdate(id, patch, false);
  }

  /**
   * `profiles.update` from a window, which main does not take at its word:
   * - a base URL on another origin, for a profile that has a token, would send the token there with the next
   *   request: refused unless `confirmTokenTo` names that origin (the window asks the user first);
   * - a proxy URL's `user:password@` goes to the keychain, and only the URL without it to the database.
   */
  async updateProfileFromWindow(id: string, patch: ProfileUpdate, confirmTokenTo?: string): Promise<Profile> {
    const current = this.requireProfile(id);
    const newOrigin = patch.baseUrl === undefined ? null : originOf(patch.baseUrl);
    if (newOrigin !== null && newOrigin !== originOf(current.baseUrl) && confirmTokenTo !== newOrigin) {
      if ((await this.deps.tokens.status(id)).set) {
        throw new HubError({
          kind: 'invalid_input',
          message: `This profile has an API token, and saving ${newOrigin} as its base URL would send the token there. Confirm the new address first.`,
          field: 'confirmTokenTo',
          reason: { code: 'profileTokenToNewOrigin', values: { origin: newOrigin } },
        });
      }
    }
    const proxyUrl = patch.proxyUrl;
    const credentials = proxyUrl ? proxyCredentialsOf(proxyUrl) : null;
    if (proxyUrl && credentials !== null) {
      const checked = proxyUrlSchema.safeParse(proxyUrl);
      if (!checked.success) {
        throw new HubError(invalidField(checked.error.issues, proxyUrl, 'proxyUrl'));
      }
      await this.deps.tokens.setProxyCredentials(id, credentials);
      return this.applyUpdate(id, { ...patch, proxyUrl: withoutProxyCredentials(proxyUrl) }, true);
    }
    return this.applyUpdate(id, patch, false);
  }

  /**
   * Moves the proxy user names and passwords that an older HubDesk stored in the database to the keychain, and
   * overwrites them there. Without a keychain they stay (and keep working) until a start that has one.
   */
  async moveProxyCredentialsToKeychain(): Promise<void> {
    let moved = false;
    for (const { id, proxyUrl } of this.deps.profiles.proxyUrlsWithCredentials()) {
      const credentials = proxyCredentialsOf(proxyUrl);
      if (credentials === null) continue;
      try {
        await this.deps.tokens.setProxyCredentials(id, credentials);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.deps.log?.(`The proxy password of profile ${id} stays in the database for now: ${reason}`);
        continue;
      }
      moved =
        this.deps.profiles.forgetStoredProxyCredentials(id, proxyUrl, withoutProxyCredentials(proxyUrl)) ||
        moved;
    }
    if (moved) this.publishProfiles();
  }

  private applyUpdate(id: string, patch: ProfileUpdate, credentialsSaved: boolean): Profile {
    const current = this.requireProfile(id);
    let proxyCredentialsSet: boolean | undefined;
    if (patch.proxyUrl !== undefined) {
      proxyCredentialsSet =
        credentialsSaved ||
        (current.proxyCredentialsSet &&
          patch.proxyUrl !== null &&
          sameProxy(current.proxyUrl, patch.proxyUrl));
    }
    const profile = this.deps.profiles.update(id, {
      ...patch,
      ...(proxyCredentialsSet === undefined ? {} : { proxyCredentialsSet }),
    });
    if (proxyCredentialsSet === false && current.proxyCredentialsSet) {
      void this.deps.tokens.clearProxyCredentials(id).catch(() => undefined);
    }
    this.publishProfiles();
    return profile;
  }

  async deleteProfile(id: string): Promise<ProfilesState> {
    this.requireProfile(id);
    this.deps.profiles.delete(id);
    await this.clients.get(id)?.close();
    this.clients.delete(id);
    await this.deps.tokens.clear(id).catch(() => undefined);
    await this.deps.tokens.clearProxyCredentials(id).catch(() => undefined);
    return this.publishProfiles();
  }

  setActive(id: string): ProfilesState {
    this.deps.profiles.setActive(id);
    return this.publishProfiles();
  }

  activeProfile(): Profile {
    return this.deps.profiles.ensureDefault();
  }

  /** The model new conversations start with on the active profile, if it has one of its own. */
  activeDefaultModel(): string | null {
    return this.activeProfile().defaultModel;
  }

  async tokenStatus(profileId: string): Promise<TokenStatus> {
    this.requireProfile(profileId);
    return this.deps.tokens.status(profileId);
  }

  async setToken(profileId: string, token: string, persist: 'keychain' | 'session'): Promise<TokenStatus> {
    this.requireProfile(profileId);
    const status = await this.deps.tokens.set(profileId, token, persist);
    this.deps.bus.emit('token.changed', status);
    return status;
  }

  async clearToken(profileId: string): Promise<TokenStatus> {
    this.requireProfile(profileId);
    const status = await this.deps.tokens.clear(profileId);
    this.deps.bus.emit('token.changed', status);
    return status;
  }

  /** Where calls for this profile go. `HUBDESK_BASE_URL` redirects them for this run (headless use, demos). */
  httpTarget(profileId: string): HttpTarget {
    const profile = this.requireProfile(profileId);
    const baseUrl = this.deps.env.HUBDESK_BASE_URL?.trim().replace(/\/+$/, '') || profile.baseUrl;
    return { baseUrl, proxyUrl: profile.proxyUrl, endpointOverrides: profile.endpointOverrides };
  }

  /** A client bound to one profile; it re-reads the profile on every call, so edits apply at once. */
  clientFor(profileId: string): HttpClient {
    return new HttpClient({
      target: () => this.requestTarget(profileId),
      token: () => this.deps.tokens.get(profileId),
      env: this.deps.env,
      ...(this.deps.log ? { log: this.deps.log } : {}),
      ...(this.deps.clock ? { clock: this.deps.clock } : {}),
    });
  }

  /** One cheap real call (a one-token chat completion) that proves the base URL, the path and the token. */
  async testConnection(profileId: string): Promise<ConnectionTestResult> {
    const target = this.httpTarget(profileId);
    const client = this.clientFor(profileId);
    try {
      const result = await client.json({
        endpoint: 'openai.chat',
        json: {
          model: CONNECTION_TEST_MODEL,
          messages: [{ role: 'user', content: 'ping' }],
          max_tokens: 1,
        },
        retry: false,
        deadlineMs: CONNECTION_TEST_DEADLINE_MS,
      });
      return {
        latencyMs: Math.round(result.latencyMs),
        status: result.status,
        endpoint: `${target.baseUrl}${resolveEndpointPath('openai.chat', target.endpointOverrides)}`,
        model: CONNECTION_TEST_MODEL,
      };
    } finally {
      await client.close();
    }
  }

  /** What the HTTP client gets: the proxy URL with its user name and password, which only main ever holds. */
  private async requestTarget(profileId: string): Promise<HttpTarget> {
    const target = this.httpTarget(profileId);
    const stored = this.deps.profiles.storedProxyUrl(profileId);
    // A database from before the move, on a start without a keychain: the stored URL still has them.
    if (stored !== null && proxyCredentialsOf(stored) !== null) return { ...target, proxyUrl: stored };
    if (target.proxyUrl === null || !this.requireProfile(profileId).proxyCredentialsSet) return target;
    const credentials = await this.deps.tokens.proxyCredentials(profileId);
    return credentials === null
      ? target
      : { ...target, proxyUrl: withProxyCredentials(target.proxyUrl, credentials) };
  }

  private requireProfile(id: string): Profile {
    const profile = this.deps.profiles.get(id);
    if (!profile) {
      throw new HubError({
        kind: 'not_found',
        message: `There is no profile with id ${id}.`,
        reason: { code: 'profileGone', values: {} },
      });
    }
    return profile;
  }

  private publishProfiles(): ProfilesState {
    const state = this.deps.profiles.state();
    this.deps.bus.emit('profiles.changed', state);
    return state;
  }
}

export interface ProfileUpdate {
  name?: string;
  baseUrl?: string;
  proxyUrl?: string | null;
  endpointOverrides?: EndpointOverrides;
  defaultModel?: string | null;
}

function originOf(url: string): string | null {
  try {
    return new URL(url.trim()).origin;
  } catch {
    return null;
  }
}
