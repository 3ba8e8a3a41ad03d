/**
 * An MCP server over Streamable HTTP on 127.0.0.1 that requires OAuth, built with the SDK for the tests: the SDK's
 * authorization server router (metadata, dynamic client registration, authorize, token) with its demo in-memory
 * provider, whose authorize endpoint redirects straight back with a code (no login form), refresh tokens added, and
 * the SDK's bearer middleware in front of /mcp.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DemoInMemoryAuthProvider } from '@modelcontextprotocol/sdk/examples/server/demoInMemoryOAuthProvider.js';
import { InvalidGrantError, InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import {
  getOAuthProtectedResourceMetadataUrl,
  mcpAuthRouter,
} from '@modelcontextprotocol/sdk/server/auth/router.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type {
  OAuthClientInformationFull,
  OAuthTokenRevocationRequest,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { z } from 'zod';

export interface McpOAuthServer {
  url: string;
  /** The MCP endpoint. */
  mcpUrl: string;
  /** Every access and refresh token issued, oldest first. */
  issued: string[];
  /** How many times the authorize endpoint was asked (a browser sign-in each). */
  authorizeCount(): number;
  /** How many clients registered themselves. */
  clientCount(): number;
  /** Every access token stops working at once: the next request gets a 401 and must refresh. */
  expireAccessTokens(): void;
  /** Every refresh token stops working (`invalid_grant`): only a new sign-in helps. */
  revokeRefreshTokens(): void;
  /** Tokens a client revoked through the revocation endpoint (RFC 7009), oldest first. */
  revoked: string[];
  close(): Promise<void>;
}

/** The demo provider, with refresh tokens: each code gives one, each refresh a new access token. */
class RefreshingProvider extends DemoInMemoryAuthProvider {
  readonly issued: string[] = [];
  private readonly refreshTokens = new Map<string, string>();
  /** Access tokens given by a refresh (the demo keeps only its own), with their client. */
  private readonly refreshed = new Map<string, string>();
  private readonly expired = new Set<string>();
  authorizeCalls = 0;

  override async authorize(...args: Parameters<DemoInMemoryAuthProvider['authorize']>): Promise<void> {
    this.authorizeCalls += 1;
    await super.authorize(...args);
  }

  override async exchangeAuthorizationCode(
    client: OAuthClientInformationFull,
    code: string,
    verifier?: string,
  ): Promise<OAuthTokens> {
    const tokens = await super.exchangeAuthorizationCode(client, code, verifier);
    const refresh = `refresh-${randomUUID()}`;
    this.refreshTokens.set(refresh, client.client_id);
    this.issued.push(tokens.access_token, refresh);
    return { ...tokens, refresh_token: refresh };
  }

  override async exchangeRefreshToken(
    client: OAuthClientInformationFull,
    refreshToken: string,
  ): Promise<OAuthTokens> {
    if (this.refreshTokens.get(refreshToken) !== client.client_id)
      throw new InvalidGrantError('The refresh token is not valid');
    const access = `access-${randomUUID()}`;
    this.refreshed.set(access, client.client_id);
    this.issued.push(access);
    return { access_token: access, token_type: 'bearer', expires_in: 3600, refresh_token: refreshToken };
  }

  override async verifyAccessToken(token: string): Promise<AuthInfo> {
    if (this.expired.has(token)) throw new InvalidTokenError('Token has expired');
    const clientId = this.refreshed.get(token);
    if (clientId) return { token, clientId, scopes: [], expiresAt: Math.floor(Date.now() / 1000) + 3600 };
    return super.verifyAccessToken(token);
  }

  expireAll(): void {
    for (const token of this.issued) this.expired.add(token);
  }

  revokeRefreshTokens(): void {
    this.refreshTokens.clear();
  }

  readonly revoked: string[] = [];

  /** The revocation endpoint's work: the token stops working, as a refresh or as a bearer. */
  async revokeToken(client: OAuthClientInformationFull, request: OAuthTokenRevocationRequest): Promise<void> {
    if (this.refreshTokens.get(request.token) === client.client_id) this.refreshTokens.delete(request.token);
    this.expired.add(request.token);
    this.revoked.push(request.token);
  }
}

function toolServer(): McpServer {
  const server = new McpServer({ name: 'test-oauth', version: '1.0.0' });
  server.registerTool(
    'add',
    { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
  );
  return server;
}

export async function startMcpOAuthServer(): Promise<McpOAuthServer> {
  const app = createMcpExpressApp();
  const http = createServer(app);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const mcpUrl = new URL(`${url}/mcp`);
  const provider = new RefreshingProvider();

  app.use(mcpAuthRouter({ provider, issuerUrl: new URL(url), resourceServerUrl: mcpUrl }));
  const bearer = requireBearerAuth({
    verifier: provider,
    resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(mcpUrl),
  });
  // Stateless: each POST gets its own transport, as the SDK's stateless example does.
  app.post(
    '/mcp',
    bearer,
    async (req: { body: unknown }, res: { on: (event: string, fn: () => void) => void }) => {
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      const server = toolServer();
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req as never, res as never, req.body);
    },
  );
  app.get('/mcp', bearer, (_req: unknown, res: { status: (code: number) => { end: () => void } }) => {
    res.status(405).end();
  });

  return {
    url,
    mcpUrl: mcpUrl.href,
    issued: provider.issued,
    authorizeCount: () => provider.authorizeCalls,
    clientCount: () => (provider.clientsStore as unknown as { clients: Map<string, unknown> }).clients.size,
    expireAccessTokens: () => provider.expireAll(),
    revokeRefreshTokens: () => provider.revokeRefreshTokens(),
    revoked: provider.revoked,
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
