/**
 * A TCP relay on 127.0.0.1 between HubDesk and a server (Apache's WebDAV), standing in for the network: a test can
 * sever it (open connections are reset, new ones refused), sever it once so many bytes have passed one way (mid-upload,
 * mid-download), stall it (bytes are held, not lost) and restore it.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export type Direction = 'up' | 'down';

export interface CuttableLink {
  /** `http://127.0.0.1:<port>`: the relay's own address, to use instead of the server's. */
  origin: string;
  /** Bytes relayed so far toward the server (`up`) and back (`down`). */
  relayed: Record<Direction, number>;
  /** Resets every open connection and refuses new ones until `restore`. */
  cut(): void;
  /** Cuts as soon as `bytes` more bytes have gone that way; resolves when it has cut. */
  cutAfter(direction: Direction, bytes: number): Promise<void>;
  /** Holds every byte in both directions (connections stay open) until `restore`. */
  stall(): void;
  restore(): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
}

export async function startCuttableLink(target: { host?: string; port: number }): Promise<CuttableLink> {
  const pairs = new Set<Pair>();
  const relayed: Record<Direction, number> = { up: 0, down: 0 };
  let state: 'open' | 'cut' | 'stalled' = 'open';
  let trip: { direction: Direction; at: number; done: () => void } | undefined;

  const severAll = () => {
    state = 'cut';
    for (const { client, upstream } of pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    pairs.clear();
  };

  const relay = (from: Socket, to: Socket, direction: Direction) => {
    from.on('data', (chunk: Buffer) => {
      if (state === 'cut') return;
      relayed[direction] += chunk.length;
      to.write(chunk);
      if (trip && trip.direction === direction && relayed[direction] >= trip.at) {
        const { done } = trip;
        trip = undefined;
        severAll();
        done();
      }
    });
  };

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    if (state === 'cut') {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection({ host: target.host ?? '127.0.0.1', port: target.port });
    const pair = { client, upstream };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    relay(client, upstream, 'up');
    relay(upstream, client, 'down');
    if (state === 'open') client.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the relay has no port');

  return {
    origin: `http://127.0.0.1:${address.port}`,
    relayed,
    cut: severAll,
    cutAfter(direction, bytes) {
      return new Promise((done) => {
        trip = { direction, at: relayed[direction] + bytes, done };
      });
    },
    stall() {
      state = 'stalled';
      for (const { client, upstream } of pairs) {
        client.pause();
        upstream.pause();
      }
    },
    restore() {
      state = 'open';
      for (const { client, upstream } of pairs) {
        client.resume();
        upstream.resume();
      }
    },
    async close() {
      severAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
