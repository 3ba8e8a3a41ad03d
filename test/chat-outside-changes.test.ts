import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutsideChanges } from '../src/main/services/chat/outside-changes';
import { EventBus } from '../src/main/services/event-bus';
import { ConversationMarksRepo } from '../src/main/store/conversation-marks-repo';
import { ConversationsRepo } from '../src/main/store/conversations-repo';
import { type Db, openDatabase } from '../src/main/store/database';
import { MessagesRepo } from '../src/main/store/messages-repo';
import { newMessage } from './support/builders';
import { ManualClock } from './support/manual-clock';

let dir: string;
/** The app's connection, and another process's (the CLI) on the same file. */
let app: Db;
let cli: Db;
let clock: ManualClock;
let heard: string[][];
let watcher: OutsideChanges;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdesk-outside-changes-'));
  const file = path.join(dir, 'hubdesk.sqlite');
  app = openDatabase(file);
  cli = openDatabase(file);
  clock = new ManualClock();
  heard = [];
  const bus = new EventBus();
  bus.subscribe((event, payload) => {
    if (event === 'conversations.changed') heard.push([...(payload as { ids: string[] }).ids].sort());
  });
  watcher = new OutsideChanges({ marks: new ConversationMarksRepo(app), bus, clock, everyMs: 1000 });
});

afterEach(() => {
  watcher.stop();
  app.close();
  cli.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("Another process's writes to the database file", () => {
  it('are told as conversations.changed for the conversations they changed, at the next look', () => {
    const first = new ConversationsRepo(app).create({ model: 'gpt-4o', api: 'openai-chat' });
    const second = new ConversationsRepo(app).create({ model: 'gpt-4o', api: 'openai-chat' });
    watcher.start();

    new ConversationsRepo(cli).update(first.id, { model: 'gpt-3.5-turbo' });
    clock.advance(999);
    expect(heard).toEqual([]);
    clock.advance(1);
    expect(heard).toEqual([[first.id]]);

    // Nothing more written: nothing more said, however long it runs.
    clock.advance(10_000);
    expect(heard).toEqual([[first.id]]);

    // A reply the CLI adds streams, then ends: both are heard, the second without the conversation row changing.
    const messages = new MessagesRepo(cli);
    const user = messages.insert(newMessage({ conversationId: second.id, text: 'From the CLI' }));
    const reply = messages.insert(
      newMessage({ conversationId: second.id, parentId: user.id, role: 'assistant', status: 'streaming' }),
    );
    clock.advance(1000);
    expect(heard).toEqual([[first.id], [second.id]]);
    messages.finish(reply.id, {
      status: 'complete',
      text: 'Echo: From the CLI',
      reasoning: '',
      toolCalls: [],
      usage: null,
      firstTokenMs: 5,
      finishReason: 'stop',
      error: null,
    });
    clock.advance(1000);
    expect(heard).toEqual([[first.id], [second.id], [second.id]]);

    // A conversation the other process erased for good is told too (the window lets go of it).
    cli.prepare('DELETE FROM conversations WHERE id = ?').run(first.id);
    clock.advance(1000);
    expect(heard.at(-1)).toEqual([first.id]);
  });

  it("leave this process's own writes to the events it already sends, and stop with stop()", () => {
    const own = new ConversationsRepo(app).create({ model: 'gpt-4o', api: 'openai-chat' });
    watcher.start();
    new ConversationsRepo(app).update(own.id, { title: 'Renamed here' });
    clock.advance(5000);
    expect(heard).toEqual([]);

    watcher.stop();
    new ConversationsRepo(cli).update(own.id, { pinned: true });
    clock.advance(5000);
    expect(heard).toEqual([]);
    expect(clock.pending()).toBe(0);
  });
});
