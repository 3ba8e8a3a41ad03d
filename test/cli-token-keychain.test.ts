/**
 * `hubdesk token set|status|clear` through the real binary and the real system keychain (keytar → libsecret →
 * Secret Service), inside a private D-Bus session with an unlocked gnome-keyring (`/tmp/runtests.sh` or `.ci/run`
 * set one up); skipped without a session bus, like test/secrets-keychain.test.ts. The profile is a fresh data
 * folder's own, so no token of the user's is touched.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_KEYCHAIN_SERVICE } from '../src/main/secrets/token-store';
import { type FakeProxy, startFakeProxy } from './fake-proxy/index';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../bin/hubdesk.js');
const runReal = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS) || Boolean(process.env.CI);

let proxy: FakeProxy;
let dataDir: string;
let profileId: string;

function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: dataDir,
    HUBDESK_DATA_DIR: dataDir,
    DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS ?? '',
    ...(process.env.XDG_RUNTIME_DIR ? { XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR } : {}),
    ...extra,
  };
}

async function hubdesk(args: string[], extra: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: childEnv(extra),
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The binary with `input` piped to it, as `printf '%s' "$TOKEN" | hubdesk token set`. */
function hubdeskWithInput(args: string[], input: string, extra: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: childEnv(extra), timeout: 30_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe.skipIf(!runReal)('hubdesk token with the real system keychain', () => {
  beforeAll(async () => {
    proxy = await startFakeProxy();
    dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-cli-token-'));
    const listed = await hubdesk(['profile', 'list', '--json']);
    profileId = (JSON.parse(listed.stdout) as { activeId: string }).activeId;
  });
  afterAll(async () => {
    if (profileId) await keytar.deletePassword(DEFAULT_KEYCHAIN_SERVICE, profileId).catch(() => false);
    await proxy?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('set keeps the piped token in the keychain where Settings keeps it, and says so without showing it', async () => {
    const saved = await hubdeskWithInput(['token', 'set'], `${proxy.token}\n`);
    expect(saved.code).toBe(0);
    expect(saved.stderr).toBe('');
    expect(saved.stdout).toBe('Saved the API token of profile "TikHub" in the system keychain.\n');
    expect(await keytar.getPassword(DEFAULT_KEYCHAIN_SERVICE, profileId)).toBe(proxy.token);

    const status = await hubdesk(['token', 'status']);
    expect(status.stdout).toBe('An API token is set for profile "TikHub", from the system keychain.\n');
    const json = await hubdesk(['token', 'status', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      profile: 'TikHub',
      profileId,
      set: true,
      source: 'keychain',
      keychain: { available: true },
    });
    for (const output of [saved.stdout, status.stdout, json.stdout])
      expect(output).not.toContain(proxy.token);
  });

  it('a later command uses the kept token with no HUBDESK_TOKEN, and set --check proves it against the proxy', async () => {
    const ping = await hubdesk(['ping'], { HUBDESK_BASE_URL: proxy.url });
    expect(ping.stderr).toBe('');
    expect(ping.stdout).toMatch(/^Connected to http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions in \d+ ms/);

    const checked = await hubdeskWithInput(['token', 'set', '--check'], proxy.token, {
      HUBDESK_BASE_URL: proxy.url,
    });
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(
      /^Saved the API token of profile "TikHub" in the system keychain\.\nChecked: the proxy accepted it \(http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions, \d+ ms\)\.\n$/,
    );
  });

  it('set --check with a token the proxy refuses keeps it, then says it was refused and what to do', async () => {
    const wrong = 'sk-the-proxy-does-not-know-this-one';
    const checked = await hubdeskWithInput(['token', 'set', '--check'], wrong, {
      HUBDESK_BASE_URL: proxy.url,
    });
    expect(checked.code).toBe(1);
    expect(checked.stdout).toBe('Saved the API token of profile "TikHub" in the system keychain.\n');
    expect(checked.stderr).toMatch(
      /^hubdesk: auth: The proxy refused the API token \(401\).* Run `hubdesk token set` with a valid token, or correct HUBDESK_TOKEN\.\n$/,
    );
    expect(checked.stderr).not.toContain(wrong);
  });

  it('with HUBDESK_TOKEN set, set and status say which one HubDesk uses', async () => {
    const saved = await hubdeskWithInput(['token', 'set'], proxy.token, {
      HUBDESK_TOKEN: 'sk-from-the-environment',
    });
    expect(saved.stdout).toBe(
      'Saved the API token of profile "TikHub" in the system keychain. HUBDESK_TOKEN is set in this shell, and HubDesk uses it instead while it is.\n',
    );
    const status = await hubdesk(['token', 'status'], { HUBDESK_TOKEN: 'sk-from-the-environment' });
    expect(status.stdout).toBe('An API token is set for profile "TikHub", from HUBDESK_TOKEN.\n');
  });

  it.skipIf(!existsSync('/usr/bin/script'))(
    'on a terminal, set asks at a prompt that does not show what is typed',
    async () => {
      const typed = 'sk-typed-at-the-prompt-5678';
      // util-linux `script` gives the binary a terminal (a pty) and passes our writes to it as keystrokes; its own
      // echo of them is off, so whatever shows on the screen came from the terminal itself.
      const command = `'${process.execPath}' '${bin}' token set`;
      const child = spawn('/usr/bin/script', ['-q', '--echo', 'never', '-ec', command, '/dev/null'], {
        env: childEnv(),
        timeout: 30_000,
      });
      let screen = '';
      let sent = false;
      child.stdout.on('data', (chunk: Buffer) => {
        screen += chunk.toString();
        if (!sent && screen.includes('(it is not shown as you type): ')) {
          sent = true;
          child.stdin.write(`${typed}\r`);
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(0);
      expect(screen).toContain('API token for profile "TikHub" (it is not shown as you type): \r\n');
      expect(screen).toContain('Saved the API token of profile "TikHub" in the system keychain.');
      expect(screen).not.toContain(typed);
      expect(await keytar.getPassword(DEFAULT_KEYCHAIN_SERVICE, profileId)).toBe(typed);
    },
  );

  it('clear removes it from the keychain; after that a command says how to set one', async () => {
    const cleared = await hubdesk(['token', 'clear']);
    expect(cleared.code).toBe(0);
    expect(cleared.stdout).toBe('Removed the API token of profile "TikHub" from the system keychain.\n');
    expect(await keytar.getPassword(DEFAULT_KEYCHAIN_SERVICE, profileId)).toBeNull();

    const again = await hubdesk(['token', 'clear', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, set: false, source: null });
    expect((await hubdesk(['token', 'clear'])).stdout).toBe(
      'No API token was kept in the system keychain for profile "TikHub".\n',
    );
    expect((await hubdesk(['token', 'status'])).stdout).toBe(
      'No API token is set for profile "TikHub". Run `hubdesk token set` or set HUBDESK_TOKEN.\n',
    );
    const ping = await hubdesk(['ping'], { HUBDESK_BASE_URL: proxy.url });
    expect(ping.stderr).toBe(
      'hubdesk: auth: No API token is set. Run `hubdesk token set` or set HUBDESK_TOKEN.\n',
    );
  });
});
