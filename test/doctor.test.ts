/**
 * The doctor over real data folders: a real SQLite file (healthy, damaged, not SQLite at all, from a newer or an
 * older HubDesk), the real ffmpeg and sqlite-vec, and, with `online`, the real connection test against the fake
 * proxy. The keychain is the in-memory one (the CLI test uses the real keytar).
 */
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/main/core';
import { TokenStore } from '../src/main/secrets/token-store';
import { type DoctorOptions, runDoctor } from '../src/main/services/doctor/doctor';
import { openSqlite } from '../src/main/store/connection';
import { newestSchemaVersion, openDatabase, schemaVersion } from '../src/main/store/database';
import { migrations } from '../src/main/store/migrations';
import {
  type DoctorCheck,
  type DoctorCheckId,
  type DoctorReport,
  doctorReportSchema,
  doctorReportText,
} from '../src/shared/doctor';
import { type FakeProxy, startFakeProxy } from './fake-proxy/index';
import { memoryKeytar, unreachableKeytar } from './support/memory-keytar';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hubdesk-doctor-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function options(dataDir: string, extra: Partial<DoctorOptions> = {}): DoctorOptions {
  return {
    dataDir,
    databasePath: join(dataDir, 'hubdesk.sqlite'),
    tokens: new TokenStore({ env: {}, keytar: memoryKeytar(), service: `HubDesk-doctor-${randomUUID()}` }),
    env: process.env,
    online: false,
    ...extra,
  };
}

async function doctor(dataDir: string, extra: Partial<DoctorOptions> = {}): Promise<DoctorReport> {
  const report = await runDoctor(options(dataDir, extra));
  // What main sends is what the contract says.
  expect(doctorReportSchema.parse(report)).toEqual(report);
  return report;
}

function check(report: DoctorReport, id: DoctorCheckId): DoctorCheck {
  const found = report.checks.find((item) => item.id === id);
  if (!found) throw new Error(`no ${id} check in the report`);
  return found;
}

/** The English line of one check, as `hubdesk doctor` prints it. */
function line(report: DoctorReport, label: string): string {
  return doctorReportText(report)
    .split('\n')
    .find((text) => text.includes(` ${label}: `)) as string;
}

/** A data folder as HubDesk leaves it: the database created and migrated. */
async function healthyFolder(): Promise<string> {
  const dataDir = join(root, 'data');
  await mkdir(dataDir, { recursive: true });
  openDatabase(join(dataDir, 'hubdesk.sqlite')).close();
  return dataDir;
}

describe('the doctor over a real data folder', () => {
  it('reports a healthy install as all ok, one English line per check, with the facts behind each', async () => {
    const dataDir = await healthyFolder();
    const report = await doctor(dataDir);
    expect(report.checks.map((item) => [item.id, item.status])).toEqual([
      ['runtime', 'ok'],
      ['sqlite', 'ok'],
      ['keytar', 'ok'],
      ['sqliteVec', 'ok'],
      ['ffmpeg', 'ok'],
      ['dataFolder', 'ok'],
      ['database', 'ok'],
    ]);
    expect(report.status).toBe('ok');
    expect(report.online).toBe(false);

    expect(check(report, 'runtime').facts).toEqual(
      expect.arrayContaining([
        { name: 'node', kind: 'text', value: process.versions.node },
        { name: 'abi', kind: 'text', value: process.versions.modules },
        { name: 'platform', kind: 'text', value: process.platform },
        { name: 'arch', kind: 'text', value: process.arch },
      ]),
    );
    expect(check(report, 'sqlite').facts).toEqual(
      expect.arrayContaining([
        { name: 'fts5', kind: 'flag', value: true },
        { name: 'trigram', kind: 'flag', value: true },
        expect.objectContaining({ name: 'sqliteVersion', value: expect.stringMatching(/^3\.\d+\.\d+$/) }),
      ]),
    );
    expect(check(report, 'sqliteVec').facts).toEqual([
      { name: 'extensionVersion', kind: 'text', value: expect.stringMatching(/^v\d+\.\d+/) },
    ]);
    expect(check(report, 'ffmpeg').facts).toEqual(
      expect.arrayContaining([
        { name: 'source', kind: 'source', value: 'package' },
        expect.objectContaining({ name: 'ffmpegVersion', value: expect.stringMatching(/^ffmpeg version /) }),
        expect.objectContaining({
          name: 'ffprobeVersion',
          value: expect.stringMatching(/^ffprobe version /),
        }),
      ]),
    );
    const folder = check(report, 'dataFolder').facts;
    expect(folder).toEqual(
      expect.arrayContaining([
        { name: 'path', kind: 'text', value: dataDir },
        { name: 'writable', kind: 'flag', value: true },
        { name: 'size', kind: 'bytes', value: statSync(join(dataDir, 'hubdesk.sqlite')).size },
        expect.objectContaining({ name: 'free', kind: 'bytes' }),
      ]),
    );
    expect(check(report, 'database').facts).toEqual(
      expect.arrayContaining([
        { name: 'quickCheck', kind: 'text', value: 'ok' },
        { name: 'schemaVersion', kind: 'text', value: String(newestSchemaVersion()) },
        { name: 'newestSchema', kind: 'text', value: String(newestSchemaVersion()) },
      ]),
    );

    const text = doctorReportText(report).split('\n');
    expect(text).toHaveLength(1 + report.checks.length + 1);
    expect(text[0]).toMatch(
      /^HubDesk doctor: HubDesk \d+\.\d+\.\d+, \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/,
    );
    expect(text.slice(1, -1).every((item) => /^ok {4}\S/.test(item))).toBe(true);
    expect(text.at(-1)).toBe('0 failed, 0 with warnings, 7 ok.');
    expect(line(report, 'Database')).toBe(
      `ok    Database: quick_check finds no problems, and the schema is current. [Path: ${join(dataDir, 'hubdesk.sqlite')}; ` +
        `Size on disk: ${(statSync(join(dataDir, 'hubdesk.sqlite')).size / 1024).toFixed(1)} KB; quick_check: ok; ` +
        `Schema version: ${newestSchemaVersion()}; Newest schema known: ${newestSchemaVersion()}]`,
    );
    expect(line(report, 'SQLite (better-sqlite3)')).toContain('FTS5: yes; Trigram tokenizer: yes');
    // The probe file is gone again.
    expect(readdirSync(dataDir).filter((name) => name.includes('doctor'))).toEqual([]);
  });

  it('opens the database read-only: an older schema is reported, never migrated', async () => {
    const dataDir = join(root, 'old');
    await mkdir(dataDir);
    const file = join(dataDir, 'hubdesk.sqlite');
    openDatabase(file, { migrations: migrations.slice(0, 3) }).close();
    const before = readFileSync(file);

    const report = await doctor(dataDir);
    expect(check(report, 'database')).toMatchObject({
      status: 'ok',
      note: 'upgrade',
      values: { version: 3, newest: newestSchemaVersion() },
    });
    expect(line(report, 'Database')).toContain(
      `HubDesk upgrades the schema from version 3 to ${newestSchemaVersion()} when it next starts.`,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
    const db = openSqlite(file, { readonly: true });
    expect(schemaVersion(db)).toBe(3);
    db.close();
  });

  it('fails a database written by a newer HubDesk, saying which versions', async () => {
    const dataDir = await healthyFolder();
    const db = openSqlite(join(dataDir, 'hubdesk.sqlite'));
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      999,
      'from the future',
      Date.now(),
    );
    db.close();

    const report = await doctor(dataDir);
    expect(report.status).toBe('fail');
    expect(check(report, 'database')).toMatchObject({ status: 'fail', note: 'newer' });
    expect(line(report, 'Database')).toMatch(
      new RegExp(
        `^FAIL  Database: It was written by a newer HubDesk \\(schema version 999; this one knows up to ${newestSchemaVersion()}\\)\\. Update HubDesk`,
      ),
    );
  });

  it('fails a file that is not a database at all: it cannot be read', async () => {
    const dataDir = join(root, 'garbage');
    await mkdir(dataDir);
    await writeFile(join(dataDir, 'hubdesk.sqlite'), 'this is not a database, just some text '.repeat(200));
    const report = await doctor(dataDir);
    expect(report.status).toBe('fail');
    expect(check(report, 'database')).toMatchObject({ status: 'fail', note: 'unreadable' });
    expect(line(report, 'Database')).toMatch(
      /^FAIL {2}Database: It cannot be read \(file is not a database\)\. If it is damaged, restore a backup/,
    );
    // Everything else is still checked.
    expect(check(report, 'dataFolder').status).toBe('ok');
    expect(check(report, 'sqlite').status).toBe('ok');
  });

  it('fails a database whose pages are damaged, with what quick_check says', async () => {
    const dataDir = await healthyFolder();
    const file = join(dataDir, 'hubdesk.sqlite');
    const db = openSqlite(file);
    const insert = db.prepare(
      "INSERT INTO messages (id, conversation_id, role, text, status, created_at, updated_at) VALUES (?, 'c', 'user', ?, 'complete', 1, 1)",
    );
    db.exec(
      "INSERT INTO conversations (id, title, model, api, created_at, updated_at) VALUES ('c', 'Notes', 'gpt-4o', 'openai-chat', 1, 1)",
    );
    for (let i = 0; i < 300; i++) insert.run(`m${i}`, 'lorem ipsum '.repeat(50));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    // Overwrite three pages of the message table's b-tree (the schema on page 1 stays readable).
    const pageSize = 4096;
    const fd = openSync(file, 'r+');
    for (const page of [40, 41, 42])
      writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, page * pageSize);
    closeSync(fd);

    const report = await doctor(dataDir);
    expect(check(report, 'database')).toMatchObject({ status: 'fail', note: 'damaged' });
    expect(line(report, 'Database')).toMatch(
      /^FAIL {2}Database: SQLite finds it damaged \(\*\*\* in database main \*\*\*; .*btreeInitPage\(\) returns error code 11.*\)\. Restore a backup \(Settings → Data folder → Restore\)/,
    );
  });

  it('fails a data folder HubDesk cannot write to: here, a path that is a file', async () => {
    const file = join(root, 'not-a-folder');
    await writeFile(file, 'x');
    const report = await doctor(file, { databasePath: join(file, 'hubdesk.sqlite') });
    expect(check(report, 'dataFolder')).toMatchObject({ status: 'fail', note: 'notFolder' });
    expect(line(report, 'Data folder')).toMatch(
      /^FAIL {2}Data folder: It is not a folder\. Point HUBDESK_DATA_DIR at a folder\./,
    );
    expect(report.status).toBe('fail');
  });

  it('warns, without failing, before HubDesk ever started (no folder, no database) and with no keychain', async () => {
    const dataDir = join(root, 'never-started');
    const report = await doctor(dataDir, {
      tokens: new TokenStore({ env: {}, keytar: unreachableKeytar() }),
    });
    expect(check(report, 'dataFolder')).toMatchObject({ status: 'warn', note: 'missing' });
    expect(check(report, 'database')).toMatchObject({ status: 'warn', note: 'missing' });
    expect(check(report, 'keytar')).toMatchObject({ status: 'warn', note: 'noService' });
    expect(line(report, 'Keychain (keytar)')).toContain(
      'The keychain module loads, but no keychain answers. No system keychain (Secret Service) is reachable',
    );
    expect(report.status).toBe('warn');
    // The doctor created nothing.
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('the doctor in the app (doctor.run), with the connection test', () => {
  let proxy: FakeProxy;
  let core: Core;
  beforeAll(async () => {
    proxy = await startFakeProxy();
  });
  afterAll(async () => {
    await proxy?.close();
  });
  afterEach(async () => {
    await core?.close();
  });

  async function open(token: string): Promise<Core> {
    core = createCore({
      dataDir: join(root, 'app'),
      env: {},
      keytar: memoryKeytar(),
      keychainService: `HubDesk-doctor-${randomUUID()}`,
    });
    core.settings.updateProfile(core.settings.activeProfile().id, { baseUrl: proxy.url });
    await core.settings.setToken(core.settings.activeProfile().id, token, 'session');
    return core;
  }

  it('routes doctor.run to the service; online adds the active profile’s latency', async () => {
    await open(proxy.token);
    const offline = await core.router.dispatch('doctor.run', { online: false });
    expect(offline.ok).toBe(true);
    const offlineReport = doctorReportSchema.parse(offline.ok ? offline.value : null);
    expect(offlineReport.checks.map((item) => item.id)).not.toContain('connection');
    expect(offlineReport.status).toBe('ok');

    const before = proxy.requests.length;
    const result = await core.router.dispatch('doctor.run', { online: true });
    const report = doctorReportSchema.parse(result.ok ? result.value : null);
    expect(proxy.requests.length).toBe(before + 1);
    const connection = check(report, 'connection');
    expect(connection).toMatchObject({ status: 'ok', note: 'ok' });
    expect(connection.facts).toEqual(
      expect.arrayContaining([
        { name: 'profile', kind: 'text', value: `TikHub (${proxy.url})` },
        { name: 'endpoint', kind: 'text', value: `${proxy.url}/v1/chat/completions` },
        { name: 'httpStatus', kind: 'text', value: '200' },
        expect.objectContaining({ name: 'latency', kind: 'ms' }),
      ]),
    );
    expect(line(report, 'Connection')).toMatch(
      /^ok {4}Connection: The base URL answers and the token is accepted\. \[.*Latency: \d+ ms/,
    );
  });

  it('reports a refused token as a failed check with the error and what to do, never the token', async () => {
    const wrong = 'sk-doctor-wrong-token-123';
    await open(wrong);
    const report = await core.doctor.run({ online: true });
    const connection = check(report, 'connection');
    expect(connection).toMatchObject({
      status: 'fail',
      note: 'failed',
      error: { kind: 'auth', status: 401 },
    });
    expect(report.status).toBe('fail');
    const text = line(report, 'Connection');
    expect(text).toMatch(/^FAIL {2}Connection: The test call failed: .*401/);
    expect(text).toContain('The API token was refused. Open Settings and set a valid token.');
    expect(doctorReportText(report)).not.toContain(wrong);
  });

  it('rejects a request without its online flag', async () => {
    await open(proxy.token);
    const result = await core.router.dispatch('doctor.run', { online: 'yes' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'online' } });
  });
});
