import type { Conversation, ThreadMessage } from '../../../shared/chat';
import type { DocumentRef } from '../../../shared/documents';
import type { AppError } from '../../../shared/errors';

const UNSENT_PREFIX = 'unsent:';

/** A message as typed, shown while main stores it (images appear once stored; their files are made there). */
export function unsent(
  conversation: Conversation,
  parentId: string | null,
  text: string,
  attachments: { documents?: DocumentRef[] },
): ThreadMessage {
  const now = Date.now();
  const id = `${UNSENT_PREFIX}${crypto.randomUUID()}`;
  return {
    id,
    conversationId: conversation.id,
    parentId,
    role: 'user',
    text,
    reasoning: '',
    images: [],
    documents: attachments.documents ?? [],
    toolCalls: [],
    model: null,
    api: null,
    status: 'streaming',
    finishReason: null,
    error: null,
    usage: null,
    firstTokenMs: null,
    createdAt: now,
    updatedAt: now,
    siblingIds: [id],
  };
}

/** A message shown in the list that main has not stored (being sent, or refused). */
export function isUnsent(message: Pick<ThreadMessage, 'id'>): boolean {
  return message.id.startsWith(UNSENT_PREFIX);
}

/** A refused send whose error the list already shows, on the message that was not sent. */
export class ShownInThread extends Error {
  constructor(readonly error: AppError) {
    super(error.message);
  }
}
