/**
 * An MCP server over HTTP on 127.0.0.1, built with the SDK for the tests: Streamable HTTP at /mcp (sessions, an
 * event store so streams can be resumed, a short `retry`), the older HTTP+SSE transport at /sse, and a bearer token
 * every request must carry.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemoryEventStore } from '@modelcontextprotocol/sdk/examples/shared/inMemoryEventStore.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

export interface McpHttpServer {
  url: string;
  /** Every request, in order: method, path, whether its bearer token was right, its Last-Event-ID. */
  requests: { method: string; path: string; authorized: boolean; lastEventId: string | undefined }[];
  /** Forgets every Streamable HTTP session, as a restarted server would: their next request gets a 404. */
  forgetSessions(): void;
  close(): Promise<void>;
}

function toolServer(): McpServer {
  const server = new McpServer({ name: 'test-http', version: '1.0.0' }, { capabilities: { logging: {} } });
  server.registerTool(
    'add',
    { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
  );
  server.registerTool(
    'resumable',
    { description: 'Cuts its own stream before it answers', inputSchema: {} },
    async (_args, extra) => {
      await extra.sendNotification({
        method: 'notifications/message',
        params: { level: 'info', data: 'halfway' },
      });
      // The answer is not sent on this stream: the client must come back with Last-Event-ID to get it.
      extra.closeSSEStream?.();
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { content: [{ type: 'text', text: 'answered after the stream was cut' }] };
    },
  );
  return server;
}

export async function startMcpHttpServer(token: string): Promise<McpHttpServer> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const sseSessions = new Map<string, SSEServerTransport>();
  const requests: McpHttpServer['requests'] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const authorized = req.headers.authorization === `Bearer ${token}`;
    const lastEventId = req.headers['last-event-id'];
    requests.push({
      method: req.method ?? '',
      path,
      authorized,
      lastEventId: typeof lastEventId === 'string' ? lastEventId : undefined,
    });
    if (!authorized) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    if (path === '/mcp') {
      const sessionId = req.headers['mcp-session-id'];
      let transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
      if (!transport) {
        if (sessionId !== undefined || req.method !== 'POST') {
          res.writeHead(404).end();
          return;
        }
        const created = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          eventStore: new InMemoryEventStore(),
          retryInterval: 20,
          onsessioninitialized: (id) => {
            sessions.set(id, created);
          },
        });
        await toolServer().connect(created);
        transport = created;
      }
      await transport.handleRequest(req, res);
      return;
    }
    if (path === '/sse' && req.method === 'GET') {
      const transport = new SSEServerTransport('/messages', res);
      sseSessions.set(transport.sessionId, transport);
      await toolServer().connect(transport);
      return;
    }
    if (path === '/messages' && req.method === 'POST') {
      const id = new URL(req.url ?? '/', 'http://x').searchParams.get('sessionId') ?? '';
      const transport = sseSessions.get(id);
      if (!transport) {
        res.writeHead(404).end();
        return;
      }
      await transport.handlePostMessage(req, res);
      return;
    }
    res.writeHead(path === '/sse' ? 405 : 404).end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    forgetSessions() {
      sessions.clear();
    },
    async close() {
      await Promise.allSettled(
        [...sessions.values(), ...sseSessions.values()].map((transport) => transport.close()),
      );
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
