import type { ErrorReason, KeychainAction } from '../../shared/error-reasons';
import type { KeychainStatus, TokenSource, TokenStatus } from '../../shared/profiles';
import { HubError } from '../base/errors';

export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export interface TokenStoreOptions {
  /** The keychain, or a loader for it (default: the real keytar, loaded on first use). */
  keytar?: KeytarLike | (() => Promise<KeytarLike>);
  env?: NodeJS.ProcessEnv;
  /** Keychain service name; tests use a unique one. */
  service?: string;
}

export const DEFAULT_KEYCHAIN_SERVICE = 'HubDesk';
export const TOKEN_ENV_VAR = 'HUBDESK_TOKEN';
const PROBE_ACCOUNT = 'keychain-probe';

const SESSION_HINT = 'or keep the token for this run only.';
const PROXY_NEEDS_KEYCHAIN =
  'HubDesk keeps a proxy’s user name and password only in the system keychain, which is not available. Unlock or install one (gnome-keyring, KWallet), or give the proxy in HTTPS_PROXY when starting HubDesk.';

/** The keychain account of a profile's proxy user name and password. */
export function proxyAccount(profileId: string): string {
  return `${profileId}:proxy`;
}
export const NO_SECRET_SERVICE_MESSAGE = `No system keychain (Secret Service) is reachable: install and unlock gnome-keyring or KWallet, ${SESSION_HINT}`;

/** Why the keychain cannot be used: in English (CLI, log) and as a reason the window words. */
export interface KeychainFailure {
  message: string;
  reason: ErrorReason;
}

const NO_SECRET_SERVICE: KeychainFailure = {
  message: NO_SECRET_SERVICE_MESSAGE,
  reason: { code: 'keychainMissing', values: {} },
};
const PROXY_NEEDS: KeychainFailure = {
  message: PROXY_NEEDS_KEYCHAIN,
  reason: { code: 'proxyNeedsKeychain', values: {} },
};

/** What HubDesk was doing, in English. */
const actionWords: Record<KeychainAction, string> = {
  storeToken: 'store the token',
  removeToken: 'remove the token',
  readToken: 'read the token',
  reachKeychain: 'reach it',
  storeProxyPassword: 'store the proxy password',
  removeProxyPassword: 'remove the proxy password',
  readSecret: 'read a secret',
  storeSecret: 'store a secret',
  removeSecret: 'remove a secret',
};

/**
 * Where the API token of each profile lives: HUBDESK_TOKEN (headless use) wins over a token kept for
 * this run only, which wins over the system keychain (service "HubDesk", account = profile id).
 * Nothing here returns the token except `get`, which only main-process code calls.
 */
export class TokenStore {
  private readonly service: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly loadKeytar: () => Promise<KeytarLike>;
  private keytar: Promise<KeytarLike> | undefined;
  private probe: Promise<KeychainStatus> | undefined;
  private writeFailure: KeychainFailure | undefined;
  private readonly sessionTokens = new Map<string, string>();

  constructor(options: TokenStoreOptions = {}) {
    this.service = options.service ?? DEFAULT_KEYCHAIN_SERVICE;
    this.env = options.env ?? process.env;
    const keytar = options.keytar;
    this.loadKeytar =
      keytar === undefined ? loadRealKeytar : typeof keytar === 'function' ? keytar : async () => keytar;
  }

  /**
   * Whether the keychain can be used. A working keychain is remembered; after a failure the next call asks
   * again. A keychain that answers but refused the last write counts as unavailable until a write succeeds.
   */
  async keychainStatus(): Promise<KeychainStatus> {
    return this.withWriteFailure(await this.probeKeychain());
  }

  /**
   * What `hubdesk doctor` reports, from the same probe: whether the keychain module loads, and whether a
   * keychain answers.
   */
  async diagnose(): Promise<{ moduleLoaded: boolean; keychain: KeychainStatus }> {
    const keychain = await this.keychainStatus();
    // A module that fails to load is forgotten by the probe (so the next call loads it again).
    return { moduleLoaded: this.keytar !== undefined, keychain };
  }

  /** The token to send for this profile, or null when none is set anywhere. */
  async get(profileId: string): Promise<string | null> {
    return (await this.lookup(profileId)).token;
  }

  async status(profileId: string): Promise<TokenStatus> {
    const { source, keychain } = await this.lookup(profileId);
    return { profileId, set: source !== null, source, keychain: this.withWriteFailure(keychain) };
  }

  /** Stores the token in one place and removes it from the other. */
  async set(profileId: string, token: string, persist: 'keychain' | 'session'): Promise<TokenStatus> {
    const value = token.trim();
    if (!value) {
      throw new HubError({
        kind: 'invalid_input',
        message: 'The token is empty.',
        field: 'token',
        reason: { code: 'tokenEmpty', values: {} },
      });
    }
    const keychain = await this.reachableKeychain();
    if (persist === 'keychain') {
      if (!keychain.keytar) throw unavailableError(failureOf(keychain.status));
      try {
        await keychain.keytar.setPassword(this.service, profileId, value);
      } catch (error) {
        this.writeFailure = keychainFailure(error, 'storeToken');
        throw unavailableError(this.writeFailure);
      }
      this.writeFailure = undefined;
      this.sessionTokens.delete(profileId);
    } else {
      this.sessionTokens.set(profileId, value);
      // The session copy wins anyway, so a keychain that refuses to forget is not an error here.
      await keychain.keytar?.deletePassword(this.service, profileId).catch(() => false);
    }
    return this.status(profileId);
  }

  /** Removes the session and keychain copies. A token from HUBDESK_TOKEN stays (status says `env`). */
  async clear(profileId: string): Promise<TokenStatus> {
    this.sessionTokens.delete(profileId);
    const keychain = await this.reachableKeychain();
    try {
      await keychain.keytar?.deletePassword(this.service, profileId);
    } catch (error) {
      throw unavailableError(keychainFailure(error, 'removeToken'));
    }
    return this.status(profileId);
  }

  /** The proxy's `user:password` for this profile, from the keychain (the only place it is kept); null if none. */
  async proxyCredentials(profileId: string): Promise<string | null> {
    const keychain = await this.reachableKeychain();
    if (!keychain.keytar) return null;
    try {
      return (await keychain.keytar.getPassword(this.service, proxyAccount(profileId))) || null;
    } catch {
      this.probe = undefined;
      return null;
    }
  }

  /** Keeps the proxy's `user:password` in the keychain; refused when there is none (it is never kept elsewhere). */
  async setProxyCredentials(profileId: string, credentials: string): Promise<void> {
    const keychain = await this.reachableKeychain();
    if (!keychain.keytar) throw unavailableError(PROXY_NEEDS);
    try {
      await keychain.keytar.setPassword(this.service, proxyAccount(profileId), credentials);
    } catch (error) {
      throw unavailableError(keychainFailure(error, 'storeProxyPassword'));
    }
  }

  async clearProxyCredentials(profileId: string): Promise<void> {
    const keychain = await this.reachableKeychain();
    try {
      await keychain.keytar?.deletePassword(this.service, proxyAccount(profileId));
    } catch (error) {
      throw unavailableError(keychainFailure(error, 'removeProxyPassword'));
    }
  }

  private async lookup(
    profileId: string,
  ): Promise<{ token: string | null; source: TokenSource | null; keychain: KeychainStatus }> {
    const keychain = await this.reachableKeychain();
    const fromEnv = this.env[TOKEN_ENV_VAR]?.trim();
    if (fromEnv) return { token: fromEnv, source: 'env', keychain: keychain.status };
    const fromSession = this.sessionTokens.get(profileId);
    if (fromSession !== undefined)
      return { token: fromSession, source: 'session', keychain: keychain.status };
    if (!keychain.keytar) return { token: null, source: null, keychain: keychain.status };
    try {
      const fromKeychain = await keychain.keytar.getPassword(this.service, profileId);
      return {
        token: fromKeychain || null,
        source: fromKeychain ? 'keychain' : null,
        keychain: keychain.status,
      };
    } catch (error) {
      this.probe = undefined;
      const status = statusOf(keychainFailure(error, 'readToken'));
      return { token: null, source: null, keychain: status };
    }
  }

  private async reachableKeychain(): Promise<{ status: KeychainStatus; keytar: KeytarLike | undefined }> {
    const status = await this.probeKeychain();
    return { status, keytar: status.available && this.keytar ? await this.keytar : undefined };
  }

  private async probeKeychain(): Promise<KeychainStatus> {
    this.probe ??= this.runProbe();
    const status = await this.probe;
    if (!status.available) this.probe = undefined;
    return status;
  }

  private async runProbe(): Promise<KeychainStatus> {
    let keytar: KeytarLike;
    try {
      this.keytar ??= this.loadKeytar();
      keytar = await this.keytar;
    } catch (error) {
      this.keytar = undefined;
      const detail = reasonOf(error);
      return {
        available: false,
        error: `The system keychain module could not be loaded (${detail}). Set ${TOKEN_ENV_VAR}, ${SESSION_HINT}`,
        reason: { code: 'keychainModuleMissing', values: { detail } },
      };
    }
    try {
      await keytar.getPassword(this.service, PROBE_ACCOUNT);
      return { available: true };
    } catch (error) {
      return statusOf(keychainFailure(error, 'reachKeychain'));
    }
  }

  private withWriteFailure(status: KeychainStatus): KeychainStatus {
    return status.available && this.writeFailure ? statusOf(this.writeFailure) : status;
  }
}

async function loadRealKeytar(): Promise<KeytarLike> {
  const module = await import('keytar');
  return module.default ?? module;
}

function unavailableError(failure: KeychainFailure): HubError {
  return new HubError({ kind: 'keychain_unavailable', ...failure });
}

function statusOf(failure: KeychainFailure): KeychainStatus {
  return { available: false, error: failure.message, reason: failure.reason };
}

function failureOf(status: KeychainStatus): KeychainFailure {
  return status.error && status.reason ? { message: status.error, reason: status.reason } : NO_SECRET_SERVICE;
}

const NO_SERVICE_PATTERN =
  /autolaunch D-Bus|DBUS_SESSION_BUS_ADDRESS|org\.freedesktop\.secrets|ServiceUnknown|Could not connect|Failed to connect|D-Bus/i;
const LOCKED_PATTERN = /locked|cancel|dismiss|prompt|collection|denied|not allowed/i;

/**
 * Turns a keychain failure into words a person can act on; `words` say the action in English when the caller's
 * own are more exact than the action's. Keychain errors never contain the token.
 */
export function keychainFailure(
  error: unknown,
  action: KeychainAction,
  words = actionWords[action],
): KeychainFailure {
  const detail = reasonOf(error);
  if (NO_SERVICE_PATTERN.test(detail)) return NO_SECRET_SERVICE;
  if (LOCKED_PATTERN.test(detail)) {
    return {
      message: `The system keychain is locked or refused access while HubDesk tried to ${words} (${detail}). Unlock it (for gnome-keyring: log in, or create a default "login" keyring), ${SESSION_HINT}`,
      reason: { code: 'keychainLocked', values: { action, detail } },
    };
  }
  return {
    message: `The system keychain failed while HubDesk tried to ${words} (${detail}). Unlock or repair it, ${SESSION_HINT}`,
    reason: { code: 'keychainFailed', values: { action, detail } },
  };
}

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim().slice(0, 300) || 'unknown error';
}
