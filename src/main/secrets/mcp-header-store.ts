import { HubError } from '../base/errors';
import { KeychainEntries, type KeychainEntriesOptions } from './keychain-entries';

const NEEDS_KEYCHAIN =
  'HubDesk keeps the headers of an MCP server (tokens, API keys) only in the system keychain, which is not available. Unlock or install one (gnome-keyring, KWallet).';

/** The keychain account of one header of one MCP server. */
export function mcpHeaderAccount(server: string, header: string): string {
  return `mcp:${server.toLowerCase()}:${header.toLowerCase()}`;
}

/**
 * Header values of HTTP MCP servers (`Authorization: Bearer …`, API keys), kept in the system keychain under
 * `mcp:<server>:<header>` and read only by the connection in main: never SQLite, a log line or the window.
 */
export class McpHeaderStore {
  private readonly entries: KeychainEntries;

  constructor(options: KeychainEntriesOptions = {}) {
    this.entries = new KeychainEntries(NEEDS_KEYCHAIN, options);
  }

  /** The values of these headers; a header whose value is missing from the keychain is an error that names it. */
  async values(server: string, names: readonly string[]): Promise<Record<string, string>> {
    const headers: Record<string, string> = {};
    for (const name of names) {
      const value = await this.entries.get(mcpHeaderAccount(server, name), 'read the headers');
      if (value === null) {
        throw new HubError({
          kind: 'invalid_input',
          message: `The value of the header "${name}" of the MCP server "${server}" is not in the keychain any more. Set it again.`,
          field: 'headers',
          reason: { code: 'mcpHeaderValueMissing', values: { server, name } },
        });
      }
      headers[name] = value;
    }
    return headers;
  }

  async has(server: string, name: string): Promise<boolean> {
    return (await this.entries.get(mcpHeaderAccount(server, name), 'read the headers')) !== null;
  }

  set(server: string, name: string, value: string): Promise<void> {
    return this.entries.set(mcpHeaderAccount(server, name), value, 'store a header');
  }

  remove(server: string, names: readonly string[]): Promise<void> {
    return this.entries.delete(
      names.map((name) => mcpHeaderAccount(server, name)),
      'remove a header',
    );
  }
}
