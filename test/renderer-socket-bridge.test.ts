import type { AddressInfo } from 'node:net';
import { WebSocket } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket as ServerSocket, WebSocketServer } from 'ws';
import type { HubBridge } from '../src/shared/contract';
import type { ProfilesState } from '../src/shared/profiles';

// Renderer files belong to tsconfig.web.json, so this Node-side test loads the module by path and states
// the one function it uses.
type SocketBridgeModule = {
  createSocketBridge: (url: string, open: (url: string) => WebSocket) => HubBridge;
};
await import('../src/renderer/src/i18n');
const socketBridgePath = new URL('../src/renderer/src/socket-bridge.ts', import.meta.url).pathname;
const { createSocketBridge } = (await import(socketBridgePath)) as SocketBridgeModule;

type Invoke = { type: 'invoke'; id: number; channel: string; request: unknown };

/** A /hub endpoint on 127.0.0.1 that hands each received invoke to the test. */
async function startHub(onInvoke: (message: Invoke, socket: ServerSocket) => void) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/hub' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const sockets: ServerSocket[] = [];
  server.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('message', (data) => onInvoke(JSON.parse(data.toString()) as Invoke, socket));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/hub?secret=s3cret`,
    sockets,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const state: ProfilesState = { profiles: [], activeId: null };
const open = (url: string) => new WebSocket(url);

describe('the renderer WebSocket bridge', () => {
  let hub: Awaited<ReturnType<typeof startHub>> | undefined;
  afterEach(async () => {
    for (const socket of hub?.sockets ?? []) socket.terminate();
    await hub?.close();
  });

  it('sends invokes made before the socket opens, and matches each answer to its request by id', async () => {
    const seen: Invoke[] = [];
    hub = await startHub((message, socket) => {
      seen.push(message);
      // Answer in reverse order of arrival once both are in, so only the id can pair them.
      if (seen.length < 2) return;
      for (const m of [...seen].reverse()) {
        const value = m.channel === 'profiles.list' ? state : { profileId: 'p1', set: false, source: null };
        socket.send(JSON.stringify({ type: 'result', id: m.id, result: { ok: true, value } }));
      }
    });
    const bridge = createSocketBridge(hub.url, open);
    const [profiles, token] = await Promise.all([
      bridge.invoke['profiles.list']({}),
      bridge.invoke['token.status']({ profileId: 'p1' }),
    ]);
    expect(seen.map((m) => [m.type, m.channel, m.request])).toEqual([
      ['invoke', 'profiles.list', {}],
      ['invoke', 'token.status', { profileId: 'p1' }],
    ]);
    expect(profiles).toEqual({ ok: true, value: state });
    expect(token).toEqual({ ok: true, value: { profileId: 'p1', set: false, source: null } });
  });

  it('delivers events to the listeners of that event until they unsubscribe', async () => {
    hub = await startHub((message, socket) => {
      socket.send(JSON.stringify({ type: 'event', event: 'profiles.changed', payload: state }));
      socket.send(JSON.stringify({ type: 'result', id: message.id, result: { ok: true, value: state } }));
    });
    const bridge = createSocketBridge(hub.url, open);
    const changes: unknown[] = [];
    const tokenChanges: unknown[] = [];
    const stop = bridge.on('profiles.changed', (payload) => changes.push(payload));
    bridge.on('token.changed', (payload) => tokenChanges.push(payload));
    await bridge.invoke['profiles.list']({});
    expect(changes).toEqual([state]);
    stop();
    await bridge.invoke['profiles.list']({});
    expect(changes).toEqual([state]);
    expect(tokenChanges).toEqual([]);
  });

  it('resolves pending invokes to a network error when the connection drops, then reconnects', async () => {
    let calls = 0;
    hub = await startHub((message, socket) => {
      calls += 1;
      if (calls === 1) socket.terminate();
      else
        socket.send(JSON.stringify({ type: 'result', id: message.id, result: { ok: true, value: state } }));
    });
    const bridge = createSocketBridge(hub.url, open);
    const lost = await bridge.invoke['connection.test']({ profileId: 'p1' });
    expect(lost.ok).toBe(false);
    if (!lost.ok) {
      expect(lost.error.kind).toBe('network');
      expect(lost.error.message).toMatch(/^Lost the connection to HubDesk/);
    }
    expect(await bridge.invoke['profiles.list']({})).toEqual({ ok: true, value: state });
  });

  it('passes errors through as values and turns an unreadable answer into a server error', async () => {
    hub = await startHub((message, socket) => {
      const result =
        message.channel === 'profiles.create'
          ? {
              ok: false,
              error: { kind: 'invalid_input', message: 'baseUrl must be an http(s) URL', field: 'baseUrl' },
            }
          : { ok: false, error: { kind: 'no such kind' } };
      socket.send(JSON.stringify({ type: 'result', id: message.id, result }));
    });
    const bridge = createSocketBridge(hub.url, open);
    expect(await bridge.invoke['profiles.create']({ name: 'x', baseUrl: 'ftp://x' })).toEqual({
      ok: false,
      error: { kind: 'invalid_input', message: 'baseUrl must be an http(s) URL', field: 'baseUrl' },
    });
    const odd = await bridge.invoke['profiles.list']({});
    expect(odd.ok ? null : odd.error.kind).toBe('server');
  });
});
