import { KeychainEntries, type KeychainEntriesOptions } from './keychain-entries';

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
  private readonly entries: KeychainEntries;

  constructor(options: KeychainEntriesOptions = {}) {
    this.entries = new KeychainEntries(NEEDS_KEYCHAIN, options);
  }

  /** The stored value, or null when the keychain has none. */
  get(server: string, name: string): Promise<string | null> {
    return this.entries.get(mcpEnvAccount(server, name), 'read an environment value');
  }

  set(server: string, name: string, value: string): Promise<void> {
    return this.entries.set(mcpEnvAccount(server, name), value, 'store an environment value');
  }

  remove(server: string, names: readonly string[]): Promise<void> {
    return this.entries.delete(
      names.map((name) => mcpEnvAccount(server, name)),
      'remove an environment value',
    );
  }
}
