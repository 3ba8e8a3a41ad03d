import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { revokeSignIn } from '../src/main/services/tools/mcp-oauth-revoke';

const tokens = { access_token: 'access-1', token_type: 'bearer', refresh_token: 'refresh-1' };
const client = { client_id: 'hubdesk-client' };
let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

describe('revoking an MCP sign-in at sign-out', () => {
  it('does nothing, and does not throw, when the server cannot be reached', async () => {
    const url = await listen(() => undefined);
    server?.close();
    server?.closeAllConnections();
    server = undefined;
    expect(await revokeSignIn(url, tokens, client)).toEqual({ revoked: [] });
  });

  it('gives up on a server that does not answer, within its time limit', async () => {
    const url = await listen(() => undefined);
    expect(await revokeSignIn(url, tokens, client, { timeoutMs: 200 })).toEqual({ revoked: [] });
  });

  it('sends nothing where the metadata names no revocation endpoint', async () => {
    const asked: string[] = [];
    const url = await listen((request, response) => {
      asked.push(`${request.method} ${request.url}`);
      if (request.url === '/.well-known/oauth-authorization-server') {
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({
            issuer: 'http://127.0.0.1',
            authorization_endpoint: 'http://127.0.0.1/authorize',
            token_endpoint: 'http://127.0.0.1/token',
            response_types_supported: ['code'],
          }),
        );
      } else response.writeHead(404).end();
    });
    expect(await revokeSignIn(url, tokens, client)).toEqual({ revoked: [] });
    expect(asked.filter((line) => line.startsWith('POST'))).toEqual([]);
  });
});
