import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProxy, startFakeProxy } from './fake-proxy/index';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../bin/hubdesk.js');

let proxy: FakeProxy;
let dataDir: string;

beforeAll(async () => {
  proxy = await startFakeProxy();
  dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-cli-'));
});
afterAll(async () => {
  await proxy?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs the real `hubdesk` binary in a child process, as a script would. */
async function hubdesk(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: dataDir, HUBDESK_DATA_DIR: dataDir, ...env },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The binary with `input` on its standard input (a pipe, as `printf … | hubdesk token set`). */
function hubdeskWithInput(args: string[], input: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: dataDir, HUBDESK_DATA_DIR: dataDir, ...env },
      timeout: 30_000,
    });
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

describe('hubdesk CLI', () => {
  it('ping succeeds with a good token and reports the latency', async () => {
    const result = await hubdesk(['ping'], { HUBDESK_BASE_URL: proxy.url, HUBDESK_TOKEN: proxy.token });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Connected to http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions in \d+ ms \(HTTP 200/,
    );
  });

  it('ping with no token says so in one sentence with the next step, not that a token was refused', async () => {
    const result = await hubdesk(['ping'], { HUBDESK_BASE_URL: proxy.url });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'hubdesk: auth: No API token is set. Run `hubdesk token set` or set HUBDESK_TOKEN.\n',
    );
    const json = await hubdesk(['ping', '--json'], { HUBDESK_BASE_URL: proxy.url });
    expect(JSON.parse(json.stderr)).toMatchObject({
      ok: false,
      error: { kind: 'auth', code: 'no_token', message: 'No API token is set.' },
    });
  });

  it('ping fails with a bad token: non-zero exit, one line, no token in it', async () => {
    const bad = 'sk-not-the-right-token-42';
    const result = await hubdesk(['ping'], { HUBDESK_BASE_URL: proxy.url, HUBDESK_TOKEN: bad });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^hubdesk: auth: .*401/);
    expect(result.stderr).toMatch(/Run `hubdesk token set` with a valid token, or correct HUBDESK_TOKEN\.$/m);
    expect(result.stderr).not.toMatch(/Open Settings/);
    expect(result.stderr).not.toContain(bad);

    const json = await hubdesk(['ping', '--json'], { HUBDESK_BASE_URL: proxy.url, HUBDESK_TOKEN: bad });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr)).toMatchObject({ ok: false, error: { kind: 'auth', status: 401 } });
  });

  it('ping says so when the proxy cannot be reached', async () => {
    const result = await hubdesk(['ping'], {
      HUBDESK_BASE_URL: 'http://127.0.0.1:9',
      HUBDESK_TOKEN: proxy.token,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^hubdesk: network: /);
  });

  it('adds, lists and switches profiles, with --json output', async () => {
    const added = await hubdesk(['profile', 'add', 'Gateway', 'https://gw.example.com/', '--json']);
    expect(added.code).toBe(0);
    const profile = JSON.parse(added.stdout) as { id: string; baseUrl: string };
    expect(profile.baseUrl).toBe('https://gw.example.com');

    const used = await hubdesk(['profile', 'use', 'gateway']);
    expect(used.stdout).toMatch(/Active profile: Gateway/);

    const listed = await hubdesk(['profile', 'list', '--json']);
    const state = JSON.parse(listed.stdout) as { activeId: string; profiles: { name: string }[] };
    expect(state.activeId).toBe(profile.id);
    expect(state.profiles.map((p) => p.name)).toEqual(['TikHub', 'Gateway']);

    const text = await hubdesk(['profile', 'list']);
    expect(text.stdout).toMatch(/^\* Gateway {2}https:\/\/gw\.example\.com/m);
  });

  it('rejects bad input with a one-line error', async () => {
    const badUrl = await hubdesk(['profile', 'add', 'X', 'ftp://nope']);
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toMatch(/^hubdesk: invalid_input: The base URL must be an http\(s\) URL/);
    expect(badUrl.stderr).not.toMatch(/Some of the input is not valid/);
    const noName = await hubdesk(['profile', 'add']);
    expect(noName.stderr).toBe('hubdesk: invalid_input: The profile name is required.\n');
    const unknown = await hubdesk(['frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/Unknown command "frobnicate"/);
  });

  it('reaches search and index through the binary: keyword results offline, meaning search says why not', async () => {
    await hubdesk(['chat', 'The lighthouse keeper watched the storm'], {
      HUBDESK_BASE_URL: proxy.url,
      HUBDESK_TOKEN: proxy.token,
    });
    const offline = { HUBDESK_BASE_URL: 'http://127.0.0.1:9', HUBDESK_TOKEN: proxy.token };
    const found = await hubdesk(['search', 'lighthouse', '--json'], offline);
    expect(found.code).toBe(0);
    const result = JSON.parse(found.stdout) as { hits: { kind: string }[]; meaningUsed: boolean };
    expect(result.hits.map((hit) => hit.kind)).toContain('message');
    expect(result.meaningUsed).toBe(false);

    const words = await hubdesk(['search', 'lighthouse'], offline);
    expect(words.stderr).toBe(
      'Nothing is indexed for meaning search yet. Run `hubdesk index run` to index what you have (it needs an API token); the app also indexes in the background while it is open.\n',
    );

    const status = await hubdesk(['index', 'status', '--json'], offline);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ model: 'text-embedding-3-small' });
  });

  describe('hubdesk token (no keychain here: the child gets no D-Bus session)', () => {
    it('refuses a token given as an argument, says why, and never repeats it', async () => {
      const secret = 'sk-typed-on-the-command-line-1234';
      for (const args of [
        ['token', 'set', secret],
        ['token', 'set', '--token', secret],
        ['token', 'set', `--token=${secret}`],
      ]) {
        const result = await hubdesk(args);
        expect(result.code).toBe(1);
        expect(result.stderr).toBe(
          'hubdesk: invalid_input: hubdesk token set takes no token as an argument, since your shell history and the process list would keep it: pipe it in (printf \'%s\' "$TOKEN" | hubdesk token set) or run hubdesk token set in a terminal and type it.\n',
        );
        expect(result.stdout).not.toContain(secret);
      }
    });

    it('set with nothing piped in, or a token too short, says what to do and never shows what was read', async () => {
      const empty = await hubdeskWithInput(['token', 'set'], '\n');
      expect(empty.code).toBe(1);
      expect(empty.stderr).toBe(
        'hubdesk: invalid_input: No token came in: pipe it in (printf \'%s\' "$TOKEN" | hubdesk token set) or type it at the prompt.\n',
      );
      const short = await hubdeskWithInput(['token', 'set'], 'sk-12\n');
      expect(short.stderr).toBe('hubdesk: invalid_input: The token is too short to be an API token.\n');
      const shortJson = await hubdeskWithInput(['token', 'set', '--json'], 'sk-12\n');
      expect(shortJson.stderr).not.toContain('sk-12');
    });

    it('set without a keychain says it cannot keep the token and how to go on', async () => {
      const result = await hubdeskWithInput(['token', 'set'], 'sk-a-token-nobody-can-keep\n');
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'hubdesk: keychain_unavailable: The system keychain cannot keep the token (`hubdesk doctor` says why): install and unlock one (gnome-keyring, KWallet), or set HUBDESK_TOKEN.\n',
      );
      expect(result.stderr).not.toContain('sk-a-token');
    });

    it('status says whether a token is set and where from, never the token', async () => {
      const none = await hubdesk(['token', 'status', '--profile', 'TikHub']);
      expect(none.code).toBe(0);
      expect(none.stdout).toBe(
        'No API token is set for profile "TikHub". Run `hubdesk token set` or set HUBDESK_TOKEN. The system keychain cannot be used here, so `hubdesk token set` cannot keep one (`hubdesk doctor` says why).\n',
      );
      const fromEnv = await hubdesk(['token', 'status', '--profile', 'tikhub'], {
        HUBDESK_TOKEN: proxy.token,
      });
      expect(fromEnv.stdout).toBe(
        'An API token is set for profile "TikHub", from HUBDESK_TOKEN. The system keychain cannot be used here, so `hubdesk token set` cannot keep one (`hubdesk doctor` says why).\n',
      );
      const json = await hubdesk(['token', 'status', '--json', '--profile', 'TikHub'], {
        HUBDESK_TOKEN: proxy.token,
      });
      expect(JSON.parse(json.stdout)).toMatchObject({
        ok: true,
        profile: 'TikHub',
        set: true,
        source: 'env',
      });
      expect(json.stdout).not.toContain(proxy.token);
    });

    it('prints its usage and refuses an unknown sub-command', async () => {
      expect((await hubdesk(['token', '--help'])).stdout).toMatch(/^Usage: hubdesk token set\|status\|clear/);
      const unknown = await hubdesk(['token', 'show']);
      expect(unknown.stderr).toBe(
        'hubdesk: invalid_input: Unknown token command "show". Try: hubdesk token --help\n',
      );
    });
  });
});
