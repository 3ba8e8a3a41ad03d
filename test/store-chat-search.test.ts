import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationsRepo } from '../src/main/store/conversations-repo';
import { type Db, openDatabase } from '../src/main/store/database';
import { MessagesRepo, type NewMessage } from '../src/main/store/messages-repo';
import { SearchRepo } from '../src/main/store/search-repo';
import { SNIPPET_MATCH_END as END, SNIPPET_MATCH_START as START } from '../src/shared/chat';
import { newMessage } from './support/builders';

let dir: string;
let db: Db;
let now: number;
const clock = () => now;
let conversations: ConversationsRepo;
let messages: MessagesRepo;
let search: SearchRepo;
let chatId: string;
let counter = 0;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdesk-chat-search-'));
  db = openDatabase(path.join(dir, 'hubdesk.sqlite'));
  now = 1_000;
  conversations = new ConversationsRepo(db, clock);
  messages = new MessagesRepo(db, clock);
  search = new SearchRepo(db);
  chatId = conversations.create({ title: 'Notes', model: 'gpt-4o', api: 'openai-chat' }).id;
});

afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function add(text: string, overrides: Partial<NewMessage> = {}): string {
  now += 1;
  counter += 1;
  const id = `msg${counter}`;
  messages.insert(newMessage({ id, conversationId: chatId, text, ...overrides }));
  return id;
}

const ids = (query: string, limit = 50) => search.search(query, limit).map((hit) => hit.messageId);

describe('SearchRepo', () => {
  it('finds English words anywhere in a message, case-insensitively, all words required', () => {
    const fox = add('The quick brown fox jumps over the lazy dog');
    const cat = add('A lazy cat sleeps all day');
    add('Nothing relevant here');

    expect(ids('fox')).toEqual([fox]);
    expect(ids('LAZY').sort()).toEqual([fox, cat].sort());
    expect(ids('lazy   cat')).toEqual([cat]);
    expect(ids('jump')).toEqual([fox]);
    expect(ids('lazy elephant')).toEqual([]);
    expect(ids('   ')).toEqual([]);
  });

  it('tells who wrote the hit and in which conversation', () => {
    const answer = add('Paris is the capital of France', { role: 'assistant' });
    expect(search.search('capital', 10)).toEqual([
      {
        conversationId: chatId,
        conversationTitle: 'Notes',
        messageId: answer,
        role: 'assistant',
        snippet: `Paris is the ${START}capital${END} of France`,
        createdAt: now,
      },
    ]);
  });

  it('finds a Chinese phrase inside a longer sentence, and not a phrase that is not there', () => {
    const meet = add('我们明天在上海见面吧');
    add('他们昨天去了北京');
    expect(ids('上海见面')).toEqual([meet]);
    expect(search.search('上海见面', 10)[0]?.snippet).toBe(`我们明天在${START}上海见面${END}吧`);
    expect(ids('北京见面')).toEqual([]);
  });

  it('finds two-character queries by scanning, Chinese and English, with marked snippets', () => {
    const meet = add('我们明天在上海见面吧');
    const go = add('Let us go home now');
    add('nothing here');
    expect(ids('上海')).toEqual([meet]);
    expect(ids('go')).toEqual([go]);
    expect(search.search('上海', 10)[0]?.snippet).toBe(`我们明天在${START}上海${END}见面吧`);
    // A short word and a long one together: both must be there.
    expect(ids('go home')).toEqual([go]);
    expect(ids('go away')).toEqual([]);
  });

  it('treats quotes, FTS operators and LIKE wildcards in the query as plain text', () => {
    const quoted = add('She said "hello world" to me');
    const operators = add('Write foo AND bar, then (baz) with a * and - sign');
    const percent = add('A 100% discount_code');
    add('hello there world, foo and bar');

    expect(ids('"hello world"')).toEqual([quoted]);
    expect(ids('"hello')).toEqual([quoted]);
    expect(ids('"')).toEqual([quoted]);
    expect(ids('(baz)')).toEqual([operators]);
    expect(ids('(')).toEqual([operators]);
    expect(ids('*')).toEqual([operators]);
    expect(ids('-')).toEqual([operators]);
    expect(ids('foo* -bar')).toEqual([]);
    expect(ids('NOT')).toEqual([]);
    expect(ids('%')).toEqual([percent]);
    expect(ids('_')).toEqual([percent]);
    expect(ids('0%')).toEqual([percent]);
    expect(() => search.search('AND OR NOT NEAR( ^ : {x} "', 10)).not.toThrow();
  });

  it('ranks better matches first and breaks ties by the newest message', () => {
    const older = add('budget report');
    const newer = add('budget report');
    const strong = add('budget budget budget');
    expect(ids('budget')).toEqual([strong, newer, older]);
    expect(ids('budget', 2)).toEqual([strong, newer]);
    expect(ids('bu')).toEqual([strong, newer, older]);
  });

  it('cuts a snippet of a long message around the first match, on word boundaries, in one line', () => {
    const words = Array.from({ length: 200 }, (_, index) => `word${index}`);
    words.splice(120, 0, 'needle');
    add(words.join(' \n '));
    const snippet = search.search('needle', 5)[0]?.snippet ?? '';
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain(`word119 ${START}needle${END} word120`);
    expect(snippet.length).toBeLessThan(200);
    expect(snippet).not.toMatch(/\n/);
    // Cut between words, never inside one.
    expect(snippet).toMatch(/^…word\d+ /);
    expect(snippet).toMatch(/ word\d+…$/);
  });

  it('marks every match in the snippet, never with HTML', () => {
    add('<b>cats</b> like cats & CATS');
    expect(search.search('cats', 5)[0]?.snippet).toBe(
      `<b>${START}cats${END}</b> like ${START}cats${END} & ${START}CATS${END}`,
    );
  });

  it('indexes a reply once, when it stops streaming: flushes never touch the index, finish and recovery do', () => {
    // The index's own consistency (rank 0): streaming rows are left out of it on purpose, so the rank-1 form,
    // which also demands every content row, does not apply; the lookups below check which rows are in it.
    const integrity = () =>
      db.prepare("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')").run();
    const ftsWrites = () => (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    const reply = add('', { role: 'assistant', status: 'streaming' });
    const progress = { reasoning: '', toolCalls: [], usage: null, firstTokenMs: 10 };
    messages.saveProgress(reply, { ...progress, text: 'draft wording' });
    const before = ftsWrites();
    messages.saveProgress(reply, { ...progress, text: 'draft wording, longer' });
    // One row updated by the flush, nothing else: the full-text index is not rewritten per flush.
    expect(ftsWrites() - before).toBe(1);
    expect(ids('draft')).toEqual([]);
    integrity();

    messages.finish(reply, {
      status: 'complete',
      text: 'final phrasing',
      reasoning: 'secret reasoning',
      toolCalls: [],
      usage: null,
      firstTokenMs: 10,
      finishReason: 'stop',
      error: null,
    });
    expect(ids('phrasing')).toEqual([reply]);
    expect(ids('draft')).toEqual([]);
    expect(ids('secret')).toEqual([]);
    integrity();

    // A reply left streaming by a crash becomes searchable, with its partial text, when it is marked interrupted.
    const cut = add('', { role: 'assistant', status: 'streaming' });
    messages.saveProgress(cut, { ...progress, text: 'partial sentence' });
    search.rebuild();
    expect(ids('partial')).toEqual([]);
    integrity();
    messages.markStreamingInterrupted();
    expect(ids('partial')).toEqual([cut]);
    integrity();
  });

  it('leaves out conversations in the bin', () => {
    const other = conversations.create({ title: 'Other', model: 'gpt-4o', api: 'openai-chat' });
    const visible = add('shared keyword');
    const hidden = add('shared keyword', { conversationId: other.id });
    expect(ids('keyword').sort()).toEqual([visible, hidden].sort());
    conversations.softDelete(other.id);
    expect(ids('keyword')).toEqual([visible]);
    expect(ids('ke')).toEqual([visible]);
  });

  it('rebuild repairs an index that lost its entries', () => {
    const lost = add('recoverable content');
    db.prepare("INSERT INTO messages_fts (messages_fts) VALUES ('delete-all')").run();
    db.prepare("INSERT INTO messages_words_fts (messages_words_fts) VALUES ('delete-all')").run();
    expect(ids('recoverable')).toEqual([]);
    search.rebuild();
    expect(ids('recoverable')).toEqual([lost]);
  });
});

describe('SearchRepo: what comes first', () => {
  it('puts the exact phrase before the same words apart, even when those are newer and denser', () => {
    const phrase = add('We talked about the quarterly budget review at length yesterday afternoon');
    const apart = add('review this budget, then budget again, then one more review');
    expect(ids('budget review')).toEqual([phrase, apart]);
    expect(ids('Budget Review')).toEqual([phrase, apart]);
  });

  it("shows a rare term's best match first: short and repeated beats long and once, the word beats longer words", () => {
    const once = add(`zephyr ${'filler words that say nothing much '.repeat(8)}`);
    const inside = add('antizephyrine zephyrs zephyrs');
    const best = add('zephyr zephyr');
    add('nothing to see here');
    expect(ids('zephyr')).toEqual([best, once, inside]);
    const wordStart = add('the zephyrus model');
    const insideWord = add('the antizephyrus model');
    expect(ids('zephyrus')).toEqual([wordStart, insideWord]);
  });

  it('shows the newest matches of a common word, ranked or not', () => {
    // At most three matches are ranked in this repository: four make the word common.
    const small = new SearchRepo(db, 3);
    const dense = add('note note note note');
    const older = add('a note');
    const newer = add('one more note here');
    // Three are ranked: the densest, then the shorter of the two with one.
    expect(small.search('note', 10).map((hit) => hit.messageId)).toEqual([dense, older, newer]);
    const newest = add('the last note');
    expect(small.search('note', 2).map((hit) => hit.messageId)).toEqual([newest, newer]);
    expect(small.search('note', 10).map((hit) => hit.messageId)).toEqual([newest, newer, older, dense]);
  });

  it('finds terms of several words and with punctuation as typed', () => {
    const hyphen = add('the state-of-the-art model');
    const apostrophe = add("I don't know");
    add('state of the art');
    expect(ids('state-of-the-art')).toEqual([hyphen]);
    expect(ids("don't")).toEqual([apostrophe]);
    expect(ids('ART-of')).toEqual([]);
  });

  it('finds words inside longer words after the whole-word matches, ranked when they are few', () => {
    const inside = add('a superconductor');
    const whole = add('the conductor bows');
    expect(ids('conductor')).toEqual([whole, inside]);
  });
});
