import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { channels, type ParsedRequestOf } from '../../shared/contract';
import type { ToolContent, ToolResult } from '../../shared/tools';
import {
  type McpServerView,
  serverNameSchema,
  type TransportInput,
  transportInputSchema,
} from '../../shared/tools-channels';
import { HubError, invalidInput } from '../base/errors';
import type { Core } from '../core';
import type { CliIo } from './io';

export const mcpUsage = `Usage: hubdesk mcp <command> [--json]

  add NAME [--env K=V]... [--cwd DIR] [--disabled] -- COMMAND [ARGS...]
                              add a stdio server (the command is looked up on your login shell's PATH)
  add NAME --url URL [--header "K: V"]...
                              add a Streamable HTTP server (HTTP+SSE as a fallback); header values go to the
                              system keychain, never to the database
  import FILE                 add the servers of an {"mcpServers": {...}} file (Claude Desktop, Cursor, Cline);
                              names already taken are skipped
  rename OLD NEW              rename a server (chats that offer its tools follow it)
  list                        the servers and how they are set up
  tools NAME                  start the server and list its tools
  call NAME TOOL [--args JSON]
                              run one tool; exits 1 when the tool reports an error
  login NAME                  sign in to an HTTP server that asks for OAuth: prints the URL to open in your
                              browser (on stderr with --json) and waits for it to come back (5 minutes)
  logout NAME                 forget the server's sign-in (its OAuth tokens in the keychain)
  remove NAME                 remove a server (and its headers and sign-in from the keychain)`;

function parse<C extends 'tools.addServer'>(channel: C, request: unknown): ParsedRequestOf<C> {
  const parsed = channels[channel].request.safeParse(request);
  if (!parsed.success) throw new HubError(invalidInput(parsed.error.issues, request));
  return parsed.data as ParsedRequestOf<C>;
}

function invalid(message: string, field: string): HubError {
  return new HubError({ kind: 'invalid_input', message, field });
}

/** `K: V` as a header (the value may itself hold colons). */
function headerOf(text: string): { name: string; value: string } {
  const at = text.indexOf(':');
  if (at <= 0) throw invalid(`--header must look like "Name: value" (not "${text}").`, 'header');
  return { name: text.slice(0, at).trim(), value: text.slice(at + 1).trim() };
}

function envOf(pairs: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw invalid(`--env must look like NAME=value (not "${pair}").`, 'env');
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}

function argsOf(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid(
      `--args is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      'args',
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('--args must be a JSON object, such as {"path": "/tmp"}.', 'args');
  }
  return value as Record<string, unknown>;
}

/** The stored transport as an unchanged update: every secret keeps the value the keychain holds. */
function inputOf(server: McpServerView): TransportInput {
  const { transport } = server;
  if (transport.type === 'http') {
    return {
      type: 'http',
      url: transport.url,
      headers: transport.headerNames.map((header) => ({ name: header })),
    };
  }
  return {
    type: 'stdio',
    command: transport.command,
    args: transport.args,
    env: Object.fromEntries(transport.envNames.map((variable) => [variable, null])),
    cwd: transport.cwd,
  };
}

function transportLine(server: McpServerView): string {
  const { transport } = server;
  if (transport.type === 'http') {
    const headers = transport.headerNames.length > 0 ? ` (headers: ${transport.headerNames.join(', ')})` : '';
    return `${transport.url}${headers}`;
  }
  return [transport.command, ...transport.args]
    .map((word) => (/\s/.test(word) ? JSON.stringify(word) : word))
    .join(' ');
}

function contentLine(content: ToolContent): string {
  if (content.type === 'text') return content.text;
  if (content.type === 'resource') return content.text ?? `[resource ${content.uri}]`;
  return `[${content.type} ${content.mimeType}, ${Math.round((content.data.length * 3) / 4)} bytes]`;
}

function resultText(result: ToolResult): string {
  const parts = result.content.map(contentLine);
  if (result.structuredContent !== undefined && parts.length === 0)
    parts.push(JSON.stringify(result.structuredContent));
  return parts.join('\n');
}

/** `hubdesk mcp add|list|tools|call|remove`. */
export async function mcpCommand(core: Core, argv: string[], io: CliIo): Promise<number> {
  // What follows `--` is the server's own command line, never HubDesk's options.
  const dashes = argv.indexOf('--');
  const own = dashes === -1 ? argv : argv.slice(0, dashes);
  const serverCommand = dashes === -1 ? [] : argv.slice(dashes + 1);
  const { values, positionals } = parseArgs({
    args: own,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      header: { type: 'string', multiple: true },
      env: { type: 'string', multiple: true },
      cwd: { type: 'string' },
      disabled: { type: 'boolean', default: false },
      args: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const json = values.json ?? false;
  const print = (value: unknown, text: string) => io.out(json ? JSON.stringify(value) : text);
  const [sub, name, tool] = positionals;
  if (values.help || !sub) {
    (values.help ? io.out : io.err)(mcpUsage);
    return values.help ? 0 : 2;
  }

  if (sub === 'add') {
    if (values.url !== undefined && serverCommand.length > 0) {
      throw invalid('Give either --url URL or -- COMMAND [ARGS...], not both.', 'transport');
    }
    if (values.url === undefined && serverCommand.length === 0) {
      throw invalid('Give the server: -- COMMAND [ARGS...] (stdio) or --url URL (HTTP).', 'transport');
    }
    const transport =
      values.url !== undefined
        ? { type: 'http', url: values.url, headers: (values.header ?? []).map(headerOf) }
        : {
            type: 'stdio',
            command: serverCommand[0],
            args: serverCommand.slice(1),
            env: envOf(values.env ?? []),
            cwd: values.cwd ?? null,
          };
    const request = parse('tools.addServer', { name: name ?? '', transport, enabled: !values.disabled });
    const existing = core.tools
      .list()
      .find((server) => server.name.toLowerCase() === request.name.toLowerCase());
    if (existing) {
      throw invalid(
        `An MCP server named "${existing.name}" already exists. Remove it first (hubdesk mcp remove ${existing.name}), rename it (hubdesk mcp rename ${existing.name} NEW), or change it in Settings → Tools.`,
        'name',
      );
    }
    const server = await core.tools.add(request);
    print(server, `Added MCP server "${server.name}": ${transportLine(server)}`);
    return 0;
  }

  if (sub === 'list') {
    const servers = core.tools.list();
    print(
      servers,
      servers.length === 0
        ? 'No MCP servers. Add one with: hubdesk mcp add NAME -- COMMAND [ARGS...]'
        : servers
            .map(
              (server) =>
                `${server.name}  ${server.transport.type}  ${server.enabled ? 'enabled' : 'disabled'}  ${transportLine(server)}` +
                (server.autoApprove.length > 0
                  ? `  (runs without asking: ${server.autoApprove.join(', ')})`
                  : ''),
            )
            .join('\n'),
    );
    return 0;
  }

  if (sub === 'import') {
    if (!name) throw invalid('hubdesk mcp import needs the FILE to read.', 'file');
    const result = await core.tools.importJson(await readFile(name, 'utf8'));
    print(
      result,
      [
        `Added ${result.added.length} MCP server${result.added.length === 1 ? '' : 's'}${result.added.length > 0 ? `: ${result.added.join(', ')}` : ''}.`,
        ...result.skipped.map((skip) => `Skipped "${skip.name}": ${skip.reason}.`),
      ].join('\n'),
    );
    return 0;
  }

  if (!name) throw invalid(`hubdesk mcp ${sub} needs the server's NAME.`, 'name');

  if (sub === 'tools') {
    const tools = await core.tools.tools(name, io.signal);
    print(
      tools,
      tools.length === 0
        ? `The MCP server "${name}" offers no tools.`
        : tools
            .map((spec) => `${spec.name}${spec.description ? `  ${spec.description.split('\n')[0]}` : ''}`)
            .join('\n'),
    );
    return 0;
  }

  if (sub === 'call') {
    if (!tool) throw invalid('hubdesk mcp call needs the TOOL to run after the server NAME.', 'tool');
    const result = await core.tools.call(name, tool, argsOf(values.args), io.signal);
    print(result, resultText(result));
    if (result.isError && !json) io.err(`hubdesk: the tool "${tool}" reported an error (above).`);
    return result.isError ? 1 : 0;
  }

  if (sub === 'login') {
    const say = json ? io.err : io.out;
    const stopWaiting = () => void core.tools.provider(name)?.stop();
    io.signal?.addEventListener('abort', stopWaiting, { once: true });
    try {
      const server = await core.tools.signIn(name, (url) => {
        say(`Open this URL in your browser to sign in to "${name}":\n  ${url}`);
        say('Waiting for the browser to come back…');
      });
      if (server.status !== 'ready') {
        throw new HubError(
          server.error ?? {
            kind: 'auth',
            message: `The sign-in to the MCP server "${name}" did not finish.`,
          },
        );
      }
      print(
        server,
        `Signed in to "${server.name}": ${server.tools.length} tool${server.tools.length === 1 ? '' : 's'}.`,
      );
      return 0;
    } finally {
      io.signal?.removeEventListener('abort', stopWaiting);
    }
  }

  if (sub === 'logout') {
    const server = await core.tools.signOut(name);
    print(server, `Signed out of "${server.name}": its tokens are no longer in the keychain.`);
    return 0;
  }

  if (sub === 'rename') {
    const newName = serverNameSchema.safeParse(tool ?? '');
    if (!newName.success) {
      throw invalid(
        `hubdesk mcp rename OLD NEW: NEW ${newName.error.issues[0]?.message ?? 'is not valid'}.`,
        'newName',
      );
    }
    const server = core.tools.get(name);
    const renamed = await core.tools.update(
      server.name,
      transportInputSchema.parse(inputOf(server)),
      newName.data,
    );
    print(renamed, `Renamed MCP server "${server.name}" to "${renamed.name}".`);
    return 0;
  }

  if (sub === 'remove') {
    const removed = await core.tools.remove(name);
    if (!removed)
      throw new HubError({ kind: 'not_found', message: `No MCP server is named "${name}".`, field: 'name' });
    print({ removed }, `Removed MCP server "${name}".`);
    return 0;
  }

  io.err(mcpUsage);
  return 2;
}
