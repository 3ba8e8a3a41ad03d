/**
 * MCP servers over HTTP: a server built with the SDK on 127.0.0.1 (test/support/mcp-http-server.ts), the bearer
 * token kept in the real system keychain (run inside the private D-Bus session of /tmp/runtests.sh or .ci/run).
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mcpHeaderAccount } from '../src/main/secrets/mcp-header-store';
import type { McpOptions } from '../src/main/services/tools/tool-servers-service';
import type { McpServerView } from '../src/shared/tools-channels';
import { type McpTestCore, mcpCore } from './support/mcp';
import { type McpHttpServer, startMcpHttpServer } from './support/mcp-http-server';

const runReal = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS || process.env.CI);
const service = `HubDesk-test-mcp-${process.pid}-${randomUUID()}`;
const token = `mcp-secret-${randomUUID()}`;

let server: McpHttpServer;
let open: McpTestCore[] = [];
const logLines: string[] = [];

beforeAll(async () => {
  server = await startMcpHttpServer(token);
});
afterAll(async () => {
  await server?.close();
  for (const name of ['web', 'legacy', 'wrong', 'down']) {
    await keytar.deletePassword(service, mcpHeaderAccount(name, 'Authorization')).catch(() => false);
  }
});
afterEach(async () => {
  await Promise.allSettled(open.map((stack) => stack.close()));
  open = [];
});

async function stack(mcp: McpOptions = {}): Promise<McpTestCore> {
  const created = await mcpCore({
    keytar,
    keychainService: service,
    log: (line) => logLines.push(line),
    mcp,
  });
  open.push(created);
  return created;
}

function http(url: string, value: string | undefined = `Bearer ${token}`) {
  return {
    type: 'http',
    url,
    headers: [{ name: 'Authorization', ...(value !== undefined ? { value } : {}) }],
  };
}

/** Every byte SQLite wrote for this core: the database and its WAL. */
function databaseBytes(dataDir: string): string {
  return readdirSync(dataDir)
    .filter((name) => name.startsWith('hubdesk.sqlite'))
    .map((name) => readFileSync(join(dataDir, name)).toString('latin1'))
    .join('');
}

describe.skipIf(!runReal)('MCP servers over Streamable HTTP, with the token in the real keychain', () => {
  it('the bearer token goes from the keychain to the server, and nowhere else', async () => {
    const s = await stack();
    const added = await s.core.router.dispatch('tools.addServer', {
      name: 'web',
      transport: http(`${server.url}/mcp`),
    });
    expect(added).toMatchObject({
      ok: true,
      value: { transport: { type: 'http', url: `${server.url}/mcp`, headerNames: ['Authorization'] } },
    });
    expect(await keytar.getPassword(service, 'mcp:web:authorization')).toBe(`Bearer ${token}`);

    const view = (
      (await s.core.router.dispatch('tools.restart', { name: 'web' })) as { value: McpServerView }
    ).value;
    expect(view).toMatchObject({ status: 'ready', error: null, httpTransport: 'streamable-http' });
    expect(view.tools.map((tool) => tool.name)).toEqual(['add', 'resumable']);
    expect(await s.core.tools.call('web', 'add', { a: 2, b: 3 })).toEqual({
      content: [{ type: 'text', text: '5' }],
      isError: false,
    });
    const ours = server.requests.filter((request) => request.path === '/mcp');
    expect(ours.length).toBeGreaterThan(2);
    expect(ours.every((request) => request.authorized)).toBe(true);

    // Not in SQLite (nor its WAL), not in what the window gets, not in a log line.
    expect(databaseBytes(s.dataDir)).not.toContain(token);
    expect(JSON.stringify(s.core.tools.list())).not.toContain(token);
    expect(JSON.stringify(s.events)).not.toContain(token);
    expect(logLines.join('\n')).not.toContain(token);

    // A header listed without a value keeps the stored one; one left out is removed from the keychain.
    const kept = await s.core.router.dispatch('tools.updateServer', {
      name: 'web',
      transport: http(`${server.url}/mcp`, undefined),
    });
    expect(kept).toMatchObject({
      ok: true,
      value: { status: 'ready', transport: { headerNames: ['Authorization'] } },
    });
    expect(await keytar.getPassword(service, 'mcp:web:authorization')).toBe(`Bearer ${token}`);
    await s.core.router.dispatch('tools.removeServer', { name: 'web' });
    expect(await keytar.getPassword(service, 'mcp:web:authorization')).toBeNull();
  });

  it("a stream that closes before its answer is resumed with Last-Event-ID, after the server's retry", async () => {
    // HubDesk's own back-off is set to a minute here: the answer can only come in time if the client waits the
    // server's `retry` (20 ms) instead.
    const s = await stack({
      reconnection: {
        initialReconnectionDelay: 60_000,
        maxReconnectionDelay: 60_000,
        reconnectionDelayGrowFactor: 1,
        maxRetries: 2,
      },
      timeouts: { callMs: 20_000 },
    });
    await s.core.router.dispatch('tools.addServer', { name: 'web', transport: http(`${server.url}/mcp`) });
    const before = server.requests.length;
    const result = await s.core.tools.call('web', 'resumable', {});
    expect(result).toEqual({
      content: [{ type: 'text', text: 'answered after the stream was cut' }],
      isError: false,
    });
    const resumed = server.requests
      .slice(before)
      .filter((request) => request.method === 'GET' && request.lastEventId);
    expect(resumed.length).toBeGreaterThanOrEqual(1);
    expect(resumed[0]?.authorized).toBe(true);
  });

  it('a session the server forgot (404) is replaced by a new one, and the call goes through once', async () => {
    const s = await stack();
    await s.core.router.dispatch('tools.addServer', { name: 'web', transport: http(`${server.url}/mcp`) });
    expect(await s.core.tools.call('web', 'add', { a: 1, b: 1 })).toMatchObject({ content: [{ text: '2' }] });
    server.forgetSessions();
    const before = server.requests.length;
    expect(await s.core.tools.call('web', 'add', { a: 2, b: 2 })).toMatchObject({ content: [{ text: '4' }] });
    expect(s.core.tools.get('web')).toMatchObject({ status: 'ready', error: null });
    // The refused POST, then a new handshake (initialize, initialized) and the call again.
    expect(
      server.requests.slice(before).filter((request) => request.method === 'POST').length,
    ).toBeGreaterThanOrEqual(4);
  });

  it('falls back to the older HTTP+SSE transport when Streamable HTTP is refused', async () => {
    const s = await stack();
    await s.core.router.dispatch('tools.addServer', { name: 'legacy', transport: http(`${server.url}/sse`) });
    const view = (
      (await s.core.router.dispatch('tools.restart', { name: 'legacy' })) as { value: McpServerView }
    ).value;
    expect(view).toMatchObject({ status: 'ready', httpTransport: 'sse', error: null });
    expect(await s.core.tools.call('legacy', 'add', { a: 20, b: 22 })).toMatchObject({
      content: [{ type: 'text', text: '42' }],
    });
    expect(server.requests.some((request) => request.path === '/messages' && request.authorized)).toBe(true);
  });

  it('a wrong token is an auth error; an address nobody answers is a network error', async () => {
    const s = await stack();
    await s.core.router.dispatch('tools.addServer', {
      name: 'wrong',
      transport: http(`${server.url}/mcp`, 'Bearer not-the-token'),
    });
    const wrong = (
      (await s.core.router.dispatch('tools.restart', { name: 'wrong' })) as { value: McpServerView }
    ).value;
    expect(wrong.status).toBe('failed');
    expect(wrong.error).toMatchObject({ kind: 'auth', status: 401 });
    expect(wrong.error?.message).toMatch(/^The MCP server "wrong" refused the request \(HTTP 401\)/);
    expect(JSON.stringify(wrong)).not.toContain('not-the-token');

    // A port that was just free: nobody listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await s.core.router.dispatch('tools.addServer', {
      name: 'down',
      transport: http(`http://127.0.0.1:${port}/mcp`),
    });
    const down = (
      (await s.core.router.dispatch('tools.restart', { name: 'down' })) as { value: McpServerView }
    ).value;
    expect(down.status).toBe('failed');
    expect(down.error).toMatchObject({ kind: 'network', code: 'ECONNREFUSED' });
    expect(down.error?.message).toBe(
      'The MCP server "down" failed to start and answer the handshake: it could not be reached: the connection was refused.',
    );
  });
});
