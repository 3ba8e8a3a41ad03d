import { execFile } from 'node:child_process';
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

describe('hubdesk CLI', () => {
  it('ping succeeds with a good token and reports the latency', async () => {
    const result = await hubdesk(['ping'], { HUBDESK_BASE_URL: proxy.url, HUBDESK_TOKEN: proxy.token });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Connected to http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions in \d+ ms \(HTTP 200/,
    );
  });

  it('ping fails with a bad token: non-zero exit, one line, no token in it', async () => {
    const bad = 'sk-not-the-right-token-42';
    const result = await hubdesk(['ping'], { HUBDESK_BASE_URL: proxy.url, HUBDESK_TOKEN: bad });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^hubdesk: auth: .*401/);
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
    expect(badUrl.stderr).toMatch(/^hubdesk: invalid_input: baseUrl must be an http\(s\) URL/);
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

    const status = await hubdesk(['index', 'status', '--json'], offline);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ model: 'text-embedding-3-small' });
  });
});
