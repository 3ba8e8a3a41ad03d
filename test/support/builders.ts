import { randomUUID } from 'node:crypto';
import type { NewMessage } from '../../src/main/store/messages-repo';
import type { Message } from '../../src/shared/chat';

type MessageFields = Pick<NewMessage, 'conversationId'> & Partial<Message>;

/** A message for `MessagesRepo.insert`: an empty, complete user message at the root unless `fields` say otherwise. */
export function newMessage(fields: MessageFields): NewMessage {
  return {
    id: randomUUID(),
    parentId: null,
    role: 'user',
    text: '',
    reasoning: '',
    images: [],
    documents: [],
    toolCalls: [],
    model: null,
    api: null,
    status: 'complete',
    finishReason: null,
    error: null,
    usage: null,
    firstTokenMs: null,
    ...fields,
  };
}

/** A message as read back from the store: `newMessage` with its times (0 unless given). */
export function storedMessage(fields: MessageFields): Message {
  return { createdAt: 0, updatedAt: 0, ...newMessage(fields) };
}
