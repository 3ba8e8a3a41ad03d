import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../src/shared/chat';
import { type ChatHarness, startChatHarness } from './support/chat-core';

let h: ChatHarness;
beforeEach(async () => {
  h = await startChatHarness();
});
afterEach(async () => {
  await h.close();
});

const longPrompt = (words: number) => Array.from({ length: words }, (_, i) => `word${i}`).join(' ');
const chatRequests = () => h.proxy.requests.filter((r) => r.path.startsWith('/v1/chat/completions'));

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function storedMessage(id: string): Message {
  const message = h.core.db.prepare('SELECT id FROM messages WHERE id = ?').get(id);
  expect(message).toBeDefined();
  const opened = h.core.chat.open(h.core.chat.listConversations()[0]!.id);
  const found = opened.messages.find((m) => m.id === id);
  expect(found).toBeDefined();
  return found!;
}

describe('chat service: sending and streaming', () => {
  it('commits the user message before the request leaves, then streams and stores the reply', async () => {
    const chat = h.core.chat.createConversation({ model: 'gpt-4o' });
    h.proxy.addFault({ match: '/v1/chat/completions', fault: { type: 'latency', ms: 300 } });
    const started = await h.core.chat.send({ conversationId: chat.id, text: 'Hello there' });

    await until(() => chatRequests().length === 1);
    // The request is at the proxy; the prompt is already on disk and the reply row exists.
    const rows = h.core.db
      .prepare('SELECT role, text, status FROM messages WHERE conversation_id = ? ORDER BY created_at')
      .all(chat.id) as { role: string; text: string; status: string }[];
    expect(rows).toEqual([
      { role: 'user', text: 'Hello there', status: 'complete' },
      { role: 'assistant', text: '', status: 'streaming' },
    ]);

    const final = await h.core.chat.whenDone(started.streamId);
    expect(final).toMatchObject({
      status: 'complete',
      text: 'Echo: Hello there',
      finishReason: 'stop',
      model: 'gpt-4o',
    });
    expect(final.usage?.outputTokens).toBeGreaterThan(0);
    expect(h.core.chat.listConversations()[0]?.title).toBe('Hello there');

    // How the first token is timed is a unit test (chat-reply.test.ts); here: it is measured, stored and sent once.
    const deltas = h.eventsOf('chat.delta').filter((d) => d.streamId === started.streamId);
    expect(final.firstTokenMs).toEqual(expect.any(Number));
    expect(deltas[0]?.firstTokenMs).toBe(final.firstTokenMs);
    expect(deltas.filter((d) => d.firstTokenMs !== undefined)).toHaveLength(1);
    expect(deltas.map((d) => d.text ?? '').join('')).toBe('Echo: Hello there');
    const ends = h.eventsOf('chat.end').filter((e) => e.streamId === started.streamId);
    expect(ends).toHaveLength(1);
    expect(ends[0]?.message.text).toBe('Echo: Hello there');
  });

  // The 16 ms pacing itself is a unit test on an injected clock (chat-reply.test.ts); here: the outcome.
  it('coalesces deltas into far fewer IPC messages than tokens, numbered in order, nothing lost', async () => {
    const chat = h.core.chat.createConversation({ model: 'gpt-4.1' });
    const prompt = longPrompt(800);
    const started = await h.core.chat.send({ conversationId: chat.id, text: prompt });
    await h.core.chat.whenDone(started.streamId);

    const sent = h.eventsOf('chat.delta').filter((d) => d.streamId === started.streamId);
    const wireEvents = Math.ceil(`Echo: ${prompt}`.length / 5);
    expect(sent.length).toBeLessThan(wireEvents / 3);
    const seqs = sent.map((d) => d.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const end = h.eventsOf('chat.end').find((e) => e.streamId === started.streamId);
    expect(end?.seq).toBe(sent.length + 1);
    expect(sent.map((d) => d.text ?? '').join('')).toBe(`Echo: ${prompt}`);
  });

  // The 500 ms pacing itself is a unit test on an injected clock (chat-reply.test.ts); here: the outcome on disk.
  it('flushes a growing reply to disk while it streams, never once per token', async () => {
    const chat = h.core.chat.createConversation({ model: 'gpt-4.1' });
    h.proxy.addFault({ match: '/v1/chat/completions', fault: { type: 'trickle', delayMs: 40 } });
    const writes: string[] = [];
    h.core.db.function('note_write', (text: unknown) => {
      writes.push(String(text));
      return null;
    });
    h.core.db.exec(
      "CREATE TEMP TRIGGER watch_flush AFTER UPDATE OF text ON messages WHEN NEW.status = 'streaming' BEGIN SELECT note_write(NEW.text); END",
    );
    const started = await h.core.chat.send({ conversationId: chat.id, text: longPrompt(25) });
    const final = await h.core.chat.whenDone(started.streamId);
    const wireEvents = Math.ceil(final.text.length / 5);
    // The trickle spaces ~35 events 40 ms apart, so the reply streams for well over one 500 ms interval.
    expect(final.status).toBe('complete');
    expect(writes.length).toBeGreaterThanOrEqual(1);
    expect(writes.length).toBeLessThan(wireEvents / 3);
    for (const text of writes) expect(final.text.startsWith(text)).toBe(true);
  });

  it('Stop aborts the request at once; no delta follows, one end with the partial reply kept', async () => {
    const chat = h.core.chat.createConversation({ model: 'gpt-4.1' });
    h.proxy.addFault({ match: '/v1/chat/completions', fault: { type: 'trickle', delayMs: 100 } });
    const started = await h.core.chat.send({ conversationId: chat.id, text: longPrompt(40) });
    await until(() => h.eventsOf('chat.delta').some((d) => d.streamId === started.streamId));
    const stopAt = h.events.length;
    expect(h.core.chat.cancel(started.streamId)).toEqual({ cancelled: true });
    const final = await h.core.chat.whenDone(started.streamId);
    const whole = `Echo: ${longPrompt(40)}`;
    expect(final.status).toBe('interrupted');
    expect(final.finishReason).toBe('cancelled');
    expect(final.text.length).toBeGreaterThan(0);
    expect(whole.startsWith(final.text)).toBe(true);
    // The request was aborted, not read to its end (the trickle needs seconds more to finish).
    expect(final.text.length).toBeLessThan(whole.length);

    const after = h.events
      .slice(stopAt)
      .filter((e) => (e.payload as { streamId?: string }).streamId === started.streamId);
    expect(after.map((e) => e.name)).toEqual(['chat.end']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.events.slice(stopAt).filter((e) => e.name === 'chat.delta')).toHaveLength(0);
    expect(h.core.chat.cancel(started.streamId)).toEqual({ cancelled: false });
  });

  it('a stream cut mid-way keeps the partial reply as interrupted, with the error beside it', async () => {
    const chat = h.core.chat.createConversation({ model: 'gpt-4.1' });
    h.proxy.addFault({ match: '/v1/chat/completions', fault: { type: 'cut', afterEvents: 4 } });
    const started = await h.core.chat.send({ conversationId: chat.id, text: longPrompt(20) });
    const final = await h.core.chat.whenDone(started.streamId);
    expect(final.status).toBe('interrupted');
    expect(final.text.length).toBeGreaterThan(0);
    expect(final.error?.kind).toBe('network');
    expect(storedMessage(final.id).text).toBe(final.text);
  });

  it('a mid-stream provider error keeps the partial reply and the proxy’s message', async () => {
    const chat = h.core.chat.createConversation({ model: 'claude-sonnet-4-5-20250929' });
    h.proxy.addFault({ match: '/v1/messages', fault: { type: 'midstream-error', afterEvents: 5 } });
    const started = await h.core.chat.send({ conversationId: chat.id, text: longPrompt(10) });
    const final = await h.core.chat.whenDone(started.streamId);
    expect(final.status).toBe('interrupted');
    expect(final.text.length).toBeGreaterThan(0);
    expect(final.error?.message).toMatch(/overloaded/i);
  });

  it('a refused request fails with the proxy’s error text kept', async () => {
    const chat = h.core.chat.createConversation({ model: 'gpt-4.1' });
    await h.core.settings.setToken(h.core.settings.activeProfile().id, 'sk-wrong-token-123', 'session');
    const started = await h.core.chat.send({ conversationId: chat.id, text: 'hi' });
    const final = await h.core.chat.whenDone(started.streamId);
    expect(final.status).toBe('failed');
    expect(final.error).toMatchObject({ kind: 'auth', status: 401 });
    expect(final.error?.message).not.toContain('sk-wrong-token-123');
  });

  it('a rate-limited request says so before it is retried, with the wait; the reply then streams', async () => {
    const chat = h.core.chat.createConversation({ model: 'gpt-4.1' });
    h.proxy.addFault({
      match: '/v1/chat/completions',
      fault: { type: 'status', status: 429, retryAfterMs: 120 },
    });
    const started = await h.core.chat.send({ conversationId: chat.id, text: 'patience' });
    const final = await h.core.chat.whenDone(started.streamId);
    expect(final).toMatchObject({ status: 'complete', text: 'Echo: patience' });
    expect(chatRequests()).toHaveLength(2);

    const ofStream = h.events.filter(
      (e) => (e.payload as { streamId?: string }).streamId === started.streamId,
    );
    expect(ofStream[0]?.name).toBe('chat.retrying');
    expect(ofStream[0]?.payload).toEqual({
      streamId: started.streamId,
      conversationId: chat.id,
      messageId: started.assistantMessageId,
      attempt: 1,
      maxAttempts: 2,
      waitMs: 120,
      reason: 'rate_limited',
    });
    expect(ofStream.filter((e) => e.name === 'chat.retrying')).toHaveLength(1);
    expect(ofStream[1]?.name).toBe('chat.delta');
  });

  it('a final write that fails twice still ends the stream once, with the text; the next reply writes it', async () => {
    const chat = h.core.chat.createConversation({ model: 'gpt-4.1' });
    // The database refuses to finish a reply, as a full disk would (a trigger: no root needed for a full disk).
    h.core.db.exec(
      "CREATE TEMP TRIGGER refuse_finish BEFORE UPDATE OF status ON messages WHEN NEW.status != 'streaming' BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END",
    );
    const started = await h.core.chat.send({ conversationId: chat.id, text: 'keep me' });
    const shown = await h.core.chat.whenDone(started.streamId);
    const ends = h.eventsOf('chat.end').filter((e) => e.streamId === started.streamId);
    expect(ends).toHaveLength(1);
    expect(ends[0]?.message).toEqual(shown);
    expect(shown).toMatchObject({ id: started.assistantMessageId, status: 'failed', text: 'Echo: keep me' });
    expect(shown.error?.message).toMatch(/could not be saved: the database could not be written/);
    const row = () =>
      h.core.db.prepare('SELECT status, text FROM messages WHERE id = ?').get(started.assistantMessageId);
    expect(row()).toEqual({ status: 'streaming', text: '' });
    // Opened meanwhile, the conversation shows the reply as the window saw it, not as a reply still streaming.
    expect(storedMessage(started.assistantMessageId)).toMatchObject({
      status: 'failed',
      text: 'Echo: keep me',
      error: shown.error,
    });

    h.core.db.exec('DROP TRIGGER refuse_finish');
    const next = await h.core.chat.send({ conversationId: chat.id, text: 'and me' });
    await h.core.chat.whenDone(next.streamId);
    const kept = h.core.db
      .prepare('SELECT status, text, error FROM messages WHERE id = ?')
      .get(started.assistantMessageId);
    expect(kept).toEqual({ status: 'complete', text: 'Echo: keep me', error: null });
  });

  it('a listener that throws (a full disk under a usage record) stops neither the reply nor the others', async () => {
    const chat = h.core.chat.createConversation({ model: 'gpt-4.1' });
    h.core.bus.subscribe((name) => {
      if (name === 'chat.delta' || name === 'chat.end') {
        throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
      }
    });
    const after: string[] = [];
    h.core.bus.subscribe((name) => after.push(name));
    h.proxy.addFault({ match: '/v1/chat/completions', fault: { type: 'trickle', delayMs: 5 } });
    const started = await h.core.chat.send({ conversationId: chat.id, text: longPrompt(30) });
    const final = await h.core.chat.whenDone(started.streamId);
    expect(final).toMatchObject({ status: 'complete', text: `Echo: ${longPrompt(30)}` });
    expect(after.filter((name) => name === 'chat.end')).toHaveLength(1);
    expect(after.filter((name) => name === 'chat.delta').length).toBeGreaterThan(1);
  });

  it('refuses a second send while a reply streams, and a model without vision refuses images', async () => {
    const chat = h.core.chat.createConversation({ model: 'gpt-4.1' });
    h.proxy.addFault({ match: '/v1/chat/completions', fault: { type: 'trickle', delayMs: 50 } });
    const started = await h.core.chat.send({ conversationId: chat.id, text: 'one' });
    await expect(h.core.chat.send({ conversationId: chat.id, text: 'two' })).rejects.toThrow(
      /still being written/,
    );
    await h.core.chat.whenDone(started.streamId);

    const textOnly = h.core.chat.createConversation({ model: 'deepseek-chat' });
    const png = { name: 'a.png', mimeType: 'image/png' as const, dataBase64: 'iVBORw0KGgo=' };
    await expect(
      h.core.chat.send({ conversationId: textOnly.id, text: 'look', images: [png] }),
    ).rejects.toThrow(/does not accept images/);
  });
});

describe('chat service: branches and history', () => {
  it('edit makes a sibling branch, regenerate a sibling reply; the old branch stays reachable', async () => {
    const chat = h.core.chat.createConversation({ model: 'gpt-4o-mini' });
    const first = await h.core.chat.send({ conversationId: chat.id, text: 'first question' });
    await h.core.chat.whenDone(first.streamId);

    const edited = await h.core.chat.send({
      conversationId: chat.id,
      text: 'better question',
      editOf: first.userMessage.id,
    });
    await h.core.chat.whenDone(edited.streamId);
    let opened = h.core.chat.open(chat.id);
    expect(opened.messages.map((m) => m.text)).toEqual(['better question', 'Echo: better question']);
    expect(opened.messages[0]?.siblingIds).toEqual([first.userMessage.id, edited.userMessage.id]);

    const again = h.core.chat.regenerate({ conversationId: chat.id, messageId: edited.assistantMessageId });
    await h.core.chat.whenDone(again.streamId);
    opened = h.core.chat.open(chat.id);
    expect(opened.messages[1]?.siblingIds).toEqual([edited.assistantMessageId, again.assistantMessageId]);

    opened = h.core.chat.selectBranch(chat.id, first.userMessage.id);
    expect(opened.messages.map((m) => m.text)).toEqual(['first question', 'Echo: first question']);
  });

  it('remembers the branch chosen at every fork: back at an upper fork, the lower choices return, after a restart too', async () => {
    const chat = h.core.chat.createConversation({ model: 'gpt-4o-mini' });
    const first = await h.core.chat.send({ conversationId: chat.id, text: 'first question' });
    await h.core.chat.whenDone(first.streamId);
    const again = h.core.chat.regenerate({ conversationId: chat.id, messageId: first.assistantMessageId });
    await h.core.chat.whenDone(again.streamId);
    // The lower fork (two replies to the first question): the older reply chosen, not the newest.
    h.core.chat.selectBranch(chat.id, first.assistantMessageId);
    const follow = await h.core.chat.send({ conversationId: chat.id, text: 'follow-up' });
    await h.core.chat.whenDone(follow.streamId);

    // The upper fork: an edit of the first question shows the new branch...
    const edited = await h.core.chat.send({
      conversationId: chat.id,
      text: 'other question',
      editOf: first.userMessage.id,
    });
    await h.core.chat.whenDone(edited.streamId);
    expect(h.core.chat.open(chat.id).messages.map((m) => m.id)).toEqual([
      edited.userMessage.id,
      edited.assistantMessageId,
    ]);
    // ...and going back there shows the first reply and its follow-up, not the newest reply (a leaf of its own).
    const path = (opened: { messages: { id: string }[] }) => opened.messages.map((m) => m.id);
    const back = [
      first.userMessage.id,
      first.assistantMessageId,
      follow.userMessage.id,
      follow.assistantMessageId,
    ];
    expect(path(h.core.chat.selectBranch(chat.id, first.userMessage.id))).toEqual(back);

    h.core.chat.selectBranch(chat.id, edited.userMessage.id);
    await h.reopen();
    expect(path(h.core.chat.selectBranch(chat.id, first.userMessage.id))).toEqual(back);
    // A choice made at the lower fork is the one remembered from then on.
    h.core.chat.selectBranch(chat.id, again.assistantMessageId);
    h.core.chat.selectBranch(chat.id, edited.userMessage.id);
    expect(path(h.core.chat.selectBranch(chat.id, first.userMessage.id))).toEqual([
      first.userMessage.id,
      again.assistantMessageId,
    ]);
  });

  it('DeepSeek reasoning is kept apart and never sent back in later turns', async () => {
    const chat = h.core.chat.createConversation({ model: 'deepseek-reasoner' });
    const one = await h.core.chat.send({ conversationId: chat.id, text: 'what is 2+2' });
    const reply = await h.core.chat.whenDone(one.streamId);
    expect(reply.reasoning).toBe('Thinking about: what is 2+2');
    expect(reply.text).toBe('Echo: what is 2+2');

    const two = await h.core.chat.send({ conversationId: chat.id, text: 'and 3+3' });
    await h.core.chat.whenDone(two.streamId);
    const body = chatRequests().at(-1)?.json as { messages: Record<string, unknown>[] };
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(JSON.stringify(body)).not.toContain('reasoning_content');
    expect(JSON.stringify(body)).not.toContain('Thinking about');
  });

  it('exports a conversation as JSON and imports it back as a new one with the same branches', async () => {
    const chat = h.core.chat.createConversation({ model: 'gpt-4o-mini', systemPrompt: 'Be kind.' });
    const first = await h.core.chat.send({ conversationId: chat.id, text: 'one' });
    await h.core.chat.whenDone(first.streamId);
    const edit = await h.core.chat.send({
      conversationId: chat.id,
      text: 'two',
      editOf: first.userMessage.id,
    });
    await h.core.chat.whenDone(edit.streamId);

    const exported = h.core.chat.exportConversation(chat.id, 'json');
    expect(exported.fileName).toMatch(/\.json$/);
    const imported = h.core.chat.importConversation(exported.content);
    expect(imported.id).not.toBe(chat.id);
    expect(imported).toMatchObject({ title: 'one', systemPrompt: 'Be kind.', model: 'gpt-4o-mini' });
    const opened = h.core.chat.open(imported.id);
    expect(opened.messages.map((m) => m.text)).toEqual(['two', 'Echo: two']);
    expect(opened.messages[0]?.siblingIds).toHaveLength(2);
    expect(h.core.chat.listConversations()).toHaveLength(2);

    expect(() => h.core.chat.importConversation('{"format":"something else"}')).toThrow(
      /not a HubDesk conversation/i,
    );
  });

  it('sends images in the family format and keeps them in the library', async () => {
    const chat = h.core.chat.createConversation({ model: 'claude-sonnet-4-5-20250929' });
    const png = { name: 'dot.png', mimeType: 'image/png' as const, dataBase64: 'iVBORw0KGgoAAAANSUhEUg==' };
    const started = await h.core.chat.send({ conversationId: chat.id, text: 'what is this', images: [png] });
    await h.core.chat.whenDone(started.streamId);
    expect(started.userMessage.images).toEqual([
      { path: expect.stringMatching(/^attachments\/[\w-]+\.png$/), mimeType: 'image/png', name: 'dot.png' },
    ]);
    const body = h.proxy.requests.at(-1)?.json as { messages: { content: unknown[] }[] };
    expect(body.messages[0]?.content).toContainEqual({
      type: 'image',
      source: { type: 'base64', media_type: 'image/png', data: png.dataBase64 },
    });
  });
});
