import { KeychainEntries, type KeychainEntriesOptions } from './keychain-entries';

const NEEDS_KEYCHAIN =
  'HubDesk keeps the sign-in of an MCP server (OAuth tokens) only in the system keychain, which is not available. Unlock or install one (gnome-keyring, KWallet).';

/** What one OAuth sign-in keeps: the registered client, the tokens, and the PKCE verifier of a sign-in under way. */
export type McpOAuthPart = 'client' | 'tokens' | 'verifier';
const PARTS: readonly McpOAuthPart[] = ['client', 'tokens', 'verifier'];

/** The keychain account of one part of one MCP server's sign-in. */
export function mcpOAuthAccount(server: string, part: McpOAuthPart): string {
  return `mcp-oauth:${server.toLowerCase()}:${part}`;
}

/**
 * The OAuth state of HTTP MCP servers, as the JSON the SDK gave, kept in the system keychain under
 * `mcp-oauth:<server>:<part>` and read only by the connection in main: never SQLite, a log line or the window.
 */
export class McpOAuthStore {
  private readonly entries: KeychainEntries;

  constructor(options: KeychainEntriesOptions = {}) {
    this.entries = new KeychainEntries(NEEDS_KEYCHAIN, options);
  }

  get(server: string, part: McpOAuthPart): Promise<string | null> {
    return this.entries.get(mcpOAuthAccount(server, part), 'read the sign-in');
  }

  set(server: string, part: McpOAuthPart, value: string): Promise<void> {
    return this.entries.set(mcpOAuthAccount(server, part), value, 'store the sign-in');
  }

  /** Forgets these parts (all of them by default): signing out, removing the server. */
  forget(server: string, parts: readonly McpOAuthPart[] = PARTS): Promise<void> {
    return this.entries.delete(
      parts.map((part) => mcpOAuthAccount(server, part)),
      'forget the sign-in',
    );
  }
}
