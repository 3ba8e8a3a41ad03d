import { afterEach, beforeEach, expect, it } from 'vitest';
import { type ChatHarness, startChatHarness } from './support/chat-core';

let h: ChatHarness;
beforeEach(async () => {
  h = await startChatHarness();
});
afterEach(async () => {
  await h.close();
});

async function say(conversationId: string, text: string, editOf?: string) {
  const started = await h.core.chat.send({ conversationId, text, ...(editOf ? { editOf } : {}) });
  await h.core.chat.whenDone(started.streamId);
  return started.userMessage;
}

it('opening a search hit on another branch, or choosing a branch, leaves the list order and times alone', async () => {
  const older = h.core.chat.createConversation({});
  const first = await say(older.id, 'tides on the moon');
  await say(older.id, 'tides on Mars', first.id);
  const newer = h.core.chat.createConversation({});
  await say(newer.id, 'something newer');
  const before = h.core.chat.listConversations();
  expect(before.map((c) => c.id)).toEqual([newer.id, older.id]);

  const [hit] = h.core.chat.search('moon', 5);
  expect(hit?.conversationId).toBe(older.id);
  const opened = h.core.chat.open(older.id, hit?.messageId);
  expect(opened.messages.map((m) => m.text)).toContain('tides on the moon');
  h.core.chat.selectBranch(older.id, first.id);

  const order = (list: typeof before) => list.map(({ id, updatedAt }) => ({ id, updatedAt }));
  expect(order(h.core.chat.listConversations())).toEqual(order(before));
});
