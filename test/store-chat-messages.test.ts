import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubError } from '../src/main/base/errors';
import { ConversationsRepo } from '../src/main/store/conversations-repo';
import { type Db, openDatabase } from '../src/main/store/database';
import { MessagesRepo, type NewMessage } from '../src/main/store/messages-repo';
import type { Conversation } from '../src/shared/chat';
import { newMessage } from './support/builders';

let dir: string;
let file: string;
let db: Db;
let now: number;
const clock = () => now;
let conversations: ConversationsRepo;
let messages: MessagesRepo;
let conversation: Conversation;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdesk-chat-messages-'));
  file = path.join(dir, 'hubdesk.sqlite');
  db = openDatabase(file);
  now = 1_000;
  conversations = new ConversationsRepo(db, clock);
  messages = new MessagesRepo(db, clock);
  conversation = conversations.create({ model: 'gpt-4o', api: 'openai-chat' });
});

afterEach(() => {
  if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function message(id: string, parentId: string | null, overrides: Partial<NewMessage> = {}): NewMessage {
  return newMessage({
    id,
    conversationId: conversation.id,
    parentId,
    role: parentId === null ? 'user' : 'assistant',
    text: `text of ${id}`,
    ...overrides,
  });
}

/** Inserts a message one millisecond after the previous one. */
function add(id: string, parentId: string | null, overrides: Partial<NewMessage> = {}) {
  now += 1;
  return messages.insert(message(id, parentId, overrides));
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

describe('MessagesRepo: storing a message', () => {
  it('keeps every field as given and reads it back the same', () => {
    const stored = add('a1', null, {
      role: 'assistant',
      text: 'Sunny, 21 °C',
      reasoning: 'The user asks about weather.',
      images: [{ path: 'images/x.png', mimeType: 'image/png', name: 'x.png' }],
      toolCalls: [{ id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' }],
      model: 'gpt-4o',
      api: 'openai-responses',
      finishReason: 'stop',
      usage: { inputTokens: 12, outputTokens: 5 },
      firstTokenMs: 340.5,
      createdAt: 500,
    });
    expect(stored.createdAt).toBe(500);
    expect(stored.updatedAt).toBe(now);
    expect(messages.get('a1')).toEqual(stored);
    expect(messages.get('nope')).toBeUndefined();
  });

  it('refuses a parent from another conversation and an unknown conversation', () => {
    add('root', null);
    const other = conversations.create({ model: 'gpt-4o', api: 'openai-chat' });
    const wrongParent = hubErrorOf(() =>
      messages.insert({ ...message('x', 'root'), conversationId: other.id }),
    );
    expect(wrongParent.info.kind).toBe('not_found');
    const noConversation = hubErrorOf(() =>
      messages.insert({ ...message('y', null), conversationId: 'ghost' }),
    );
    expect(noConversation.info).toMatchObject({ kind: 'not_found', field: 'conversationId' });
  });
});

describe('MessagesRepo: the tree', () => {
  it('keeps an edit as a sibling and shows the siblings of each message in the thread, oldest first', () => {
    add('u1', null, { role: 'user' });
    add('a1', 'u1');
    add('u2', 'a1', { role: 'user', text: 'first wording' });
    add('a2', 'u2');
    // The user edits u2: the edit is a new child of a1; the old branch stays.
    add('u2b', 'a1', { role: 'user', text: 'second wording' });
    add('a2b', 'u2b');
    // And regenerates the answer to the edit.
    add('a2c', 'u2b');

    const thread = messages.thread('a2c');
    expect(thread.map((m) => m.id)).toEqual(['u1', 'a1', 'u2b', 'a2c']);
    expect(thread.map((m) => m.siblingIds)).toEqual([['u1'], ['a1'], ['u2', 'u2b'], ['a2b', 'a2c']]);
    expect(thread[2]?.text).toBe('second wording');

    expect(messages.thread('a2').map((m) => m.id)).toEqual(['u1', 'a1', 'u2', 'a2']);
    expect(hubErrorOf(() => messages.thread('missing')).info.kind).toBe('not_found');
  });

  it('opens a branch at its newest leaf, and finds the newest leaf of a conversation', () => {
    expect(messages.newestLeaf(conversation.id)).toBeNull();
    add('u1', null, { role: 'user' });
    add('a1', 'u1');
    add('u2', 'a1', { role: 'user' });
    add('a2', 'u2');
    add('u2b', 'a1', { role: 'user' });
    add('a2b', 'u2b');
    add('a2c', 'u2b');

    expect(messages.newestLeafUnder('u2')).toBe('a2');
    expect(messages.newestLeafUnder('u1')).toBe('a2c');
    expect(messages.newestLeafUnder('a2b')).toBe('a2b');
    expect(messages.newestLeaf(conversation.id)).toBe('a2c');

    // A later reply on the old branch: the newest leaf overall, but not where the newest children lead.
    add('u3', 'a2', { role: 'user' });
    expect(messages.newestLeaf(conversation.id)).toBe('u3');
    expect(messages.newestLeafUnder('u1')).toBe('a2c');
    expect(messages.newestLeafUnder('u2')).toBe('u3');
    expect(hubErrorOf(() => messages.newestLeafUnder('missing')).info.kind).toBe('not_found');
  });

  it('lists every message of a conversation, all branches, oldest first', () => {
    add('u1', null, { role: 'user' });
    add('a1', 'u1');
    add('a1b', 'u1');
    const other = conversations.create({ model: 'gpt-4o', api: 'openai-chat' });
    messages.insert({ ...message('elsewhere', null), conversationId: other.id });
    expect(messages.listByConversation(conversation.id).map((m) => m.id)).toEqual(['u1', 'a1', 'a1b']);
  });

  it('returns all 10,000 messages of a long conversation in order', () => {
    const count = 10_000;
    db.transaction(() => {
      let parent: string | null = null;
      for (let index = 0; index < count; index++) {
        const id = `m${index}`;
        messages.insert(
          message(id, parent, {
            role: index % 2 === 0 ? 'user' : 'assistant',
            text: `turn ${index}`,
            createdAt: index,
          }),
        );
        parent = id;
      }
    })();

    const leaf = messages.newestLeaf(conversation.id);
    expect(leaf).toBe(`m${count - 1}`);
    const thread = messages.thread(leaf ?? '');
    expect(thread).toHaveLength(count);
    expect(thread.every((m, index) => m.id === `m${index}` && m.text === `turn ${index}`)).toBe(true);
    expect(thread.every((m) => m.siblingIds.length === 1)).toBe(true);
    expect(messages.newestLeafUnder('m0')).toBe(`m${count - 1}`);
  });
});

describe('MessagesRepo: a branch a page at a time', () => {
  /** A chain of `count` messages under `parentId`, named `${prefix}${index}`, one millisecond apart. */
  function chain(prefix: string, count: number, parentId: string | null): string {
    let parent = parentId;
    db.transaction(() => {
      for (let index = 0; index < count; index++) {
        const id = `${prefix}${index}`;
        add(id, parent, { role: index % 2 === 0 ? 'user' : 'assistant' });
        parent = id;
      }
    })();
    return parent ?? '';
  }

  it('opens a 20,000-message conversation at its newest 50, and pages back to the first without a gap', () => {
    const leaf = chain('m', 20_000, null);
    const newest = messages.threadPage(leaf, 50);
    expect(newest.messages).toHaveLength(50);
    expect(newest.messages[0]?.id).toBe('m19950');
    expect(newest.messages.at(-1)?.id).toBe('m19999');
    expect(newest.hasOlder).toBe(true);

    const seen = [...newest.messages];
    let page = newest;
    while (page.hasOlder) {
      page = messages.threadPage(page.messages[0]?.parentId ?? '', 50);
      seen.unshift(...page.messages);
    }
    expect(seen).toHaveLength(20_000);
    expect(seen.every((m, index) => m.id === `m${index}`)).toBe(true);
    expect(seen[0]?.parentId).toBeNull();
  });

  it('pages the branch shown over a branched tree, with each message’s siblings, oldest first', () => {
    add('u1', null, { role: 'user' });
    add('u1b', null, { role: 'user' });
    add('a1', 'u1');
    add('u2', 'a1', { role: 'user' });
    add('a2', 'u2');
    add('u2b', 'a1', { role: 'user' });
    add('a2b', 'u2b');
    add('a2c', 'u2b');

    const newest = messages.threadPage('a2c', 2);
    expect(newest.messages.map((m) => m.id)).toEqual(['u2b', 'a2c']);
    expect(newest.messages.map((m) => m.siblingIds)).toEqual([
      ['u2', 'u2b'],
      ['a2b', 'a2c'],
    ]);
    const older = messages.threadPage('a1', 2);
    expect(older.messages.map((m) => m.id)).toEqual(['u1', 'a1']);
    expect(older.messages.map((m) => m.siblingIds)).toEqual([['u1', 'u1b'], ['a1']]);
    expect(older.hasOlder).toBe(false);
    // The same pages as the whole branch read at once.
    expect([...older.messages, ...newest.messages]).toEqual(messages.thread('a2c'));

    expect(messages.threadPage('a2', 10).messages.map((m) => m.id)).toEqual(['u1', 'a1', 'u2', 'a2']);
    expect(hubErrorOf(() => messages.threadPage('missing', 10)).info.kind).toBe('not_found');
  });

  it('keeps an older page the same while new messages and branches arrive below it', () => {
    const leaf = chain('m', 120, null);
    const newest = messages.threadPage(leaf, 50);
    const cursor = newest.messages[0]?.parentId ?? '';
    const before = messages.threadPage(cursor, 50);

    chain('later', 30, leaf);
    add('m119b', 'm118');
    const after = messages.threadPage(cursor, 50);
    expect(after).toEqual(before);
    expect(after.messages.map((m) => m.id)).toEqual(Array.from({ length: 50 }, (_, i) => `m${20 + i}`));
    expect(messages.threadPage('later29', 50).messages.at(0)?.id).toBe('m100');
  });

  it('ends a page early when its messages are long, but always holds one', () => {
    add('u1', null, { role: 'user', text: 'x'.repeat(1000) });
    add('a1', 'u1', { text: 'y'.repeat(1000) });
    add('u2', 'a1', { role: 'user', text: 'z'.repeat(5000) });
    expect(messages.threadPage('u2', 50, 2500).messages.map((m) => m.id)).toEqual(['u2']);
    expect(messages.threadPage('a1', 50, 2500).messages.map((m) => m.id)).toEqual(['u1', 'a1']);
    expect(messages.threadPage('a1', 50, 2500).hasOlder).toBe(false);
  });

  it('reads the page after a message towards a leaf, and says when the message is on another branch', () => {
    const leaf = chain('m', 100, null);
    add('side', 'm10');
    const page = messages.newerPage('m10', leaf, 25);
    expect(page?.messages.map((m) => m.id)).toEqual(Array.from({ length: 25 }, (_, i) => `m${11 + i}`));
    expect(page?.messages[0]?.siblingIds).toEqual(['m11', 'side']);
    expect(page?.hasNewer).toBe(true);
    expect(messages.newerPage('m80', leaf, 25)?.hasNewer).toBe(false);
    expect(messages.newerPage('m80', leaf, 25)?.messages.at(-1)?.id).toBe(leaf);
    expect(messages.newerPage(leaf, leaf, 25)).toEqual({ messages: [], hasNewer: false });
    expect(messages.newerPage('side', leaf, 25)).toBeNull();
  });
});

describe('MessagesRepo: a streamed reply', () => {
  it('flushes progress while streaming, then stores the final state', () => {
    add('u1', null, { role: 'user' });
    add('a1', 'u1', { status: 'streaming', text: '', model: 'gpt-4o', api: 'openai-chat' });

    now = 2_000;
    messages.saveProgress('a1', {
      text: 'Hel',
      reasoning: 'thinking',
      toolCalls: [{ id: 'c1', name: 'lookup', arguments: '{"q":' }],
      usage: null,
      firstTokenMs: 120,
    });
    expect(messages.get('a1')).toMatchObject({
      status: 'streaming',
      text: 'Hel',
      reasoning: 'thinking',
      toolCalls: [{ id: 'c1', name: 'lookup', arguments: '{"q":' }],
      firstTokenMs: 120,
      updatedAt: 2_000,
    });

    now = 3_000;
    const final = messages.finish('a1', {
      status: 'complete',
      text: 'Hello there',
      reasoning: 'thinking more',
      toolCalls: [{ id: 'c1', name: 'lookup', arguments: '{"q":"x"}' }],
      usage: { inputTokens: 10, outputTokens: 3, totalTokens: 13 },
      firstTokenMs: 120,
      finishReason: 'stop',
      error: null,
    });
    expect(final).toMatchObject({
      status: 'complete',
      text: 'Hello there',
      usage: { inputTokens: 10, outputTokens: 3, totalTokens: 13 },
      finishReason: 'stop',
      updatedAt: 3_000,
    });
    expect(messages.get('a1')).toEqual(final);

    // A late flush after the end changes nothing.
    messages.saveProgress('a1', {
      text: 'Hel',
      reasoning: '',
      toolCalls: [],
      usage: null,
      firstTokenMs: 120,
    });
    expect(messages.get('a1')?.text).toBe('Hello there');
  });

  it('keeps the proxy error and the partial text of a failed reply', () => {
    add('u1', null, { role: 'user' });
    add('a1', 'u1', { status: 'streaming', text: '' });
    messages.saveProgress('a1', {
      text: 'Partial',
      reasoning: '',
      toolCalls: [],
      usage: null,
      firstTokenMs: 80,
    });
    const failed = messages.finish('a1', {
      status: 'failed',
      text: 'Partial',
      reasoning: '',
      toolCalls: [],
      usage: null,
      firstTokenMs: 80,
      finishReason: null,
      error: {
        kind: 'server',
        message: 'The proxy could not reach its upstream provider (502): upstream timeout',
        status: 502,
        providerMessage: 'upstream timeout',
      },
    });
    expect(messages.get('a1')).toEqual(failed);
    expect(failed.error?.providerMessage).toBe('upstream timeout');
    expect(hubErrorOf(() => messages.finish('ghost', { ...failed })).info.kind).toBe('not_found');
  });

  it('turns replies left streaming by a crash into interrupted ones, keeping their text, after reopening', () => {
    add('u1', null, { role: 'user' });
    add('a1', 'u1', { status: 'streaming', text: '' });
    messages.saveProgress('a1', {
      text: 'Half an ans',
      reasoning: '',
      toolCalls: [],
      usage: null,
      firstTokenMs: 50,
    });
    add('a2', 'u1', { status: 'complete', text: 'done' });
    db.close();

    db = openDatabase(file);
    const reopened = new MessagesRepo(db, clock);
    expect(reopened.markStreamingInterrupted()).toBe(1);
    expect(reopened.get('a1')).toMatchObject({ status: 'interrupted', text: 'Half an ans' });
    expect(reopened.get('a2')?.status).toBe('complete');
    expect(reopened.markStreamingInterrupted()).toBe(0);
  });
});
