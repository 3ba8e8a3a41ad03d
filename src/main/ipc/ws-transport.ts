import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import { libraryFileResponse } from '../files/file-response';
import { contentTypeFor, resolveInside } from '../files/library';
import type { EventBus } from '../services/event-bus';
import type { Router } from './router';

/**
 * The test transport over a WebSocket on 127.0.0.1: the same contract as Electron IPC, for the browser harness
 * (`npm run demo:web`, e2e tests). Only a client presenting the per-run secret is accepted.
 */
export interface WsTransportOptions {
  router: Router;
  bus: EventBus;
  /** Accept POST /upload (with the secret): the harness's stand-in for dropped files' paths. */
  uploadDir?: string;
  /** Serve the library folder's files at /library/… (with Range) to a page that presents the secret. */
  libraryDir?: string;
  /** Serve the audio of a transcript at /transcript-audio/<id> (the file it recorded, nothing else). */
  transcriptAudio?: (id: string) => Promise<string | null>;
  /** Serve these static files (the built renderer) over http on the same port. */
  staticDir?: string;
  port?: number;
  secret?: string;
  log?: (line: string) => void;
}

export interface WsTransport {
  /** The page to open: the renderer with the secret in its query string. */
  pageUrl: string;
  origin: string;
  secret: string;
  close(): Promise<void>;
}

const clientMessageSchema = z.object({
  type: z.literal('invoke'),
  id: z.number().int(),
  channel: z.string(),
  request: z.unknown(),
});

function sameSecret(given: string | null, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

const securityHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

async function serveStatic(root: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
  const relative = pathname === '/' ? 'index.html' : pathname.slice(1);
  const file = resolveInside(root, relative);
  const info = file ? await stat(file).catch(() => null) : null;
  if (!file || !info?.isFile() || (request.method !== 'GET' && request.method !== 'HEAD')) {
    response.writeHead(404, { 'Content-Type': 'text/plain', ...securityHeaders }).end('Not found');
    return;
  }
  response.writeHead(200, {
    'Content-Type': contentTypeFor(file),
    'Content-Length': info.size,
    ...securityHeaders,
  });
  if (request.method === 'HEAD') response.end();
  else createReadStream(file).pipe(response);
}

/** A library file through the same responder as the app:// protocol, so Range and path checks are the same. */
async function serveLibrary(
  root: string,
  url: URL,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const relative = decodeURIComponent(url.pathname.slice('/library/'.length));
  const headers = new Headers();
  if (request.headers.range) headers.set('range', request.headers.range);
  const answer = await libraryFileResponse(
    new Request(url, { method: request.method ?? 'GET', headers }),
    root,
    relative,
  );
  // One value per header: the answer's own nosniff and the harness's are the same header in other case.
  const answerHeaders = new Headers(answer.headers);
  for (const [name, value] of Object.entries(securityHeaders)) answerHeaders.set(name, value);
  response.writeHead(answer.status, Object.fromEntries(answerHeaders));
  if (!answer.body) {
    response.end();
    return;
  }
  Readable.fromWeb(answer.body as import('node:stream/web').ReadableStream).pipe(response);
}

async function serveTranscriptAudio(
  transcriptAudio: (id: string) => Promise<string | null>,
  url: URL,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const id = decodeURIComponent(url.pathname.slice('/transcript-audio/'.length));
  const file = await transcriptAudio(id).catch(() => null);
  if (!file) {
    response.writeHead(404, { 'Content-Type': 'text/plain', ...securityHeaders }).end('Not found');
    return;
  }
  await serveLibrary(
    dirname(file),
    new URL(`/library/${encodeURIComponent(basename(file))}`, url),
    request,
    response,
  );
}

async function receiveUpload(
  folder: string,
  name: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const safeName =
    basename(name)
      .replace(/[^\w.\- ]+/g, '_')
      .slice(-120) || 'file';
  const target = join(folder, randomBytes(6).toString('hex'), safeName);
  await mkdir(dirname(target), { recursive: true });
  await pipeline(request, createWriteStream(target));
  response
    .writeHead(200, { 'Content-Type': 'application/json', ...securityHeaders })
    .end(JSON.stringify({ path: target }));
}

export async function startWsTransport(options: WsTransportOptions): Promise<WsTransport> {
  const secret = options.secret ?? randomBytes(24).toString('base64url');
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/library/') && options.libraryDir) {
      if (!sameSecret(url.searchParams.get('secret'), secret)) {
        response.writeHead(401, securityHeaders).end();
        return;
      }
      serveLibrary(options.libraryDir, url, request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500).end();
      });
      return;
    }
    if (url.pathname.startsWith('/transcript-audio/') && options.transcriptAudio) {
      if (!sameSecret(url.searchParams.get('secret'), secret)) {
        response.writeHead(401, securityHeaders).end();
        return;
      }
      serveTranscriptAudio(options.transcriptAudio, url, request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500).end();
      });
      return;
    }
    if (url.pathname === '/upload' && request.method === 'POST' && options.uploadDir) {
      if (!sameSecret(url.searchParams.get('secret'), secret)) {
        response.writeHead(401, securityHeaders).end();
        return;
      }
      receiveUpload(options.uploadDir, url.searchParams.get('name') ?? 'file', request, response).catch(
        () => {
          if (!response.headersSent) response.writeHead(500).end();
        },
      );
      return;
    }
    if (!options.staticDir) {
      response.writeHead(404).end();
      return;
    }
    serveStatic(options.staticDir, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  let origin = '';

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const requestOrigin = request.headers.origin;
    const originAllowed = requestOrigin === undefined || requestOrigin === origin;
    if (url.pathname !== '/hub' || !originAllowed || !sameSecret(url.searchParams.get('secret'), secret)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => attach(ws));
  });

  const attach = (ws: WebSocket) => {
    const unsubscribe = options.bus.subscribe((event, payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'event', event, payload }));
    });
    ws.on('close', unsubscribe);
    // A frame over maxPayload or a broken frame: ws closes this client; without a listener the server would die.
    ws.on('error', (error) => {
      options.log?.(`ws: dropped a client: ${error.message}`);
      ws.terminate();
    });
    ws.on('message', async (raw) => {
      let message: z.infer<typeof clientMessageSchema>;
      try {
        message = clientMessageSchema.parse(JSON.parse(raw.toString()));
      } catch {
        options.log?.('ws: dropped a message that is not an invoke');
        return;
      }
      const result = await options.router.dispatch(message.channel, message.request);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'result', id: message.id, result }));
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    secret,
    pageUrl: `${origin}/?secret=${encodeURIComponent(secret)}`,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
