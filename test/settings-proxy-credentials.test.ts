/**
 * A proxy's user name and password, and the base URL a token goes to: what the window may change and see.
 * The keychain tests use the real system keychain (keytar → libsecret → Secret Service) and run inside a private
 * D-Bus session with an unlocked gnome-keyring (see test/secrets-keychain.test.ts); the database is a real file.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import keytar from 'keytar';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/main/core';
import { proxyAccount } from '../src/main/secrets/token-store';
import { type FakeProxy, startFakeProxy } from './fake-proxy/index';
import { memoryKeytar, unreachableKeytar } from './support/memory-keytar';

const runReal = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS) || Boolean(process.env.CI);

/** Every file under the data folder, with the bytes SQLite wrote (database, WAL, copies, backups). */
function filesContaining(folder: string, needle: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
    const file = join(folder, name);
    if (!statSync(file).isFile()) continue;
    if (readFileSync(file).includes(Buffer.from(needle))) found.push(name);
  }
  return found;
}

/** A CONNECT proxy that asks for a password, and records the Proxy-Authorization of each tunnel. */
async function startAuthProxy(): Promise<{
  port: number;
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}> {
  const authorizations: (string | undefined)[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_request, response) => response.writeHead(405).end());
  server.on('connect', (request, client: Socket, head: Buffer) => {
    authorizations.push(request.headers['proxy-authorization']);
    const [host, port] = (request.url ?? '').split(':');
    const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    authorizations,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe.skipIf(!runReal)(
  'proxy credentials in the real keychain, never in the database or the window',
  () => {
    const service = `HubDesk-test-${process.pid}-${randomUUID()}`;
    const password = `pw-${randomUUID()}`;
    let dataDir: string;
    let proxy: FakeProxy;
    let core: Core | undefined;
    const open = () => {
      core = createCore({ dataDir, env: {}, keychainService: service });
      return core;
    };

    beforeAll(async () => {
      proxy = await startFakeProxy({ speed: 50 });
    });
    afterAll(async () => {
      await proxy?.close();
    });
    beforeEach(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-proxy-credentials-'));
    });
    afterEach(async () => {
      await core?.close();
      core = undefined;
      for (const account of (await keytar.findCredentials(service)).map((entry) => entry.account)) {
        await keytar.deletePassword(service, account);
      }
      await rm(dataDir, { recursive: true, force: true });
    });

    it('keeps user:password in the keychain; the window and SQLite get the URL without it; requests still authenticate', async () => {
      const authProxy = await startAuthProxy();
      try {
        const app = open();
        const id = app.settings.activeProfile().id;
        app.settings.updateProfile(id, { baseUrl: proxy.url });
        await app.settings.setToken(id, proxy.token, 'session');
        const proxyUrl = `http://127.0.0.1:${authProxy.port}`;

        const saved = await app.router.dispatch('profiles.update', {
          id,
          patch: { proxyUrl: `http://hub%20user:${password}@127.0.0.1:${authProxy.port}` },
        });
        expect(saved).toMatchObject({ ok: true, value: { proxyUrl, proxyCredentialsSet: true } });
        const listed = await app.router.dispatch('profiles.list', {});
        expect(listed).toMatchObject({
          ok: true,
          value: { profiles: [{ proxyUrl, proxyCredentialsSet: true }] },
        });
        expect(JSON.stringify(listed)).not.toContain(password);
        expect(await keytar.getPassword(service, proxyAccount(id))).toBe(`hub%20user:${password}`);

        // The HTTP client in main gets the whole URL: the proxy hears the user name and password.
        expect(await app.router.dispatch('connection.test', { profileId: id })).toMatchObject({ ok: true });
        expect(authProxy.authorizations).toEqual([
          `Basic ${Buffer.from(`hub user:${password}`).toString('base64')}`,
        ]);

        // The same proxy without user:password keeps them; another proxy drops them.
        expect(await app.router.dispatch('profiles.update', { id, patch: { proxyUrl } })).toMatchObject({
          ok: true,
          value: { proxyUrl, proxyCredentialsSet: true },
        });
        const other = `http://127.0.0.1:${authProxy.port + 1}`;
        expect(
          await app.router.dispatch('profiles.update', { id, patch: { proxyUrl: other } }),
        ).toMatchObject({
          ok: true,
          value: { proxyUrl: other, proxyCredentialsSet: false },
        });
        await expect.poll(() => keytar.getPassword(service, proxyAccount(id))).toBeNull();

        await app.close();
        core = undefined;
        expect(filesContaining(dataDir, password)).toEqual([]);
      } finally {
        await authProxy.close();
      }
    });

    it('moves a password an older HubDesk stored in the database to the keychain at start, and overwrites it', async () => {
      const first = open();
      const id = first.settings.activeProfile().id;
      await first.close();
      core = undefined;
      // What an older HubDesk wrote.
      const db = new Database(join(dataDir, 'hubdesk.sqlite'));
      db.prepare('UPDATE profiles SET proxy_url = ? WHERE id = ?').run(
        `http://olduser:${password}@127.0.0.1:3128`,
        id,
      );
      db.close();
      expect(filesContaining(dataDir, password)).toEqual(['hubdesk.sqlite']);

      const second = open();
      await second.proxyCredentialsMoved;
      expect(await second.router.dispatch('profiles.list', {})).toMatchObject({
        ok: true,
        value: { profiles: [{ id, proxyUrl: 'http://127.0.0.1:3128', proxyCredentialsSet: true }] },
      });
      expect(await keytar.getPassword(service, proxyAccount(id))).toBe(`olduser:${password}`);
      expect(filesContaining(dataDir, password)).toEqual([]);
      await second.close();
      core = undefined;
      expect(filesContaining(dataDir, password)).toEqual([]);

      // Deleting the profile removes its proxy password from the keychain too.
      const third = open();
      const spare = third.settings.createProfile({ name: 'Spare', baseUrl: proxy.url });
      await third.settings.setActive(spare.id);
      await third.settings.deleteProfile(id);
      expect(await keytar.getPassword(service, proxyAccount(id))).toBeNull();
    });
  },
);

describe('proxy credentials without a keychain', () => {
  let dataDir: string;
  let core: Core | undefined;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-proxy-no-keychain-'));
  });
  afterEach(async () => {
    await core?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a proxy password with nowhere safe to keep it, and stores nothing', async () => {
    core = createCore({ dataDir, env: {}, keytar: unreachableKeytar(), keychainService: 'HubDesk-test' });
    const id = core.settings.activeProfile().id;
    const answer = await core.router.dispatch('profiles.update', {
      id,
      patch: { proxyUrl: 'http://user:s3cret-proxy-pass@127.0.0.1:3128' },
    });
    expect(answer).toMatchObject({ ok: false, error: { kind: 'keychain_unavailable' } });
    expect(JSON.stringify(answer)).not.toContain('s3cret-proxy-pass');
    expect(core.settings.activeProfile()).toMatchObject({ proxyUrl: null, proxyCredentialsSet: false });
    await core.close();
    core = undefined;
    expect(filesContaining(dataDir, 's3cret-proxy-pass')).toEqual([]);
  });
});

describe('a new base URL for a profile that has a token', () => {
  let dataDir: string;
  let core: Core | undefined;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-base-url-'));
  });
  afterEach(async () => {
    await core?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is refused from a window unless it names the origin the user confirmed', async () => {
    core = createCore({ dataDir, env: {}, keytar: memoryKeytar(), keychainService: 'HubDesk-test' });
    const id = core.settings.activeProfile().id;
    const before = core.settings.activeProfile().baseUrl;

    // No token yet: nothing to leak, no question.
    expect(
      await core.router.dispatch('profiles.update', { id, patch: { baseUrl: 'https://first.example' } }),
    ).toMatchObject({ ok: true, value: { baseUrl: 'https://first.example' } });
    await core.settings.setToken(id, 'sk-test-token-000000', 'keychain');

    const refused = await core.router.dispatch('profiles.update', {
      id,
      patch: { baseUrl: 'https://evil.example/v1' },
    });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        kind: 'invalid_input',
        field: 'confirmTokenTo',
        message: expect.stringContaining('https://evil.example'),
      },
    });
    for (const confirmTokenTo of ['https://first.example', 'https://other.example', 'evil.example']) {
      expect(
        await core.router.dispatch('profiles.update', {
          id,
          patch: { baseUrl: 'https://evil.example/v1' },
          confirmTokenTo,
        }),
        confirmTokenTo,
      ).toMatchObject({ ok: false, error: { field: 'confirmTokenTo' } });
    }
    expect(core.settings.activeProfile().baseUrl).toBe('https://first.example');

    // The same origin with another path, or a name: no question.
    expect(
      await core.router.dispatch('profiles.update', {
        id,
        patch: { baseUrl: 'https://first.example/api', name: 'Renamed' },
      }),
    ).toMatchObject({ ok: true, value: { baseUrl: 'https://first.example/api', name: 'Renamed' } });
    // Confirmed by the user: saved.
    expect(
      await core.router.dispatch('profiles.update', {
        id,
        patch: { baseUrl: 'https://evil.example/v1' },
        confirmTokenTo: 'https://evil.example',
      }),
    ).toMatchObject({ ok: true, value: { baseUrl: 'https://evil.example/v1' } });
    expect(before).not.toBe('https://evil.example/v1');
  });

  it('counts a token from HUBDESK_TOKEN too', async () => {
    core = createCore({
      dataDir,
      env: { HUBDESK_TOKEN: 'sk-env-token-000000' },
      keytar: memoryKeytar(),
      keychainService: 'HubDesk-test',
    });
    const id = core.settings.activeProfile().id;
    expect(
      await core.router.dispatch('profiles.update', { id, patch: { baseUrl: 'https://evil.example' } }),
    ).toMatchObject({ ok: false, error: { field: 'confirmTokenTo' } });
  });
});
