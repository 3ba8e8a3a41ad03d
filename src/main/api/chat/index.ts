import type { ChatApi } from '../../../shared/models';
import { claudeMessagesAdapter } from './claude-messages';
import { geminiAdapter } from './gemini';
import { openaiChatAdapter } from './openai-chat';
import { openaiResponsesAdapter } from './openai-responses';
import type { ChatAdapter } from './types';

export type { ChatAdapter, ChatRequest, ChatTurn, StreamEvent, StreamReader } from './types';

export const adapters: Record<ChatApi, ChatAdapter> = {
  'openai-chat': openaiChatAdapter,
  'openai-responses': openaiResponsesAdapter,
  'claude-messages': claudeMessagesAdapter,
  gemini: geminiAdapter,
};

export function adapterFor(api: ChatApi): ChatAdapter {
  return adapters[api];
}
