import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../src/main/core';
import { ConversationsRepo } from '../src/main/store/conversations-repo';
import { MessagesRepo } from '../src/main/store/messages-repo';
import type { Channel, RequestOf, ResponseOf } from '../src/shared/contract';
import { newMessage } from './support/builders';
import { type ChatHarness, startChatHarness } from './support/chat-core';

let h: ChatHarness;
beforeEach(async () => {
  h = await startChatHarness();
});
afterEach(async () => {
  await h.close();
});

/** What the window receives for a request: the channel's answer, and its size as JSON. */
async function ask<C extends Channel>(
  channel: C,
  request: RequestOf<C>,
): Promise<{ value: ResponseOf<C>; bytes: number }> {
  const result = await h.core.router.dispatch(channel, request);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  const value = result.value as ResponseOf<C>;
  return { value, bytes: Buffer.byteLength(JSON.stringify(value)) };
}

/**
 * A conversation of `count` messages in one line, `m0` (a question) to `m${count - 1}`, written straight to the
 * store as an imported history would be; each about as long as a chat message.
 */
function longConversation(core: Core, count: number): string {
  const conversation = core.chat.createConversation({ model: 'gpt-4o-mini' });
  const messages = new MessagesRepo(core.db);
  core.db.transaction(() => {
    let parentId: string | null = null;
    for (let index = 0; index < count; index++) {
      const id = `m${index}`;
      messages.insert(
        newMessage({
          id,
          conversationId: conversation.id,
          parentId,
          role: index % 2 === 0 ? 'user' : 'assistant',
          text: `Message ${index}. ${'Some words about the weather and the sea. '.repeat(8)}`,
          model: index % 2 === 0 ? null : 'gpt-4o-mini',
          createdAt: 1_700_000_000_000 + index,
        }),
      );
      parentId = id;
    }
    new ConversationsRepo(core.db).setActiveLeaf(conversation.id, parentId);
  })();
  return conversation.id;
}

const ids = (messages: { id: string }[]) => messages.map((message) => message.id);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `m${from + i}`);

describe('chat service: a long conversation a page at a time', () => {
  it('opens 20,000 messages as the newest 50 in under 200 KB, and scrolling up reads the pages before', async () => {
    const id = longConversation(h.core, 20_000);

    const opened = await ask('conversations.open', { id });
    expect(ids(opened.value.messages)).toEqual(range(19_950, 20_000));
    expect(opened.value).toMatchObject({ hasOlder: true, hasNewer: false });
    expect(opened.bytes).toBeLessThan(200_000);

    const older = await ask('conversations.olderMessages', { conversationId: id, before: 'm19950' });
    expect(ids(older.value.messages)).toEqual(range(19_900, 19_950));
    expect(older.value.hasOlder).toBe(true);
    expect(older.bytes).toBeLessThan(200_000);

    const first = await ask('conversations.olderMessages', { conversationId: id, before: 'm30' });
    expect(ids(first.value.messages)).toEqual(range(0, 30));
    expect(first.value.hasOlder).toBe(false);
    expect((await ask('conversations.olderMessages', { conversationId: id, before: 'm0' })).value).toEqual({
      messages: [],
      hasOlder: false,
    });
  });

  it('opens at an old message (a search hit) with the messages around it, and reads on towards the end', async () => {
    const id = longConversation(h.core, 300);

    const around = (await ask('conversations.open', { id, around: 'm40' })).value;
    expect(ids(around.messages)).toEqual(range(16, 66));
    expect(around).toMatchObject({ hasOlder: true, hasNewer: true });

    let last = around.messages.at(-1)?.id ?? '';
    const seen = [...ids(around.messages)];
    for (;;) {
      const page = (await ask('conversations.newerMessages', { conversationId: id, after: last })).value;
      seen.push(...ids(page.messages));
      last = page.messages.at(-1)?.id ?? last;
      if (!page.hasNewer) break;
    }
    expect(seen).toEqual(range(16, 300));
    // Opening at a message of the branch shown leaves that branch shown.
    expect(ids(h.core.chat.open(id).messages)).toEqual(range(250, 300));

    expect((await h.core.router.dispatch('conversations.open', { id, around: 'missing' })).ok).toBe(false);
  });

  it('a hit on another branch shows that branch; switching a sibling deep in the past opens at it', async () => {
    const id = longConversation(h.core, 300);
    const messages = new MessagesRepo(h.core.db);
    messages.insert(
      newMessage({ id: 'm101b', conversationId: id, parentId: 'm100', role: 'assistant', text: 'b' }),
    );
    messages.insert(newMessage({ id: 'm102b', conversationId: id, parentId: 'm101b', text: 'c' }));

    const hit = h.core.chat.open(id, 'm101b');
    expect(ids(hit.messages)).toEqual([...range(77, 101), 'm101b', 'm102b']);
    expect(hit.messages.at(-2)?.siblingIds).toEqual(['m101', 'm101b']);
    expect(hit).toMatchObject({ hasOlder: true, hasNewer: false });
    expect(hit.conversation.activeLeafId).toBe('m102b');

    const back = h.core.chat.selectBranch(id, 'm101');
    expect(ids(back.messages)).toEqual(range(77, 127));
    expect(back).toMatchObject({ hasOlder: true, hasNewer: true });
    expect(ids(h.core.chat.open(id).messages)).toEqual(range(250, 300));
  });

  it('exports the whole conversation, not the page the window holds', () => {
    const id = longConversation(h.core, 400);
    const markdown = h.core.chat.exportConversation(id, 'markdown').content;
    expect(markdown).toContain('Message 0. ');
    expect(markdown).toContain('Message 399. ');
    const json = JSON.parse(h.core.chat.exportConversation(id, 'json').content) as { messages: unknown[] };
    expect(json.messages).toHaveLength(400);
  });

  it('a reply to a long conversation is sent the whole branch, not one page', async () => {
    const id = longConversation(h.core, 120);
    const started = await h.core.chat.send({ conversationId: id, text: 'and now?' });
    await h.core.chat.whenDone(started.streamId);
    const request = h.proxy.requests.filter((r) => r.path.startsWith('/v1/chat/completions')).at(-1);
    const body = request?.json as { messages: { role: string }[] };
    expect(body.messages.filter((message) => message.role !== 'system')).toHaveLength(121);
    expect(ids(h.core.chat.open(id).messages).slice(-3)).toEqual([
      'm119',
      started.userMessage.id,
      started.assistantMessageId,
    ]);
  });
});
