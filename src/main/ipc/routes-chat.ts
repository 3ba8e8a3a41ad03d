import type { chatChannels } from '../../shared/chat-channels';
import type { ChatService } from '../services/chat/chat-service';
import type { HandlersOf } from './router';

export function chatHandlers(chat: ChatService): HandlersOf<keyof typeof chatChannels> {
  return {
    'models.list': () => chat.models(),
    'models.addCustom': (request) => chat.addCustomModel(request),
    'models.removeCustom': (request) => chat.removeCustomModel(request.id),
    'models.used': (request) => chat.modelPicked(request.id),
    'conversations.list': () => chat.listConversations(),
    'conversations.create': (request) => chat.createConversation(request),
    'conversations.open': (request) => chat.open(request.id, request.around),
    'conversations.olderMessages': (request) => chat.olderMessages(request.conversationId, request.before),
    'conversations.newerMessages': (request) => chat.newerMessages(request.conversationId, request.after),
    'conversations.update': (request) => chat.updateConversation(request.id, request.patch),
    'conversations.delete': (request) => chat.deleteConversation(request.id),
    'conversations.restore': (request) => chat.restoreConversation(request.id),
    'conversations.selectBranch': (request) => chat.selectBranch(request.conversationId, request.messageId),
    'conversations.export': (request) => chat.exportConversation(request.id, request.format),
    'conversations.import': (request) => chat.importConversation(request.content),
    'chat.send': (request) => chat.send(request),
    'chat.readDocument': (request) => chat.readDocument(request),
    'chat.regenerate': (request) => chat.regenerate(request),
    'chat.answerTool': (request) => chat.answerTool(request.messageId, request.callId, request.decision),
    'chat.cancel': (request) => chat.cancel(request.streamId),
    'search.messages': (request) => chat.search(request.query, request.limit),
    'drafts.get': (request) => chat.getDraft(request.conversationId),
    'drafts.set': (request) => chat.setDraft(request.conversationId, request.text),
  };
}
