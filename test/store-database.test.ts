import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase, schemaVersion } from '../src/main/store/database';
import { type Migration, migrations } from '../src/main/store/migrations';

let dir: string;
let file: string;
const open: Db[] = [];

function track(db: Db): Db {
  open.push(db);
  return db;
}

function modeOf(filePath: string): number {
  return fs.statSync(filePath).mode & 0o777;
}

function appliedVersions(db: Db): number[] {
  return (
    db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]
  ).map((row) => row.version);
}

function tableNames(db: Db): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((row) => row.name);
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdesk-db-'));
  file = path.join(dir, 'nested', 'hubdesk.sqlite');
});

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const notesMigration: Migration = {
  version: 2,
  name: 'notes',
  up: (db) => {
    db.exec(
      'CREATE TABLE notes (id INTEGER PRIMARY KEY, profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE)',
    );
  },
};

describe('openDatabase on an empty folder', () => {
  it('creates the folder and file, owner-only, in WAL mode with foreign keys on', () => {
    const db = track(openDatabase(file));
    db.prepare("INSERT INTO settings (key, value) VALUES ('a', '1')").run();

    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(`${file}-wal`)).toBe(0o600);
    expect(modeOf(`${file}-shm`)).toBe(0o600);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(Number(db.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
  });

  it('tightens the mode of an existing file that others could read', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
    fs.chmodSync(file, 0o644);
    track(openDatabase(file));
    expect(modeOf(file)).toBe(0o600);
  });

  it('applies every migration and records each with its name and time', () => {
    const before = Date.now();
    const db = track(openDatabase(file));
    expect(tableNames(db)).toEqual(expect.arrayContaining(['profiles', 'settings', 'schema_migrations']));
    const rows = db.prepare('SELECT version, name, applied_at FROM schema_migrations').all() as {
      version: number;
      name: string;
      applied_at: number;
    }[];
    expect(rows.map((row) => row.version)).toEqual(migrations.map((m) => m.version));
    expect(rows[0]?.name).toBe(migrations[0]?.name);
    expect(rows[0]?.applied_at).toBeGreaterThanOrEqual(before);
    expect(schemaVersion(db)).toBe(migrations.at(-1)?.version);
  });

  it('enforces foreign keys declared by migrations', () => {
    const db = track(openDatabase(file, { migrations: [...migrations.slice(0, 1), notesMigration] }));
    expect(() => db.prepare("INSERT INTO notes (profile_id) VALUES ('nobody')").run()).toThrow(/FOREIGN KEY/);
  });
});

describe('openDatabase on an existing database', () => {
  function createVersion1WithData(): void {
    const db = openDatabase(file, { migrations: migrations.slice(0, 1) });
    db.prepare(
      `INSERT INTO profiles (id, name, base_url, proxy_url, endpoint_overrides, created_at, updated_at)
       VALUES ('p1', 'Mine', 'https://example.test', NULL, '{}', 1, 1)`,
    ).run();
    db.close();
  }

  it('keeps the data and applies only the new migration', () => {
    createVersion1WithData();
    const [first] = migrations;
    if (!first) throw new Error('migration 1 is missing');
    let runsOfFirst = 0;
    const countedFirst: Migration = {
      ...first,
      up: (db) => {
        runsOfFirst++;
        first.up(db);
      },
    };

    const db = track(openDatabase(file, { migrations: [countedFirst, notesMigration] }));
    expect(runsOfFirst).toBe(0);
    expect(appliedVersions(db)).toEqual([1, 2]);
    expect(db.prepare('SELECT name FROM profiles WHERE id = ?').get('p1')).toEqual({ name: 'Mine' });
    db.prepare("INSERT INTO notes (profile_id) VALUES ('p1')").run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM notes').get()).toEqual({ n: 1 });
  });

  it('opening twice with the same migrations changes nothing', () => {
    createVersion1WithData();
    const db = track(openDatabase(file, { migrations: migrations.slice(0, 1) }));
    expect(appliedVersions(db)).toEqual([1]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM profiles').get()).toEqual({ n: 1 });
  });

  it('rolls a failing migration back, names it in the error, and leaves the previous version', () => {
    createVersion1WithData();
    const failing: Migration = {
      version: 3,
      name: 'half done',
      up: (db) => {
        db.exec('CREATE TABLE half (id INTEGER)');
        db.exec("UPDATE profiles SET name = 'changed'");
        throw new Error('disk said no');
      },
    };
    expect(() =>
      openDatabase(file, { migrations: [...migrations.slice(0, 1), notesMigration, failing] }),
    ).toThrow(/migration 3 "half done" failed.*version 2.*disk said no/);

    const db = track(openDatabase(file, { migrations: [...migrations.slice(0, 1), notesMigration] }));
    expect(appliedVersions(db)).toEqual([1, 2]);
    expect(tableNames(db)).not.toContain('half');
    expect(db.prepare('SELECT name FROM profiles').get()).toEqual({ name: 'Mine' });
  });

  it('refuses a database written by a newer HubDesk and leaves it untouched', () => {
    createVersion1WithData();
    track(openDatabase(file, { migrations: [...migrations.slice(0, 1), notesMigration] })).close();

    expect(() => openDatabase(file, { migrations: migrations.slice(0, 1) })).toThrow(
      /newer version of HubDesk \(schema version 2; this version knows up to 1\)/,
    );
    const db = track(openDatabase(file, { migrations: [...migrations.slice(0, 1), notesMigration] }));
    expect(appliedVersions(db)).toEqual([1, 2]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM profiles').get()).toEqual({ n: 1 });
  });

  it('refuses a migration list with a repeated version', () => {
    expect(() =>
      openDatabase(file, { migrations: [...migrations, { ...notesMigration, version: 1 }] }),
    ).toThrow(/share version 1/);
  });
});
