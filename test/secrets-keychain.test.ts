/**
 * Round-trip through the real system keychain (keytar → libsecret → Secret Service). Runs inside a private
 * D-Bus session with an unlocked gnome-keyring, never the user's own keyrings:
 *   KR=$(mktemp -d); mkdir -m 700 "$KR/run"; XDG_DATA_HOME="$KR/data" XDG_RUNTIME_DIR="$KR/run" dbus-run-session -- \
 *     sh -c 'echo -n ci-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run test/secrets-keychain.test.ts'
 */
import { randomUUID } from 'node:crypto';
import keytar from 'keytar';
import { afterAll, describe, expect, it } from 'vitest';
import { TokenStore } from '../src/main/secrets/token-store';

const hasSessionBus = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);
const inCi = Boolean(process.env.CI);
const runReal = hasSessionBus || inCi;
const title = runReal
  ? 'TokenStore with the real system keychain'
  : 'TokenStore with the real system keychain (skipped: no D-Bus session bus; run it inside dbus-run-session with an unlocked gnome-keyring, see the comment at the top of this file)';

const service = `HubDesk-test-${process.pid}-${randomUUID()}`;
const profileA = `profile-${randomUUID()}`;
const profileB = `profile-${randomUUID()}`;
const token = `sk-real-keychain-${randomUUID()}`;

describe.skipIf(!runReal)(title, () => {
  afterAll(async () => {
    for (const account of [profileA, profileB, 'keychain-probe']) {
      await keytar.deletePassword(service, account).catch(() => false);
    }
  });

  it('reports the keychain as available', async () => {
    const store = new TokenStore({ service, env: {} });
    expect(await store.keychainStatus()).toEqual({ available: true });
  });

  it('stores the token in the keychain, where a fresh store (a restart) finds it', async () => {
    const status = await new TokenStore({ service, env: {} }).set(profileA, token, 'keychain');
    expect(status).toEqual({
      profileId: profileA,
      set: true,
      source: 'keychain',
      keychain: { available: true },
    });

    expect(await keytar.getPassword(service, profileA)).toBe(token);
    const afterRestart = new TokenStore({ service, env: {} });
    expect(await afterRestart.get(profileA)).toBe(token);
    expect(await afterRestart.status(profileA)).toMatchObject({ set: true, source: 'keychain' });
    expect(await afterRestart.get(profileB)).toBeNull();
  });

  it('keeps profiles apart and clears only the one asked for', async () => {
    const store = new TokenStore({ service, env: {} });
    await store.set(profileB, `${token}-b`, 'keychain');
    expect(await store.clear(profileA)).toMatchObject({ set: false, source: null });

    expect(await keytar.getPassword(service, profileA)).toBeNull();
    expect(await new TokenStore({ service, env: {} }).get(profileA)).toBeNull();
    expect(await new TokenStore({ service, env: {} }).get(profileB)).toBe(`${token}-b`);
  });

  it('moving a token to the session removes it from the keychain', async () => {
    const store = new TokenStore({ service, env: {} });
    expect(await store.set(profileB, token, 'session')).toMatchObject({ source: 'session' });
    expect(await keytar.getPassword(service, profileB)).toBeNull();
    expect(await store.get(profileB)).toBe(token);
  });
});
