// Over 400 lines: one server's whole life (start, watch, list, call, stop, sign in) as one state machine; its parts are in mcp-*.ts.
import { homedir } from 'node:os';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
  type StreamableHTTPReconnectionOptions,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { AppError } from '../../../shared/errors';
import type { ToolResult, ToolSpec } from '../../../shared/tools';
import type { ServerStatus, TransportView } from '../../../shared/tools-channels';
import { cancelledError, HubError } from '../../base/errors';
import { truncate } from '../../base/redact';
import type { McpOAuthStore } from '../../secrets/mcp-oauth-store';
import { type McpStep, mcpFailure, serverError, signInFailure, timeoutError } from './mcp-failure';
import { findCommand } from './mcp-login-path';
import { isNeedsSignIn, McpOAuthClient } from './mcp-oauth-client';
import { revokeSignIn } from './mcp-oauth-revoke';
import { descendantsOf, endProcesses, endWindowsTree } from './mcp-process-tree';
import { MAX_TOOL_RESULT_BYTES, toolResultOf, toolSpecOf } from './mcp-result';
import { type SignInOptions, signInThroughBrowser } from './mcp-sign-in';
import type { ToolProvider } from './tool-provider';

export interface McpTimeouts {
  /** Spawn or first request, and the handshake. */
  connectMs: number;
  /** Each page of tools/list. */
  listMs: number;
  /** One tools/call (progress from the server does not extend it). */
  callMs: number;
}
/** A first `npx -y` or `uvx` start downloads the server: a minute, as other clients allow. */
export const DEFAULT_MCP_TIMEOUTS: McpTimeouts = { connectMs: 60_000, listMs: 30_000, callMs: 300_000 };

/**
 * Resuming a Streamable HTTP stream that closed before its answer: the SDK reconnects with `Last-Event-ID` and
 * waits the server's `retry` field when it sent one, else this back-off.
 */
export const MCP_RECONNECTION: StreamableHTTPReconnectionOptions = {
  initialReconnectionDelay: 1000,
  maxReconnectionDelay: 30_000,
  reconnectionDelayGrowFactor: 1.5,
  maxRetries: 5,
};

const STDERR_LINES = 20;
/** The SDK's stdio reader refuses a message larger than its buffer (10 MB by default): big results must arrive whole to be cut. */
const STDIO_BUFFER_BYTES = 64 * 1024 * 1024;
const CLIENT_INFO = { name: 'HubDesk', version: '1' };

export interface McpServerConfig {
  name: string;
  transport: TransportView;
}

export interface McpProviderDeps {
  timeouts: McpTimeouts;
  /** The PATH stdio servers are looked up in and started with (the login shell's, merged with HubDesk's). */
  searchPath: () => Promise<string>;
  /** The header values of an HTTP server, from the keychain. */
  headers: (server: string, names: readonly string[]) => Promise<Record<string, string>>;
  /** The environment values of a stdio server, from the keychain. */
  env: (server: string, names: readonly string[]) => Promise<Record<string, string>>;
  /** Status, error, tools or stderr changed. */
  onChange: () => void;
  maxResultBytes?: number;
  reconnection?: StreamableHTTPReconnectionOptions;
  /** OAuth sign-ins of HTTP servers, kept in the keychain. */
  oauth: McpOAuthStore;
  log?: (line: string) => void;
}

/** What a sign-in needs besides the server: how the URL is shown, the clock of its timeout, the browser tab's text. */
export type SignInRequest = Pick<SignInOptions, 'openUrl' | 'clock' | 'timeoutMs' | 'pages'>;

interface Connection {
  client: Client;
  transport: Transport;
  /** A close HubDesk asked for (stop, restart) is not a failure. */
  closing: boolean;
}

/** Closes the client and, for a stdio server, ends what it started under itself (`npx`, `sh -c` wrappers). */
async function closeConnection(connection: Connection): Promise<void> {
  connection.closing = true;
  const pid = connection.transport instanceof StdioClientTransport ? connection.transport.pid : null;
  if (pid && process.platform === 'win32') await endWindowsTree(pid);
  const started = pid ? await descendantsOf(pid) : [];
  await connection.client.close().catch(() => undefined);
  await endProcesses(started);
}

/** The connections one start opened (Streamable HTTP, then SSE), closed together when it times out. */
interface Attempts {
  list: Connection[];
  abandoned: boolean;
}

/** One MCP server as a tool provider: starts it, watches it, lists and calls its tools, stops it. */
export class McpServerProvider implements ToolProvider {
  readonly server: string;
  status: ServerStatus = 'stopped';
  error: AppError | null = null;
  tools: ToolSpec[] = [];
  /** Whether `tools` was read on the current connection. */
  toolsListed = false;
  serverInfo: { name: string; version: string } | null = null;
  httpTransport: 'streamable-http' | 'sse' | null = null;
  private stderrLines: string[] = [];
  private partialLine = '';
  private connection: Connection | undefined;
  private starting: Promise<Connection> | undefined;
  private secrets: string[] = [];
  /** Bumped by every stop: a start that finishes after one is closed at once. */
  private generation = 0;
  /** The OAuth client of an HTTP server that does not send its own Authorization header. */
  private readonly oauth: McpOAuthClient | undefined;
  /** Ends the sign-in under way (its listener closes): a stop does. */
  private cancelSignIn: (() => void) | undefined;

  constructor(
    private readonly config: McpServerConfig,
    private readonly deps: McpProviderDeps,
  ) {
    this.server = config.name;
    const { transport } = config;
    if (
      transport.type === 'http' &&
      !transport.headerNames.some((name) => name.toLowerCase() === 'authorization')
    ) {
      this.oauth = new McpOAuthClient(config.name, deps.oauth, () => deps.onChange());
    }
  }

  /** Whether OAuth tokens for this server are in the keychain (as far as the last connection read them). */
  get signedIn(): boolean {
    return this.oauth?.signedIn ?? false;
  }

  /** Whether a sign-in is waiting for the user's browser. */
  get signingIn(): boolean {
    return this.cancelSignIn !== undefined;
  }

  get stderrTail(): string[] {
    return this.partialLine
      ? [...this.stderrLines, this.partialLine].slice(-STDERR_LINES)
      : [...this.stderrLines];
  }

  /** The stdio server's process id while it runs. */
  get pid(): number | null {
    const transport = this.connection?.transport;
    return transport instanceof StdioClientTransport ? transport.pid : null;
  }

  /** Starts the server if it is not running and reads its tools; throws the failure, which the status also shows. */
  async start(): Promise<void> {
    await this.ready();
    if (this.tools.length === 0) {
      try {
        await this.listTools();
      } catch (error) {
        if (error instanceof HubError) {
          this.error = error.info;
          this.deps.onChange();
        }
        throw error;
      }
    }
  }

  async listTools(signal?: AbortSignal): Promise<ToolSpec[]> {
    return this.runStep('list', signal, async (connection, options) => {
      const tools: ToolSpec[] = [];
      let cursor: string | undefined;
      do {
        const page = await connection.client.listTools(cursor ? { cursor } : {}, options);
        tools.push(...page.tools.map((tool) => toolSpecOf(this.server, tool)));
        cursor = page.nextCursor;
      } while (cursor);
      this.tools = tools;
      this.toolsListed = true;
      this.deps.onChange();
      return tools;
    });
  }

  async callTool(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<ToolResult> {
    return this.runStep('call', signal, async (connection, options) => {
      try {
        const result = await connection.client.callTool({ name, arguments: args }, undefined, options);
        return toolResultOf(
          result as Parameters<typeof toolResultOf>[0],
          this.deps.maxResultBytes ?? MAX_TOOL_RESULT_BYTES,
        );
      } catch (error) {
        // The server's own refusal (unknown tool, bad arguments) is for the model to read; a dead connection is not.
        const own =
          error instanceof McpError &&
          error.code !== ErrorCode.ConnectionClosed &&
          error.code !== ErrorCode.RequestTimeout;
        if (own && !signal?.aborted)
          return { content: [{ type: 'text', text: error.message }], isError: true };
        throw error;
      }
    });
  }

  private async dropConnection(connection: Connection): Promise<void> {
    if (this.connection === connection) this.connection = undefined;
    await closeConnection(connection);
  }

  /** Stops the server (its process ends); a start under way is abandoned. */
  async stop(): Promise<void> {
    this.generation += 1;
    this.cancelSignIn?.();
    const connection = this.connection;
    this.connection = undefined;
    this.starting = undefined;
    if (connection) {
      await closeConnection(connection);
    }
    if (this.status !== 'stopped' || this.error) {
      this.status = 'stopped';
      this.error = null;
      this.deps.onChange();
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start().catch(() => undefined);
  }

  private ready(): Promise<Connection> {
    if (this.connection) return Promise.resolve(this.connection);
    if (this.starting) return this.starting;
    const starting = this.connect().finally(() => {
      if (this.starting === starting) this.starting = undefined;
    });
    this.starting = starting;
    return starting;
  }

  private async connect(): Promise<Connection> {
    const generation = this.generation;
    this.status = 'starting';
    this.toolsListed = false;
    this.error = null;
    this.stderrLines = [];
    this.partialLine = '';
    this.deps.onChange();
    let connection: Connection | undefined;
    try {
      connection = await this.withDeadline(this.deps.timeouts.connectMs, (attempts) => this.open(attempts));
      if (generation !== this.generation) {
        await closeConnection(connection);
        throw new HubError({
          kind: 'cancelled',
          message: `The MCP server "${this.server}" was stopped.`,
          reason: { code: 'mcpStopped', values: { server: this.server } },
        });
      }
      this.connection = connection;
      const version = connection.client.getServerVersion();
      this.serverInfo = version ? { name: version.name, version: version.version } : null;
      this.status = 'ready';
      this.deps.onChange();
      return connection;
    } catch (error) {
      // Stderr written just before the process ended arrives after its close.
      await new Promise((resolve) => setImmediate(resolve));
      const failure = mcpFailure(this.server, 'connect', error, {
        tail: this.stderrTail,
        secrets: this.secrets,
        timeoutMs: this.deps.timeouts.connectMs,
      });
      if (generation === this.generation) {
        this.status = isNeedsSignIn(failure) ? 'needs-sign-in' : 'failed';
        this.error = failure.info;
        this.deps.onChange();
      }
      throw failure;
    }
  }

  /** Runs `open` with a deadline; on timeout every transport it opened is closed (the process killed). */
  private async withDeadline(
    ms: number,
    open: (attempts: Attempts) => Promise<Connection>,
  ): Promise<Connection> {
    const attempts: Attempts = { list: [], abandoned: false };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(timeoutError(this.server, 'connect', ms, this.stderrTail)), ms);
    });
    try {
      return await Promise.race([open(attempts), deadline]);
    } catch (error) {
      attempts.abandoned = true;
      for (const attempt of attempts.list) {
        await closeConnection(attempt);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private async open(attempts: Attempts): Promise<Connection> {
    const { transport } = this.config;
    if (transport.type === 'stdio') return this.attempt(attempts, await this.stdioTransport(transport));
    const url = new URL(transport.url);
    // Another HubDesk (the CLI's `mcp login`) may have signed in meanwhile.
    this.oauth?.reload();
    const headers = await this.deps.headers(this.server, transport.headerNames);
    this.secrets = Object.values(headers);
    const requestInit = { headers };
    const authProvider = this.oauth ? { authProvider: this.oauth } : {};
    try {
      const connection = await this.attempt(
        attempts,
        new StreamableHTTPClientTransport(url, {
          requestInit,
          reconnectionOptions: this.deps.reconnection ?? MCP_RECONNECTION,
          ...authProvider,
        }),
      );
      this.httpTransport = 'streamable-http';
      return connection;
    } catch (error) {
      // The SDK's documented fallback: a server that refuses the Streamable HTTP POST with a 4xx may speak the older
      // HTTP+SSE transport. A refused login (401, 403) is said as such.
      const code = error instanceof StreamableHTTPError ? error.code : undefined;
      if (code === undefined || code < 400 || code >= 500 || code === 401 || code === 403) throw error;
      const connection = await this.attempt(
        attempts,
        new SSEClientTransport(url, { requestInit, ...authProvider }),
      );
      this.httpTransport = 'sse';
      return connection;
    }
  }

  private async stdioTransport(transport: Extract<TransportView, { type: 'stdio' }>): Promise<Transport> {
    const env = await this.deps.env(this.server, transport.envNames);
    this.secrets = Object.values(env).filter((value) => value.length >= 4);
    const path = env.PATH ?? (await this.deps.searchPath());
    const cwd = transport.cwd ?? homedir();
    const command = findCommand(transport.command, path, cwd);
    if (!command) {
      const onPath = !transport.command.includes('/');
      throw serverError(
        this.server,
        `cannot start: the command "${transport.command}" was not found${onPath ? ' on the PATH of your login shell' : ''} (or is not executable). Install it, or give its full path.`,
        'mcp_command_not_found',
        [],
        {
          code: onPath ? 'mcpCommandNotOnPath' : 'mcpCommandNotFound',
          values: { server: this.server, command: transport.command },
        },
      );
    }
    const stdio = new StdioClientTransport({
      command,
      args: transport.args,
      env: { PATH: path, ...env },
      cwd,
      stderr: 'pipe',
      maxBufferSize: STDIO_BUFFER_BYTES,
    });
    stdio.stderr?.on('data', (chunk: Buffer) => this.addStderr(chunk.toString('utf8')));
    return stdio;
  }

  private async attempt(attempts: Attempts, transport: Transport): Promise<Connection> {
    // A start that timed out while it looked up PATH or the keychain spawns nothing afterwards.
    if (attempts.abandoned) throw cancelledError();
    const client = new Client(CLIENT_INFO, { capabilities: {} });
    const connection: Connection = { client, transport, closing: false };
    attempts.list.push(connection);
    client.onclose = () => this.closed(connection);
    await client.connect(transport, { timeout: this.deps.timeouts.connectMs });
    if (attempts.abandoned) {
      await closeConnection(connection);
      throw cancelledError();
    }
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      this.listTools().catch(() => undefined);
    });
    return connection;
  }

  /** The connection ended: HubDesk's own stop is fine; anything else while it was in use is a failure. */
  private closed(connection: Connection): void {
    if (connection.closing || this.connection !== connection) return;
    this.connection = undefined;
    setImmediate(() => {
      // A start that began meanwhile says how things are now.
      if (this.connection || this.starting) return;
      this.status = 'failed';
      const stdio = this.config.transport.type === 'stdio';
      this.error = serverError(
        this.server,
        stdio ? 'stopped: its process ended.' : 'closed the connection.',
        'mcp_closed',
        this.stderrTail,
        { code: stdio ? 'mcpProcessEnded' : 'mcpConnectionClosed', values: { server: this.server } },
      ).info;
      this.deps.onChange();
    });
  }

  private async runStep<T>(
    step: McpStep,
    signal: AbortSignal | undefined,
    run: (connection: Connection, options: { timeout: number; signal?: AbortSignal }) => Promise<T>,
  ): Promise<T> {
    if (signal?.aborted) throw cancelledError();
    const timeout = step === 'list' ? this.deps.timeouts.listMs : this.deps.timeouts.callMs;
    const options = { timeout, ...(signal ? { signal } : {}) };
    try {
      const connection = await this.ready();
      try {
        return await run(connection, options);
      } catch (error) {
        // An HTTP session the server forgot (404, e.g. after its restart) was refused before anything ran: the
        // specification's answer is a new session, once.
        if (!(error instanceof StreamableHTTPError && error.code === 404) || signal?.aborted) throw error;
        await this.dropConnection(connection);
        return await run(await this.ready(), options);
      }
    } catch (error) {
      if (signal?.aborted) throw cancelledError();
      if (isNeedsSignIn(error) && this.status === 'ready') await this.needsSignIn(error);
      throw mcpFailure(this.server, step, error, {
        tail: this.stderrTail,
        secrets: this.secrets,
        timeoutMs: timeout,
      });
    }
  }

  /**
   * Signs in through the user's browser (see mcp-sign-in.ts), then connects with the new tokens. A stored sign-in
   * that still works connects without asking.
   */
  async signIn(request: SignInRequest): Promise<void> {
    const { transport } = this.config;
    // The service refuses servers that cannot sign in before asking.
    if (transport.type !== 'http' || !this.oauth) throw cancelledError();
    // A sign-in already waiting (its tab closed, say) gives way to this one.
    await this.stop();
    const generation = this.generation;
    const abort = new AbortController();
    const cancel = () => abort.abort();
    this.cancelSignIn = cancel;
    this.status = 'needs-sign-in';
    this.error = null;
    this.deps.onChange();
    try {
      this.oauth.reload();
      await signInThroughBrowser({
        ...request,
        server: this.server,
        url: new URL(transport.url),
        requestInit: { headers: await this.deps.headers(this.server, transport.headerNames) },
        oauth: this.oauth,
        signal: abort.signal,
      });
    } catch (error) {
      const failure = signInFailure(
        mcpFailure(this.server, 'connect', error, {
          tail: [],
          secrets: this.secrets,
          timeoutMs: request.timeoutMs,
        }),
      );
      if (generation === this.generation) {
        this.status = 'needs-sign-in';
        this.error = failure.info;
      }
      throw failure;
    } finally {
      if (this.cancelSignIn === cancel) this.cancelSignIn = undefined;
      this.deps.onChange();
    }
    await this.start();
  }

  /**
   * Stops the server and forgets its OAuth sign-in (client, tokens, verifier) from the keychain, then asks the
   * authorization server to revoke the tokens, where it offers that.
   */
  async signOut(): Promise<void> {
    await this.stop();
    const oauth = this.oauth;
    if (!oauth) return;
    const signIn = await oauth.storedSignIn();
    await oauth.forget();
    const { transport } = this.config;
    if (signIn && transport.type === 'http')
      await revokeSignIn(transport.url, signIn.tokens, signIn.client, {
        ...(this.deps.log ? { log: this.deps.log } : {}),
      });
  }

  private async needsSignIn(error: unknown): Promise<void> {
    const connection = this.connection;
    if (connection) await this.dropConnection(connection);
    this.status = 'needs-sign-in';
    this.error = error instanceof HubError ? error.info : null;
    this.deps.onChange();
  }

  private addStderr(text: string): void {
    const lines = (this.partialLine + text).split(/\r?\n/);
    this.partialLine = lines.pop() ?? '';
    const added = lines.filter((line) => line.trim() !== '').map((line) => truncate(line, 500));
    if (added.length === 0) return;
    this.stderrLines = [...this.stderrLines, ...added].slice(-STDERR_LINES);
    this.deps.onChange();
  }
}
