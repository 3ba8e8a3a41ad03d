import { describe, expect, it } from 'vitest';
import { HubError } from '../src/main/base/errors';
import { type KeytarLike, NO_SECRET_SERVICE_MESSAGE, TokenStore } from '../src/main/secrets/token-store';

const TOKEN = 'sk-test-0123456789abcdef';

class FakeKeychain implements KeytarLike {
  readonly items = new Map<string, string>();
  failure: Error | null = null;
  writeFailure: Error | null = null;

  private check(): void {
    if (this.failure) throw this.failure;
  }
  async getPassword(service: string, account: string): Promise<string | null> {
    this.check();
    return this.items.get(`${service}/${account}`) ?? null;
  }
  async setPassword(service: string, account: string, password: string): Promise<void> {
    this.check();
    if (this.writeFailure) throw this.writeFailure;
    this.items.set(`${service}/${account}`, password);
  }
  async deletePassword(service: string, account: string): Promise<boolean> {
    this.check();
    return this.items.delete(`${service}/${account}`);
  }
}

const noDbus = () => new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');

async function keychainError(action: Promise<unknown>): Promise<HubError> {
  const error = await action.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof HubError)) throw new Error(`expected a HubError, got ${String(error)}`);
  return error;
}

describe('TokenStore with a working keychain', () => {
  it('stores the token under service HubDesk and account = profile id, and reads it back', async () => {
    const keychain = new FakeKeychain();
    const store = new TokenStore({ keytar: keychain, env: {} });
    const status = await store.set('p1', TOKEN, 'keychain');
    expect(status).toEqual({ profileId: 'p1', set: true, source: 'keychain', keychain: { available: true } });
    expect(keychain.items.get('HubDesk/p1')).toBe(TOKEN);
    expect(await new TokenStore({ keytar: keychain, env: {} }).get('p1')).toBe(TOKEN);
    expect(await store.get('p2')).toBeNull();
    expect(await store.status('p2')).toMatchObject({ set: false, source: null });
  });

  it('never puts the token in a status', async () => {
    const store = new TokenStore({ keytar: new FakeKeychain(), env: {} });
    const statuses = [
      await store.set('p1', TOKEN, 'keychain'),
      await store.status('p1'),
      await store.set('p1', TOKEN, 'session'),
      await store.status('p1'),
    ];
    for (const status of statuses) expect(JSON.stringify(status)).not.toContain(TOKEN);
  });

  it('setting one place clears the other', async () => {
    const keychain = new FakeKeychain();
    const store = new TokenStore({ keytar: keychain, env: {} });
    await store.set('p1', 'keychain-token-1', 'keychain');
    expect(await store.set('p1', 'session-token-1', 'session')).toMatchObject({ source: 'session' });
    expect(keychain.items.has('HubDesk/p1')).toBe(false);

    expect(await store.set('p1', 'keychain-token-2', 'keychain')).toMatchObject({ source: 'keychain' });
    expect(await store.get('p1')).toBe('keychain-token-2');
  });

  it('clear removes the keychain and session copies', async () => {
    const keychain = new FakeKeychain();
    const store = new TokenStore({ keytar: keychain, env: {} });
    await store.set('p1', TOKEN, 'keychain');
    await store.set('p2', TOKEN, 'session');
    expect(await store.clear('p1')).toMatchObject({ set: false, source: null });
    expect(await store.clear('p2')).toMatchObject({ set: false, source: null });
    expect(keychain.items.size).toBe(0);
    expect(await store.get('p1')).toBeNull();
    expect(await store.get('p2')).toBeNull();
  });

  it('refuses an empty token', async () => {
    const store = new TokenStore({ keytar: new FakeKeychain(), env: {} });
    expect((await keychainError(store.set('p1', '   ', 'session'))).info).toMatchObject({
      kind: 'invalid_input',
      field: 'token',
      reason: { code: 'tokenEmpty', values: {} },
    });
  });
});

describe('TokenStore without a keychain', () => {
  it('says plainly that no keychain is reachable and keeps a session token for this run', async () => {
    const keychain = new FakeKeychain();
    keychain.failure = noDbus();
    const store = new TokenStore({ keytar: keychain, env: {} });

    const keychainStatus = await store.keychainStatus();
    expect(keychainStatus).toEqual({
      available: false,
      error: NO_SECRET_SERVICE_MESSAGE,
      reason: { code: 'keychainMissing', values: {} },
    });
    expect(keychainStatus.error).toMatch(/No system keychain .* keep the token for this run only/);

    const refused = await keychainError(store.set('p1', TOKEN, 'keychain'));
    expect(refused.info).toEqual({
      kind: 'keychain_unavailable',
      message: NO_SECRET_SERVICE_MESSAGE,
      reason: { code: 'keychainMissing', values: {} },
    });
    expect(await store.get('p1')).toBeNull();

    expect(await store.set('p1', TOKEN, 'session')).toEqual({
      profileId: 'p1',
      set: true,
      source: 'session',
      keychain: {
        available: false,
        error: NO_SECRET_SERVICE_MESSAGE,
        reason: { code: 'keychainMissing', values: {} },
      },
    });
    expect(await store.get('p1')).toBe(TOKEN);
    expect(await new TokenStore({ keytar: keychain, env: {} }).get('p1')).toBeNull();
    expect(await store.clear('p1')).toMatchObject({ set: false, source: null });
  });

  it('recognises a D-Bus session without a Secret Service', async () => {
    const keychain = new FakeKeychain();
    keychain.failure = new Error('The name org.freedesktop.secrets was not provided by any .service files');
    const status = await new TokenStore({ keytar: keychain, env: {} }).keychainStatus();
    expect(status.error).toBe(NO_SECRET_SERVICE_MESSAGE);
  });

  it('explains a keychain module that does not load', async () => {
    const store = new TokenStore({
      keytar: async () => {
        throw new Error('Could not locate the bindings file');
      },
      env: {},
    });
    const status = await store.keychainStatus();
    expect(status.available).toBe(false);
    expect(status.error).toMatch(
      /keychain module could not be loaded \(Could not locate the bindings file\)/,
    );
    expect(status.error).toMatch(/HUBDESK_TOKEN|this run only/);
    expect((await keychainError(store.set('p1', TOKEN, 'keychain'))).info.kind).toBe('keychain_unavailable');
  });

  it('reports a keychain that refuses to store, then offers the session', async () => {
    const keychain = new FakeKeychain();
    keychain.writeFailure = new Error(
      'Object does not exist at path “/org/freedesktop/secrets/collection/login”',
    );
    const store = new TokenStore({ keytar: keychain, env: {} });
    expect(await store.keychainStatus()).toEqual({ available: true });

    const refused = await keychainError(store.set('p1', TOKEN, 'keychain'));
    expect(refused.info.kind).toBe('keychain_unavailable');
    expect(refused.message).toMatch(/locked or refused access .*collection\/login.* this run only/);
    expect(refused.message).not.toContain(TOKEN);
    expect((await store.status('p1')).keychain).toEqual({
      available: false,
      error: refused.message,
      reason: {
        code: 'keychainLocked',
        values: {
          action: 'storeToken',
          detail: 'Object does not exist at path “/org/freedesktop/secrets/collection/login”',
        },
      },
    });
    expect(await store.set('p1', TOKEN, 'session')).toMatchObject({ set: true, source: 'session' });

    keychain.writeFailure = null;
    expect(await store.set('p1', TOKEN, 'keychain')).toMatchObject({
      source: 'keychain',
      keychain: { available: true },
    });
  });

  it('finds the keychain once it comes back', async () => {
    const keychain = new FakeKeychain();
    keychain.failure = noDbus();
    const store = new TokenStore({ keytar: keychain, env: {} });
    expect((await store.keychainStatus()).available).toBe(false);
    keychain.failure = null;
    expect(await store.keychainStatus()).toEqual({ available: true });
    expect(await store.set('p1', TOKEN, 'keychain')).toMatchObject({ source: 'keychain' });
  });
});

describe('HUBDESK_TOKEN', () => {
  it('wins over the session and the keychain for every profile, and survives clear', async () => {
    const keychain = new FakeKeychain();
    const store = new TokenStore({ keytar: keychain, env: { HUBDESK_TOKEN: ' env-token-123 ' } });
    await store.set('p1', 'keychain-token', 'keychain');
    await store.set('p2', 'session-token', 'session');
    expect(await store.get('p1')).toBe('env-token-123');
    expect(await store.get('p2')).toBe('env-token-123');
    expect(await store.get('p3')).toBe('env-token-123');
    expect(await store.status('p1')).toMatchObject({ set: true, source: 'env' });

    expect(await store.clear('p1')).toMatchObject({ set: true, source: 'env' });
    expect(keychain.items.has('HubDesk/p1')).toBe(false);
  });

  it('serves headless use with no keychain at all', async () => {
    const store = new TokenStore({
      keytar: async () => {
        throw new Error('no keytar here');
      },
      env: { HUBDESK_TOKEN: 'env-token-123' },
    });
    expect(await store.get('any')).toBe('env-token-123');
    expect(await store.status('any')).toMatchObject({
      set: true,
      source: 'env',
      keychain: { available: false },
    });
  });

  it('is ignored when blank', async () => {
    const store = new TokenStore({ keytar: new FakeKeychain(), env: { HUBDESK_TOKEN: '  ' } });
    expect(await store.get('p1')).toBeNull();
  });
});
