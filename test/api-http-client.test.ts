import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiCall, familyOf } from '../src/main/api/api-call';
import { HttpClient, type HttpClientOptions } from '../src/main/api/http-client';
import { parseEventJson, type SseMessage } from '../src/main/api/sse';
import type { Clock } from '../src/main/base/clock';
import { HubError } from '../src/main/base/errors';
import { createCore } from '../src/main/core';
import { CONNECTION_TEST_DEADLINE_MS } from '../src/main/services/settings-service';
import type { AppError } from '../src/shared/errors';
import { type FakeProxy, startFakeProxy } from './fake-proxy';
import { ManualClock } from './support/manual-clock';
import { memoryKeytar } from './support/memory-keytar';

const TOKEN = 'thk-live-7Hq2ZpXv9LmN4sRt';

let proxy: FakeProxy;
const logLines: string[] = [];
const caughtErrors: AppError[] = [];
const clients: HttpClient[] = [];

beforeAll(async () => {
  proxy = await startFakeProxy({ token: TOKEN });
});

afterEach(() => {
  proxy.clearFaults();
  proxy.requests.length = 0;
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await proxy.close();
  // Every log line and every error message of the whole file, checked once more at the end.
  expect(logLines.length).toBeGreaterThan(20);
  for (const line of logLines) expect(line).not.toContain(TOKEN);
  for (const info of caughtErrors) expect(JSON.stringify(info)).not.toContain(TOKEN);
});

interface Setup {
  client: HttpClient;
  sleeps: number[];
}

function makeClient(overrides: Partial<HttpClientOptions> = {}, baseUrl?: string): Setup {
  const sleeps: number[] = [];
  const client = new HttpClient({
    target: () => ({ baseUrl: baseUrl ?? proxy.url, proxyUrl: null, endpointOverrides: {} }),
    token: async () => TOKEN,
    env: {},
    log: (line) => logLines.push(line),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0,
    ...overrides,
  });
  clients.push(client);
  return { client, sleeps };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(HubError);
    const info = (error as HubError).info;
    expect((error as HubError).message).toBe(info.message);
    caughtErrors.push(info);
    return info;
  }
  throw new Error('expected the call to fail');
}

async function drain(
  stream: AsyncIterable<SseMessage>,
  onEvent?: (event: SseMessage) => void,
): Promise<SseMessage[]> {
  const events: SseMessage[] = [];
  for await (const event of stream) {
    events.push(event);
    onEvent?.(event);
  }
  return events;
}

const chatCall = (extra: Partial<ApiCall> = {}): ApiCall => ({
  endpoint: 'openai.chat',
  json: { model: 'gpt-4o', messages: [{ role: 'user', content: 'Say hello' }] },
  ...extra,
});

const streamCall = (extra: Partial<ApiCall> = {}): ApiCall => ({
  endpoint: 'openai.chat',
  json: { model: 'gpt-4o', messages: [{ role: 'user', content: 'Say hello' }], stream: true },
  ...extra,
});

function streamedText(events: SseMessage[]): string {
  return events
    .map((event) => parseEventJson<{ choices: Array<{ delta?: { content?: string } }> }>(event))
    .map((chunk) => chunk.choices[0]?.delta?.content ?? '')
    .join('');
}

describe('requests and auth', () => {
  it('maps endpoints to families', () => {
    expect(familyOf('claude.messages')).toBe('anthropic');
    expect(familyOf('claude.chat')).toBe('openai');
    expect(familyOf('gemini.stream')).toBe('google');
    expect(familyOf('veo.status')).toBe('google');
    expect(familyOf('kling.image2video.status')).toBe('kling');
    expect(familyOf('seedance.create')).toBe('seedance');
    expect(familyOf('sora.create')).toBe('openai');
  });

  it('sends a JSON call with Bearer auth and returns the parsed answer', async () => {
    const { client } = makeClient();
    const result = await client.json<{ choices: Array<{ message: { content: string } }> }>(chatCall());
    expect(result.status).toBe(200);
    expect(result.data.choices[0]?.message.content.length).toBeGreaterThan(0);
    expect(result.requestId).toMatch(/^req_/);
    const sent = proxy.requests[0]!;
    expect(sent.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers['x-api-key']).toBeUndefined();
    expect(sent.headers['x-goog-api-key']).toBeUndefined();
  });

  it('adds x-api-key and anthropic-version for /v1/messages, x-goog-api-key for Gemini', async () => {
    const { client } = makeClient();
    await client.json({
      endpoint: 'claude.messages',
      json: {
        model: 'claude-sonnet-4-5-20250929',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'Hi' }],
      },
    });
    await client.json({
      endpoint: 'gemini.generate',
      pathParams: { model: 'gemini-2.5-flash' },
      json: { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] },
    });
    const [claude, gemini] = proxy.requests;
    expect(claude?.headers).toMatchObject({ 'x-api-key': TOKEN, 'anthropic-version': '2023-06-01' });
    expect(claude?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(gemini?.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(gemini?.headers['x-goog-api-key']).toBe(TOKEN);
  });

  it('uses endpoint overrides and query parameters', async () => {
    const { client } = makeClient({
      target: () => ({
        baseUrl: `${proxy.url}/`,
        proxyUrl: null,
        endpointOverrides: { 'sora.list': '/v2/videos' },
      }),
    });
    proxy.addFault({ match: '/v2/videos', fault: { type: 'status', status: 404 } });
    const info = await failure(client.json({ endpoint: 'sora.list', query: { limit: 5, after: undefined } }));
    expect(info.kind).toBe('not_found');
    expect(proxy.requests[0]?.path).toBe('/v2/videos?limit=5');
  });

  it('fails with an auth error and sends nothing when no token is set', async () => {
    const { client } = makeClient({ token: async () => null });
    const info = await failure(client.json(chatCall()));
    expect(info).toMatchObject({ kind: 'auth' });
    expect(info.message).toMatch(/No API token is set/);
    expect(proxy.requests).toHaveLength(0);
  });

  it('reports a refused token readably, without the token', async () => {
    const { client } = makeClient({ token: async () => 'thk-wrong-token-123456' });
    const info = await failure(client.json(chatCall()));
    expect(info).toMatchObject({ kind: 'auth', status: 401 });
    expect(info.message).toMatch(/^The proxy refused the API token \(401\): /);
    expect(info.message).not.toContain('thk-wrong-token-123456');
  });

  it('redacts the token when the proxy echoes it back', async () => {
    const { client } = makeClient();
    proxy.addFault({
      fault: { type: 'status', status: 400, message: `Key ${TOKEN} is not allowed for gpt-4o` },
    });
    const info = await failure(client.json(chatCall()));
    expect(info.providerMessage).toBe('Key [redacted] is not allowed for gpt-4o');
  });
});

describe('retries', () => {
  it('retries 5xx with 0.5 s, 1 s backoff and then succeeds', async () => {
    const { client, sleeps } = makeClient();
    proxy.addFault({ match: '/v1/chat/completions', times: 2, fault: { type: 'status', status: 503 } });
    const result = await client.json(chatCall());
    expect(result.status).toBe(200);
    expect(proxy.requests).toHaveLength(3);
    expect(sleeps).toEqual([500, 1000]);
  });

  it('gives up after two retries and keeps the last error', async () => {
    const { client, sleeps } = makeClient();
    proxy.addFault({ times: 3, fault: { type: 'status', status: 500, message: 'upstream exploded' } });
    const info = await failure(client.json(chatCall()));
    expect(info).toMatchObject({ kind: 'server', status: 500, providerMessage: 'upstream exploded' });
    expect(proxy.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it.each([408, 409, 429, 502, 504, 529])('retries HTTP %i', async (status) => {
    const { client } = makeClient();
    proxy.addFault({ fault: { type: 'status', status } });
    expect((await client.json(chatCall())).status).toBe(200);
    expect(proxy.requests).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 413, 422])('does not retry HTTP %i', async (status) => {
    const { client, sleeps } = makeClient();
    proxy.addFault({ fault: { type: 'status', status } });
    await failure(client.json(chatCall()));
    expect(proxy.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('waits as long as Retry-After (seconds), retry-after-ms or Google RetryInfo say', async () => {
    const { client, sleeps } = makeClient();
    proxy.addFault({ fault: { type: 'status', status: 429, retryAfter: '2' } });
    await client.json(chatCall());
    proxy.addFault({ fault: { type: 'status', status: 429, retryAfter: '2', retryAfterMs: 250 } });
    await client.json(chatCall());
    proxy.addFault({ fault: { type: 'status', status: 429, retryInfoDelay: '3s' } });
    await client.json({
      endpoint: 'gemini.generate',
      pathParams: { model: 'gemini-2.5-flash' },
      json: { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] },
    });
    expect(sleeps).toEqual([2000, 250, 3000]);
  });

  it('reports a long Retry-After instead of waiting', async () => {
    const { client, sleeps } = makeClient();
    proxy.addFault({ fault: { type: 'status', status: 429, retryAfter: '3600' } });
    const info = await failure(client.json(chatCall()));
    expect(info).toMatchObject({ kind: 'rate_limited', retryAfterMs: 3_600_000 });
    expect(sleeps).toEqual([]);
  });

  it('retries a connection reset', async () => {
    const { client } = makeClient();
    proxy.addFault({ fault: { type: 'reset' } });
    expect((await client.json(chatCall())).status).toBe(200);
    expect(proxy.requests).toHaveLength(2);
  });

  it('never retries a video job create, even on 503', async () => {
    const { client, sleeps } = makeClient();
    proxy.addFault({ fault: { type: 'status', status: 503 } });
    const info = await failure(
      client.json({ endpoint: 'sora.create', json: { model: 'sora-2', prompt: 'A cat' } }),
    );
    expect(info).toMatchObject({ kind: 'server', status: 503 });
    expect(proxy.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    proxy.addFault({ fault: { type: 'reset' } });
    await failure(client.json({ endpoint: 'kling.text2video', json: { prompt: 'A rabbit' } }));
    expect(proxy.requests).toHaveLength(2);
  });

  it('stops waiting for a retry when cancelled', async () => {
    const { client } = makeClient({ sleep: undefined });
    const controller = new AbortController();
    proxy.addFault({ fault: { type: 'status', status: 503, retryAfterMs: 10_000 } });
    const pending = client.json(chatCall({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    const info = await failure(pending);
    expect(info.kind).toBe('cancelled');
    expect(proxy.requests).toHaveLength(1);
  });
});

describe('error shapes', () => {
  it('describes an HTML page from a gateway', async () => {
    const { client } = makeClient({ maxRetries: 0 });
    proxy.addFault({ fault: { type: 'html', status: 502 } });
    const info = await failure(client.json(chatCall()));
    expect(info).toMatchObject({ kind: 'server', status: 502 });
    expect(info.message).toMatch(/^The gateway returned an HTML error page \(502\): 502 Bad Gateway/);
  });

  it('keeps the Anthropic error type and request id', async () => {
    const { client } = makeClient({ maxRetries: 0 });
    proxy.addFault({ fault: { type: 'status', status: 529 } });
    const info = await failure(
      client.json({
        endpoint: 'claude.messages',
        json: {
          model: 'claude-sonnet-4-5-20250929',
          max_tokens: 16,
          messages: [{ role: 'user', content: 'Hi' }],
        },
      }),
    );
    expect(info).toMatchObject({ kind: 'rate_limited', status: 529, code: 'overloaded_error' });
    expect(info.requestId).toMatch(/^req_/);
  });

  it('treats a Kling code other than 0 as an error even with HTTP 200', async () => {
    const { client } = makeClient();
    proxy.addFault({ fault: { type: 'kling-code', code: 1201, message: 'Invalid task id' } });
    const info = await failure(
      client.json({ endpoint: 'kling.text2video.status', pathParams: { id: '42' } }),
    );
    expect(info).toMatchObject({ kind: 'bad_request', code: '1201', status: 200 });
    expect(info.message).toBe('Kling rejected the request (code 1201): Invalid task id');
    expect(proxy.requests).toHaveLength(1);
    expect(proxy.requests[0]?.path).toBe('/kling/v1/videos/text2video/42');
  });
});

describe('timeouts and cancellation', () => {
  it('gives up on a call that takes longer than the whole-call timeout', async () => {
    const { client } = makeClient({ timeouts: { totalMs: 300 } });
    proxy.addFault({ fault: { type: 'hang' } });
    const info = await failure(client.json(chatCall()));
    expect(info).toMatchObject({ kind: 'timeout', code: 'total_timeout' });
    expect(info.message).toBe('The proxy did not answer within 300 ms, the time limit of one request.');
    expect(proxy.requests).toHaveLength(1);
  });

  it('cancels a JSON call by signal', async () => {
    const { client } = makeClient();
    const controller = new AbortController();
    proxy.addFault({ fault: { type: 'latency', ms: 5_000 } });
    const pending = client.json(chatCall({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    expect((await failure(pending)).kind).toBe('cancelled');
    expect(proxy.requests).toHaveLength(1);
  });

  it('times out a stream whose proxy never answers', async () => {
    const { client } = makeClient({ timeouts: { idleMs: 300 } });
    proxy.addFault({ fault: { type: 'hang' } });
    const info = await failure(drain(client.stream(streamCall())));
    expect(info.kind).toBe('timeout');
    expect(info.message).toBe(
      'The proxy did not start answering in time (timeout waiting for its first answer).',
    );
    expect(proxy.requests).toHaveLength(1);
  });

  it('times out a stream that goes quiet, and does not retry it', async () => {
    const { client } = makeClient({ timeouts: { idleMs: 150 } });
    proxy.addFault({ fault: { type: 'trickle', delayMs: 600 } });
    const events: SseMessage[] = [];
    const info = await failure(drain(client.stream(streamCall()), (event) => events.push(event)));
    expect(info).toMatchObject({ kind: 'timeout', code: 'idle_timeout' });
    expect(events.length).toBeGreaterThan(0);
    expect(proxy.requests).toHaveLength(1);
  });

  it('keeps a stream alive while pings arrive within the idle time', async () => {
    const { client } = makeClient({ timeouts: { idleMs: 250 } });
    proxy.addFault({ fault: { type: 'pings', everyMs: 100, count: 5 } });
    const events = await drain(client.stream(streamCall()));
    expect(streamedText(events).length).toBeGreaterThan(0);
  });

  it('cancels a stream by signal after the first event', async () => {
    const { client } = makeClient();
    const controller = new AbortController();
    proxy.addFault({ fault: { type: 'trickle', delayMs: 2_000 } });
    const events: SseMessage[] = [];
    const pending = drain(client.stream(streamCall({ signal: controller.signal })), (event) => {
      events.push(event);
      controller.abort();
    });
    expect((await failure(pending)).kind).toBe('cancelled');
    expect(events).toHaveLength(1);
  });
});

describe('streams', () => {
  it('reads a whole chat stream up to [DONE]', async () => {
    const { client } = makeClient();
    const events = await drain(client.stream(streamCall()));
    expect(streamedText(events).length).toBeGreaterThan(0);
    expect(events.some((event) => event.data === '[DONE]')).toBe(false);
    expect(proxy.requests[0]?.headers.accept).toBe('text/event-stream');
  });

  it('retries a stream that fails before its first event', async () => {
    const { client } = makeClient();
    proxy.addFault({ fault: { type: 'status', status: 503 } });
    proxy.addFault({ fault: { type: 'cut', afterEvents: 0 } });
    const events = await drain(client.stream(streamCall()));
    expect(streamedText(events).length).toBeGreaterThan(0);
    expect(proxy.requests).toHaveLength(3);
  });

  it('does not retry a stream cut after it produced output', async () => {
    const { client } = makeClient();
    proxy.addFault({ fault: { type: 'cut', afterEvents: 2 } });
    const events: SseMessage[] = [];
    const info = await failure(drain(client.stream(streamCall()), (event) => events.push(event)));
    expect(info.kind).toBe('network');
    expect(info.message).toMatch(/^The stream was cut off before it finished/);
    expect(events).toHaveLength(2);
    expect(proxy.requests).toHaveLength(1);
  });

  it('turns a malformed event into a readable error', async () => {
    const { client } = makeClient();
    proxy.addFault({ fault: { type: 'malformed', afterEvents: 1 } });
    const info = await failure(drain(client.stream(streamCall()), (event) => parseEventJson(event)));
    expect(info.message).toMatch(/^The proxy sent a malformed stream event: \{"broken/);
  });

  it('reports an error status on a stream request in the family shape', async () => {
    const { client } = makeClient();
    proxy.addFault({ fault: { type: 'status', status: 400, message: 'max_tokens is too large' } });
    const info = await failure(
      drain(
        client.stream({
          endpoint: 'claude.messages',
          json: { model: 'claude-sonnet-4-5-20250929', max_tokens: 16, stream: true, messages: [] },
        }),
      ),
    );
    expect(info).toMatchObject({ kind: 'bad_request', code: 'invalid_request_error' });
    expect(info.message).toBe('The proxy rejected the request (400): max_tokens is too large');
  });
});

describe('downloads', () => {
  it('fetches a foreign URL without the token, with a Range', async () => {
    const { client } = makeClient();
    const full = await client.download({ url: `${proxy.cdnUrl}/cdn/video.mp4` }, {});
    const bytes: Uint8Array[] = [];
    for await (const chunk of full.body) bytes.push(chunk);
    const size = bytes.reduce((sum, chunk) => sum + chunk.byteLength, 0);
    expect(full.status).toBe(200);
    expect(full.contentLength).toBe(size);
    const part = await client.download({ url: `${proxy.cdnUrl}/cdn/video.mp4` }, { rangeStart: 100 });
    for await (const _chunk of part.body) {
      // drain
    }
    expect(part.status).toBe(206);
    expect(part.contentLength).toBe(size - 100);
    for (const sent of proxy.requests) {
      expect(sent.headers.authorization).toBeUndefined();
      expect(JSON.stringify(sent.headers)).not.toContain(TOKEN);
    }
    expect(proxy.requests[1]?.headers.range).toBe('bytes=100-');
  });

  it('drops auth when the proxy redirects a download to another host', async () => {
    const redirector = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(302, { location: `${proxy.cdnUrl}/cdn/video.mp4` });
      res.end();
    });
    const seen: (string | undefined)[] = [];
    const port = await listen(redirector);
    try {
      const { client } = makeClient({}, `http://127.0.0.1:${port}`);
      const result = await client.download({ endpoint: 'sora.content', pathParams: { id: 'video_1' } }, {});
      for await (const _chunk of result.body) {
        // drain
      }
      expect(result.status).toBe(200);
      expect(seen).toEqual([`Bearer ${TOKEN}`]);
      expect(proxy.requests).toHaveLength(1);
      expect(proxy.requests[0]?.host).toMatch(/^127\.0\.0\.2:/);
      expect(proxy.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await new Promise((resolve) => redirector.close(resolve));
    }
  });
});

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

/** A minimal HTTP CONNECT proxy that records what it tunnelled. */
async function startConnectProxy(): Promise<{ url: string; tunnels: string[]; close: () => Promise<void> }> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => {
    res.writeHead(405);
    res.end();
  });
  server.on('connect', (req, clientSocket: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    for (const socket of [clientSocket, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('proxy setting', () => {
  it('sends requests through the configured HTTP proxy', async () => {
    const connectProxy = await startConnectProxy();
    try {
      const { client } = makeClient({
        target: () => ({ baseUrl: proxy.url, proxyUrl: connectProxy.url, endpointOverrides: {} }),
      });
      const result = await client.json(chatCall());
      expect(result.status).toBe(200);
      const events = await drain(client.stream(streamCall()));
      expect(events.length).toBeGreaterThan(0);
      expect(connectProxy.tunnels.length).toBeGreaterThan(0);
      expect(connectProxy.tunnels[0]).toBe(new URL(proxy.url).host);
    } finally {
      await connectProxy.close();
    }
  });

  it('uses HTTP_PROXY from the environment unless NO_PROXY names the host', async () => {
    const connectProxy = await startConnectProxy();
    try {
      const viaEnv = makeClient({ env: { HTTP_PROXY: connectProxy.url } }).client;
      await viaEnv.json(chatCall());
      expect(connectProxy.tunnels).toHaveLength(1);
      const bypass = makeClient({ env: { HTTP_PROXY: connectProxy.url, NO_PROXY: '127.0.0.1' } }).client;
      await bypass.json(chatCall());
      expect(connectProxy.tunnels).toHaveLength(1);
      expect(proxy.requests).toHaveLength(2);
    } finally {
      await connectProxy.close();
    }
  });

  it('reports an unreachable proxy as a network error', async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const { client } = makeClient({
      target: () => ({ baseUrl: proxy.url, proxyUrl: `http://127.0.0.1:${port}`, endpointOverrides: {} }),
    });
    const info = await failure(client.json(chatCall()));
    expect(info.kind).toBe('network');
    expect(proxy.requests).toHaveLength(0);
  });
});

describe('bad settings', () => {
  it('rejects a proxy setting that is not an http(s) URL, without retrying', async () => {
    const { client, sleeps } = makeClient({
      target: () => ({
        baseUrl: proxy.url,
        proxyUrl: 'socks://user:hunter2@127.0.0.1:1080',
        endpointOverrides: {},
      }),
    });
    const info = await failure(client.json(chatCall()));
    expect(info).toMatchObject({ kind: 'invalid_input', field: 'proxyUrl' });
    expect(info.message).not.toContain('hunter2');
    expect(sleeps).toEqual([]);
  });

  it('says an expired download link no longer works', async () => {
    const { client } = makeClient();
    const info = await failure(client.download({ url: `${proxy.cdnUrl}/cdn/missing.bin` }, {}));
    expect(info).toMatchObject({ kind: 'not_found', status: 404 });
    expect(info.message).toBe('The download link no longer works (404); it may have expired.');
  });
});

describe('what cannot succeed is not retried, and long waits are told', () => {
  it('never retries insufficient_quota and calls it quota', async () => {
    const { client, sleeps } = makeClient();
    proxy.addFault({
      times: 3,
      fault: {
        type: 'status',
        status: 429,
        code: 'insufficient_quota',
        message: 'You exceeded your current quota, please check your plan and billing details.',
      },
    });
    const info = await failure(client.json(chatCall()));
    expect(info).toMatchObject({ kind: 'quota', status: 429, code: 'insufficient_quota' });
    expect(proxy.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('fails at once with the wait when the server asks for more than 20 s', async () => {
    const { client, sleeps } = makeClient();
    proxy.addFault({ times: 3, fault: { type: 'status', status: 429, retryAfter: '58' } });
    const info = await failure(client.json(chatCall()));
    expect(info).toMatchObject({ kind: 'rate_limited', retryAfterMs: 58_000 });
    expect(info.message).toMatch(/ Try again in 58 s\.$/);
    expect(proxy.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('tells the caller before each retry how long it waits', async () => {
    const { client, sleeps } = makeClient();
    const notices: Array<{ retry: number; maxRetries: number; delayMs: number; status?: number }> = [];
    proxy.addFault({ times: 2, fault: { type: 'status', status: 503 } });
    const result = await client.json(
      chatCall({
        onRetry: (notice) =>
          notices.push({
            retry: notice.retry,
            maxRetries: notice.maxRetries,
            delayMs: notice.delayMs,
            ...(notice.error.status !== undefined ? { status: notice.error.status } : {}),
          }),
      }),
    );
    expect(result.status).toBe(200);
    expect(notices).toEqual([
      { retry: 1, maxRetries: 2, delayMs: 500, status: 503 },
      { retry: 2, maxRetries: 2, delayMs: 1000, status: 503 },
    ]);
    expect(sleeps).toEqual([500, 1000]);
    proxy.addFault({ fault: { type: 'status', status: 429, retryAfter: '3' } });
    const streamNotices: number[] = [];
    const events = await drain(
      client.stream(streamCall({ onRetry: (notice) => streamNotices.push(notice.delayMs) })),
    );
    expect(events.length).toBeGreaterThan(0);
    expect(streamNotices).toEqual([3000]);
  });
});

describe('an HTTP proxy that asks for a login', () => {
  async function startRefusingProxy(status: number) {
    const server = createServer((_req, res) => res.writeHead(405).end());
    server.on('connect', (_req, socket: Socket) => {
      socket.end(
        `HTTP/1.1 ${status} Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="office"\r\nContent-Length: 0\r\n\r\n`,
      );
    });
    const port = await listen(server);
    return {
      url: `http://127.0.0.1:${port}`,
      close: () => new Promise((resolve) => server.close(resolve)),
    };
  }

  it('reads a 407 as proxy_auth, not as cancelled, for calls and streams', async () => {
    const refusing = await startRefusingProxy(407);
    try {
      const { client, sleeps } = makeClient({
        target: () => ({ baseUrl: proxy.url, proxyUrl: refusing.url, endpointOverrides: {} }),
      });
      const info = await failure(client.json(chatCall()));
      expect(info).toMatchObject({ kind: 'proxy_auth', status: 407 });
      expect(info.message).toBe(
        'The HTTP proxy asks for a login (407): its user name or password is missing or wrong.',
      );
      expect(sleeps).toEqual([]);
      const streamed = await failure(drain(client.stream(streamCall())));
      expect(streamed.kind).toBe('proxy_auth');
      expect(proxy.requests).toHaveLength(0);
    } finally {
      await refusing.close();
    }
  });
});

describe('a web page where an answer was expected (a captive portal)', () => {
  it('says a web page answered, for a stream and for a JSON call', async () => {
    const { client } = makeClient();
    proxy.addFault({ fault: { type: 'html', status: 200 } });
    const streamed = await failure(drain(client.stream(streamCall())));
    expect(streamed).toMatchObject({ kind: 'network', code: 'web_page', status: 200 });
    expect(streamed.message).toMatch(/^A web page answered instead of the proxy \(200/);
    expect(streamed.message).not.toMatch(/stream ended/);
    proxy.addFault({ fault: { type: 'html', status: 200 } });
    const called = await failure(client.json(chatCall()));
    expect(called).toMatchObject({ kind: 'network', code: 'web_page' });
    expect(proxy.requests).toHaveLength(2);
  });
});

describe('deadlines and the idle time between events', () => {
  it('ends a call at its deadline and says so', async () => {
    const clock = new ManualClock();
    const { client } = makeClient({ clock });
    proxy.addFault({ fault: { type: 'hang' } });
    const pending = failure(client.json(chatCall({ deadlineMs: 30_000 })));
    await expect.poll(() => proxy.requests.length).toBe(1);
    clock.advance(30_000);
    const info = await pending;
    expect(info).toMatchObject({ kind: 'timeout', code: 'deadline' });
    expect(info.message).toBe('The proxy did not answer within 30 s, the deadline of this call.');
  });

  it('gives the connection test (settings.testConnection, hubdesk ping) a 30 s deadline', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hubdesk-ping-'));
    const clock = new ManualClock();
    const core = createCore({
      dataDir,
      env: {},
      keytar: memoryKeytar(),
      keychainService: 'HubDesk-test',
      clock,
    });
    try {
      const profile = core.settings.activeProfile();
      core.settings.updateProfile(profile.id, { baseUrl: proxy.url });
      await core.settings.setToken(profile.id, TOKEN, 'session');
      proxy.addFault({ fault: { type: 'hang' } });
      const pending = failure(core.settings.testConnection(profile.id));
      await expect.poll(() => proxy.requests.length).toBe(1);
      clock.advance(CONNECTION_TEST_DEADLINE_MS - 1);
      clock.advance(1);
      expect(await pending).toMatchObject({ kind: 'timeout', code: 'deadline' });
      expect(CONNECTION_TEST_DEADLINE_MS).toBe(30_000);
    } finally {
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('times out a server that sends a byte at a time but never finishes an event', async () => {
    // Each reading of this clock is one second later: the trickle's bytes arrive "a second apart".
    let now = 0;
    const clock: Clock = { now: () => (now += 1_000), setTimeout: () => ({ cancel: () => undefined }) };
    const { client } = makeClient({ clock, timeouts: { idleMs: 120_000 } });
    proxy.addFault({ fault: { type: 'drip', byteMs: 2 } });
    const events: SseMessage[] = [];
    const info = await failure(drain(client.stream(streamCall()), (event) => events.push(event)));
    expect(info).toMatchObject({ kind: 'timeout', code: 'idle_timeout' });
    expect(info.message).toBe(
      'The stream stopped: no event arrived for 2 min (idle timeout between events).',
    );
    expect(events).toHaveLength(1);
    expect(proxy.requests).toHaveLength(1);
  });
});

describe('size caps on answers', () => {
  const GIGABYTES_2 = 2 * 1024 ** 3;
  const PIECE = 64 * 1024;

  /** A loopback server answering every request with 2 GB made on the fly; `sent` counts what left it. */
  async function startHugeServer(kind: 'json-announced' | 'json-chunked' | 'sse') {
    const counter = { sent: 0 };
    const piece =
      kind === 'sse'
        ? Buffer.from(`data: ${'z'.repeat(PIECE - 8)}\n\n`)
        : Buffer.from(`${'1,'.repeat(PIECE / 2)}`);
    const server = createServer((_req, res) => {
      const headers: Record<string, string | number> = {
        'content-type': kind === 'sse' ? 'text/event-stream' : 'application/json',
      };
      if (kind === 'json-announced') headers['content-length'] = GIGABYTES_2;
      res.writeHead(200, headers);
      async function* lazily() {
        if (kind !== 'sse') yield Buffer.from('[');
        while (counter.sent < GIGABYTES_2) {
          counter.sent += piece.length;
          yield piece;
        }
      }
      pipeline(Readable.from(lazily()), res).catch(() => undefined);
    });
    const port = await listen(server);
    return {
      counter,
      url: `http://127.0.0.1:${port}`,
      close: async () => {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  }

  it('refuses a 2 GB JSON answer, announced or not, and stops reading early', async () => {
    for (const kind of ['json-announced', 'json-chunked'] as const) {
      const huge = await startHugeServer(kind);
      try {
        const { client } = makeClient({ maxRetries: 0 }, huge.url);
        const info = await failure(client.json(chatCall()));
        expect(info, kind).toMatchObject({ kind: 'server', code: 'body_too_large' });
        expect(info.message).toBe("The proxy's answer is larger than 64 MB; HubDesk stopped reading it.");
        expect(huge.counter.sent, kind).toBeLessThan(GIGABYTES_2 / 8);
      } finally {
        await huge.close();
      }
    }
  });

  it('stops a 2 GB event stream after 128 MB', async () => {
    const huge = await startHugeServer('sse');
    try {
      const { client } = makeClient({ maxRetries: 0 }, huge.url);
      let events = 0;
      const info = await failure(drain(client.stream(streamCall()), () => events++));
      expect(info).toMatchObject({ kind: 'server', code: 'body_too_large' });
      expect(info.message).toBe(
        "The proxy's stream grew past 128 MB without ending; HubDesk stopped reading it.",
      );
      // 128 MB of 64 KB events, less the one the cap cut in half.
      expect(events).toBeGreaterThanOrEqual(2047);
      expect(events).toBeLessThanOrEqual(2048);
      expect(huge.counter.sent).toBeLessThan(GIGABYTES_2 / 8);
    } finally {
      await huge.close();
    }
  });
});
