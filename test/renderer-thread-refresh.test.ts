/** The open thread after a sync brought another computer's messages (withFreshEnd, renderer/chat/thread-refresh.ts). */
import { describe, expect, it } from 'vitest';
import { withFreshEnd } from '../src/renderer/src/chat/thread-refresh';
import { unsent } from '../src/renderer/src/chat/unsent-message';
import type { Conversation, ThreadMessage } from '../src/shared/chat';
import type { OpenConversation } from '../src/shared/chat-channels';
import { storedMessage } from './support/builders';

const conversation: Conversation = {
  id: 'c1',
  title: 'Harbour log',
  pinned: false,
  model: 'gpt-4o',
  api: 'openai-chat',
  systemPrompt: '',
  params: {},
  activeLeafId: null,
  createdAt: 0,
  updatedAt: 0,
};

function branch(count: number, from = 1): ThreadMessage[] {
  return Array.from({ length: count }, (_, index) => {
    const number = from + index;
    return {
      ...storedMessage({
        id: `m${number}`,
        conversationId: 'c1',
        parentId: number === 1 ? null : `m${number - 1}`,
        text: `message ${number}`,
      }),
      siblingIds: [`m${number}`],
    };
  });
}

const ids = (thread: OpenConversation) => thread.messages.map((message) => message.id);

describe('the open thread read again after a sync', () => {
  it('keeps the older pages held and adds the new end (the rows in view stay where they are)', () => {
    const held: OpenConversation = { conversation, messages: branch(8), hasOlder: true, hasNewer: false };
    const fresh: OpenConversation = {
      conversation: { ...conversation, title: 'Harbour log (renamed there)' },
      messages: branch(5, 6),
      hasOlder: true,
      hasNewer: false,
    };
    const shown = withFreshEnd(held, fresh);
    expect(ids(shown)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10']);
    expect(shown.hasOlder).toBe(true);
    expect(shown.conversation.title).toBe('Harbour log (renamed there)');
  });

  it('takes edits of held messages from the new end and keeps a message still being sent here', () => {
    const sending = unsent(conversation, 'm3', 'typed here, not stored yet', {});
    const held: OpenConversation = {
      conversation,
      messages: [...branch(3), sending],
      hasOlder: false,
      hasNewer: false,
    };
    const edited = branch(4).map((message) =>
      message.id === 'm3' ? { ...message, text: 'edited on the other computer' } : message,
    );
    const shown = withFreshEnd(held, { conversation, messages: edited, hasOlder: false, hasNewer: false });
    expect(ids(shown)).toEqual(['m1', 'm2', 'm3', 'm4', sending.id]);
    expect(shown.messages[2]?.text).toBe('edited on the other computer');
  });

  it('leaves a window opened around an older message as it is, but for the conversation', () => {
    const held: OpenConversation = { conversation, messages: branch(3), hasOlder: false, hasNewer: true };
    const fresh: OpenConversation = {
      conversation: { ...conversation, pinned: true },
      messages: branch(3, 20),
      hasOlder: true,
      hasNewer: false,
    };
    const shown = withFreshEnd(held, fresh);
    expect(ids(shown)).toEqual(['m1', 'm2', 'm3']);
    expect(shown.hasNewer).toBe(true);
    expect(shown.conversation.pinned).toBe(true);
  });

  it('shows the new end alone when it does not meet the rows held (many new messages, another branch)', () => {
    const held: OpenConversation = { conversation, messages: branch(3), hasOlder: false, hasNewer: false };
    const fresh: OpenConversation = {
      conversation,
      messages: branch(4, 40),
      hasOlder: true,
      hasNewer: false,
    };
    const shown = withFreshEnd(held, fresh);
    expect(ids(shown)).toEqual(['m40', 'm41', 'm42', 'm43']);
    expect(shown.hasOlder).toBe(true);
  });
});
