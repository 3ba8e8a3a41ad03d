/**
 * Offline as a state of the background sync (issue 19): a WebDAV server (Apache mod_dav on 127.0.0.1) behind a relay
 * the test cuts. Offline, changes made here wait; the storage is probed with one cheap request on a growing wait, and
 * the sync goes as soon as it answers, or when Sync now gets through.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliIo, runCli } from '../src/main/cli/run';
import type { SyncTarget } from '../src/shared/sync-target';
import { type CuttableLink, startCuttableLink } from './support/cuttable-link';
import { type Computer, computer, removeTempFolders } from './support/sync-computers';
import { startWebDavServer, type WebDavServer } from './support/webdav-server';

const PASSPHRASE = 'correct horse battery staple';
const MINUTE = 60_000;
let server: WebDavServer;
let link: CuttableLink;
const open: Computer[] = [];

beforeEach(async () => {
  server = await startWebDavServer();
  link = await startCuttableLink({ port: server.port });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((machine) => machine.close()));
  await link?.close();
  await server?.close();
  await removeTempFolders();
});

async function machine(name: string): Promise<Computer> {
  const made = await computer(name, { syncInBackground: true });
  open.push(made);
  return made;
}

function target(): SyncTarget {
  return { kind: 'webdav', url: `${link.origin}/dav/`, user: server.user };
}

/** Once the background try due now has ended, the time of the next one. */
async function nextTry(machine: Computer, expected: number): Promise<void> {
  await expect.poll(() => machine.core.sync.status().nextAt).toBe(expected);
  expect(machine.core.sync.status().running).toBe(false);
}

/** `hubdesk sync status` on the same data folder, in words and as JSON. */
async function cliStatus(machine: Computer): Promise<{ words: string; json: Record<string, unknown> }> {
  const say = async (args: string[]) => {
    const out: string[] = [];
    const io: CliIo = {
      env: { HUBDESK_DATA_DIR: machine.dataDir },
      keytar: machine.keytar,
      out: (line) => out.push(line),
      err: (line) => out.push(line),
      write: () => {},
    };
    expect(await runCli(args, io)).toBe(0);
    return out.join('\n');
  };
  return {
    words: await say(['sync', 'status']),
    json: JSON.parse(await say(['sync', 'status', '--json'])),
  };
}

describe('background sync when the storage cannot be reached', () => {
  it('goes offline: changes wait, the probe backs off, and the first answer syncs at once', async () => {
    const laptop = await machine('laptop');
    await laptop.core.sync.setup(target(), server.password, PASSPHRASE);
    expect(laptop.core.sync.status().offline).toBeNull();

    // A change here; the network is cut before its sync goes: the sync finds the storage unreachable.
    link.cut();
    laptop.core.chat.createConversation({});
    laptop.clock.advance(15_000);
    const wentOffline = laptop.clock.now();
    await nextTry(laptop, wentOffline + 30_000);
    const offline = laptop.core.sync.status();
    expect(offline.offline).toEqual({ since: wentOffline });
    expect(offline.last).toMatchObject({ at: wentOffline, error: { reason: { code: 'syncUnreachable' } } });
    expect(offline.waiting.changeSets).toBeGreaterThan(0);

    // Another change made offline does not bring the try closer, and nothing is tried 15 s later.
    laptop.core.chat.createConversation({});
    expect(laptop.core.sync.status().nextAt).toBe(wentOffline + 30_000);
    laptop.clock.advance(15_000);
    expect(laptop.core.sync.status()).toMatchObject({ running: false, last: { at: wentOffline } });

    // The probe finds it still unreachable: the waits grow (30 s, 1 min, 2 min), and a probe is not a sync.
    laptop.clock.advance(15_000);
    await nextTry(laptop, laptop.clock.now() + MINUTE);
    laptop.clock.advance(MINUTE);
    await nextTry(laptop, laptop.clock.now() + 2 * MINUTE);
    expect(laptop.core.sync.status()).toMatchObject({
      offline: { since: wentOffline },
      last: { at: wentOffline },
    });

    const cli = await cliStatus(laptop);
    expect(cli.words).toMatch(/Offline — the storage cannot be reached \(since .*\)\. The app tries again/);
    expect(cli.json).toMatchObject({ ok: true, offline: { since: wentOffline } });

    // The network is back: the next probe (one listing of the heads) answers, and the sync goes at once.
    link.restore();
    const seen = (await server.requests()).length;
    laptop.clock.advance(2 * MINUTE);
    const back = laptop.clock.now();
    await nextTry(laptop, back + 5 * MINUTE);
    const online = laptop.core.sync.status();
    expect(online.offline).toBeNull();
    expect(online.last?.at).toBe(back);
    expect(online.last?.error).toBeUndefined();
    expect(online.last?.report?.uploaded).toBeGreaterThan(0);
    expect(online.waiting).toEqual({ rows: 0, changeSets: 0 });
    const requests = (await server.requests()).slice(seen);
    expect(requests[0]).toMatchObject({ method: 'PROPFIND', path: expect.stringMatching(/\/dav\/h\/?$/) });
    expect(requests.some((request) => request.method === 'PUT')).toBe(true);

    // Online again, a change goes 15 s later as before.
    laptop.core.chat.createConversation({});
    expect(laptop.core.sync.status().nextAt).toBe(back + 15_000);
  });

  it('leaves offline as soon as Sync now gets through, and goes back to its schedule', async () => {
    const laptop = await machine('laptop');
    await laptop.core.sync.setup(target(), server.password, PASSPHRASE);
    link.cut();
    await expect(laptop.core.sync.now()).rejects.toMatchObject({
      info: { reason: { code: 'syncUnreachable' } },
    });
    // Sync now found it offline too: the background sync probes in 30 s instead of syncing in 5 min.
    const since = laptop.clock.now();
    expect(laptop.core.sync.status()).toMatchObject({ offline: { since }, nextAt: since + 30_000 });
    laptop.core.chat.createConversation({});
    expect(laptop.core.sync.status().nextAt).toBe(since + 30_000);

    link.restore();
    laptop.clock.advance(10_000);
    const report = await laptop.core.sync.now();
    expect(report.uploaded).toBeGreaterThan(0);
    expect(laptop.core.sync.status()).toMatchObject({
      offline: null,
      nextAt: laptop.clock.now() + 5 * MINUTE,
      waiting: { rows: 0, changeSets: 0 },
    });
    expect((await cliStatus(laptop)).words).not.toMatch(/Offline/);
  });
});
