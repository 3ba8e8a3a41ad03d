import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { type Core, createCore } from '../../src/main/core';
import { startWsTransport, type WsTransport } from '../../src/main/ipc/ws-transport';
import type { Db } from '../../src/main/store/database';
import { memoryKeytar } from '../../test/support/memory-keytar';

export interface TransportMessage {
  at: number;
  bytes: number;
  event: string;
  payload: { streamId?: string; [key: string]: unknown };
}

export interface BenchCore {
  core: Core;
  transport: WsTransport;
  /** Every event frame the WebSocket client received, with its arrival time (performance.now()). */
  received: TransportMessage[];
  /** Every event main emitted on its bus, with the time it was emitted. */
  emitted: { at: number; event: string; payload: unknown }[];
  /** Resolves at the next frame that fits. */
  next(test: (message: TransportMessage) => boolean): Promise<TransportMessage>;
  close(): Promise<void>;
}

/** The real core (SQLite in a folder under `tempDir`) pointed at `baseUrl`, behind the WebSocket transport. */
export async function startBenchCore(tempDir: string, baseUrl: string, token: string): Promise<BenchCore> {
  const dataDir = await mkdtemp(join(tempDir, 'core-'));
  const core = createCore({ dataDir, env: {}, keytar: memoryKeytar(), keychainService: 'HubDesk-bench' });
  const profile = core.settings.activeProfile();
  core.settings.updateProfile(profile.id, { baseUrl });
  await core.settings.setToken(profile.id, token, 'session');
  const emitted: BenchCore['emitted'] = [];
  core.bus.subscribe((event, payload) => emitted.push({ at: performance.now(), event, payload }));
  const transport = await startWsTransport({ router: core.router, bus: core.bus });
  const socket = new WebSocket(
    `${transport.origin.replace('http:', 'ws:')}/hub?secret=${encodeURIComponent(transport.secret)}`,
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const received: TransportMessage[] = [];
  const waiters: { test: (message: TransportMessage) => boolean; resolve: (m: TransportMessage) => void }[] =
    [];
  socket.on('message', (raw: Buffer) => {
    const at = performance.now();
    const parsed = JSON.parse(raw.toString()) as {
      type: string;
      event?: string;
      payload?: TransportMessage['payload'];
    };
    if (parsed.type !== 'event' || !parsed.event) return;
    const message: TransportMessage = {
      at,
      bytes: raw.byteLength,
      event: parsed.event,
      payload: parsed.payload ?? {},
    };
    received.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.test(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  });
  return {
    core,
    transport,
    received,
    emitted,
    next: (test) => new Promise((resolve) => waiters.push({ test, resolve })),
    async close() {
      socket.close();
      await transport.close();
      await core.close();
    },
  };
}

/**
 * Counts what SQLite writes: the write-ahead log is emptied and automatic checkpoints are paused, so every
 * committed page stays in the log until `stop` reads the number of frames.
 */
export function walMeter(db: Db): { stop(): number } {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return {
    stop() {
      const [status] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
      db.pragma('wal_autocheckpoint = 1000');
      return (status?.log ?? 0) * (pageSize + 24);
    },
  };
}
