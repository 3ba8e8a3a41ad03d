/**
 * What a user without any Secret Service sees, with the real keytar: no session bus, no display. The bus
 * variables are removed before keytar first talks to D-Bus (each test file runs in its own process).
 */
import { describe, expect, it } from 'vitest';
import { McpEnvStore } from '../src/main/secrets/mcp-env-store';
import { McpHeaderStore } from '../src/main/secrets/mcp-header-store';
import { NO_SECRET_SERVICE_MESSAGE, TokenStore } from '../src/main/secrets/token-store';

describe.skipIf(process.platform !== 'linux')('TokenStore with no D-Bus session (real keytar, Linux)', () => {
  it('explains in plain words and still keeps a token for this run', async () => {
    for (const name of ['DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY', 'XDG_RUNTIME_DIR']) {
      delete process.env[name];
    }
    const store = new TokenStore({ service: 'HubDesk-test-no-bus', env: {} });
    expect(await store.keychainStatus()).toEqual({
      available: false,
      error: NO_SECRET_SERVICE_MESSAGE,
      reason: { code: 'keychainMissing', values: {} },
    });
    await expect(store.set('p1', 'sk-no-bus-123456', 'keychain')).rejects.toMatchObject({
      info: { kind: 'keychain_unavailable', message: NO_SECRET_SERVICE_MESSAGE },
    });
    expect(await store.set('p1', 'sk-no-bus-123456', 'session')).toMatchObject({
      set: true,
      source: 'session',
    });
    expect(await store.get('p1')).toBe('sk-no-bus-123456');
  });

  it('refuses to keep an MCP server secret anywhere but the keychain, and says so', async () => {
    for (const name of ['DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY', 'XDG_RUNTIME_DIR']) {
      delete process.env[name];
    }
    const env = new McpEnvStore({ service: 'HubDesk-test-no-bus' });
    await expect(env.set('files', 'API_KEY', 'sk-env-123')).rejects.toMatchObject({
      info: { kind: 'keychain_unavailable', message: NO_SECRET_SERVICE_MESSAGE },
    });
    const headers = new McpHeaderStore({ service: 'HubDesk-test-no-bus' });
    await expect(headers.values('web', ['Authorization'])).rejects.toMatchObject({
      info: { kind: 'keychain_unavailable' },
    });
    expect(await headers.values('web', [])).toEqual({});
  });
});
