/**
 * `hubdesk doctor` through the real binary, as a person or a script runs it: one English line per check, --json,
 * exit codes, the connection test against the fake proxy, and the cases where the rest of the CLI cannot start
 * (a Node whose ABI differs from the one the native modules were built for).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DoctorReport, doctorReportSchema } from '../src/shared/doctor';
import { type FakeProxy, startFakeProxy } from './fake-proxy/index';

const bin = join(import.meta.dirname, '../bin/hubdesk.js');

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
  options: { dataDir: string; env?: Record<string, string>; node?: string; uid?: number },
): Promise<Run> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: options.dataDir,
    HUBDESK_DATA_DIR: options.dataDir,
    ...(process.env.DBUS_SESSION_BUS_ADDRESS && options.uid === undefined
      ? { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS }
      : {}),
    ...options.env,
  };
  const ids = options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {};
  return new Promise((resolve) => {
    execFile(
      options.node ?? process.execPath,
      [bin, ...args],
      { env, timeout: 60_000, ...ids },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
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

/** Another Node on this machine whose native-module ABI (NODE_MODULE_VERSION) is not this one's. */
function otherAbiNode(): string | undefined {
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
      const abi = execFileSync(path, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).trim();
      return abi !== '' && abi !== process.versions.modules;
    } catch {
      return false;
    }
  });
}
const otherNode = otherAbiNode();

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
    // Permissions do not stop root: run the doctor as an unprivileged user there (nobody), else make it read-only.
    const asRoot = process.getuid?.() === 0;
    await chmod(dataDir, asRoot ? 0o755 : 0o555);
    try {
      const run = await hubdesk(['doctor', '--json'], { dataDir, ...(asRoot ? { uid: 65534 } : {}) });
      expect(run.code, run.stderr).toBe(1);
      const report = parsed(run);
      expect(report.checks.find((check) => check.id === 'dataFolder')).toMatchObject({
        status: 'fail',
        note: 'notWritable',
        values: { detail: 'EACCES: permission denied' },
        facts: expect.arrayContaining([{ name: 'writable', kind: 'flag', value: false }]),
      });
      const text = await hubdesk(['doctor'], { dataDir, ...(asRoot ? { uid: 65534 } : {}) });
      expect(lineOf(text, 'Data folder')).toMatch(
        /^FAIL {2}Data folder: HubDesk cannot write to it \(EACCES: permission denied\)\. Fix its permissions, or point HUBDESK_DATA_DIR at another folder\./,
      );
    } finally {
      await chmod(dataDir, 0o755);
    }
  });

  // Needs a second Node on this machine with another NODE_MODULE_VERSION (the system's Node, say).
  it.runIf(otherNode !== undefined)(
    `under a Node with another ABI (${otherNode ?? 'none found'}) says better-sqlite3 cannot load, names the fix, exits 1, no stack`,
    async () => {
      const node = otherNode as string;
      const dataDir = await usedFolder('other-abi');
      const run = await hubdesk(['doctor'], { dataDir, node });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe('');
      const sqlite = lineOf(run, 'SQLite (better-sqlite3)');
      expect(sqlite).toMatch(
        /^FAIL {2}SQLite \(better-sqlite3\): Cannot be loaded\. HubDesk's SQLite module \(better-sqlite3\) was built for .*NODE_MODULE_VERSION \d+\), but this is Node [\d.]+ \(NODE_MODULE_VERSION \d+\)\. Run `npm rebuild better-sqlite3` with this Node/,
      );
      expect(sqlite).toContain(`NODE_MODULE_VERSION ${process.versions.modules})`);
      // What depends on SQLite says it was not checked; the rest is reported as usual.
      expect(lineOf(run, 'Database')).toMatch(
        /^warn {2}Database: Not checked, because SQLite cannot be loaded\./,
      );
      expect(lineOf(run, 'Vector search (sqlite-vec)')).toMatch(/^warn {2}/);
      expect(lineOf(run, 'Data folder')).toMatch(/^ok {4}/);
      for (const output of [run.stdout, run.stderr]) {
        expect(output).not.toMatch(/^\s+at /m);
        expect(output).not.toContain('Error:');
        expect(output).not.toContain('Segmentation fault');
      }
      for (const line of run.stdout.trimEnd().split('\n').slice(1, -1)) expect(line).toMatch(checkLine);

      const json = await hubdesk(['doctor', '--json'], { dataDir, node });
      expect(json.code).toBe(1);
      expect(parsed(json).checks.find((check) => check.id === 'sqlite')).toMatchObject({
        status: 'fail',
        note: 'noLoad',
      });
    },
  );
});
