import { randomUUID } from 'node:crypto';
import type { Conversation, Message } from '../../../../shared/chat';
import type { ChatParams } from '../../../../shared/chat-params';
import type { ModelInfo } from '../../../../shared/models';
import type { ChatTurn } from '../../../api/chat/types';
import type { HttpClient } from '../../../api/http-client';
import type { Clock } from '../../../base/clock';
import { HubError } from '../../../base/errors';
import type { ConversationsRepo } from '../../../store/conversations-repo';
import type { MessagesRepo } from '../../../store/messages-repo';
import type { EventBus } from '../../event-bus';
import { blankMessage } from '../blank-message';
import { modelReplyEvents } from './reply-loop';
import { runReply } from './reply-run';

export interface ReplyStreamsDeps {
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  bus: EventBus;
  client: () => HttpClient;
  clock: Clock;
  deltaIntervalMs: number;
  flushIntervalMs: number;
  /** The turns sent to the model for a prompt. */
  turnsUpTo: (userMessageId: string) => Promise<ChatTurn[]>;
  log?: (line: string) => void;
}

export interface ReplyStart {
  conversation: Conversation;
  model: ModelInfo;
  params: ChatParams;
  userMessageId: string;
  stream: boolean;
}

interface ActiveReply {
  conversationId: string;
  controller: AbortController;
  done: Promise<Message>;
}

/** The replies being written: each a stored row, a model call, one `chat.end`; stoppable and awaited on close. */
export class ReplyStreams {
  private readonly active = new Map<string, ActiveReply>();

  constructor(private readonly deps: ReplyStreamsDeps) {}

  /** Stores the assistant row as streaming, then writes the reply in the background. */
  start(input: ReplyStart): { streamId: string; messageId: string } {
    const { conversation } = input;
    const assistant = this.deps.messages.insert({
      ...blankMessage(conversation.id, input.userMessageId, 'assistant'),
      model: input.model.id,
      api: conversation.api,
      status: 'streaming',
    });
    this.deps.conversations.setActiveLeaf(conversation.id, assistant.id);
    const streamId = randomUUID();
    const controller = new AbortController();
    const done = this.write(streamId, assistant, input, controller.signal).finally(() => {
      this.active.delete(streamId);
      this.changed(conversation.id);
    });
    this.active.set(streamId, { conversationId: conversation.id, controller, done });
    this.changed(conversation.id);
    return { streamId, messageId: assistant.id };
  }

  cancel(streamId: string): { cancelled: boolean } {
    const reply = this.active.get(streamId);
    if (!reply) return { cancelled: false };
    reply.controller.abort();
    return { cancelled: true };
  }

  whenDone(streamId: string): Promise<Message> {
    const reply = this.active.get(streamId);
    if (!reply) return Promise.reject(new HubError({ kind: 'not_found', message: 'No such stream.' }));
    return reply.done;
  }

  stopConversation(conversationId: string): void {
    for (const reply of this.active.values()) {
      if (reply.conversationId === conversationId) reply.controller.abort();
    }
  }

  refuseWhileStreaming(conversationId: string): void {
    for (const reply of this.active.values()) {
      if (reply.conversationId === conversationId) {
        throw new HubError({
          kind: 'invalid_input',
          message: 'A reply is still being written in this conversation. Stop it or wait for it to finish.',
        });
      }
    }
  }

  async close(): Promise<void> {
    const pending = [...this.active.values()];
    for (const reply of pending) reply.controller.abort();
    await Promise.allSettled(pending.map((reply) => reply.done));
  }

  private async write(
    streamId: string,
    assistant: Message,
    input: ReplyStart,
    signal: AbortSignal,
  ): Promise<Message> {
    const { conversation } = input;
    const ids = { streamId, conversationId: conversation.id };
    const { final, lastSeq } = await runReply({
      clock: this.deps.clock,
      deltaIntervalMs: this.deps.deltaIntervalMs,
      flushIntervalMs: this.deps.flushIntervalMs,
      signal,
      events: () =>
        modelReplyEvents({
          api: conversation.api,
          request: async () => ({
            model: input.model,
            system: conversation.systemPrompt,
            turns: await this.deps.turnsUpTo(input.userMessageId),
            params: input.params,
            stream: input.stream,
          }),
          client: () => this.deps.client(),
          signal,
        }),
      sendDelta: (delta) => this.deps.bus.emit('chat.delta', { ...ids, messageId: assistant.id, ...delta }),
      saveProgress: (progress) => this.deps.messages.saveProgress(assistant.id, progress),
    });
    const message = this.deps.messages.finish(assistant.id, final);
    this.deps.conversations.touch(conversation.id);
    this.deps.bus.emit('chat.end', { ...ids, seq: lastSeq + 1, message });
    const reason = final.finishReason ? ` (${final.finishReason})` : '';
    this.deps.log?.(`reply ${assistant.id}: ${final.status}${reason}`);
    return message;
  }

  private changed(conversationId: string): void {
    this.deps.bus.emit('conversations.changed', { ids: [conversationId] });
  }
}
