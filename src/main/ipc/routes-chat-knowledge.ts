import type { chatKnowledgeChannels, OpenableSource } from '../../shared/chat-knowledge';
import type { ChatService } from '../services/chat/chat-service';
import type { HandlersOf } from './router';

export function chatKnowledgeHandlers(
  chat: ChatService,
  openSource: (source: OpenableSource) => Promise<{ opened: boolean }>,
): HandlersOf<keyof typeof chatKnowledgeChannels> {
  return {
    'chat.openSource': (request) => chat.openSource(request.messageId, request.n, openSource),
  };
}
