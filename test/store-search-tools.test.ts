import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationsRepo } from '../src/main/store/conversations-repo';
import { type Db, openDatabase } from '../src/main/store/database';
import { MessagesRepo } from '../src/main/store/messages-repo';
import { migrations } from '../src/main/store/migrations';
import { SearchRepo } from '../src/main/store/search-repo';
import { SNIPPET_MATCH_END as END, SNIPPET_MATCH_START as START, type ToolCall } from '../src/shared/chat';
import { newMessage } from './support/builders';

let dir: string;
let file: string;
let db: Db;
let now: number;
const clock = () => now;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdesk-search-tools-'));
  file = path.join(dir, 'hubdesk.sqlite');
  now = 1_000;
});

afterEach(() => {
  if (db?.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A finished call of the tool loop with the result a server gave. */
function lookupCall(overrides: Partial<ToolCall> = {}): ToolCall {
  return {
    id: 'call_1',
    name: 'recipes__find_recipe',
    arguments: '{"dish":"tortellini"}',
    step: 0,
    server: 'recipes',
    tool: 'find_recipe',
    status: 'done',
    result: {
      content: [
        { type: 'text', text: 'Fold each square of dough around a spoon of ricotta and nutmeg, then boil.' },
        { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUgZZZZ' },
        { type: 'resource', uri: 'file:///cookbook/pasta.md', text: 'Semolina notes' },
      ],
      isError: false,
    },
    ...overrides,
  };
}

function repos(database: Db) {
  const conversations = new ConversationsRepo(database, clock);
  const chat = conversations.create({ title: 'Dinner plans', model: 'gpt-4o', api: 'openai-chat' });
  return {
    conversations,
    chat,
    messages: new MessagesRepo(database, clock),
    search: new SearchRepo(database),
  };
}

const integrity = (database: Db, table = 'messages_fts') =>
  database.prepare(`INSERT INTO ${table} (${table}) VALUES ('integrity-check')`).run();

describe('search: tool calls and their results', () => {
  it("finds a word that is only in a tool's result, with a snippet of the result and the tool's name", () => {
    db = openDatabase(file);
    const { chat, messages, search } = repos(db);
    messages.insert(newMessage({ id: 'u1', conversationId: chat.id, text: 'How do I make tortellini?' }));
    messages.insert(
      newMessage({
        id: 'a1',
        conversationId: chat.id,
        parentId: 'u1',
        role: 'assistant',
        text: 'Here is how.',
        toolCalls: [lookupCall()],
      }),
    );

    expect(search.search('nutmeg', 10)).toEqual([
      {
        conversationId: chat.id,
        conversationTitle: 'Dinner plans',
        messageId: 'a1',
        role: 'assistant',
        snippet: `Fold each square of dough around a spoon of ricotta and ${START}nutmeg${END}, then boil.`,
        createdAt: 1_000,
        toolName: 'find_recipe',
      },
    ]);
    // The tool's name, its arguments, a resource's text and uri; words of the text and of a result together.
    expect(search.search('find_recipe', 10).map((hit) => hit.messageId)).toEqual(['a1']);
    expect(search.search('"dish"', 10).map((hit) => hit.messageId)).toEqual(['a1']);
    expect(search.search('semolina', 10).map((hit) => hit.messageId)).toEqual(['a1']);
    expect(search.search('cookbook/pasta', 10).map((hit) => hit.messageId)).toEqual(['a1']);
    expect(search.search('here ricotta', 10).map((hit) => hit.messageId)).toEqual(['a1']);
    // A word in the text keeps the text's snippet, without a tool name.
    expect(search.search('tortellini', 10)).toEqual([
      expect.objectContaining({ messageId: 'u1', snippet: `How do I make ${START}tortellini${END}?` }),
      expect.objectContaining({ messageId: 'a1', toolName: 'find_recipe' }),
    ]);
    // Image data is not text to search.
    expect(search.search('iVBORw0KGgo', 10)).toEqual([]);
    integrity(db);
    integrity(db, 'messages_words_fts');
  });

  it('finds an error a tool reported and why a call failed', () => {
    db = openDatabase(file);
    const { chat, messages, search } = repos(db);
    messages.insert(
      newMessage({
        id: 'a1',
        conversationId: chat.id,
        role: 'assistant',
        toolCalls: [
          lookupCall({
            result: { content: [{ type: 'text', text: 'Quota exhausted for today' }], isError: true },
          }),
          lookupCall({
            id: 'call_2',
            name: 'weather__forecast',
            tool: 'forecast',
            status: 'failed',
            result: undefined,
            error: { kind: 'invalid_input', message: 'The arguments are not JSON: unexpected brace' },
          }),
        ],
      }),
    );
    expect(search.search('exhausted', 10)[0]?.toolName).toBe('find_recipe');
    expect(search.search('unexpected brace', 10)[0]?.toolName).toBe('forecast');
  });

  it('keeps a streaming reply and its tool calls out of the index until it ends, and follows later changes', () => {
    db = openDatabase(file);
    const { chat, messages, search } = repos(db);
    const ids = (query: string) => search.search(query, 10).map((hit) => hit.messageId);
    messages.insert(
      newMessage({ id: 'a1', conversationId: chat.id, role: 'assistant', status: 'streaming', text: '' }),
    );
    messages.saveProgress('a1', {
      text: 'Looking it up',
      reasoning: '',
      toolCalls: [lookupCall({ status: 'running', result: undefined })],
      usage: null,
      firstTokenMs: 5,
    });
    expect(ids('tortellini')).toEqual([]);
    integrity(db);

    // A crash mid-loop: recovery settles the running call as cancelled, and the message becomes searchable.
    messages.markStreamingInterrupted();
    expect(ids('tortellini')).toEqual(['a1']);
    expect(ids('interrupted before this tool call finished')).toEqual(['a1']);

    // The result changes (a regenerated row is a new row; this is the same row written again): the old words go.
    messages.finish('a1', {
      status: 'complete',
      text: 'Done',
      reasoning: '',
      toolCalls: [lookupCall()],
      usage: null,
      firstTokenMs: 5,
      finishReason: 'stop',
      error: null,
    });
    expect(ids('interrupted before')).toEqual([]);
    expect(ids('nutmeg')).toEqual(['a1']);
    integrity(db);
    integrity(db, 'messages_words_fts');
  });

  it('forgets the messages of a conversation purged from the bin', () => {
    db = openDatabase(file);
    const { conversations, chat, messages, search } = repos(db);
    messages.insert(
      newMessage({ id: 'a1', conversationId: chat.id, role: 'assistant', toolCalls: [lookupCall()] }),
    );
    conversations.softDelete(chat.id);
    expect(search.search('nutmeg', 10)).toEqual([]);
    now += 10;
    conversations.purgeDeleted(now);
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}('nutmeg')`).get() as { n: number }).n;
    expect(count('messages_fts')).toBe(0);
    expect(count('messages_words_fts')).toBe(0);
    integrity(db);
  });

  it('migration 11 indexes the tool calls already stored, and leaves streaming replies out', () => {
    const before = openDatabase(file, {
      migrations: migrations.filter((migration) => migration.version < 11),
    });
    const old = repos(before);
    // Rows as that version wrote them (today's MessagesRepo writes columns it did not have).
    const insertOld = before.prepare(
      `INSERT INTO messages (id, conversation_id, role, text, tool_calls, status, created_at, updated_at)
       VALUES (?, ?, 'assistant', ?, ?, ?, 1, 1)`,
    );
    insertOld.run('a1', old.chat.id, 'Old answer', JSON.stringify([lookupCall()]), 'complete');
    insertOld.run(
      'a2',
      old.chat.id,
      'still writing',
      JSON.stringify([lookupCall({ id: 'call_9' })]),
      'streaming',
    );
    before.close();

    db = openDatabase(file);
    const search = new SearchRepo(db);
    expect(search.search('nutmeg', 10).map((hit) => hit.messageId)).toEqual(['a1']);
    expect(search.search('old answer', 10).map((hit) => hit.messageId)).toEqual(['a1']);
    expect(search.search('still writing', 10)).toEqual([]);
    integrity(db);
    integrity(db, 'messages_words_fts');
  });
});
