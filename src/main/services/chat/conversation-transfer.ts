import type { Message } from '../../../shared/chat';
import type { ConversationFile, OpenConversation } from '../../../shared/chat-channels';
import type { ConversationsRepo } from '../../store/conversations-repo';
import type { MessagesRepo } from '../../store/messages-repo';
import {
  conversationToJson,
  conversationToMarkdown,
  exportFileName,
  parseConversationExport,
  remapIds,
} from './chat-export';

/** JSON holds the whole tree (every branch); Markdown the branch being shown. */
export function exportConversation(
  opened: OpenConversation,
  everyMessage: () => Message[],
  format: 'markdown' | 'json',
): ConversationFile {
  const { conversation, messages: thread } = opened;
  if (format === 'json') {
    return {
      fileName: exportFileName(conversation, 'json'),
      mimeType: 'application/json',
      content: conversationToJson(conversation, everyMessage()),
    };
  }
  return {
    fileName: exportFileName(conversation, 'markdown'),
    mimeType: 'text/markdown',
    content: conversationToMarkdown(conversation, thread),
  };
}

/** Stores an exported conversation as a new one, with new ids; returns the new conversation's id. */
export function importConversation(
  repos: { conversations: ConversationsRepo; messages: MessagesRepo },
  content: string,
): string {
  const { conversation, messages } = remapIds(parseConversationExport(content));
  const created = repos.conversations.create({
    title: conversation.title,
    model: conversation.model,
    api: conversation.api,
    systemPrompt: conversation.systemPrompt,
    params: conversation.params,
  });
  for (const message of messages) {
    const status = message.status === 'streaming' ? 'interrupted' : message.status;
    repos.messages.insert({ ...message, conversationId: created.id, status });
  }
  const leaf = conversation.activeLeafId ?? repos.messages.newestLeaf(created.id);
  repos.conversations.setActiveLeaf(created.id, leaf);
  if (conversation.pinned) repos.conversations.update(created.id, { pinned: true });
  return created.id;
}
