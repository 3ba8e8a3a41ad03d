/**
 * OAuth sign-in to an HTTP MCP server through the browser: a real SDK server on 127.0.0.1 that requires OAuth
 * (test/support/mcp-oauth-server.ts), the sign-in state in the real system keychain (run inside the private D-Bus
 * session of /tmp/runtests.sh or .ci/run). The test plays the browser: it follows the authorization URL with fetch,
 * and the server's authorize endpoint redirects straight back to HubDesk's loopback listener with a code.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mcpOAuthAccount } from '../src/main/secrets/mcp-oauth-store';
import type { McpOptions } from '../src/main/services/tools/tool-servers-service';
import type { McpServerView } from '../src/shared/tools-channels';
import { ManualClock } from './support/manual-clock';
import { type McpTestCore, mcpCore } from './support/mcp';
import { type McpOAuthServer, startMcpOAuthServer } from './support/mcp-oauth-server';

const runReal = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS || process.env.CI);
const service = `HubDesk-test-mcp-oauth-${process.pid}-${randomUUID()}`;
const parts = ['client', 'tokens', 'verifier'] as const;

let server: McpOAuthServer;
let open: McpTestCore[] = [];
const logLines: string[] = [];

beforeAll(async () => {
  server = await startMcpOAuthServer();
});
afterAll(async () => {
  await server?.close();
  for (const name of ['secure', 'late', 'forged', 'revoked']) {
    for (const part of parts)
      await keytar.deletePassword(service, mcpOAuthAccount(name, part)).catch(() => false);
  }
});
afterEach(async () => {
  await Promise.allSettled(open.map((stack) => stack.close()));
  open = [];
});

async function stack(options: { dataDir?: string; mcp?: McpOptions } = {}): Promise<McpTestCore> {
  const created = await mcpCore({
    keytar,
    keychainService: service,
    log: (line) => logLines.push(line),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    mcp: options.mcp ?? {},
  });
  open.push(created);
  return created;
}

/** The browser: opens the URL and follows its redirects, as a user who is already logged in at the server. */
function browser() {
  const pages: { status: number; url: string; text: string }[] = [];
  const visits: Promise<void>[] = [];
  return {
    pages,
    visits,
    open(url: string, change: (url: URL) => void = () => undefined) {
      const target = new URL(url);
      change(target);
      visits.push(
        fetch(target).then(async (response) => {
          pages.push({ status: response.status, url: response.url, text: await response.text() });
        }),
      );
    },
  };
}

async function dispatch(s: McpTestCore, channel: 'tools.restart' | 'tools.signOut', name: string) {
  const answer = await s.core.router.dispatch(channel, { name });
  expect(answer).toMatchObject({ ok: true });
  return (answer as { value: McpServerView }).value;
}

/** Every byte SQLite wrote for this core: the database and its WAL. */
function databaseBytes(dataDir: string): string {
  return readdirSync(dataDir)
    .filter((name) => name.startsWith('hubdesk.sqlite'))
    .map((name) => readFileSync(join(dataDir, name)).toString('latin1'))
    .join('');
}

async function keychainParts(name: string) {
  return Object.fromEntries(
    await Promise.all(
      parts.map(
        async (part) => [part, await keytar.getPassword(service, mcpOAuthAccount(name, part))] as const,
      ),
    ),
  ) as Record<(typeof parts)[number], string | null>;
}

describe.skipIf(!runReal)('OAuth sign-in to an HTTP MCP server, through the browser', () => {
  it('needs sign-in, signs in, survives a restart, refreshes, signs out and forgets on remove', async () => {
    const first = await stack();
    await first.core.router.dispatch('tools.addServer', {
      name: 'secure',
      transport: { type: 'http', url: server.mcpUrl },
    });

    // Before: "needs sign-in", not "failed"; nothing was registered at the server and no browser was opened.
    const before = await dispatch(first, 'tools.restart', 'secure');
    expect(before).toMatchObject({
      status: 'needs-sign-in',
      error: { kind: 'auth', code: 'mcp_needs_sign_in' },
      signIn: { signedIn: false, signingIn: false },
      tools: [],
    });
    expect(server.clientCount()).toBe(0);
    expect(server.authorizeCount()).toBe(0);
    await expect(first.core.tools.call('secure', 'add', { a: 1, b: 1 })).rejects.toMatchObject({
      info: { code: 'mcp_needs_sign_in' },
    });

    // Sign in: the browser is sent to the authorization URL and comes back to the loopback listener.
    const tab = browser();
    const opened: string[] = [];
    const signedIn = await first.core.tools.signIn('secure', (url) => {
      opened.push(url);
      tab.open(url);
    });
    await Promise.all(tab.visits);
    expect(opened).toHaveLength(1);
    const authorization = new URL(opened[0] ?? '');
    expect(authorization.origin).toBe(server.url);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('state')).toMatch(/^[\w-]{40,}$/);
    expect(authorization.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(tab.pages).toEqual([
      expect.objectContaining({
        status: 200,
        text: expect.stringContaining('You are signed in to secure. You can close this tab'),
      }),
    ]);
    expect(signedIn).toMatchObject({
      status: 'ready',
      error: null,
      signIn: { signedIn: true, signingIn: false },
      httpTransport: 'streamable-http',
    });
    expect(signedIn.tools.map((tool) => tool.name)).toEqual(['add']);
    expect(await first.core.tools.call('secure', 'add', { a: 2, b: 3 })).toEqual({
      content: [{ type: 'text', text: '5' }],
      isError: false,
    });
    expect(server.clientCount()).toBe(1);

    // The client, the tokens and the verifier are in the keychain; no token is in SQLite, the window or a log line.
    const stored = await keychainParts('secure');
    const [access, refresh] = server.issued;
    expect(access).toBeTruthy();
    expect(stored.tokens).toContain(access);
    expect(stored.tokens).toContain(refresh);
    expect(stored.client).toContain('client_id');
    expect(stored.verifier).toBeTruthy();
    const clientId = JSON.parse(stored.client ?? '{}').client_id as string;
    const secrets = [access, refresh, stored.verifier, clientId] as string[];
    const bytes = databaseBytes(first.dataDir);
    const seen = JSON.stringify([first.core.tools.list(), first.events]);
    for (const secret of secrets) {
      expect(bytes).not.toContain(secret);
      expect(seen).not.toContain(secret);
      expect(logLines.join('\n')).not.toContain(secret);
    }
    await first.closeCore();

    // A new core on the same data folder and keychain connects without a browser.
    const second = await stack({ dataDir: first.dataDir });
    const again = await dispatch(second, 'tools.restart', 'secure');
    expect(again).toMatchObject({ status: 'ready', signIn: { signedIn: true } });
    expect(server.authorizeCount()).toBe(1);

    // The access token stops working: the SDK refreshes it with the stored refresh token, no browser either.
    server.expireAccessTokens();
    expect(await second.core.tools.call('secure', 'add', { a: 20, b: 22 })).toMatchObject({
      content: [{ text: '42' }],
    });
    const refreshed = server.issued.at(-1) ?? '';
    expect(refreshed).toMatch(/^access-/);
    expect((await keychainParts('secure')).tokens).toContain(refreshed);
    expect(server.authorizeCount()).toBe(1);

    // Sign out forgets everything: the server needs a sign-in again.
    const out = await dispatch(second, 'tools.signOut', 'secure');
    expect(out).toMatchObject({ status: 'needs-sign-in', signIn: { signedIn: false } });
    expect(await keychainParts('secure')).toEqual({ client: null, tokens: null, verifier: null });
    // And the authorization server was told: the refresh token and the access token in use no longer work anywhere.
    expect(server.revoked).toEqual([refresh, refreshed]);
    const replayed = await fetch(server.mcpUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${refreshed}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(replayed.status).toBe(401);

    // Signed in again, then removed: the keychain forgets it too.
    const tab2 = browser();
    expect(await second.core.tools.signIn('secure', (url) => tab2.open(url))).toMatchObject({
      status: 'ready',
    });
    expect((await keychainParts('secure')).tokens).toBeTruthy();
    expect(await second.core.router.dispatch('tools.removeServer', { name: 'secure' })).toMatchObject({
      ok: true,
      value: { removed: true },
    });
    expect(await keychainParts('secure')).toEqual({ client: null, tokens: null, verifier: null });
  });

  it('a redirect with the wrong state is refused; a sign-in nobody finishes times out with a message', async () => {
    const clock = new ManualClock();
    const s = await stack({ mcp: { clock, signInTimeoutMs: 5 * 60_000 } });
    await s.core.router.dispatch('tools.addServer', {
      name: 'forged',
      transport: { type: 'http', url: server.mcpUrl },
    });
    const tab = browser();
    const signingIn = s.core.tools.signIn('forged', (url) =>
      tab.open(url, (target) => target.searchParams.set('state', 'forged-state')),
    );
    await waitFor(() => tab.pages.length > 0);
    expect(tab.pages).toEqual([
      expect.objectContaining({
        status: 400,
        text: expect.stringContaining('This sign-in link is not the one HubDesk is waiting for'),
      }),
    ]);
    expect(s.core.tools.get('forged')).toMatchObject({ signIn: { signingIn: true } });

    // Nobody comes back with the right state: five minutes later (on the injected clock) HubDesk stops waiting.
    clock.advance(5 * 60_000);
    const view = await signingIn;
    expect(view).toMatchObject({
      status: 'needs-sign-in',
      signIn: { signedIn: false, signingIn: false },
      error: {
        kind: 'timeout',
        code: 'mcp_sign_in_timeout',
        reason: { code: 'mcpSignInTimeout', values: { server: 'forged', minutes: 5 } },
      },
    });
    expect(view.error?.message).toBe(
      'The sign-in to the MCP server "forged" was not finished within 5 min. Sign in again when you are ready.',
    );
    expect((await keychainParts('forged')).tokens).toBeNull();
    await s.core.tools.remove('forged');
  });

  it('a sign-in the server revoked while in use turns the server to "needs sign-in" and forgets the tokens', async () => {
    const s = await stack();
    await s.core.router.dispatch('tools.addServer', {
      name: 'revoked',
      transport: { type: 'http', url: server.mcpUrl },
    });
    const tab = browser();
    expect(await s.core.tools.signIn('revoked', (url) => tab.open(url))).toMatchObject({ status: 'ready' });
    expect((await keychainParts('revoked')).tokens).toBeTruthy();

    server.expireAccessTokens();
    server.revokeRefreshTokens();
    await expect(s.core.tools.call('revoked', 'add', { a: 1, b: 2 })).rejects.toMatchObject({
      info: { code: 'mcp_needs_sign_in' },
    });
    expect(s.core.tools.get('revoked')).toMatchObject({
      status: 'needs-sign-in',
      signIn: { signedIn: false },
      error: { code: 'mcp_needs_sign_in', reason: { code: 'mcpNeedsSignIn', values: { server: 'revoked' } } },
    });
    expect((await keychainParts('revoked')).tokens).toBeNull();
    await s.core.tools.remove('revoked');
  });

  it('closing HubDesk while a sign-in waits for the browser ends the wait and closes the listener', async () => {
    const s = await stack();
    await s.core.router.dispatch('tools.addServer', {
      name: 'late',
      transport: { type: 'http', url: server.mcpUrl },
    });
    const opened: string[] = [];
    const signingIn = s.core.tools.signIn('late', (url) => {
      opened.push(url);
    });
    await waitFor(() => opened.length > 0);
    expect(s.core.tools.get('late').signIn).toEqual({ signedIn: false, signingIn: true });
    const redirect = new URL(opened[0] ?? '').searchParams.get('redirect_uri') ?? '';
    expect((await fetch(`${redirect}?state=wrong&code=x`)).status).toBe(400);

    await s.closeCore();
    await expect(signingIn).rejects.toMatchObject({ info: { kind: 'cancelled' } });
    await expect(fetch(redirect)).rejects.toThrow();
  });

  it('a server with its own Authorization header is not offered a sign-in', async () => {
    const s = await stack();
    await s.core.router.dispatch('tools.addServer', {
      name: 'late',
      transport: {
        type: 'http',
        url: server.mcpUrl,
        headers: [{ name: 'Authorization', value: 'Bearer nope' }],
      },
    });
    expect(s.core.tools.get('late').signIn).toBeNull();
    await expect(s.core.tools.signIn('late', () => undefined)).rejects.toMatchObject({
      info: { kind: 'invalid_input' },
    });
    await s.core.tools.remove('late');
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe.skipIf(!runReal)('hubdesk mcp login | logout', () => {
  const bin = join(import.meta.dirname, '../bin/hubdesk.js');
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-cli-oauth-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The real binary; `onErr` sees stderr as it comes (the URL to open). */
  function hubdesk(args: string[], onErr: (text: string) => void = () => undefined) {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: dataDir,
      HUBDESK_DATA_DIR: dataDir,
    };
    for (const name of ['DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR', 'XDG_DATA_HOME']) {
      const value = process.env[name];
      if (value) env[name] = value;
    }
    const child = spawn(process.execPath, [bin, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      onErr(stderr);
    });
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('login prints the URL, waits for the browser and connects; logout forgets the tokens', async () => {
    expect(await hubdesk(['mcp', 'add', 'cli-secure', '--url', server.mcpUrl])).toMatchObject({ code: 0 });
    const authorizeBefore = server.authorizeCount();

    const tab = browser();
    let followed = false;
    const login = await hubdesk(['mcp', 'login', 'cli-secure', '--json'], (stderr) => {
      const url = stderr.match(/^ {2}(http\S+)$/m)?.[1];
      if (url && !followed) {
        followed = true;
        tab.open(url);
      }
    });
    await Promise.all(tab.visits);
    expect(login.code).toBe(0);
    expect(login.stderr).toContain('Open this URL in your browser to sign in to "cli-secure":');
    expect(JSON.parse(login.stdout)).toMatchObject({
      name: 'cli-secure',
      status: 'ready',
      signIn: { signedIn: true },
      tools: [{ name: 'add' }],
    });
    expect(server.authorizeCount()).toBe(authorizeBefore + 1);
    expect(await keytar.getPassword('HubDesk', mcpOAuthAccount('cli-secure', 'tokens'))).toContain(
      server.issued.at(-1),
    );

    const call = await hubdesk(['mcp', 'call', 'cli-secure', 'add', '--args', '{"a":4,"b":5}']);
    expect(call).toMatchObject({ code: 0, stdout: '9\n' });

    const logout = await hubdesk(['mcp', 'logout', 'cli-secure']);
    expect(logout).toMatchObject({
      code: 0,
      stdout: 'Signed out of "cli-secure": its tokens are no longer in the keychain.\n',
    });
    expect(await keytar.getPassword('HubDesk', mcpOAuthAccount('cli-secure', 'tokens'))).toBeNull();
    const refused = await hubdesk(['mcp', 'call', 'cli-secure', 'add', '--args', '{"a":4,"b":5}']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('needs you to sign in');
    expect(await hubdesk(['mcp', 'remove', 'cli-secure'])).toMatchObject({ code: 0 });
  }, 120_000);
});
