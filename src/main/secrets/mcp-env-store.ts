import { HubError } from '../base/errors';
import { DEFAULT_KEYCHAIN_SERVICE, describeKeychainError, type KeytarLike } from './token-store';

const NEEDS_KEYCHAIN =
  'HubDesk keeps the environment values of an MCP server (API keys, tokens) only in the system keychain, which is not available. Unlock or install one (gnome-keyring, KWallet).';

/** The keychain account of one environment variable of one MCP server (variable names keep their case). */
export function mcpEnvAccount(server: string, name: string): string {
  return `mcp-env:${server.toLowerCase()}:${name}`;
}

/**
 * Environment values of stdio MCP servers, kept in the system keychain under `mcp-env:<server>:<NAME>` and read
 * only when main starts the server: never SQLite, a log line or the window.
 */
export class McpEnvStore {
  private readonly service: string;
  private readonly loadKeytar: () => Promise<KeytarLike>;
  private keytar: Promise<KeytarLike> | undefined;

  constructor(options: { keytar?: KeytarLike | (() => Promise<KeytarLike>); service?: string } = {}) {
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
  async get(server: string, name: string): Promise<string | null> {
    const keytar = await this.keychain('read an environment value');
    return this.attempt('read an environment value', () =>
      keytar.getPassword(this.service, mcpEnvAccount(server, name)),
    );
  }

  async set(server: string, name: string, value: string): Promise<void> {
    const keytar = await this.keychain('store an environment value');
    await this.attempt('store an environment value', () =>
      keytar.setPassword(this.service, mcpEnvAccount(server, name), value),
    );
  }

  async remove(server: string, names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    const keytar = await this.keychain('remove an environment value');
    for (const name of names) {
      await this.attempt('remove an environment value', () =>
        keytar.deletePassword(this.service, mcpEnvAccount(server, name)),
      );
    }
  }

  private async keychain(action: string): Promise<KeytarLike> {
    try {
      this.keytar ??= this.loadKeytar();
      return await this.keytar;
    } catch (error) {
      this.keytar = undefined;
      throw new HubError({
        kind: 'keychain_unavailable',
        message: `${NEEDS_KEYCHAIN} (${action}: ${String(error)})`,
      });
    }
  }

  private async attempt<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new HubError({ kind: 'keychain_unavailable', message: describeKeychainError(error, action) });
    }
  }
}
