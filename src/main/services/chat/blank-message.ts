import { randomUUID } from 'node:crypto';
import type { NewMessage } from '../../store/messages-repo';

/** A new message with nothing in it yet; callers fill in what they know. */
export function blankMessage(
  conversationId: string,
  parentId: string | null,
  role: 'user' | 'assistant',
): NewMessage {
  return {
    id: randomUUID(),
    conversationId,
    parentId,
    role,
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
  };
}
