import { randomUUID } from 'node:crypto';
import type { Conversation, Message, ThreadMessage } from '../../../../shared/chat';
import type { KbSource } from '../../../../shared/chat-knowledge';
import { type ChatParams, DEFAULT_TOOL_STEPS } from '../../../../shared/chat-params';
import type { ModelInfo } from '../../../../shared/models';
import type { ChatTurn } from '../../../api/chat/types';
import type { HttpClient } from '../../../api/http-client';
import type { Clock } from '../../../base/clock';
import { HubError } from '../../../base/errors';
import type { ConversationsRepo } from '../../../store/conversations-repo';
import type { MessageFinal, MessagesRepo } from '../../../store/messages-repo';
import type { EventBus } from '../../event-bus';
import type { ToolRegistry } from '../../tools/tool-registry';
import { ToolRunner } from '../../tools/tool-runner';
import { blankMessage } from '../blank-message';
import { type ChatKnowledge, type Passage, passagesFor, withPassages } from '../knowledge-context';
import { REPLY_TEXT_LIMIT, replyUnsavedError } from './reply-faults';
import { replyLoopEvents, type ToolLoop } from './reply-loop';
import { runReply } from './reply-run';

export interface ReplyStreamsDeps {
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  bus: EventBus;
  client: () => HttpClient;
  clock: Clock;
  deltaIntervalMs: number;
  flushIntervalMs: number;
  /** Text and reasoning of one reply may not grow past this many characters (default `REPLY_TEXT_LIMIT`). */
  maxReplyChars?: number;
  /** The turns sent to the model for a branch that ends with the prompt (images read from disk). */
  turnsOf: (thread: Message[]) => Promise<ChatTurn[]>;
  /** The tool providers a chat may offer (issue 15); without it no chat offers tools. */
  tools?: ToolRegistry;
  /** The user's knowledge bases (issue 17); without it no prompt is sent with passages. */
  knowledge?: ChatKnowledge;
  log?: (line: string) => void;
}

export interface ReplyStart {
  conversation: Conversation;
  model: ModelInfo;
  params: ChatParams;
  /** The branch the reply answers, oldest first, ending with the prompt: what the model is sent. */
  thread: Message[];
  stream: boolean;
  /** The knowledge bases (ids) whose passages go with the prompt; none when absent. */
  knowledgeBases?: readonly string[];
}

/** How long the conversation list waits to hear of a new reply whose request is slow to leave (tools starting). */
const ANNOUNCE_WAIT_MS = 100;

interface ActiveReply {
  conversationId: string;
  controller: AbortController;
  done: Promise<Message>;
}

/** The replies being written: each a stored row, a model call, one `chat.end`; stoppable and awaited on close. */
export class ReplyStreams {
  private readonly active = new Map<string, ActiveReply>();
  /** The sources of each reply being written, by message id: the prompt's passages, then what its tools found. */
  private readonly sources = new Map<string, { list: KbSource[]; unsent: boolean }>();
  /**
   * Final states whose write failed (a full disk), by message id, with the message the window was sent: written
   * when the disk takes a write again, shown meanwhile instead of the stored row (still `streaming`).
   */
  private readonly unsaved = new Map<
    string,
    { conversationId: string; final: MessageFinal; shown: Message }
  >();

  constructor(private readonly deps: ReplyStreamsDeps) {}

  /**
   * Stores the assistant row as streaming, then writes the reply in the background. `prepare` runs in the same
   * transaction, before the row is written (it may store a new prompt): one commit before the request leaves.
   * The conversation list hears of it once the request has been sent (or a moment later, if sending waits).
   */
  start(prepare: () => ReplyStart): { streamId: string; messageId: string; prompt: Message } {
    const { input, prompt, assistant } = this.deps.messages.transaction(() => {
      const input = prepare();
      const prompt = input.thread.at(-1);
      if (!prompt) {
        throw new HubError({
          kind: 'invalid_input',
          message: 'There is no prompt to answer.',
          reason: { code: 'chatNoPrompt', values: {} },
        });
      }
      const assistant = this.deps.messages.insert({
        ...blankMessage(input.conversation.id, prompt.id, 'assistant'),
        model: input.model.id,
        api: input.conversation.api,
        status: 'streaming',
      });
      this.deps.conversations.setActiveLeaf(input.conversation.id, assistant.id);
      return { input, prompt, assistant };
    });
    this.saveUnsaved();
    const conversationId = input.conversation.id;
    const streamId = randomUUID();
    const controller = new AbortController();
    const announcement = this.announcer(conversationId);
    // Sent means handed to undici, which writes the request a moment later: the list waits for that moment.
    const onSent = () => setImmediate(announcement.now);
    const done = this.write(streamId, assistant, input, controller.signal, onSent).finally(() => {
      announcement.cancel();
      this.active.delete(streamId);
      this.changed(conversationId);
    });
    this.active.set(streamId, { conversationId, controller, done });
    return { streamId, messageId: assistant.id, prompt };
  }

  cancel(streamId: string): { cancelled: boolean } {
    const reply = this.active.get(streamId);
    if (!reply) return { cancelled: false };
    reply.controller.abort();
    return { cancelled: true };
  }

  whenDone(streamId: string): Promise<Message> {
    const reply = this.active.get(streamId);
    if (!reply) {
      return Promise.reject(
        new HubError({
          kind: 'not_found',
          message: 'No such stream.',
          reason: { code: 'chatStreamGone', values: {} },
        }),
      );
    }
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
          reason: { code: 'chatStillReplying', values: {} },
        });
      }
    }
  }

  async close(): Promise<void> {
    const pending = [...this.active.values()];
    for (const reply of pending) reply.controller.abort();
    await Promise.allSettled(pending.map((reply) => reply.done));
    this.saveUnsaved();
  }

  private async write(
    streamId: string,
    assistant: Message,
    input: ReplyStart,
    signal: AbortSignal,
    onSent: () => void,
  ): Promise<Message> {
    const { conversation } = input;
    const ids = { streamId, conversationId: conversation.id };
    const sources = { list: [] as KbSource[], unsent: false };
    this.sources.set(assistant.id, sources);
    const { final, lastSeq } = await runReply({
      clock: this.deps.clock,
      deltaIntervalMs: this.deps.deltaIntervalMs,
      flushIntervalMs: this.deps.flushIntervalMs,
      signal,
      maxChars: this.deps.maxReplyChars ?? REPLY_TEXT_LIMIT,
      events: (replySignal) =>
        replyLoopEvents(
          {
            api: conversation.api,
            request: async () => {
              const turns = await this.deps.turnsOf(input.thread);
              const passages = await this.passages(assistant.id, input, replySignal);
              if (passages.length > 0) {
                sources.list = passages.map((passage) => passage.source);
                sources.unsent = true;
              }
              return {
                model: input.model,
                system: conversation.systemPrompt,
                turns: withPassages(turns, passages),
                params: input.params,
                stream: input.stream,
              };
            },
            client: () => this.deps.client(),
            signal: replySignal,
            onSent,
            onRetry: (notice) =>
              this.deps.bus.emit('chat.retrying', {
                ...ids,
                messageId: assistant.id,
                attempt: notice.retry,
                maxAttempts: notice.maxRetries,
                waitMs: notice.delayMs,
                reason: notice.error.kind,
              }),
          },
          () => this.toolLoop(conversation, input.model, assistant.id),
        ),
      sendDelta: (delta) => {
        const changed = sources.unsent;
        sources.unsent = false;
        this.deps.bus.emit('chat.delta', {
          ...ids,
          messageId: assistant.id,
          ...delta,
          ...(changed ? { sources: sources.list } : {}),
        });
      },
      saveProgress: (progress) => this.deps.messages.saveProgress(assistant.id, progress),
    }).finally(() => this.sources.delete(assistant.id));
    const message = this.store(assistant, final);
    try {
      this.deps.conversations.touch(conversation.id);
    } catch (error) {
      this.deps.log?.(`reply ${assistant.id}: the conversation's time could not be saved: ${String(error)}`);
    }
    this.deps.bus.emit('chat.end', { ...ids, seq: lastSeq + 1, message });
    const reason = message.finishReason ? ` (${message.finishReason})` : '';
    this.deps.log?.(`reply ${assistant.id}: ${message.status}${reason}`);
    return message;
  }

  /**
   * The passages of the chosen knowledge bases for the prompt, stored with the reply as its sources before the
   * request leaves. A failed search fails the reply with its error, like an image that cannot be read.
   */
  private async passages(messageId: string, input: ReplyStart, signal: AbortSignal): Promise<Passage[]> {
    const prompt = input.thread.at(-1);
    const bases = input.knowledgeBases ?? [];
    if (!this.deps.knowledge || bases.length === 0 || !prompt || prompt.role !== 'user') return [];
    const passages = await passagesFor(this.deps.knowledge, bases, prompt.text, { signal });
    this.deps.messages.saveSources(
      messageId,
      passages.map((passage) => passage.source),
    );
    return passages;
  }

  /**
   * Numbers passages a tool found for a reply after the sources it already has (one the reply already cites keeps
   * its number), stores them with the reply, and has the window sent them with the next delta. For a message that
   * is not being written here, the passages are numbered from 1 and kept nowhere.
   */
  addSources(messageId: string, found: readonly Omit<KbSource, 'n'>[]): KbSource[] {
    const reply = this.sources.get(messageId);
    if (!reply) return found.map((source, index) => ({ ...source, n: index + 1 }));
    const same = (a: Omit<KbSource, 'n'>, b: Omit<KbSource, 'n'>) =>
      a.path === b.path && a.page === b.page && a.line === b.line && a.heading === b.heading;
    const numbered = found.map((source) => {
      const known = reply.list.find((candidate) => same(candidate, source));
      if (known) return known;
      const added = { ...source, n: reply.list.length + 1 };
      reply.list.push(added);
      return added;
    });
    this.deps.messages.saveSources(messageId, reply.list);
    reply.unsent = true;
    return numbered;
  }

  /**
   * The tools a conversation offers, by its `toolServers` (none, or a model that cannot call tools: no tool loop). A server HubDesk does not know
   * throws, and the reply fails with that error before anything is sent.
   */
  private toolLoop(conversation: Conversation, model: ModelInfo, messageId: string): ToolLoop | undefined {
    const servers = conversation.params.toolServers ?? [];
    if (servers.length === 0 || !this.deps.tools || !model.tools) return undefined;
    const providers = this.deps.tools.providersFor(servers);
    const approver = this.deps.tools.approverFor(conversation.params.toolApproval);
    return {
      runner: new ToolRunner(providers, approver, { conversationId: conversation.id, messageId }),
      maxSteps: conversation.params.maxToolSteps ?? DEFAULT_TOOL_STEPS,
      ...(this.deps.log ? { log: this.deps.log } : {}),
    };
  }

  /**
   * The final write, tried twice (a full disk may have room again once the model call is closed). When both fail
   * the reply is failed in the one `chat.end` anyway, with all its text, so the window shows what came; the row
   * keeps its last saved progress until the next reply or the close writes it, else start-up recovery marks it
   * interrupted (docs/architecture.md §Rules 7).
   */
  private store(assistant: Message, final: MessageFinal): Message {
    try {
      return this.deps.messages.finish(assistant.id, final);
    } catch (first) {
      this.deps.log?.(`reply ${assistant.id}: the final save failed, trying once more: ${String(first)}`);
    }
    try {
      return this.deps.messages.finish(assistant.id, final);
    } catch (second) {
      this.deps.log?.(`reply ${assistant.id}: the final save failed again: ${String(second)}`);
      const error = replyUnsavedError(second);
      const shown: Message = {
        ...assistant,
        ...final,
        status: 'failed',
        error,
        updatedAt: this.deps.clock.now(),
      };
      this.unsaved.set(assistant.id, { conversationId: assistant.conversationId, final, shown });
      return shown;
    }
  }

  /** A thread as read from the store, with the replies whose final write is still owed as the window saw them. */
  withUnsaved(messages: ThreadMessage[]): ThreadMessage[] {
    this.saveUnsaved();
    if (this.unsaved.size === 0) return messages;
    return messages.map((message) => {
      const owed = this.unsaved.get(message.id);
      return owed ? { ...owed.shown, siblingIds: message.siblingIds } : message;
    });
  }

  /** Writes the final states that could not be written before; stops at the first that still fails. */
  private saveUnsaved(): void {
    for (const [messageId, { conversationId, final }] of this.unsaved) {
      try {
        this.deps.messages.finish(messageId, final);
      } catch {
        return;
      }
      this.unsaved.delete(messageId);
      this.deps.log?.(`reply ${messageId}: saved after all (${final.status})`);
      this.changed(conversationId);
    }
  }

  /** Tells the conversation list of a new reply once: when its request has left, or after ANNOUNCE_WAIT_MS. */
  private announcer(conversationId: string): { now: () => void; cancel: () => void } {
    let pending = true;
    const timer = this.deps.clock.setTimeout(() => now(), ANNOUNCE_WAIT_MS);
    const cancel = () => {
      pending = false;
      timer.cancel();
    };
    const now = () => {
      if (!pending) return;
      cancel();
      this.changed(conversationId);
    };
    return { now, cancel };
  }

  private changed(conversationId: string): void {
    this.deps.bus.emit('conversations.changed', { ids: [conversationId] });
  }
}
