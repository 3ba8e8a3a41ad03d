import type { z } from 'zod';
import type { TransportView, transportInputSchema } from '../../../shared/tools-channels';
import { HubError } from '../../base/errors';
import type { McpEnvStore } from '../../secrets/mcp-env-store';
import type { McpHeaderStore } from '../../secrets/mcp-header-store';
import type { McpOAuthStore } from '../../secrets/mcp-oauth-store';
import type { McpServersRepo } from '../../store/mcp-servers-repo';

type ParsedTransport = z.output<typeof transportInputSchema>;

/** The names of a server's secrets (header names of an HTTP server, variable names of a stdio one). */
function secretNames(transport: TransportView | undefined): { headers: string[]; env: string[] } {
  if (!transport) return { headers: [], env: [] };
  return transport.type === 'http'
    ? { headers: transport.headerNames, env: [] }
    : { headers: [], env: transport.envNames };
}

/**
 * The secret half of a server's config: header values (HTTP) and environment values (stdio) live in the keychain;
 * SQLite keeps their names. Writes go to the keychain before SQLite names them, and old entries are removed after.
 */
export class McpServerSecrets {
  /** Start-up's move of environment values an older HubDesk kept in SQLite; a server starts after it. */
  readonly envMoved: Promise<void>;

  constructor(
    private readonly deps: {
      servers: McpServersRepo;
      headers: McpHeaderStore;
      env: McpEnvStore;
      oauth: McpOAuthStore;
      log?: (line: string) => void;
    },
  ) {
    this.envMoved = this.moveEnvToKeychain().catch((error: unknown) => {
      this.deps.log?.(`MCP: moving environment values to the keychain failed: ${String(error)}`);
    });
  }

  /** Writes the values given, checks that the ones kept are stored, removes the ones left out; returns what SQLite keeps. */
  async store(
    server: string,
    input: ParsedTransport,
    before: TransportView | undefined,
  ): Promise<TransportView> {
    const old = secretNames(before);
    if (input.type === 'http') {
      const names = await this.write(server, 'headers', input.headers, old.headers, {
        set: (name, value) => this.deps.headers.set(server, name, value.trim()),
        has: (name) => this.deps.headers.has(server, name),
      });
      await this.deps.env.remove(server, old.env);
      return { type: 'http', url: input.url, headerNames: names };
    }
    await this.envMoved;
    const entries = Object.entries(input.env).map(([name, value]) => ({
      name,
      ...(value === null ? {} : { value }),
    }));
    const names = await this.write(server, 'env', entries, old.env, {
      set: (name, value) => this.deps.env.set(server, name, value),
      has: async (name) => (await this.deps.env.get(server, name)) !== null,
    });
    await this.deps.headers.remove(server, old.headers);
    return {
      type: 'stdio',
      command: input.command,
      args: input.args,
      envNames: names,
      cwd: input.cwd,
    };
  }

  /** Copies every secret of `transport` from the old name's accounts to the new name's (before SQLite renames). */
  async copy(from: string, to: string, transport: TransportView): Promise<void> {
    const names = secretNames(transport);
    if (names.headers.length > 0) {
      const values = await this.deps.headers.values(from, names.headers);
      for (const [name, value] of Object.entries(values)) await this.deps.headers.set(to, name, value);
    }
    await this.envMoved;
    for (const name of names.env) {
      const value = await this.deps.env.get(from, name);
      if (value !== null) await this.deps.env.set(to, name, value);
    }
    if (transport.type === 'http') {
      for (const part of ['client', 'tokens'] as const) {
        const value = await this.deps.oauth.get(from, part);
        if (value !== null) await this.deps.oauth.set(to, part, value);
      }
    }
  }

  /** Removes every secret of `transport` under this server name (an HTTP server's sign-in too); a keychain that cannot forget is only logged. */
  async forget(server: string, transport: TransportView): Promise<void> {
    const names = secretNames(transport);
    await Promise.all([
      this.deps.headers.remove(server, names.headers),
      this.deps.env.remove(server, names.env),
      ...(transport.type === 'http' ? [this.deps.oauth.forget(server)] : []),
    ]).catch((error: unknown) => {
      this.deps.log?.(`MCP: secrets of "${server}" stay in the keychain: ${String(error)}`);
    });
  }

  headerValues(server: string, names: readonly string[]): Promise<Record<string, string>> {
    return this.deps.headers.values(server, names);
  }

  /** The environment of a stdio server; a value start-up could not move yet is read where it waits. */
  async envValues(server: string, names: readonly string[]): Promise<Record<string, string>> {
    await this.envMoved;
    const waiting = new Map(
      this.deps.servers
        .envValuesToMove()
        .filter((entry) => entry.server.toLowerCase() === server.toLowerCase())
        .map((entry) => [entry.name, entry.value]),
    );
    const env: Record<string, string> = {};
    for (const name of names) {
      const value = waiting.get(name) ?? (await this.deps.env.get(server, name));
      if (value === null) {
        throw new HubError({
          kind: 'invalid_input',
          message: `The value of the environment variable "${name}" of the MCP server "${server}" is not in the keychain any more. Set it again.`,
          field: 'env',
          reason: { code: 'mcpEnvValueMissing', values: { server, name } },
        });
      }
      env[name] = value;
    }
    return env;
  }

  private async write(
    server: string,
    field: 'headers' | 'env',
    entries: readonly { name: string; value?: string | undefined }[],
    before: readonly string[],
    store: { set(name: string, value: string): Promise<void>; has(name: string): Promise<boolean> },
  ): Promise<string[]> {
    const caseless = field === 'headers';
    const key = (name: string) => (caseless ? name.toLowerCase() : name);
    const names = [...new Map(entries.map((entry) => [key(entry.name), entry.name])).values()];
    for (const entry of entries) {
      if (entry.value !== undefined) await store.set(entry.name, entry.value);
      else if (!(await store.has(entry.name))) {
        const what = field === 'headers' ? 'header' : 'environment variable';
        throw new HubError({
          kind: 'invalid_input',
          message: `${field}: the ${what} "${entry.name}" needs a value (none is stored yet).`,
          field,
          reason: {
            code: field === 'headers' ? 'mcpHeaderNeedsValue' : 'mcpEnvNeedsValue',
            values: { name: entry.name },
          },
        });
      }
    }
    const kept = new Set(names.map(key));
    const dropped = before.filter((name) => !kept.has(key(name)));
    if (field === 'headers') await this.deps.headers.remove(server, dropped);
    else await this.deps.env.remove(server, dropped);
    return names;
  }

  /** Value by value: into the keychain first, then out of SQLite, so a crash between the two only repeats a write. */
  private async moveEnvToKeychain(): Promise<void> {
    const waiting = this.deps.servers.envValuesToMove();
    for (const entry of waiting) {
      try {
        await this.deps.env.set(entry.server, entry.name, entry.value);
      } catch (error) {
        this.deps.log?.(
          `MCP: the environment values of "${entry.server}" stay in the database for now: ${String(error)}`,
        );
        return;
      }
      this.deps.servers.forgetEnvValues(entry.server, [entry.name]);
    }
  }
}
