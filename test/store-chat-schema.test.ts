import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationsRepo } from '../src/main/store/conversations-repo';
import { type Db, openDatabase, schemaVersion } from '../src/main/store/database';
import { migrations } from '../src/main/store/migrations';
import { newMessage } from './support/builders';

const latestVersion = Math.max(...migrations.map((migration) => migration.version));

import { MessagesRepo } from '../src/main/store/messages-repo';
import { SearchRepo } from '../src/main/store/search-repo';

let dir: string;
let file: string;
const open: Db[] = [];

function track(db: Db): Db {
  open.push(db);
  return db;
}

function namesOf(db: Db, type: 'table' | 'index' | 'trigger'): string[] {
  return (
    db.prepare('SELECT name FROM sqlite_master WHERE type = ? ORDER BY name').all(type) as { name: string }[]
  ).map((row) => row.name);
}

function ftsIntegrity(db: Db): void {
  db.prepare("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)").run();
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdesk-chat-schema-'));
  file = path.join(dir, 'hubdesk.sqlite');
});

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('migration 2: conversations, messages, search and drafts', () => {
  it('creates the chat tables, indexes and search triggers on an empty database', () => {
    const db = track(openDatabase(file));
    expect(schemaVersion(db)).toBe(latestVersion);
    expect(namesOf(db, 'table')).toEqual(
      expect.arrayContaining(['conversations', 'messages', 'messages_fts', 'drafts', 'profiles', 'settings']),
    );
    expect(namesOf(db, 'index')).toEqual(
      expect.arrayContaining(['messages_by_parent', 'messages_by_created']),
    );
    expect(namesOf(db, 'trigger').filter((name) => name.startsWith('messages_'))).toEqual([
      'messages_fts_after_delete',
      'messages_fts_after_insert',
      'messages_fts_after_update',
    ]);
    const fts = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'messages_fts'").get() as {
      sql: string;
    };
    // Contentless since migration 11: the index holds the text and the tool calls' text, read from the triggers.
    expect(fts.sql).toMatch(/content\s*=\s*''/);
    expect(fts.sql).toMatch(/trigram/);
    expect(namesOf(db, 'table')).toContain('messages_words_fts');
  });

  it('upgrades a database that has only migration 1 and keeps its profiles', () => {
    const old = openDatabase(file, { migrations: migrations.slice(0, 1) });
    old
      .prepare(
        `INSERT INTO profiles (id, name, base_url, proxy_url, endpoint_overrides, created_at, updated_at)
         VALUES ('p1', 'Mine', 'https://example.test', NULL, '{}', 1, 1)`,
      )
      .run();
    old.prepare("INSERT INTO settings (key, value) VALUES ('theme', '\"dark\"')").run();
    old.close();

    const db = track(openDatabase(file));
    expect(schemaVersion(db)).toBe(latestVersion);
    expect(db.prepare('SELECT name FROM profiles').all()).toEqual([{ name: 'Mine' }]);
    expect(db.prepare('SELECT value FROM settings').all()).toEqual([{ value: '"dark"' }]);

    const conversation = new ConversationsRepo(db).create({ model: 'gpt-4o', api: 'openai-chat' });
    new MessagesRepo(db).insert(
      newMessage({ id: 'm1', conversationId: conversation.id, text: 'hello after the upgrade' }),
    );
    expect(new SearchRepo(db).search('upgrade', 10).map((hit) => hit.messageId)).toEqual(['m1']);
  });

  it('keeps the search index in step with messages across a VACUUM and a rebuild', () => {
    const db = track(openDatabase(file));
    const conversations = new ConversationsRepo(db);
    const messages = new MessagesRepo(db);
    const search = new SearchRepo(db);
    const keep = conversations.create({ model: 'gpt-4o', api: 'openai-chat' });
    const drop = conversations.create({ model: 'gpt-4o', api: 'openai-chat' });
    messages.insert(newMessage({ id: 'gone', conversationId: drop.id, text: 'a removed elephant' }));
    messages.insert(newMessage({ id: 'kept', conversationId: keep.id, text: 'a kept giraffe' }));
    conversations.softDelete(drop.id);
    conversations.purgeDeleted(Number.MAX_SAFE_INTEGER);
    db.exec('VACUUM');

    ftsIntegrity(db);
    expect(search.search('giraffe', 10).map((hit) => hit.messageId)).toEqual(['kept']);
    search.rebuild();
    ftsIntegrity(db);
    expect(search.search('giraffe', 10).map((hit) => hit.messageId)).toEqual(['kept']);
    expect(search.search('elephant', 10)).toEqual([]);
  });
});
