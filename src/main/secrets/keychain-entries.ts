import type { KeychainAction } from '../../shared/error-reasons';
import { HubError } from '../base/errors';
import { DEFAULT_KEYCHAIN_SERVICE, type KeytarLike, keychainFailure } from './token-store';

export interface KeychainEntriesOptions {
  keytar?: KeytarLike | (() => Promise<KeytarLike>);
  service?: string;
}

/**
 * Secrets of one kind in the system keychain, by account name; a keychain that cannot be loaded or answers with
 * an error becomes a `keychain_unavailable` HubError worded with what HubDesk was doing and `needsKeychain`
 * (why this kind of secret lives only there).
 */
export class KeychainEntries {
  private readonly service: string;
  private readonly loadKeytar: () => Promise<KeytarLike>;
  private keytar: Promise<KeytarLike> | undefined;

  constructor(
    private readonly needsKeychain: string,
    options: KeychainEntriesOptions = {},
  ) {
    this.service = options.service ?? DEFAULT_KEYCHAIN_SERVICE;
    const keytar = options.keytar;
    this.loadKeytar =
      keytar === undefined
        ? async () => {
            const module = await import('keytar');
            return module.default ?? module;
          }
        : typeof keytar === 'function'
          ? keytar
          : async () => keytar;
  }

  /** The stored value, or null when the keychain has none. */
  async get(account: string, action: string): Promise<string | null> {
    const keytar = await this.keychain(action);
    return this.attempt('readSecret', action, () => keytar.getPassword(this.service, account));
  }

  async set(account: string, value: string, action: string): Promise<void> {
    const keytar = await this.keychain(action);
    await this.attempt('storeSecret', action, () => keytar.setPassword(this.service, account, value));
  }

  async delete(accounts: readonly string[], action: string): Promise<void> {
    if (accounts.length === 0) return;
    const keytar = await this.keychain(action);
    for (const account of accounts)
      await this.attempt('removeSecret', action, () => keytar.deletePassword(this.service, account));
  }

  private async keychain(action: string): Promise<KeytarLike> {
    try {
      this.keytar ??= this.loadKeytar();
      return await this.keytar;
    } catch (error) {
      this.keytar = undefined;
      throw new HubError({
        kind: 'keychain_unavailable',
        message: `${this.needsKeychain} (${action}: ${String(error)})`,
        reason: { code: 'keychainModuleMissing', values: { detail: String(error) } },
      });
    }
  }

  private async attempt<T>(action: KeychainAction, words: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new HubError({ kind: 'keychain_unavailable', ...keychainFailure(error, action, words) });
    }
  }
}
