import { HubError } from '../base/errors';
import { DEFAULT_KEYCHAIN_SERVICE, describeKeychainError, type KeytarLike } from './token-store';

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

  async get(server: string, part: McpOAuthPart): Promise<string | null> {
    const keytar = await this.keychain('read the sign-in');
    return this.attempt('read the sign-in', () =>
      keytar.getPassword(this.service, mcpOAuthAccount(server, part)),
    );
  }

  async set(server: string, part: McpOAuthPart, value: string): Promise<void> {
    const keytar = await this.keychain('store the sign-in');
    await this.attempt('store the sign-in', () =>
      keytar.setPassword(this.service, mcpOAuthAccount(server, part), value),
    );
  }

  /** Forgets these parts (all of them by default): signing out, removing the server. */
  async forget(server: string, parts: readonly McpOAuthPart[] = PARTS): Promise<void> {
    const keytar = await this.keychain('forget the sign-in');
    for (const part of parts) {
      await this.attempt('forget the sign-in', () =>
        keytar.deletePassword(this.service, mcpOAuthAccount(server, part)),
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
