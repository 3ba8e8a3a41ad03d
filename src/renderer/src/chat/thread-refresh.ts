import type { OpenConversation } from '../../../shared/chat-channels';
import { isUnsent } from './unsent-message';

/**
 * The thread held in the window after the end of its branch was read again (another computer's changes arrived):
 * the pages held before that end stay, so the rows in view stay where they are; a message still being sent from
 * this window stays at the end. A window opened around an older message keeps its rows (the newer ones load as it
 * scrolls down) and takes only the conversation's own fields.
 */
export function withFreshEnd(held: OpenConversation, fresh: OpenConversation): OpenConversation {
  if (held.conversation.id !== fresh.conversation.id) return held;
  if (held.hasNewer) return { ...held, conversation: fresh.conversation };
  const first = fresh.messages[0];
  const meets = first ? held.messages.findIndex((message) => message.id === first.id) : -1;
  const before = meets === -1 ? [] : held.messages.slice(0, meets);
  const stored = new Set(fresh.messages.map((message) => message.id));
  const sending = held.messages.filter((message) => isUnsent(message) && !stored.has(message.id));
  return {
    conversation: fresh.conversation,
    messages: [...before, ...fresh.messages, ...sending],
    hasOlder: meets === -1 ? fresh.hasOlder : held.hasOlder,
    hasNewer: false,
  };
}
