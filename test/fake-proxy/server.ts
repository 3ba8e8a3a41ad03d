import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { authorize } from './auth';
import { defaultMessage, errorBody, familyOf, sendError } from './errors';
import { FaultBook, isStreamFault, parseFaultRule } from './faults';
import { serveFile } from './files';
import { loadFixtures } from './fixtures';
import { type Ctx, header, newId, sendJson, sleep } from './http';
import { JobClock } from './jobs';
import { findRoute } from './routes';
import type { FakeState } from './state';
import type { FakeProxy, FakeProxyOptions, Fault, RecordedRequest } from './types';

const GATEWAY_HTML = (status: number) =>
  `<html>\r\n<head><title>${status} Bad Gateway</title></head>\r\n<body>\r\n<center><h1>${status} Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(req: IncomingMessage, body: Buffer): unknown {
  if (!(header(req, 'content-type') ?? '').includes('json') || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startFakeProxy(options: FakeProxyOptions = {}): Promise<FakeProxy> {
  const faults = new FaultBook();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const state: FakeState = {
    token: options.token ?? 'test-token-0123456789',
    clock: new JobClock(options.speed ?? 1),
    cdnUrl: '',
    streamDelayMs: options.streamDelayMs ?? 0,
    fixtures: loadFixtures(),
    sora: [],
    seedance: new Map(),
    kling: new Map(),
    veo: new Map(),
  };

  async function control(ctx: Ctx): Promise<void> {
    const key = `${ctx.method} ${ctx.path}`;
    if (key === 'POST /__fake/faults') {
      try {
        faults.add(parseFaultRule(JSON.parse(ctx.body.toString('utf8'))));
        sendJson(ctx, 201, { ok: true });
      } catch (error) {
        sendJson(ctx, 400, { error: String(error) });
      }
    } else if (key === 'DELETE /__fake/faults') {
      faults.clear();
      sendJson(ctx, 200, { ok: true });
    } else if (key === 'GET /__fake/requests') {
      sendJson(
        ctx,
        200,
        requests.map(({ body, ...rest }) => ({
          ...rest,
          bodyBase64: body.toString('base64'),
          bodySize: body.length,
        })),
      );
    } else if (key === 'DELETE /__fake/requests') {
      requests.length = 0;
      sendJson(ctx, 200, { ok: true });
    } else if (key === 'POST /__fake/speed') {
      const speed = Number((JSON.parse(ctx.body.toString('utf8')) as { speed?: unknown }).speed);
      if (!(speed > 0)) return sendJson(ctx, 400, { error: 'speed must be > 0' });
      state.clock.setSpeed(speed);
      sendJson(ctx, 200, { ok: true });
    } else {
      sendJson(ctx, 404, { error: `no control endpoint ${key}` });
    }
  }

  /** Applies a fault that replaces the response; returns true when the request is fully handled. */
  async function applyFault(ctx: Ctx, fault: Fault): Promise<boolean> {
    const family = familyOf(ctx.path);
    switch (fault.type) {
      case 'latency':
        await sleep(fault.ms);
        return false;
      case 'status': {
        const headers: Record<string, string> = {};
        if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
        if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
        const details = {
          headers,
          ...(fault.retryInfoDelay === undefined ? {} : { retryInfoDelay: fault.retryInfoDelay }),
          ...(fault.code === undefined ? {} : { code: fault.code }),
        };
        sendError(ctx, fault.status, fault.message ?? defaultMessage(fault.status), details, family);
        return true;
      }
      case 'html': {
        const status = fault.status ?? 502;
        const html = GATEWAY_HTML(status);
        ctx.res.writeHead(status, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(html) });
        ctx.res.end(html);
        return true;
      }
      case 'kling-code':
        sendJson(
          ctx,
          200,
          errorBody('kling', 200, fault.message ?? 'Request failed', ctx.requestId, { code: fault.code }),
        );
        return true;
      case 'reset':
        ctx.req.socket.destroy();
        return true;
      case 'hang':
        return true;
      case 'cut-bytes':
        ctx.cutBytes = fault.afterBytes;
        return false;
      default:
        if (isStreamFault(fault)) ctx.streamFault = fault;
        return false;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse, isCdn: boolean): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const ctx: Ctx = {
      req,
      res,
      url,
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      body,
      json: parseJson(req, body),
      streamFault: undefined,
      cutBytes: undefined,
      state,
      requestId: newId('req_', 10),
    };
    if (ctx.path.startsWith('/__fake/')) return control(ctx);

    const recorded: RecordedRequest = {
      method: ctx.method,
      path: req.url ?? '/',
      host: header(req, 'host') ?? '',
      headers: flatHeaders(req),
      body,
    };
    if (ctx.json !== undefined) recorded.json = ctx.json;
    requests.push(recorded);

    const family = familyOf(ctx.path);
    res.setHeader('x-request-id', ctx.requestId);
    if (family === 'anthropic') res.setHeader('request-id', ctx.requestId);

    const fault = faults.take(ctx.method, recorded.path);
    if (fault && (await applyFault(ctx, fault))) return;

    if (isCdn) {
      if ((ctx.method === 'GET' || ctx.method === 'HEAD') && ctx.path.startsWith('/cdn/')) {
        const ext = /\.(\w+)$/.exec(ctx.path)?.[1]?.toLowerCase();
        const { fixtures } = state;
        const file =
          ext === 'mp4'
            ? fixtures.video
            : ext === 'jpg' || ext === 'jpeg'
              ? fixtures.thumbnailJpeg
              : ext === 'png'
                ? fixtures.thumbnailPng
                : ext === 'webp'
                  ? fixtures.thumbnailWebp
                  : undefined;
        if (file) return serveFile(ctx, file);
      }
      return sendError(ctx, 404, `No such file: ${ctx.path}`, {}, 'openai');
    }

    const found = findRoute(ctx.method, ctx.path);
    if (!found) {
      return sendError(
        ctx,
        404,
        `Invalid URL (${ctx.method} ${ctx.path})`,
        { code: 'unknown_url' },
        'openai',
      );
    }
    if (!authorize(ctx, family)) return;
    await found.route.handler(ctx, found.params);
  }

  function makeServer(isCdn: boolean): Server {
    const server = createServer((req, res) => {
      handle(req, res, isCdn).catch((error: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const message = `Fake proxy failure: ${error instanceof Error ? error.message : String(error)}`;
        const text = JSON.stringify(errorBody(familyOf(req.url ?? '/'), 500, message, 'req_error'));
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(text);
      });
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    return server;
  }

  const main = makeServer(false);
  const cdn = makeServer(true);
  const port = await listen(main, '127.0.0.1', options.port ?? 0);
  const cdnPort = await listen(cdn, '127.0.0.2', options.cdnPort ?? 0);
  state.cdnUrl = `http://127.0.0.2:${cdnPort}`;

  const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    cdnUrl: state.cdnUrl,
    token: state.token,
    requests,
    addFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    setSpeed: (speed) => state.clock.setSpeed(speed),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all([closeServer(main), closeServer(cdn)]);
    },
  };
}
