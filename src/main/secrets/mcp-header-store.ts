import { HubError } from '../base/errors';
import { DEFAULT_KEYCHAIN_SERVICE, describeKeychainError, type KeytarLike } from './token-store';

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

  /** The values of these headers; a header whose value is missing from the keychain is an error that names it. */
  async values(server: string, names: readonly string[]): Promise<Record<string, string>> {
    if (names.length === 0) return {};
    const keytar = await this.keychain('read the headers');
    const headers: Record<string, string> = {};
    for (const name of names) {
      const value = await this.attempt('read the headers', () =>
        keytar.getPassword(this.service, mcpHeaderAccount(server, name)),
      );
      if (value === null) {
        throw new HubError({
          kind: 'invalid_input',
          message: `The value of the header "${name}" of the MCP server "${server}" is not in the keychain any more. Set it again.`,
          field: 'headers',
        });
      }
      headers[name] = value;
    }
    return headers;
  }

  async has(server: string, name: string): Promise<boolean> {
    const keytar = await this.keychain('read the headers');
    return (
      (await this.attempt('read the headers', () =>
        keytar.getPassword(this.service, mcpHeaderAccount(server, name)),
      )) !== null
    );
  }

  async set(server: string, name: string, value: string): Promise<void> {
    const keytar = await this.keychain('store a header');
    await this.attempt('store a header', () =>
      keytar.setPassword(this.service, mcpHeaderAccount(server, name), value),
    );
  }

  async remove(server: string, names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    const keytar = await this.keychain('remove a header');
    for (const name of names) {
      await this.attempt('remove a header', () =>
        keytar.deletePassword(this.service, mcpHeaderAccount(server, name)),
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
