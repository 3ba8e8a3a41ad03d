/**
 * `hubdesk doctor` through the real binary, as a person or a script runs it: one English line per check, --json,
 * exit codes, the connection test against the fake proxy, and the cases where the core cannot start (a SQLite
 * module whose binary does not load) or the CLI cannot run at all (a Node too old for it).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DoctorReport, doctorReportSchema } from '../src/shared/doctor';
import { type FakeProxy, startFakeProxy } from './fake-proxy/index';

const bin = join(import.meta.dirname, '../bin/hubdesk.js');
const sqliteHook = join(import.meta.dirname, 'support/sqlite-package-hook.ts');
const require = createRequire(import.meta.url);

let proxy: FakeProxy;
let root: string;

beforeAll(async () => {
  proxy = await startFakeProxy();
  root = await mkdtemp(join(tmpdir(), 'hubdesk-cli-doctor-'));
  // Readable by the unprivileged user one case runs as.
  await chmod(root, 0o755);
});
afterAll(async () => {
  await proxy?.close();
  await rm(root, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `hubdesk` binary in a child process, with `node` (default: this test's Node). */
function hubdesk(
  args: string[],
  options: {
    dataDir: string;
    env?: Record<string, string>;
    node?: string;
    withoutRootOverride?: boolean;
    imports?: string[];
  },
): Promise<Run> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: options.dataDir,
    HUBDESK_DATA_DIR: options.dataDir,
    ...(process.env.DBUS_SESSION_BUS_ADDRESS
      ? { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS }
      : {}),
    ...options.env,
  };
  const node = options.node ?? process.execPath;
  const nodeArgs = [...(options.imports ?? []).flatMap((file) => ['--import', file]), bin, ...args];
  // Root passes every permission check through two capabilities; without them it is held to the file's mode bits
  // like anyone else, while still reading the checkout and the Node it runs from (which another user may not).
  const [command, commandArgs] = options.withoutRootOverride
    ? ['setpriv', ['--bounding-set=-dac_override,-dac_read_search', '--', node, ...nodeArgs]]
    : [node, nodeArgs];
  return new Promise((resolve) => {
    execFile(command, commandArgs, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A data folder HubDesk has used: `profile list` creates and migrates its database. */
async function usedFolder(name: string): Promise<string> {
  const dataDir = join(root, name);
  const run = await hubdesk(['profile', 'list'], { dataDir });
  expect(run.code, run.stderr).toBe(0);
  return dataDir;
}

function parsed(run: Run): DoctorReport {
  return doctorReportSchema.parse(JSON.parse(run.stdout));
}

/** The English line of one check. */
function lineOf(run: Run, label: string): string {
  return run.stdout.split('\n').find((line) => line.includes(` ${label}: `)) ?? '';
}

const checkLine = /^(ok {4}|warn {2}|FAIL {2})\S/;

/** A Node on this machine too old for HubDesk (Node-API < 10), such as the system's Node 20. */
function olderNode(): string | undefined {
  let onPath: string[] = [];
  try {
    onPath = execFileSync('which', ['-a', 'node'], { encoding: 'utf8' }).split('\n');
  } catch {
    // no `which`, or no node on PATH
  }
  const candidates = [...new Set(['/usr/bin/node', '/usr/local/bin/node', ...onPath])].filter(
    (path) => path && existsSync(path),
  );
  return candidates.find((path) => {
    try {
      return Number(execFileSync(path, ['-p', 'process.versions.napi'], { encoding: 'utf8' }).trim()) < 10;
    } catch {
      return false;
    }
  });
}
const oldNode = olderNode();

/** A copy of better-sqlite3 whose prebuilt binary for this machine is damaged (the hook points the CLI at it). */
async function damagedSqlitePackage(): Promise<string> {
  const copy = join(root, 'damaged-better-sqlite3');
  await cp(dirname(require.resolve('better-sqlite3/package.json')), copy, { recursive: true });
  await rm(join(copy, 'build'), { recursive: true, force: true });
  await writeFile(join(copy, 'prebuilds', `${process.platform}-${process.arch}.node`), 'not a shared object');
  return copy;
}

describe('hubdesk doctor', () => {
  it('prints one English line per check and exits 0 on a healthy data folder; --json parses', async () => {
    const dataDir = await usedFolder('healthy');
    const text = await hubdesk(['doctor'], { dataDir });
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^HubDesk doctor: HubDesk \d+\.\d+\.\d+, .+ UTC$/);
    expect(lines.slice(1, -1)).toHaveLength(7);
    for (const line of lines.slice(1, -1)) expect(line).toMatch(checkLine);
    expect(lines.at(-1)).toMatch(/^0 failed, \d with warnings, \d ok\.$/);
    expect(lineOf(text, 'SQLite (better-sqlite3)')).toMatch(/^ok {4}.*FTS5: yes; Trigram tokenizer: yes/);
    expect(lineOf(text, 'Database')).toMatch(/^ok {4}Database: quick_check finds no problems/);
    expect(lineOf(text, 'Data folder')).toMatch(/^ok {4}Data folder: HubDesk can write to it\./);

    const json = await hubdesk(['doctor', '--json'], { dataDir });
    expect(json.code).toBe(0);
    const report = parsed(json);
    expect(report.status).not.toBe('fail');
    expect(report.online).toBe(false);
    expect(report.checks.map((check) => check.id)).toEqual([
      'runtime',
      'sqlite',
      'keytar',
      'sqliteVec',
      'ffmpeg',
      'dataFolder',
      'database',
    ]);
    for (const id of ['runtime', 'sqlite', 'sqliteVec', 'ffmpeg', 'dataFolder', 'database'])
      expect(report.checks.find((check) => check.id === id)?.status, id).toBe('ok');
  });

  it('is in the usage text and has its own help', async () => {
    const dataDir = join(root, 'help');
    const usage = await hubdesk(['help'], { dataDir });
    expect(usage.stdout).toMatch(/^ {2}doctor \[--online\] +Check what HubDesk needs/m);
    const help = await hubdesk(['doctor', '--help'], { dataDir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: hubdesk doctor \[--online\] \[--json\]/);
  });

  it('--online adds the connection test: latency with a good token, exit 1 and the error with a bad one', async () => {
    const dataDir = await usedFolder('online');
    const good = await hubdesk(['doctor', '--online'], {
      dataDir,
      env: { HUBDESK_BASE_URL: proxy.url, HUBDESK_TOKEN: proxy.token },
    });
    expect(good.code, good.stdout).toBe(0);
    expect(lineOf(good, 'Connection')).toMatch(
      /^ok {4}Connection: The base URL answers and the token is accepted\. \[Profile: TikHub \(https:\/\/ai\.tikhub\.io\); Endpoint: http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions; HTTP status: 200; Latency: \d+ ms; Model: gpt-4\.1-nano\]$/,
    );

    const wrong = 'sk-not-the-right-token-77';
    const bad = await hubdesk(['doctor', '--online', '--json'], {
      dataDir,
      env: { HUBDESK_BASE_URL: proxy.url, HUBDESK_TOKEN: wrong },
    });
    expect(bad.code).toBe(1);
    expect(bad.stdout).not.toContain(wrong);
    const report = parsed(bad);
    expect(report.status).toBe('fail');
    expect(report.checks.find((check) => check.id === 'connection')).toMatchObject({
      status: 'fail',
      note: 'failed',
      error: { kind: 'auth', status: 401 },
    });
  });

  it('never creates the data folder or a database, --online included', async () => {
    const dataDir = join(root, 'never-started');
    const run = await hubdesk(['doctor', '--online'], {
      dataDir,
      env: { HUBDESK_BASE_URL: proxy.url, HUBDESK_TOKEN: proxy.token },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(lineOf(run, 'Data folder')).toMatch(/^warn {2}Data folder: It does not exist yet/);
    expect(lineOf(run, 'Database')).toMatch(/^warn {2}Database: There is no database yet/);
    expect(lineOf(run, 'Connection')).toMatch(/^ok {4}Connection: /);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('exits 1 on a database file that is not SQLite, saying so in one line', async () => {
    const dataDir = join(root, 'garbage');
    await mkdir(dataDir);
    await writeFile(join(dataDir, 'hubdesk.sqlite'), 'not a database '.repeat(500));
    const run = await hubdesk(['doctor'], { dataDir });
    expect(run.code).toBe(1);
    expect(lineOf(run, 'Database')).toMatch(
      /^FAIL {2}Database: It cannot be read \(file is not a database\)\./,
    );
    expect(run.stdout.trimEnd().split('\n').at(-1)).toMatch(/^1 failed, /);
    // The rest of the CLI cannot open this folder; the doctor still reports on everything.
    const other = await hubdesk(['profile', 'list'], { dataDir });
    expect(other.code).toBe(1);
  });

  it('exits 1 on a data folder it cannot write to', async () => {
    const dataDir = join(root, 'read-only');
    await mkdir(dataDir);
    await chmod(dataDir, 0o555);
    const asRoot = process.getuid?.() === 0;
    try {
      const run = await hubdesk(['doctor', '--json'], { dataDir, withoutRootOverride: asRoot });
      expect(run.code, run.stderr).toBe(1);
      const report = parsed(run);
      expect(report.checks.find((check) => check.id === 'dataFolder')).toMatchObject({
        status: 'fail',
        note: 'notWritable',
        values: { detail: 'EACCES: permission denied' },
        facts: expect.arrayContaining([{ name: 'writable', kind: 'flag', value: false }]),
      });
      const text = await hubdesk(['doctor'], { dataDir, withoutRootOverride: asRoot });
      expect(lineOf(text, 'Data folder')).toMatch(
        /^FAIL {2}Data folder: HubDesk cannot write to it \(EACCES: permission denied\)\. Fix its permissions, or point HUBDESK_DATA_DIR at another folder\./,
      );
    } finally {
      await chmod(dataDir, 0o755);
    }
  });

  it('with a SQLite module that will not load, names the fix, reports what it could, exits 1, no stack', async () => {
    const dataDir = await usedFolder('damaged-module');
    const env = { HUBDESK_TEST_SQLITE_PACKAGE: await damagedSqlitePackage() };
    const run = await hubdesk(['doctor'], { dataDir, env, imports: [sqliteHook] });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(lineOf(run, 'SQLite (better-sqlite3)')).toMatch(
      /^FAIL {2}SQLite \(better-sqlite3\): Cannot be loaded\. HubDesk's SQLite module \(better-sqlite3\) could not be loaded by Node [\d.]+ \(Node-API \d+\) on [a-z0-9]+-[a-z0-9]+ \(.*damaged-better-sqlite3\/prebuilds\/.*\)\. Reinstall the dependencies on this machine with `npm ci`\./,
    );
    // What depends on SQLite says it was not checked; the rest is reported as usual.
    expect(lineOf(run, 'Database')).toMatch(
      /^warn {2}Database: Not checked, because SQLite cannot be loaded\./,
    );
    expect(lineOf(run, 'Vector search (sqlite-vec)')).toMatch(/^warn {2}/);
    expect(lineOf(run, 'Data folder')).toMatch(/^ok {4}/);
    expect(lineOf(run, 'Runtime')).toMatch(/^ok {4}/);
    expect(run.stdout).not.toMatch(/^\s+at /m);
    for (const line of run.stdout.trimEnd().split('\n').slice(1, -1)) expect(line).toMatch(checkLine);

    const json = await hubdesk(['doctor', '--json'], { dataDir, env, imports: [sqliteHook] });
    expect(json.code).toBe(1);
    expect(parsed(json).checks.find((check) => check.id === 'sqlite')).toMatchObject({
      status: 'fail',
      note: 'noLoad',
    });

    // The rest of the CLI says the same sentence instead of a stack.
    const other = await hubdesk(['profile', 'list'], { dataDir, env, imports: [sqliteHook] });
    expect(other.code).toBe(1);
    expect(other.stderr.trim().split('\n')).toHaveLength(1);
    expect(other.stderr).toMatch(
      /^hubdesk: HubDesk's SQLite module \(better-sqlite3\) could not be loaded by Node/,
    );
  });

  // Needs an older Node on this machine (the system's Node 20, say), which HubDesk's modules cannot run on.
  it.runIf(oldNode !== undefined)(
    `under a Node too old for HubDesk (${oldNode ?? 'none found'}) says so in one line with the fix, exit 1`,
    async () => {
      const dataDir = await usedFolder('old-node');
      const run = await hubdesk(['doctor'], { dataDir, node: oldNode as string });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          /^hubdesk: HubDesk needs Node 22\.19 or newer with Node-API 10 .*, but this is Node [\d.]+ \(Node-API \d\)\. Run it with Node 24/,
        ),
      ]);
    },
  );
});
