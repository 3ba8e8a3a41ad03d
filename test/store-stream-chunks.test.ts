import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationsRepo } from '../src/main/store/conversations-repo';
import { type Db, openDatabase } from '../src/main/store/database';
import { type MessageProgress, MessagesRepo } from '../src/main/store/messages-repo';
import { SearchRepo } from '../src/main/store/search-repo';
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
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdesk-stream-chunks-'));
  file = path.join(dir, 'hubdesk.sqlite');
  db = openDatabase(file);
  now = 1_000;
  conversations = new ConversationsRepo(db, clock);
  messages = new MessagesRepo(db, clock);
  conversation = conversations.create({ model: 'gpt-4o', api: 'openai-chat' });
  messages.insert(newMessage({ id: 'u1', conversationId: conversation.id, text: 'Tell me a story' }));
  messages.insert(
    newMessage({
      id: 'a1',
      conversationId: conversation.id,
      parentId: 'u1',
      role: 'assistant',
      status: 'streaming',
    }),
  );
  conversations.setActiveLeaf(conversation.id, 'a1');
});

afterEach(() => {
  if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function progress(text: string, overrides: Partial<MessageProgress> = {}): MessageProgress {
  return { text, reasoning: '', toolCalls: [], usage: null, firstTokenMs: 40, ...overrides };
}

/** The text a flush wrote: what the row holds and what was appended after it, as stored. */
function stored(): { row: string; appended: string[] } {
  const row = db.prepare("SELECT text FROM messages WHERE id = 'a1'").get() as { text: string };
  const chunks = db.prepare('SELECT text FROM message_chunks ORDER BY seq').all() as { text: Buffer }[];
  return { row: row.text, appended: chunks.map((chunk) => inflateRawSync(chunk.text).toString('utf8')) };
}

const story = [
  'Once upon a time ',
  'there was a lighthouse ',
  'that never slept, ',
  'and a keeper named Ilse.',
];
const upTo = (count: number) => story.slice(0, count).join('');

describe('MessagesRepo: a streaming reply is written as it grows', () => {
  it('writes each flush as what is new since the last one, and reads back the whole text everywhere', () => {
    for (let count = 1; count <= 3; count++) {
      now += 500;
      messages.saveProgress('a1', progress(upTo(count), { reasoning: count > 1 ? 'thinking' : '' }));
    }
    expect(stored()).toEqual({ row: story[0], appended: [story[1], story[2]] });
    expect(messages.get('a1')).toMatchObject({ status: 'streaming', text: upTo(3), reasoning: 'thinking' });
    expect(messages.thread('a1').at(-1)?.text).toBe(upTo(3));
    expect(messages.listByConversation(conversation.id).at(-1)?.text).toBe(upTo(3));

    // The row is written again only when something besides the text changed (here, the usage).
    const updatedAt = messages.get('a1')?.updatedAt;
    now += 500;
    messages.saveProgress('a1', progress(upTo(4), { reasoning: 'thinking', usage: { outputTokens: 12 } }));
    expect(messages.get('a1')).toMatchObject({ text: upTo(4), usage: { outputTokens: 12 } });
    expect(messages.get('a1')?.updatedAt).toBeGreaterThan(updatedAt ?? Number.POSITIVE_INFINITY);
  });

  it('stores the final text once at the end and keeps no chunks; a late flush changes nothing', () => {
    messages.saveProgress('a1', progress(upTo(1)));
    messages.saveProgress('a1', progress(upTo(2)));
    const final = messages.finish('a1', {
      ...progress(upTo(4)),
      status: 'complete',
      finishReason: 'stop',
      error: null,
    });
    expect(final.text).toBe(upTo(4));
    expect(stored()).toEqual({ row: upTo(4), appended: [] });
    messages.saveProgress('a1', progress(`${upTo(4)} and more`));
    expect(stored()).toEqual({ row: upTo(4), appended: [] });
    expect(new SearchRepo(db).search('lighthouse', 5).map((hit) => hit.messageId)).toEqual(['a1']);
  });

  it('writes the whole text again when a flush does not continue the last one', () => {
    messages.saveProgress('a1', progress(upTo(2)));
    messages.saveProgress('a1', progress(upTo(3)));
    messages.saveProgress('a1', progress('A different start'));
    expect(stored()).toEqual({ row: 'A different start', appended: [] });
    messages.saveProgress('a1', progress('A different start, continued'));
    expect(messages.get('a1')?.text).toBe('A different start, continued');
  });

  it('after a crash mid-stream, start-up recovery shows everything flushed, searchable', () => {
    for (let count = 1; count <= 3; count++) messages.saveProgress('a1', progress(upTo(count)));
    db.close();

    db = openDatabase(file);
    const reopened = new MessagesRepo(db, clock);
    expect(reopened.markStreamingInterrupted()).toBe(1);
    expect(reopened.get('a1')).toMatchObject({ status: 'interrupted', text: upTo(3) });
    expect(stored()).toEqual({ row: upTo(3), appended: [] });
    // The words of the last flush are in the index with the rest.
    expect(new SearchRepo(db).search('never slept', 5).map((hit) => hit.messageId)).toEqual(['a1']);
    expect(reopened.markStreamingInterrupted()).toBe(0);
  });

  it('keeps everything flushed when the final write fails, for recovery to show', () => {
    for (let count = 1; count <= 3; count++) messages.saveProgress('a1', progress(upTo(count)));
    // A final write refused as a full disk would refuse it.
    db.exec(
      "CREATE TEMP TRIGGER refuse_final BEFORE UPDATE OF status ON messages BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
    );
    expect(() =>
      messages.finish('a1', { ...progress(upTo(4)), status: 'complete', finishReason: 'stop', error: null }),
    ).toThrow(/disk is full/);
    expect(messages.get('a1')).toMatchObject({ status: 'streaming', text: upTo(3) });
    db.close();

    db = openDatabase(file);
    const reopened = new MessagesRepo(db, clock);
    reopened.markStreamingInterrupted();
    expect(reopened.get('a1')).toMatchObject({ status: 'interrupted', text: upTo(3) });
  });

  it('drops the chunks of a reply whose conversation is purged from the bin', () => {
    messages.saveProgress('a1', progress(upTo(1)));
    messages.saveProgress('a1', progress(upTo(2)));
    conversations.softDelete(conversation.id);
    now += 10;
    conversations.purgeDeleted(now);
    expect(db.prepare('SELECT count(*) AS n FROM message_chunks').get()).toEqual({ n: 0 });
  });
});
