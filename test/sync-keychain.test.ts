/**
 * The sync passphrase and the WebDAV password through the real system keychain (keytar → libsecret → an unlocked
 * gnome-keyring in a private D-Bus session: run under /tmp/runtests.sh or `dbus-run-session`, see
 * secrets-keychain.test.ts): kept at setup, found again by a restarted core, removed by Turn off, and never written
 * to the data folder (the SQLite files) or the log.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterEach, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/main/core';
import { MessagesRepo } from '../src/main/store/messages-repo';
import { newMessage } from './support/builders';
import { type CuttableLink, startCuttableLink } from './support/cuttable-link';
import { ManualClock } from './support/manual-clock';
import { startWebDavServer, type WebDavServer } from './support/webdav-server';

const runReal = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS) || Boolean(process.env.CI);
const service = `HubDesk-sync-test-${process.pid}-${randomUUID()}`;
const PASSPHRASE = `keeper's lamp ${randomUUID()}`;
const ACCOUNTS = ['sync:passphrase', 'sync:target-secret'];

let server: WebDavServer | undefined;
let link: CuttableLink | undefined;
const cores: Core[] = [];
const folders: string[] = [];

afterEach(async () => {
  await Promise.all(cores.splice(0).map((core) => core.close()));
  await link?.close();
  await server?.close();
  for (const account of ACCOUNTS) await keytar.deletePassword(service, account).catch(() => false);
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

/** Every file of a folder, whole, by its path (the database, its WAL and journal, the log, the library). */
async function everyFile(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files.set(path, await readFile(path));
    }
  }
  return files;
}

describe.skipIf(!runReal)('sync secrets in the real system keychain', () => {
  it('are kept at setup, found after a restart, removed by Turn off, and never in the data folder or the log', async () => {
    server = await startWebDavServer('keeper', `dav-password-${randomUUID()}`);
    link = await startCuttableLink({ port: server.port });
    const dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-sync-keychain-'));
    const otherDir = await mkdtemp(join(tmpdir(), 'hubdesk-sync-keychain-other-'));
    folders.push(dataDir, otherDir);
    const logFile = join(dataDir, 'hubdesk.log');
    const clock = new ManualClock();
    clock.advance(1_800_000_000_000);
    const open = (dir: string, options: { log?: boolean } = {}) => {
      const core = createCore({
        dataDir: dir,
        env: {},
        keychainService: service,
        clock,
        syncInBackground: true,
        ...(options.log ? { log: (line: string) => appendFileSync(logFile, `${line}\n`) } : {}),
      });
      cores.push(core);
      return core;
    };
    const target = { kind: 'webdav' as const, url: `${link.origin}/dav/`, user: server.user };

    let core = open(dataDir, { log: true });
    const conversation = core.chat.createConversation({});
    core.chat.updateConversation(conversation.id, { title: 'Lamp room inventory' });
    new MessagesRepo(core.db).insert(newMessage({ conversationId: conversation.id, text: 'Wicks: 40.' }));
    await core.sync.setup(target, server.password, PASSPHRASE);
    expect(await keytar.getPassword(service, 'sync:passphrase')).toBe(PASSPHRASE);
    expect(await keytar.getPassword(service, 'sync:target-secret')).toBe(server.password);
    await core.sync.now();

    // A restart: a new core on the same data folder syncs without being given either secret again.
    await core.close();
    core = open(dataDir, { log: true });
    expect(core.sync.status().configured).toBe(true);
    core.chat.createConversation({});
    const report = await core.sync.now();
    expect(report.uploaded).toBeGreaterThan(0);

    // The secrets alone set nothing up: another data folder on this keychain is not syncing.
    const stranger = open(otherDir);
    await expect(stranger.sync.now()).rejects.toThrow(/not set up/);

    // Failures are logged (the background sync while the storage cannot be reached) and kept in the status.
    link.cut();
    core.chat.createConversation({});
    clock.advance(15_000);
    await expect.poll(() => core.sync.status().last?.error?.reason?.code).toBe('syncUnreachable');
    await expect.poll(() => core.sync.status().running).toBe(false);
    link.restore();
    await core.sync.now();
    expect(await readFile(logFile, 'utf8')).toContain('background sync failed');

    // Turn off: both are gone from the keychain; a restarted core no longer syncs.
    await core.sync.off();
    for (const account of ACCOUNTS) expect(await keytar.getPassword(service, account)).toBeNull();
    await core.close();
    core = open(dataDir, { log: true });
    expect(core.sync.status().configured).toBe(false);
    await core.close();

    // Nothing secret in any file of the data folder: the SQLite database and its WAL, the log, the library.
    const files = await everyFile(dataDir);
    expect([...files.keys()].some((path) => /\.(db|sqlite)$/.test(path))).toBe(true);
    // The search below reads the bytes as stored: the conversation's title is found in them.
    expect([...files.values()].some((bytes) => bytes.includes('Lamp room inventory'))).toBe(true);
    for (const [path, bytes] of files) {
      for (const secret of [PASSPHRASE, server.password]) {
        expect({ path, found: bytes.includes(secret) }).toEqual({ path, found: false });
        expect({ path, found: bytes.includes(Buffer.from(secret, 'utf16le')) }).toEqual({
          path,
          found: false,
        });
      }
    }
  });
});
