import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Router } from '../src/main/ipc/router';
import { startWsTransport, type WsTransport } from '../src/main/ipc/ws-transport';
import { EventBus } from '../src/main/services/event-bus';

const echoRouter: Router = {
  async dispatch(channel, request) {
    return { ok: true, value: { channel, request } };
  },
};

function connect(url: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, origin ? { origin } : {});
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`refused with HTTP ${response.statusCode}`)),
    );
  });
}

function nextMessage(socket: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
}

describe('WebSocket test transport', () => {
  let transport: WsTransport | undefined;
  let root: string | undefined;
  afterEach(async () => {
    await transport?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('accepts only the per-run secret from the page origin', async () => {
    const bus = new EventBus();
    transport = await startWsTransport({ router: echoRouter, bus });
    const hub = `${transport.origin.replace('http', 'ws')}/hub`;
    await expect(connect(`${hub}?secret=wrong`)).rejects.toThrow(/401/);
    await expect(connect(hub)).rejects.toThrow(/401/);
    await expect(
      connect(`${hub}?secret=${encodeURIComponent(transport.secret)}`, 'http://evil.example'),
    ).rejects.toThrow(/401/);

    const socket = await connect(`${hub}?secret=${encodeURIComponent(transport.secret)}`, transport.origin);
    const reply = nextMessage(socket);
    socket.send(JSON.stringify({ type: 'invoke', id: 7, channel: 'profiles.list', request: {} }));
    expect(await reply).toEqual({
      type: 'result',
      id: 7,
      result: { ok: true, value: { channel: 'profiles.list', request: {} } },
    });

    const event = nextMessage(socket);
    bus.emit('profiles.changed', { profiles: [], activeId: null });
    expect(await event).toEqual({
      type: 'event',
      event: 'profiles.changed',
      payload: { profiles: [], activeId: null },
    });
    socket.close();
  });

  it('serves the renderer files and nothing outside their folder', async () => {
    root = await mkdtemp(join(tmpdir(), 'hubdesk-web-'));
    await writeFile(join(root, 'index.html'), '<!doctype html><title>HubDesk</title>');
    transport = await startWsTransport({ router: echoRouter, bus: new EventBus(), staticDir: root });
    const page = await fetch(transport.pageUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('<title>HubDesk</title>');
    const outside = await fetch(`${transport.origin}/..%2f..%2fetc%2fpasswd`);
    expect(outside.status).toBe(404);
  });

  it('serves library files with Range, only to a page with the secret', async () => {
    root = await mkdtemp(join(tmpdir(), 'hubdesk-library-'));
    await writeFile(join(root, 'clip.mp4'), Buffer.from('0123456789'));
    transport = await startWsTransport({ router: echoRouter, bus: new EventBus(), libraryDir: root });
    const url = `${transport.origin}/library/clip.mp4`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(`${url}?secret=nope`)).status).toBe(401);
    const part = await fetch(`${url}?secret=${encodeURIComponent(transport.secret)}`, {
      headers: { range: 'bytes=2-5' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-type')).toBe('video/mp4');
    expect(await part.text()).toBe('2345');
    const outside = await fetch(
      `${transport.origin}/library/..%2f..%2fetc%2fpasswd?secret=${encodeURIComponent(transport.secret)}`,
    );
    expect(outside.status).toBe(404);

    // A library file that could run script as a page (HTML, SVG, XML) comes as bytes to download, never as a page.
    for (const name of ['page.html', 'image.svg', 'feed.xml']) {
      await writeFile(join(root, name), '<script>alert(1)</script>');
      const answer = await fetch(
        `${transport.origin}/library/${name}?secret=${encodeURIComponent(transport.secret)}`,
      );
      expect(answer.status, name).toBe(200);
      expect(answer.headers.get('content-type'), name).toBe('application/octet-stream');
      expect(answer.headers.get('content-disposition'), name).toBe('attachment');
      expect(answer.headers.get('x-content-type-options'), name).toBe('nosniff');
      expect(answer.headers.get('content-security-policy'), name).toBe("default-src 'none'; sandbox");
    }
  });

  it("serves a transcript's audio by the transcript's id only (the file it recorded, wherever it is), with Range", async () => {
    root = await mkdtemp(join(tmpdir(), 'hubdesk-original-'));
    const original = join(root, 'my interview.mp3');
    await writeFile(original, Buffer.from('0123456789'));
    const recorded: Record<string, string> = { t1: original };
    transport = await startWsTransport({
      router: echoRouter,
      bus: new EventBus(),
      transcriptAudio: async (id) => recorded[id] ?? null,
    });
    const secret = `?secret=${encodeURIComponent(transport.secret)}`;
    expect((await fetch(`${transport.origin}/transcript-audio/t1`)).status).toBe(401);
    const part = await fetch(`${transport.origin}/transcript-audio/t1${secret}`, {
      headers: { range: 'bytes=1-3' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-type')).toBe('audio/mpeg');
    expect(await part.text()).toBe('123');
    // Nothing but the recorded file: an unknown id, or a path in place of an id, finds nothing.
    for (const id of ['t2', encodeURIComponent(original), '..%2f..%2fetc%2fpasswd']) {
      expect((await fetch(`${transport.origin}/transcript-audio/${id}${secret}`)).status, id).toBe(404);
    }
    // The original moved away: not found, which the viewer says in words.
    await rm(original);
    expect((await fetch(`${transport.origin}/transcript-audio/t1${secret}`)).status).toBe(404);
  });

  it('takes an upload from a page with the secret and answers with the stored path (dropped files in the harness)', async () => {
    root = await mkdtemp(join(tmpdir(), 'hubdesk-upload-'));
    transport = await startWsTransport({ router: echoRouter, bus: new EventBus(), uploadDir: root });
    const refused = await fetch(`${transport.origin}/upload?name=a.wav`, { method: 'POST', body: 'x' });
    expect(refused.status).toBe(401);
    const url = `${transport.origin}/upload?secret=${encodeURIComponent(transport.secret)}&name=..%2F..%2Fevil.wav`;
    const answer = await fetch(url, { method: 'POST', body: 'RIFF-bytes' });
    const { path } = (await answer.json()) as { path: string };
    expect(path.startsWith(root)).toBe(true);
    expect(path.endsWith('evil.wav')).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('RIFF-bytes');
  });

  it('drops a client that sends a frame over 64 MiB and keeps serving the others', async () => {
    const lines: string[] = [];
    transport = await startWsTransport({
      router: echoRouter,
      bus: new EventBus(),
      log: (line) => lines.push(line),
    });
    const { port } = new URL(transport.origin);
    const raw = connectTcp(Number(port), '127.0.0.1');
    const received: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => received.push(chunk));
    const closed = new Promise<void>((resolve) => raw.on('close', () => resolve()));
    raw.on('error', () => undefined);
    await new Promise<void>((resolve) => raw.once('connect', () => resolve()));
    raw.write(
      [
        `GET /hub?secret=${encodeURIComponent(transport.secret)} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Version: 13',
        '',
        '',
      ].join('\r\n'),
    );
    await expect.poll(() => Buffer.concat(received).toString('latin1')).toMatch(/^HTTP\/1\.1 101/);
    // A masked binary frame announcing 64 MiB + 1 bytes: the header alone is enough for the server to refuse it.
    const header = Buffer.alloc(14);
    header[0] = 0x82;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(64 * 1024 * 1024 + 1), 2);
    raw.write(header);
    await closed;
    expect(lines.some((line) => /^ws: dropped a client/.test(line))).toBe(true);

    const hub = `${transport.origin.replace('http', 'ws')}/hub?secret=${encodeURIComponent(transport.secret)}`;
    const socket = await connect(hub, transport.origin);
    const reply = nextMessage(socket);
    socket.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'app.info', request: {} }));
    expect(await reply).toMatchObject({ type: 'result', id: 1, result: { ok: true } });
    socket.close();
  });
});
