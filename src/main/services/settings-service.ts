import { type EndpointOverrides, resolveEndpointPath } from '../../shared/endpoints';
import type { ConnectionTestResult, Profile, ProfilesState, TokenStatus } from '../../shared/profiles';
import type { HttpTarget } from '../api/api-call';
import { HttpClient } from '../api/http-client';
import type { Clock } from '../base/clock';
import { HubError } from '../base/errors';
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

  updateProfile(
    id: string,
    patch: {
      name?: string;
      baseUrl?: string;
      proxyUrl?: string | null;
      endpointOverrides?: EndpointOverrides;
    },
  ): Profile {
    const profile = this.deps.profiles.update(id, patch);
    this.publishProfiles();
    return profile;
  }

  async deleteProfile(id: string): Promise<ProfilesState> {
    this.requireProfile(id);
    this.deps.profiles.delete(id);
    await this.clients.get(id)?.close();
    this.clients.delete(id);
    await this.deps.tokens.clear(id).catch(() => undefined);
    return this.publishProfiles();
  }

  setActive(id: string): ProfilesState {
    this.deps.profiles.setActive(id);
    return this.publishProfiles();
  }

  activeProfile(): Profile {
    return this.deps.profiles.ensureDefault();
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
      target: () => this.httpTarget(profileId),
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

  private requireProfile(id: string): Profile {
    const profile = this.deps.profiles.get(id);
    if (!profile) throw new HubError({ kind: 'not_found', message: `There is no profile with id ${id}.` });
    return profile;
  }

  private publishProfiles(): ProfilesState {
    const state = this.deps.profiles.state();
    this.deps.bus.emit('profiles.changed', state);
    return state;
  }
}
