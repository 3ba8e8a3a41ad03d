import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HubError } from '../src/main/base/errors';
import { type Db, openDatabase } from '../src/main/store/database';
import { ProfilesRepo } from '../src/main/store/profiles-repo';
import { SettingsRepo } from '../src/main/store/settings-repo';
import { DEFAULT_BASE_URL } from '../src/shared/profiles';

let dir: string;
let db: Db;
let now: number;
const clock = () => now;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdesk-repos-'));
  db = openDatabase(path.join(dir, 'hubdesk.sqlite'));
  now = 1_000;
});

afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function hubErrorOf(action: () => unknown): HubError {
  try {
    action();
  } catch (error) {
    if (error instanceof HubError) return error;
    throw error;
  }
  throw new Error('expected a HubError');
}

describe('ProfilesRepo', () => {
  it('creates the default TikHub profile once and makes it active', () => {
    const repo = new ProfilesRepo(db, clock);
    const first = repo.ensureDefault();
    expect(first).toMatchObject({
      name: 'TikHub',
      baseUrl: DEFAULT_BASE_URL,
      proxyUrl: null,
      endpointOverrides: {},
    });
    expect(repo.ensureDefault().id).toBe(first.id);
    expect(repo.state()).toEqual({ profiles: [first], activeId: first.id });
  });

  it('keeps profiles across a reopen of the file, oldest first', () => {
    const repo = new ProfilesRepo(db, clock);
    const a = repo.create({ name: 'Work', baseUrl: 'https://work.example.test/' });
    now = 2_000;
    const b = repo.create({ name: 'Home', baseUrl: 'http://127.0.0.1:8080' });
    repo.setActive(b.id);
    db.close();

    db = openDatabase(path.join(dir, 'hubdesk.sqlite'));
    const reopened = new ProfilesRepo(db, clock);
    expect(reopened.list().map((p) => p.name)).toEqual(['Work', 'Home']);
    expect(reopened.get(a.id)?.baseUrl).toBe('https://work.example.test');
    expect(reopened.activeId()).toBe(b.id);
    expect(reopened.ensureDefault().id).toBe(b.id);
  });

  it('updates only the given fields and stamps updatedAt', () => {
    const repo = new ProfilesRepo(db, clock);
    const p = repo.create({ name: 'Work', baseUrl: 'https://work.example.test' });
    now = 5_000;
    const updated = repo.update(p.id, {
      proxyUrl: 'http://127.0.0.1:3128',
      endpointOverrides: { 'claude.chat': '/v1/messages' },
    });
    expect(updated).toEqual({
      ...p,
      proxyUrl: 'http://127.0.0.1:3128',
      endpointOverrides: { 'claude.chat': '/v1/messages' },
      updatedAt: 5_000,
    });
    expect(repo.get(p.id)).toEqual(updated);
    expect(repo.update(p.id, { proxyUrl: null, name: '  Renamed ' })).toMatchObject({
      proxyUrl: null,
      name: 'Renamed',
    });
  });

  it('refuses invalid values with the field that was wrong', () => {
    const repo = new ProfilesRepo(db, clock);
    const p = repo.create({ name: 'Work', baseUrl: 'https://work.example.test' });
    expect(hubErrorOf(() => repo.create({ name: 'x', baseUrl: 'ftp://nope' })).info).toMatchObject({
      kind: 'invalid_input',
      field: 'baseUrl',
    });
    expect(hubErrorOf(() => repo.update(p.id, { name: '   ' })).info).toMatchObject({ field: 'name' });
    expect(
      hubErrorOf(() => repo.update(p.id, { endpointOverrides: { 'openai.chat': 'https://evil' } })).info,
    ).toMatchObject({
      field: 'endpointOverrides',
    });
    expect(repo.get(p.id)).toEqual(p);
  });

  it('answers not_found for unknown ids', () => {
    const repo = new ProfilesRepo(db, clock);
    repo.ensureDefault();
    expect(hubErrorOf(() => repo.update('nope', { name: 'x' })).info.kind).toBe('not_found');
    expect(hubErrorOf(() => repo.setActive('nope')).info.kind).toBe('not_found');
    expect(hubErrorOf(() => repo.delete('nope')).info.kind).toBe('not_found');
  });

  it('deleting the active profile activates the oldest remaining one; the last one stays', () => {
    const repo = new ProfilesRepo(db, clock);
    const a = repo.ensureDefault();
    now = 2_000;
    const b = repo.create({ name: 'B', baseUrl: 'https://b.example.test' });
    now = 3_000;
    const c = repo.create({ name: 'C', baseUrl: 'https://c.example.test' });
    repo.setActive(c.id);

    repo.delete(b.id);
    expect(repo.state()).toEqual({ profiles: [a, c], activeId: c.id });
    repo.delete(c.id);
    expect(repo.state()).toEqual({ profiles: [a], activeId: a.id });

    const refused = hubErrorOf(() => repo.delete(a.id));
    expect(refused.info.kind).toBe('invalid_input');
    expect(refused.message).toMatch(/last profile/);
    expect(repo.list()).toEqual([a]);
  });

  it('reads endpoint overrides that no longer validate as none', () => {
    const repo = new ProfilesRepo(db, clock);
    const p = repo.create({ name: 'W', baseUrl: 'https://w.example.test' });
    db.prepare('UPDATE profiles SET endpoint_overrides = \'{"gone.key": "/x"}\' WHERE id = ?').run(p.id);
    expect(repo.get(p.id)?.endpointOverrides).toEqual({});
  });
});

describe('SettingsRepo', () => {
  it('round-trips JSON values and forgets deleted keys', () => {
    const settings = new SettingsRepo(db);
    const shape = z.object({ theme: z.enum(['light', 'dark']), size: z.number() });
    settings.set('ui', { theme: 'dark', size: 14 });
    expect(settings.get('ui', shape)).toEqual({ theme: 'dark', size: 14 });
    settings.set('ui', { theme: 'light', size: 12 });
    expect(settings.get('ui', shape)).toEqual({ theme: 'light', size: 12 });
    settings.delete('ui');
    expect(settings.get('ui', shape)).toBeUndefined();
  });

  it('answers undefined for a stored value that does not match the schema or is not JSON', () => {
    const settings = new SettingsRepo(db);
    settings.set('count', 'seven');
    expect(settings.get('count', z.number())).toBeUndefined();
    db.prepare("INSERT INTO settings (key, value) VALUES ('broken', '{not json')").run();
    expect(settings.get('broken', z.unknown())).toBeUndefined();
    expect(settings.get('missing', z.string())).toBeUndefined();
  });

  it('treats undefined as delete', () => {
    const settings = new SettingsRepo(db);
    settings.set('flag', true);
    settings.set('flag', undefined);
    expect(settings.get('flag', z.boolean())).toBeUndefined();
  });
});
