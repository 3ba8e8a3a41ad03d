import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubError } from '../src/main/base/errors';
import { ConversationsRepo } from '../src/main/store/conversations-repo';
import { type Db, openDatabase } from '../src/main/store/database';
import { DraftsRepo } from '../src/main/store/drafts-repo';
import { MessagesRepo } from '../src/main/store/messages-repo';
import { migrations } from '../src/main/store/migrations';
import { SearchRepo } from '../src/main/store/search-repo';
import { newMessage } from './support/builders';

let dir: string;
let db: Db;
let now: number;
const clock = () => now;
let conversations: ConversationsRepo;
let messages: MessagesRepo;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdesk-chat-conversations-'));
  db = openDatabase(path.join(dir, 'hubdesk.sqlite'));
  now = 1_000;
  conversations = new ConversationsRepo(db, clock);
  messages = new MessagesRepo(db, clock);
});

afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function add(conversationId: string, id: string, parentId: string | null, text: string) {
  now += 1;
  return messages.insert(
    newMessage({ id, conversationId, parentId, role: parentId === null ? 'user' : 'assistant', text }),
  );
}

function hubErrorOf(action: () => unknown): HubError {
  try {
    action();
  } catch (error) {
    if (error instanceof HubError) return error;
    throw error;
  }
  throw new Error('expected a HubError');
}

describe('ConversationsRepo', () => {
  it('creates a conversation with defaults and reads it back', () => {
    const created = conversations.create({ model: 'gpt-4o', api: 'openai-chat' });
    expect(created).toMatchObject({
      title: 'New chat',
      pinned: false,
      model: 'gpt-4o',
      api: 'openai-chat',
      systemPrompt: '',
      params: {},
      activeLeafId: null,
      createdAt: 1_000,
      updatedAt: 1_000,
    });
    expect(conversations.get(created.id)).toEqual(created);
    expect(conversations.get('unknown')).toBeUndefined();

    const full = conversations.create({
      title: 'Trip',
      model: 'claude-opus-4-6',
      api: 'claude-messages',
      systemPrompt: 'Be brief.',
      params: { temperature: 0.3, stop: ['END'] },
    });
    expect(conversations.get(full.id)).toEqual(full);
    expect(full.params).toEqual({ temperature: 0.3, stop: ['END'] });
  });

  it('updates only the given fields and bumps updatedAt; an unknown id is not_found', () => {
    const created = conversations.create({ model: 'gpt-4o', api: 'openai-chat', systemPrompt: 'Hi' });
    now = 5_000;
    const updated = conversations.update(created.id, { title: 'Renamed', pinned: true, params: { seed: 7 } });
    expect(updated).toEqual({
      ...created,
      title: 'Renamed',
      pinned: true,
      params: { seed: 7 },
      updatedAt: 5_000,
    });
    expect(conversations.get(created.id)).toEqual(updated);
    expect(hubErrorOf(() => conversations.update('nope', { title: 'x' })).info.kind).toBe('not_found');
    conversations.softDelete(created.id);
    expect(hubErrorOf(() => conversations.update(created.id, { title: 'x' })).info.kind).toBe('not_found');
  });

  it('lists pinned conversations first, then the most recently updated', () => {
    const old = conversations.create({ title: 'old', model: 'm', api: 'openai-chat' });
    now = 2_000;
    const middle = conversations.create({ title: 'middle', model: 'm', api: 'openai-chat' });
    now = 3_000;
    const recent = conversations.create({ title: 'recent', model: 'm', api: 'openai-chat' });
    now = 4_000;
    conversations.update(old.id, { pinned: true });
    expect(conversations.list().map((c) => c.title)).toEqual(['old', 'recent', 'middle']);

    now = 5_000;
    conversations.touch(middle.id);
    expect(conversations.list().map((c) => c.title)).toEqual(['old', 'middle', 'recent']);
    expect(conversations.list().find((c) => c.id === recent.id)).toMatchObject({
      pinned: false,
      updatedAt: 3_000,
    });
  });

  it('shows a preview of the last message on the active branch and counts every message', () => {
    const chat = conversations.create({ model: 'gpt-4o', api: 'openai-chat' });
    expect(conversations.list()[0]).toMatchObject({ preview: '', messageCount: 0 });

    add(chat.id, 'u1', null, 'Question');
    add(chat.id, 'a1', 'u1', `Answer one ${'x'.repeat(200)}`);
    add(chat.id, 'a2', 'u1', 'Answer two');
    now = 9_000;
    conversations.setActiveLeaf(chat.id, 'a1');
    const summary = conversations.list()[0];
    expect(summary?.messageCount).toBe(3);
    expect(summary?.preview).toBe(`Answer one ${'x'.repeat(109)}`);
    expect(summary?.preview).toHaveLength(120);
    expect(summary?.updatedAt).toBe(9_000);
    expect(conversations.get(chat.id)?.activeLeafId).toBe('a1');

    conversations.setActiveLeaf(chat.id, 'a2');
    expect(conversations.list()[0]?.preview).toBe('Answer two');
  });

  it('keeps each count right when a branch goes (cascade) and counts a database written before the column', () => {
    const chat = conversations.create({ model: 'gpt-4o', api: 'openai-chat' });
    const other = conversations.create({ model: 'gpt-4o', api: 'openai-chat' });
    add(chat.id, 'u1', null, 'Question');
    add(chat.id, 'a1', 'u1', 'Answer');
    add(chat.id, 'u2', 'a1', 'Follow-up');
    add(other.id, 'x1', null, 'Elsewhere');
    db.prepare('DELETE FROM messages WHERE id = ?').run('a1');
    const counts = () => Object.fromEntries(conversations.list().map((c) => [c.id, c.messageCount]));
    expect(counts()).toEqual({ [chat.id]: 1, [other.id]: 1 });

    const oldFile = path.join(dir, 'before-10.sqlite');
    const old = openDatabase(oldFile, { migrations: migrations.filter((m) => m.version < 10) });
    const oldConversations = new ConversationsRepo(old, clock);
    const written = oldConversations.create({ model: 'm', api: 'openai-chat' });
    // Rows as that version wrote them (today's MessagesRepo writes columns it did not have).
    const insertOld = old.prepare(
      `INSERT INTO messages (id, conversation_id, parent_id, role, text, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'complete', 1, 1)`,
    );
    insertOld.run('o1', written.id, null, 'user', 'a');
    insertOld.run('o2', written.id, 'o1', 'assistant', 'b');
    old.close();
    const migrated = openDatabase(oldFile);
    try {
      expect(new ConversationsRepo(migrated, clock).list()[0]?.messageCount).toBe(2);
    } finally {
      migrated.close();
    }
  });

  it('refuses an active leaf from another conversation', () => {
    const one = conversations.create({ model: 'm', api: 'openai-chat' });
    const two = conversations.create({ model: 'm', api: 'openai-chat' });
    add(two.id, 'elsewhere', null, 'hi');
    expect(hubErrorOf(() => conversations.setActiveLeaf(one.id, 'elsewhere')).info.kind).toBe('not_found');
    expect(conversations.get(one.id)?.activeLeafId).toBeNull();
  });

  it('soft delete hides a conversation from get, list and search; restore brings it back', () => {
    const search = new SearchRepo(db);
    const kept = conversations.create({ title: 'kept', model: 'm', api: 'openai-chat' });
    const binned = conversations.create({ title: 'binned', model: 'm', api: 'openai-chat' });
    add(binned.id, 'b1', null, 'the quarterly budget spreadsheet');
    add(kept.id, 'k1', null, 'nothing to see');
    conversations.setActiveLeaf(binned.id, 'b1');
    const before = conversations.get(binned.id);

    conversations.softDelete(binned.id);
    conversations.softDelete(binned.id);
    expect(conversations.get(binned.id)).toBeUndefined();
    expect(conversations.list().map((c) => c.title)).toEqual(['kept']);
    expect(search.search('budget', 10)).toEqual([]);
    expect(search.search('bu', 10)).toEqual([]);

    expect(conversations.restore(binned.id)).toEqual(before);
    expect(conversations.list().map((c) => c.title)).toEqual(['binned', 'kept']);
    expect(search.search('budget', 10).map((hit) => hit.messageId)).toEqual(['b1']);
    expect(hubErrorOf(() => conversations.softDelete('ghost')).info.kind).toBe('not_found');
    expect(hubErrorOf(() => conversations.restore('ghost')).info.kind).toBe('not_found');
  });

  it('purges conversations in the bin since before a time, with their messages and drafts', () => {
    const drafts = new DraftsRepo(db, clock);
    const early = conversations.create({ title: 'early', model: 'm', api: 'openai-chat' });
    const late = conversations.create({ title: 'late', model: 'm', api: 'openai-chat' });
    const alive = conversations.create({ title: 'alive', model: 'm', api: 'openai-chat' });
    add(early.id, 'e1', null, 'early words');
    add(early.id, 'e2', 'e1', 'more early words');
    add(late.id, 'l1', null, 'late words');
    add(alive.id, 'a1', null, 'alive words');
    drafts.set(early.id, 'unsent');
    drafts.set(alive.id, 'still typing');

    now = 10_000;
    conversations.softDelete(early.id);
    now = 20_000;
    conversations.softDelete(late.id);

    expect(conversations.purgeDeleted(15_000)).toBe(1);
    expect(messages.get('e1')).toBeUndefined();
    expect(messages.get('e2')).toBeUndefined();
    expect(drafts.get(early.id)).toBe('');
    expect(drafts.get(alive.id)).toBe('still typing');
    expect(hubErrorOf(() => conversations.restore(early.id)).info.kind).toBe('not_found');

    expect(conversations.restore(late.id).title).toBe('late');
    expect(messages.get('l1')?.text).toBe('late words');
    expect(conversations.purgeDeleted(Number.MAX_SAFE_INTEGER)).toBe(0);
    expect(
      conversations
        .list()
        .map((c) => c.title)
        .sort(),
    ).toEqual(['alive', 'late']);
  });
});

describe('DraftsRepo', () => {
  it('keeps a draft per conversation id, also for a conversation not created yet, and deletes on empty', () => {
    const drafts = new DraftsRepo(db, clock);
    expect(drafts.get('new-chat-1')).toBe('');
    drafts.set('new-chat-1', 'Hello, wor');
    drafts.set('other', '第二个草稿');
    drafts.set('new-chat-1', 'Hello, world');
    expect(drafts.get('new-chat-1')).toBe('Hello, world');
    expect(drafts.get('other')).toBe('第二个草稿');

    drafts.set('new-chat-1', '');
    expect(drafts.get('new-chat-1')).toBe('');
    expect(db.prepare('SELECT COUNT(*) AS n FROM drafts').get()).toEqual({ n: 1 });
  });
});
