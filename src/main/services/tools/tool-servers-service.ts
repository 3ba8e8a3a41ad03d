// Past 400 lines: the one facade over the tool servers (config, secrets, sign-in, calls) the routes and the CLI share.
import type { StreamableHTTPReconnectionOptions } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AppError } from '../../../shared/errors';
import { DEFAULT_LANGUAGE, type Language } from '../../../shared/i18n';
import { readMcpServersJson } from '../../../shared/mcp-import';
import { BUILTIN_TOOL_SERVER, type ToolResult } from '../../../shared/tools';
import type {
  BuiltinToolsView,
  ImportResult,
  McpServerView,
  ParsedAddServerRequest,
  SignInView,
  transportInputSchema,
} from '../../../shared/tools-channels';
import { type Clock, systemClock } from '../../base/clock';
import { cancelledError, HubError } from '../../base/errors';
import type { McpEnvStore } from '../../secrets/mcp-env-store';
import type { McpHeaderStore } from '../../secrets/mcp-header-store';
import type { McpOAuthStore } from '../../secrets/mcp-oauth-store';
import type { McpServersRepo, StoredMcpServer } from '../../store/mcp-servers-repo';
import type { EventBus } from '../event-bus';
import { loginShellPath, mergePaths } from './mcp-login-path';
import { DEFAULT_MCP_TIMEOUTS, McpServerProvider, type McpTimeouts } from './mcp-server-provider';
import { McpServerSecrets } from './mcp-server-secrets';
import { SIGN_IN_TIMEOUT_MS, signInPages } from './mcp-sign-in';
import type { ToolProvider } from './tool-provider';

type TransportInput = ReturnType<typeof transportInputSchema.parse>;

/** What tests (and later, settings) may change about how servers are run. */
export interface McpOptions {
  timeouts?: Partial<McpTimeouts>;
  /** The login shell's PATH (default: `$SHELL -ilc`, once, within 5 s); tests inject their own. */
  loginPath?: () => Promise<string | undefined>;
  maxResultBytes?: number;
  /** The back-off of a resumed Streamable HTTP stream when the server sent no `retry`. */
  reconnection?: StreamableHTTPReconnectionOptions;
  /** How long a sign-in waits for the browser's redirect, on `clock` (tests inject both). */
  signInTimeoutMs?: number;
  clock?: Clock;
}

export interface ToolServersDeps extends McpOptions {
  servers: McpServersRepo;
  headers: McpHeaderStore;
  oauth: McpOAuthStore;
  /** Hands an authorization URL to the OS browser (the app); the CLI shows it itself. */
  openAuthorizationUrl?: (url: string) => void;
  /** The UI language, for the page the browser shows after a sign-in. */
  language?: () => Language;
  envValues: McpEnvStore;
  /** HubDesk's own tools and the list of those that run without asking (kept in settings). */
  builtin?: {
    provider: ToolProvider;
    autoApprove: { get(): string[]; set(tools: string[]): void };
  };
  /** A server was renamed: chats that offer its tools follow it. */
  onRenamed?: (from: string, to: string) => void;
  bus: EventBus;
  env: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

const LOGIN_SHELL_TIMEOUT_MS = 5000;

function notFound(name: string): HubError {
  return new HubError({
    kind: 'not_found',
    message: `No MCP server is named "${name}".`,
    field: 'name',
    reason: { code: 'mcpNoServer', values: { server: name } },
  });
}

function nameTaken(field: 'name' | 'newName', name: string, message: string): HubError {
  return new HubError({
    kind: 'invalid_input',
    message: `${field}: ${message}`,
    field,
    reason: { code: 'mcpServerExists', values: { server: name } },
  });
}

function closingError(): HubError {
  return new HubError({
    kind: 'cancelled',
    message: 'HubDesk is closing.',
    reason: { code: 'mcpClosing', values: {} },
  });
}

/**
 * The MCP servers the user added: their settings (SQLite), header values (keychain) and one running provider
 * each. Servers start lazily — when their tools are first needed, when Settings asks with `connect`, when enabled
 * or restarted — so a CLI command or a start of HubDesk spawns nothing it does not use. `close` stops them all.
 */
export class ToolServersService {
  private readonly providers = new Map<string, McpServerProvider>();
  private readonly timeouts: McpTimeouts;
  private searchPath: Promise<string> | undefined;
  private readonly pendingEvents = new Set<string>();
  /** Calls run by hand (`tools.call` with a `callId`), to cancel. */
  private readonly calls = new Map<string, AbortController>();
  private readonly secrets: McpServerSecrets;
  private closed = false;

  constructor(private readonly deps: ToolServersDeps) {
    this.timeouts = { ...DEFAULT_MCP_TIMEOUTS, ...deps.timeouts };
    this.secrets = new McpServerSecrets({
      servers: deps.servers,
      headers: deps.headers,
      env: deps.envValues,
      oauth: deps.oauth,
      ...(deps.log ? { log: deps.log } : {}),
    });
  }

  /** Start-up's move of environment values an older HubDesk kept in SQLite to the keychain. */
  get envMoved(): Promise<void> {
    return this.secrets.envMoved;
  }

  /** Every server with its status; with `connect`, enabled servers that are stopped start (not awaited). */
  list(connect = false): McpServerView[] {
    const servers = this.deps.servers.list();
    if (connect) {
      for (const server of servers) {
        const provider = this.providerOf(server);
        if (server.enabled && provider.status === 'stopped') provider.start().catch(() => undefined);
      }
    }
    return servers.map((server) => this.view(server));
  }

  get(name: string): McpServerView {
    return this.view(this.stored(name));
  }

  async add(request: ParsedAddServerRequest): Promise<McpServerView> {
    if (this.deps.servers.get(request.name)) {
      throw nameTaken('name', request.name, `an MCP server named "${request.name}" already exists.`);
    }
    const transport = await this.secrets.store(request.name, request.transport, undefined);
    if (!this.deps.servers.insert({ ...request, transport })) {
      throw nameTaken('name', request.name, `"${request.name}" is taken.`);
    }
    return this.changed(request.name);
  }

  /**
   * Replaces the transport and, with `newName`, renames the server (its secrets, its approvals and the chats that
   * offer it follow). A server that was running restarts with the new config.
   */
  async update(name: string, input: TransportInput, newName?: string): Promise<McpServerView> {
    const server = this.stored(name);
    const renamed = newName !== undefined && newName !== server.name ? newName : undefined;
    if (renamed && this.deps.servers.get(renamed) && renamed.toLowerCase() !== server.name.toLowerCase()) {
      throw nameTaken('newName', renamed, `an MCP server named "${renamed}" already exists.`);
    }
    const running = this.providers.get(server.name.toLowerCase());
    const wasRunning = running !== undefined && running.status !== 'stopped';
    const target = renamed ?? server.name;
    const sameAccounts = target.toLowerCase() === server.name.toLowerCase();
    if (!sameAccounts) await this.secrets.copy(server.name, target, server.transport);
    const transport = await this.secrets.store(target, input, server.transport);
    if (renamed && !this.deps.servers.rename(server.name, renamed)) {
      throw nameTaken('newName', renamed, `"${renamed}" is taken.`);
    }
    this.deps.servers.setTransport(target, transport);
    // A sign-in belongs to the URL it was made for.
    if (
      server.transport.type === 'http' &&
      (transport.type !== 'http' || transport.url !== server.transport.url)
    )
      await this.deps.oauth.forget(target);
    this.providers.delete(server.name.toLowerCase());
    await running?.stop();
    if (renamed) {
      if (!sameAccounts) await this.secrets.forget(server.name, server.transport);
      this.deps.onRenamed?.(server.name, renamed);
      this.deps.bus.emit('tools.serverChanged', { name: server.name, server: null });
    }
    if (wasRunning && server.enabled)
      await this.providerOf(this.stored(target))
        .start()
        .catch(() => undefined);
    return this.changed(target);
  }

  async remove(name: string): Promise<boolean> {
    const server = this.deps.servers.get(name);
    if (!server) return false;
    const provider = this.providers.get(server.name.toLowerCase());
    this.providers.delete(server.name.toLowerCase());
    await provider?.stop();
    this.deps.servers.remove(server.name);
    // The server is gone either way; a keychain that cannot forget now keeps an entry nothing reads.
    await this.secrets.forget(server.name, server.transport);
    this.deps.bus.emit('tools.serverChanged', { name: server.name, server: null });
    return true;
  }

  async setEnabled(name: string, enabled: boolean): Promise<McpServerView> {
    const server = this.stored(name);
    this.deps.servers.setEnabled(server.name, enabled);
    const provider = this.providerOf(server);
    if (enabled) await provider.start().catch(() => undefined);
    else await provider.stop();
    return this.changed(server.name);
  }

  /** Stops and starts the server; the view says whether it came up, and why not. */
  async restart(name: string): Promise<McpServerView> {
    const server = this.stored(name);
    await this.providerOf(server).restart();
    return this.view(server);
  }

  setAutoApprove(name: string, tool: string, auto: boolean): McpServerView {
    const server = this.stored(name);
    const tools = new Set(server.autoApprove);
    if (auto) tools.add(tool);
    else tools.delete(tool);
    this.deps.servers.setAutoApprove(server.name, [...tools]);
    return this.changed(server.name);
  }

  isAutoApproved(server: string, tool: string): boolean {
    if (server === BUILTIN_TOOL_SERVER) return this.deps.builtin?.autoApprove.get().includes(tool) ?? false;
    return this.deps.servers.get(server)?.autoApprove.includes(tool) ?? false;
  }

  async builtinTools(): Promise<BuiltinToolsView> {
    const builtin = this.deps.builtin;
    if (!builtin) return { tools: [], autoApprove: [] };
    return { tools: await builtin.provider.listTools(), autoApprove: builtin.autoApprove.get() };
  }

  /** "Run without asking" for one of HubDesk's own tools. */
  async setBuiltinAutoApprove(tool: string, auto: boolean): Promise<BuiltinToolsView> {
    const builtin = this.deps.builtin;
    const view = await this.builtinTools();
    if (!builtin || !view.tools.some((spec) => spec.name === tool)) {
      throw new HubError({
        kind: 'not_found',
        message: `HubDesk has no tool named "${tool}".`,
        field: 'tool',
        reason: { code: 'mcpNoBuiltinTool', values: { tool } },
      });
    }
    const tools = new Set(view.autoApprove);
    if (auto) tools.add(tool);
    else tools.delete(tool);
    builtin.autoApprove.set([...tools].sort());
    return { tools: view.tools, autoApprove: builtin.autoApprove.get() };
  }

  /** Adds every server in the pasted JSON whose name is free; one invalid entry refuses the whole paste. */
  async importJson(json: string): Promise<ImportResult> {
    const read = readMcpServersJson(json);
    if (!read.ok) {
      const { ok: _ok, ...refused } = read;
      throw new HubError({ kind: 'invalid_input', ...refused });
    }
    const result: ImportResult = { added: [], skipped: [] };
    for (const request of read.servers) {
      if (this.deps.servers.get(request.name)) {
        result.skipped.push({
          name: request.name,
          reason: 'a server with this name already exists',
          why: { code: 'mcpNameTaken', values: {} },
        });
        continue;
      }
      await this.add(request);
      result.added.push(request.name);
    }
    return result;
  }

  /**
   * Signs in to an HTTP server through the user's browser: `openUrl` (default: the OS browser) gets the
   * authorization URL. Resolves when the server is ready, or with the view that says why not.
   */
  async signIn(name: string, openUrl = this.deps.openAuthorizationUrl): Promise<McpServerView> {
    const server = this.stored(name);
    if (this.signInView(server, undefined) === null) {
      const http = server.transport.type === 'http';
      throw new HubError({
        kind: 'invalid_input',
        message: http
          ? `The MCP server "${server.name}" sends its own Authorization header: remove it to sign in with OAuth instead.`
          : `The MCP server "${server.name}" is a program on this computer: only HTTP servers sign in.`,
        field: 'name',
        reason: { code: http ? 'mcpSignInOwnHeader' : 'mcpSignInStdio', values: { server: server.name } },
      });
    }
    if (!openUrl) {
      throw new HubError({
        kind: 'invalid_input',
        message: 'HubDesk cannot open a browser here: sign in with `hubdesk mcp login NAME` instead.',
        reason: { code: 'mcpSignInNoBrowser', values: { server: server.name } },
      });
    }
    await this.providerOf(server)
      .signIn({
        openUrl,
        clock: this.deps.clock ?? systemClock,
        timeoutMs: this.deps.signInTimeoutMs ?? SIGN_IN_TIMEOUT_MS,
        pages: signInPages(this.deps.language?.() ?? DEFAULT_LANGUAGE, server.name),
      })
      .catch(() => undefined);
    if (this.closed) throw closingError();
    return this.changed(server.name);
  }

  /** Forgets the server's OAuth sign-in; a server that was running starts again (and says it needs a sign-in). */
  async signOut(name: string): Promise<McpServerView> {
    const server = this.stored(name);
    const provider = this.providerOf(server);
    const wasRunning = provider.status !== 'stopped';
    await provider.signOut();
    if (wasRunning && server.enabled) await provider.start().catch(() => undefined);
    return this.changed(server.name);
  }

  /** The tools of one server (started if needed). */
  async tools(name: string, signal?: AbortSignal) {
    return this.providerOf(this.stored(name)).listTools(signal);
  }

  /**
   * Runs one tool by hand (the "try it" button, `hubdesk mcp call`), even on a disabled server; `hubdesk` is
   * HubDesk's own tools. A call with a `callId` can be cancelled with `cancelCall`: the server is told, and stays
   * usable.
   */
  async call(
    name: string,
    tool: string,
    args: Record<string, unknown>,
    signal?: AbortSignal,
    callId?: string,
  ): Promise<ToolResult> {
    const builtin = name === BUILTIN_TOOL_SERVER ? this.deps.builtin?.provider : undefined;
    const provider = builtin ?? this.providerOf(this.stored(name));
    if (callId === undefined) return provider.callTool(tool, args, signal);
    if (this.calls.has(callId)) {
      throw new HubError({
        kind: 'invalid_input',
        message: `callId: "${callId}" is running.`,
        field: 'callId',
        reason: { code: 'mcpCallRunning', values: {} },
      });
    }
    const controller = new AbortController();
    const stop = () => controller.abort();
    signal?.addEventListener('abort', stop, { once: true });
    this.calls.set(callId, controller);
    try {
      return await provider.callTool(tool, args, controller.signal);
    } finally {
      this.calls.delete(callId);
      signal?.removeEventListener('abort', stop);
    }
  }

  /** Cancels a call started with this `callId`; false when none runs. */
  cancelCall(callId: string): boolean {
    const controller = this.calls.get(callId);
    if (!controller) return false;
    controller.abort(cancelledError());
    return true;
  }

  /** The enabled servers' providers, for the chat's tool loop; `names` picks some (any case). */
  enabledProviders(names?: readonly string[]): ToolProvider[] {
    const wanted = names ? new Set(names.map((name) => name.toLowerCase())) : undefined;
    return this.deps.servers
      .list()
      .filter((server) => server.enabled && (!wanted || wanted.has(server.name.toLowerCase())))
      .map((server) => this.providerOf(server));
  }

  /** The running provider of a server (tests read its pid). */
  provider(name: string): McpServerProvider | undefined {
    return this.providers.get(name.toLowerCase());
  }

  /** Stops every server: no process is left behind. */
  async close(): Promise<void> {
    this.closed = true;
    for (const controller of this.calls.values()) controller.abort(cancelledError());
    await this.secrets.envMoved;
    const running = [...this.providers.values()];
    this.providers.clear();
    await Promise.allSettled(running.map((provider) => provider.stop()));
  }

  private stored(name: string): StoredMcpServer {
    const server = this.deps.servers.get(name);
    if (!server) throw notFound(name);
    return server;
  }

  private providerOf(server: StoredMcpServer): McpServerProvider {
    if (this.closed) throw closingError();
    const key = server.name.toLowerCase();
    let provider = this.providers.get(key);
    if (!provider) {
      provider = new McpServerProvider(
        { name: server.name, transport: server.transport },
        {
          timeouts: this.timeouts,
          searchPath: () => this.resolvedPath(),
          headers: (name, headerNames) => this.secrets.headerValues(name, headerNames),
          env: (name, envNames) => this.secrets.envValues(name, envNames),
          oauth: this.deps.oauth,
          onChange: () => this.queueChanged(server.name),
          ...(this.deps.log ? { log: this.deps.log } : {}),
          ...(this.deps.maxResultBytes ? { maxResultBytes: this.deps.maxResultBytes } : {}),
          ...(this.deps.reconnection ? { reconnection: this.deps.reconnection } : {}),
        },
      );
      this.providers.set(key, provider);
    }
    return provider;
  }

  private resolvedPath(): Promise<string> {
    this.searchPath ??= (
      this.deps.loginPath ??
      (() => loginShellPath({ shell: this.deps.env.SHELL, timeoutMs: LOGIN_SHELL_TIMEOUT_MS }))
    )()
      .catch(() => undefined)
      .then((login) => {
        if (!login) this.deps.log?.('MCP: the login shell gave no PATH; servers start with HubDesk’s own');
        return mergePaths(login, this.deps.env.PATH);
      });
    return this.searchPath;
  }

  private view(server: StoredMcpServer): McpServerView {
    const provider = this.providers.get(server.name.toLowerCase());
    const error: AppError | null = provider?.error ?? null;
    return {
      name: server.name,
      transport: server.transport,
      enabled: server.enabled,
      autoApprove: server.autoApprove,
      status: provider?.status ?? 'stopped',
      error,
      stderrTail: provider?.stderrTail ?? [],
      tools: provider?.tools ?? [],
      toolsListed: provider?.toolsListed ?? false,
      serverInfo: provider?.serverInfo ?? null,
      httpTransport: server.transport.type === 'http' ? (provider?.httpTransport ?? null) : null,
      signIn: this.signInView(server, provider),
      createdAt: server.createdAt,
      updatedAt: server.updatedAt,
    };
  }

  private signInView(server: StoredMcpServer, provider: McpServerProvider | undefined): SignInView {
    const { transport } = server;
    if (transport.type !== 'http') return null;
    if (transport.headerNames.some((header) => header.toLowerCase() === 'authorization')) return null;
    return { signedIn: provider?.signedIn ?? false, signingIn: provider?.signingIn ?? false };
  }

  private changed(name: string): McpServerView {
    const view = this.get(name);
    this.deps.bus.emit('tools.serverChanged', { name: view.name, server: view });
    return view;
  }

  /** A chatty server (stderr line by line) sends one event per turn of the event loop, not one per line. */
  private queueChanged(name: string): void {
    if (this.pendingEvents.has(name)) return;
    this.pendingEvents.add(name);
    setImmediate(() => {
      this.pendingEvents.delete(name);
      if (this.closed) return;
      const server = this.deps.servers.get(name);
      if (server) this.deps.bus.emit('tools.serverChanged', { name: server.name, server: this.view(server) });
    });
  }
}
