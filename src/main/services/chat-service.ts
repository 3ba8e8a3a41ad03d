import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  type Conversation,
  type ImageRef,
  type ImageUpload,
  type Message,
  UNTITLED_CONVERSATION,
} from '../../shared/chat';
import { type ChatParams, effectiveParams } from '../../shared/chat-params';
import type { ModelsState, OpenConversation } from '../../shared/contract';
import type { AppError } from '../../shared/errors';
import {
  type ChatApi,
  type CustomModel,
  customModelInfo,
  customModelSchema,
  DEFAULT_MODEL_ID,
  findModel,
  type ModelInfo,
  modelCatalogue,
} from '../../shared/models';
import { adapterFor } from '../api/chat/index';
import type { ChatTurn, StreamEvent } from '../api/chat/types';
import type { HttpClient } from '../api/http-client';
import { HubError, toAppError } from '../base/errors';
import { resolveInside } from '../files/library';
import type { ConversationsRepo } from '../store/conversations-repo';
import type { DraftsRepo } from '../store/drafts-repo';
import type { MessagesRepo } from '../store/messages-repo';
import type { SearchRepo } from '../store/search-repo';
import type { SettingsRepo } from '../store/settings-repo';
import {
  conversationToJson,
  conversationToMarkdown,
  exportFileName,
  parseConversationExport,
  remapIds,
} from './chat-export';
import type { EventBus } from './event-bus';
import { applyEvent, emptyReply, hasOutput, type ReplyState } from './reply-state';
import { Pacer } from './stream-pacer';

const CUSTOM_MODELS_KEY = 'models.custom';

export interface ChatServiceDeps {
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  search: SearchRepo;
  drafts: DraftsRepo;
  settingsRepo: SettingsRepo;
  bus: EventBus;
  /** The HTTP client of the active profile. */
  client: () => HttpClient;
  libraryDir: string;
  /** One IPC message per stream at most this often (docs/architecture.md §Rules 4). */
  deltaIntervalMs?: number;
  /** A growing reply is written to the database at most this often, and at least this often while it grows. */
  flushIntervalMs?: number;
  log?: (line: string) => void;
}

interface ActiveStream {
  streamId: string;
  conversationId: string;
  messageId: string;
  controller: AbortController;
  done: Promise<Message>;
}

/** Chat: conversations, the message tree, streaming replies that are never lost, search, drafts, export. */
export class ChatService {
  private readonly streams = new Map<string, ActiveStream>();
  private readonly deltaIntervalMs: number;
  private readonly flushIntervalMs: number;

  constructor(private readonly deps: ChatServiceDeps) {
    this.deltaIntervalMs = deps.deltaIntervalMs ?? 16;
    this.flushIntervalMs = deps.flushIntervalMs ?? 500;
  }

  /** Start-up repair: replies left streaming by a crash become interrupted, partial text kept. */
  recover(): number {
    const count = this.deps.messages.markStreamingInterrupted();
    this.deps.conversations.purgeDeleted(Date.now() - 24 * 60 * 60 * 1000);
    if (count > 0) this.deps.log?.(`marked ${count} reply(s) interrupted after an unclean exit`);
    return count;
  }

  // ── Models ────────────────────────────────────────────────────────────────────────────────────────────

  customModels(): CustomModel[] {
    return this.deps.settingsRepo.get(CUSTOM_MODELS_KEY, z.array(customModelSchema)) ?? [];
  }

  models(): ModelsState {
    const custom = this.customModels();
    return { models: [...modelCatalogue, ...custom.map(customModelInfo)], custom };
  }

  addCustomModel(model: CustomModel): ModelsState {
    const rest = this.customModels().filter((existing) => existing.id !== model.id);
    this.deps.settingsRepo.set(CUSTOM_MODELS_KEY, [...rest, model]);
    return this.models();
  }

  removeCustomModel(id: string): ModelsState {
    this.deps.settingsRepo.set(
      CUSTOM_MODELS_KEY,
      this.customModels().filter((model) => model.id !== id),
    );
    return this.models();
  }

  modelInfo(id: string): ModelInfo {
    return findModel(id, this.customModels());
  }

  // ── Conversations ─────────────────────────────────────────────────────────────────────────────────────

  listConversations() {
    return this.deps.conversations.list();
  }

  createConversation(input: { model?: string; api?: ChatApi; systemPrompt?: string }): Conversation {
    const model = this.modelInfo(input.model ?? DEFAULT_MODEL_ID);
    const api = this.checkedApi(model, input.api);
    const conversation = this.deps.conversations.create({
      model: model.id,
      api,
      ...(input.systemPrompt !== undefined ? { systemPrompt: input.systemPrompt } : {}),
    });
    this.changed(conversation.id);
    return conversation;
  }

  open(id: string): OpenConversation {
    const conversation = this.requireConversation(id);
    const leaf = conversation.activeLeafId ?? this.deps.messages.newestLeaf(id);
    return { conversation, messages: leaf ? this.deps.messages.thread(leaf) : [] };
  }

  updateConversation(
    id: string,
    patch: Partial<Pick<Conversation, 'title' | 'pinned' | 'model' | 'api' | 'systemPrompt' | 'params'>>,
  ): Conversation {
    const current = this.requireConversation(id);
    const next = { ...patch };
    if (patch.model !== undefined || patch.api !== undefined) {
      const model = this.modelInfo(patch.model ?? current.model);
      const apiChanged = patch.api !== undefined;
      next.api = this.checkedApi(
        model,
        apiChanged ? patch.api : model.apis.includes(current.api) ? current.api : undefined,
      );
    }
    const updated = this.deps.conversations.update(id, next);
    this.changed(id);
    return updated;
  }

  deleteConversation(id: string): { id: string } {
    this.requireConversation(id);
    for (const stream of this.streams.values()) {
      if (stream.conversationId === id) stream.controller.abort();
    }
    this.deps.conversations.softDelete(id);
    this.changed(id);
    return { id };
  }

  restoreConversation(id: string): Conversation {
    const conversation = this.deps.conversations.restore(id);
    this.changed(id);
    return conversation;
  }

  selectBranch(conversationId: string, messageId: string): OpenConversation {
    this.requireConversation(conversationId);
    const message = this.deps.messages.get(messageId);
    if (!message || message.conversationId !== conversationId) {
      throw new HubError({ kind: 'not_found', message: 'That message is not in this conversation.' });
    }
    this.deps.conversations.setActiveLeaf(conversationId, this.deps.messages.newestLeafUnder(messageId));
    return this.open(conversationId);
  }

  exportConversation(id: string, format: 'markdown' | 'json') {
    const { conversation, messages: thread } = this.open(id);
    if (format === 'json') {
      return {
        fileName: exportFileName(conversation, 'json'),
        mimeType: 'application/json',
        content: conversationToJson(conversation, this.deps.messages.listByConversation(id)),
      };
    }
    return {
      fileName: exportFileName(conversation, 'markdown'),
      mimeType: 'text/markdown',
      content: conversationToMarkdown(conversation, thread),
    };
  }

  importConversation(content: string): Conversation {
    const { conversation, messages } = remapIds(parseConversationExport(content));
    const created = this.deps.conversations.create({
      title: conversation.title,
      model: conversation.model,
      api: conversation.api,
      systemPrompt: conversation.systemPrompt,
      params: conversation.params,
    });
    for (const message of messages) {
      const status = message.status === 'streaming' ? 'interrupted' : message.status;
      this.deps.messages.insert({ ...message, conversationId: created.id, status });
    }
    const leaf = conversation.activeLeafId ?? this.deps.messages.newestLeaf(created.id);
    this.deps.conversations.setActiveLeaf(created.id, leaf);
    if (conversation.pinned) this.deps.conversations.update(created.id, { pinned: true });
    this.changed(created.id);
    return this.requireConversation(created.id);
  }

  search(query: string, limit: number) {
    return this.deps.search.search(query, limit);
  }

  getDraft(conversationId: string): { text: string } {
    return { text: this.deps.drafts.get(conversationId) };
  }

  setDraft(conversationId: string, text: string): Record<string, never> {
    this.deps.drafts.set(conversationId, text);
    return {};
  }

  // ── Sending ───────────────────────────────────────────────────────────────────────────────────────────

  async send(input: {
    conversationId: string;
    text: string;
    images?: ImageUpload[];
    editOf?: string;
    stream?: boolean;
  }): Promise<{ streamId: string; userMessage: Message; assistantMessageId: string }> {
    const conversation = this.requireConversation(input.conversationId);
    this.refuseWhileStreaming(conversation.id);
    const images = input.images ?? [];
    if (input.text.trim() === '' && images.length === 0) {
      throw new HubError({ kind: 'invalid_input', message: 'Write a message first.', field: 'text' });
    }
    const model = this.modelInfo(conversation.model);
    const params = this.checkedParams(conversation, model);
    if (images.length > 0 && !model.vision) {
      throw new HubError({
        kind: 'invalid_input',
        message: `${model.id} does not accept images. Pick a vision model or remove the images.`,
        field: 'images',
      });
    }

    let parentId = conversation.activeLeafId ?? this.deps.messages.newestLeaf(conversation.id);
    if (input.editOf) {
      const edited = this.deps.messages.get(input.editOf);
      if (!edited || edited.conversationId !== conversation.id || edited.role !== 'user') {
        throw new HubError({
          kind: 'not_found',
          message: 'The message to edit is not in this conversation.',
        });
      }
      parentId = edited.parentId;
    }

    // The user's message is committed before the request leaves (docs/architecture.md §Rules 7).
    const stored = await this.storeImages(images);
    const userMessage = this.deps.messages.insert({
      ...this.blankMessage(conversation.id, parentId, 'user'),
      text: input.text,
      images: stored,
      status: 'complete',
    });
    if (conversation.title === UNTITLED_CONVERSATION && input.text.trim()) {
      this.deps.conversations.update(conversation.id, { title: titleFrom(input.text) });
    }
    const started = this.startReply(conversation, model, params, userMessage.id, input.stream ?? true);
    return { streamId: started.streamId, userMessage, assistantMessageId: started.messageId };
  }

  regenerate(input: { conversationId: string; messageId: string; stream?: boolean }): {
    streamId: string;
    assistantMessageId: string;
  } {
    const conversation = this.requireConversation(input.conversationId);
    this.refuseWhileStreaming(conversation.id);
    const target = this.deps.messages.get(input.messageId);
    if (!target || target.conversationId !== conversation.id) {
      throw new HubError({ kind: 'not_found', message: 'That message is not in this conversation.' });
    }
    const userMessageId = target.role === 'user' ? target.id : target.parentId;
    if (!userMessageId)
      throw new HubError({ kind: 'invalid_input', message: 'There is no prompt to answer again.' });
    const model = this.modelInfo(conversation.model);
    const params = this.checkedParams(conversation, model);
    const started = this.startReply(conversation, model, params, userMessageId, input.stream ?? true);
    return { streamId: started.streamId, assistantMessageId: started.messageId };
  }

  cancel(streamId: string): { cancelled: boolean } {
    const stream = this.streams.get(streamId);
    if (!stream) return { cancelled: false };
    stream.controller.abort();
    return { cancelled: true };
  }

  /** Resolves with the stored reply when the stream has ended (the CLI waits on it). */
  whenDone(streamId: string): Promise<Message> {
    const stream = this.streams.get(streamId);
    if (!stream) return Promise.reject(new HubError({ kind: 'not_found', message: 'No such stream.' }));
    return stream.done;
  }

  /** Stops every stream and waits until each has stored its final state. */
  async close(): Promise<void> {
    const pending = [...this.streams.values()];
    for (const stream of pending) stream.controller.abort();
    await Promise.allSettled(pending.map((stream) => stream.done));
  }

  private startReply(
    conversation: Conversation,
    model: ModelInfo,
    params: ChatParams,
    userMessageId: string,
    stream: boolean,
  ): { streamId: string; messageId: string } {
    const assistant = this.deps.messages.insert({
      ...this.blankMessage(conversation.id, userMessageId, 'assistant'),
      model: model.id,
      api: conversation.api,
      status: 'streaming',
    });
    this.deps.conversations.setActiveLeaf(conversation.id, assistant.id);
    const streamId = randomUUID();
    const controller = new AbortController();
    const done = this.runReply({
      streamId,
      conversation,
      model,
      params,
      assistant,
      userMessageId,
      stream,
      signal: controller.signal,
    }).finally(() => {
      this.streams.delete(streamId);
      this.changed(conversation.id);
    });
    this.streams.set(streamId, {
      streamId,
      conversationId: conversation.id,
      messageId: assistant.id,
      controller,
      done,
    });
    this.changed(conversation.id);
    return { streamId, messageId: assistant.id };
  }

  private async runReply(run: {
    streamId: string;
    conversation: Conversation;
    model: ModelInfo;
    params: ChatParams;
    assistant: Message;
    userMessageId: string;
    stream: boolean;
    signal: AbortSignal;
  }): Promise<Message> {
    const { streamId, conversation, assistant, signal } = run;
    const startedAt = performance.now();
    let state: ReplyState = emptyReply();
    let firstTokenMs: number | null = null;
    let seq = 0;
    let sentText = 0;
    let sentReasoning = 0;
    let sentToolCalls = '[]';
    let sentUsage = 'null';

    const emitDelta = () => {
      if (signal.aborted) return;
      const text = state.text.slice(sentText);
      const reasoning = state.reasoning.slice(sentReasoning);
      const toolCalls = JSON.stringify(state.toolCalls);
      const usage = JSON.stringify(state.usage);
      if (!text && !reasoning && toolCalls === sentToolCalls && usage === sentUsage) return;
      sentText = state.text.length;
      sentReasoning = state.reasoning.length;
      seq += 1;
      this.deps.bus.emit('chat.delta', {
        streamId,
        conversationId: conversation.id,
        messageId: assistant.id,
        seq,
        ...(text ? { text } : {}),
        ...(reasoning ? { reasoning } : {}),
        ...(toolCalls !== sentToolCalls ? { toolCalls: state.toolCalls } : {}),
        ...(usage !== sentUsage && state.usage ? { usage: state.usage } : {}),
        ...(seq === 1 && firstTokenMs !== null ? { firstTokenMs } : {}),
      });
      sentToolCalls = toolCalls;
      sentUsage = usage;
    };
    const saveProgress = () =>
      this.deps.messages.saveProgress(assistant.id, {
        text: state.text,
        reasoning: state.reasoning,
        toolCalls: state.toolCalls,
        usage: state.usage,
        firstTokenMs,
      });
    const deltas = new Pacer(this.deltaIntervalMs, emitDelta);
    const flushes = new Pacer(this.flushIntervalMs, saveProgress, undefined, false);

    const apply = (events: StreamEvent[]) => {
      for (const event of events) {
        state = applyEvent(state, event);
        if (
          firstTokenMs === null &&
          (event.type === 'text' || event.type === 'reasoning' || event.type === 'tool-call')
        ) {
          firstTokenMs = Math.round(performance.now() - startedAt);
        }
      }
      if (events.length > 0) {
        deltas.poke();
        flushes.poke();
      }
    };

    let thrown: AppError | null = null;
    try {
      const adapter = adapterFor(conversation.api);
      const request = {
        model: run.model,
        system: conversation.systemPrompt,
        turns: await this.turnsUpTo(run.userMessageId),
        params: run.params,
        stream: run.stream,
      };
      const call = { ...adapter.buildCall(request), signal };
      const client = this.deps.client();
      if (run.stream) {
        const reader = adapter.createStreamReader();
        for await (const message of client.stream(call)) {
          apply(reader.push(message));
          if (state.error) break;
        }
        if (!state.error && !signal.aborted) apply(reader.end());
      } else {
        const response = await client.json(call);
        apply(adapter.parseResponse(response.data));
      }
    } catch (error) {
      thrown = toAppError(error);
    }

    // After a stop, nothing more reaches the window but the one final message.
    if (signal.aborted) deltas.cancel();
    else deltas.finish();
    flushes.cancel();

    const cancelled = signal.aborted || thrown?.kind === 'cancelled';
    const blocked =
      !hasOutput(state) && (state.finishReason === 'blocked' || state.finishReason === 'content_filter')
        ? ({
            kind: 'bad_request',
            message: state.finishDetail ?? 'The provider blocked this reply with its safety filter.',
            code: state.finishReason,
          } satisfies AppError)
        : null;
    const error = cancelled ? null : (state.error ?? thrown ?? blocked);
    const status = cancelled
      ? 'interrupted'
      : error
        ? hasOutput(state)
          ? 'interrupted'
          : 'failed'
        : state.finishReason
          ? 'complete'
          : 'interrupted';
    const finishReason = cancelled ? 'cancelled' : state.finishReason;
    const final = this.deps.messages.finish(assistant.id, {
      status,
      text: state.text,
      reasoning: state.reasoning,
      toolCalls: state.toolCalls,
      usage: state.usage,
      firstTokenMs,
      finishReason,
      error,
    });
    this.deps.conversations.touch(conversation.id);
    this.deps.bus.emit('chat.end', {
      streamId,
      conversationId: conversation.id,
      seq: seq + 1,
      message: final,
    });
    this.deps.log?.(`reply ${assistant.id}: ${status}${finishReason ? ` (${finishReason})` : ''}`);
    return final;
  }

  /** The turns sent to the model: the branch up to the prompt, without reasoning, failed replies merged away. */
  private async turnsUpTo(userMessageId: string): Promise<ChatTurn[]> {
    const turns: ChatTurn[] = [];
    for (const message of this.deps.messages.thread(userMessageId)) {
      if (message.role === 'assistant' && !message.text && message.toolCalls.length === 0) continue;
      const images = await Promise.all(
        message.images.map(async (image) => ({
          mimeType: image.mimeType,
          base64: await this.readImage(image),
        })),
      );
      const previous = turns[turns.length - 1];
      if (previous && previous.role === message.role) {
        previous.text = [previous.text, message.text].filter(Boolean).join('\n\n');
        previous.images.push(...images);
        previous.toolCalls.push(...message.toolCalls);
      } else {
        turns.push({ role: message.role, text: message.text, images, toolCalls: [...message.toolCalls] });
      }
    }
    return turns;
  }

  private async storeImages(images: ImageUpload[]): Promise<ImageRef[]> {
    if (images.length === 0) return [];
    const folder = join(this.deps.libraryDir, 'attachments');
    await mkdir(folder, { recursive: true });
    return Promise.all(
      images.map(async (image) => {
        const extension = image.mimeType.split('/')[1] === 'jpeg' ? 'jpg' : image.mimeType.split('/')[1];
        const path = `attachments/${randomUUID()}.${extension}`;
        await writeFile(join(this.deps.libraryDir, path), Buffer.from(image.dataBase64, 'base64'));
        return { path, mimeType: image.mimeType, name: image.name };
      }),
    );
  }

  private async readImage(image: ImageRef): Promise<string> {
    const file = resolveInside(this.deps.libraryDir, image.path);
    if (!file) throw new HubError({ kind: 'not_found', message: `The image ${image.name} is missing.` });
    try {
      return (await readFile(file)).toString('base64');
    } catch {
      throw new HubError({
        kind: 'not_found',
        message: `The image ${image.name} is missing from the library.`,
      });
    }
  }

  private blankMessage(conversationId: string, parentId: string | null, role: 'user' | 'assistant') {
    return {
      id: randomUUID(),
      conversationId,
      parentId,
      role,
      text: '',
      reasoning: '',
      images: [],
      toolCalls: [],
      model: null,
      api: null,
      status: 'complete' as const,
      finishReason: null,
      error: null,
      usage: null,
      firstTokenMs: null,
    };
  }

  private checkedApi(model: ModelInfo, api: ChatApi | undefined): ChatApi {
    if (api === undefined) return model.defaultApi;
    if (!model.apis.includes(api)) {
      throw new HubError({
        kind: 'invalid_input',
        message: `${model.id} is not served through that API; choose one of: ${model.apis.join(', ')}.`,
        field: 'api',
      });
    }
    return api;
  }

  private checkedParams(conversation: Conversation, model: ModelInfo): ChatParams {
    const { params, error } = effectiveParams(conversation.params, model, conversation.api);
    if (error) throw new HubError({ kind: 'invalid_input', message: error, field: 'params' });
    return params;
  }

  private refuseWhileStreaming(conversationId: string): void {
    for (const stream of this.streams.values()) {
      if (stream.conversationId === conversationId) {
        throw new HubError({
          kind: 'invalid_input',
          message: 'A reply is still being written in this conversation. Stop it or wait for it to finish.',
        });
      }
    }
  }

  private requireConversation(id: string): Conversation {
    const conversation = this.deps.conversations.get(id);
    if (!conversation)
      throw new HubError({ kind: 'not_found', message: 'That conversation does not exist.' });
    return conversation;
  }

  private changed(id: string): void {
    this.deps.bus.emit('conversations.changed', { ids: [id] });
  }
}

/** A title from the first line of the first message, without Markdown marks. */
function titleFrom(text: string): string {
  const line = (text.trim().split('\n')[0] ?? '')
    .replace(/[*_`#>~]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > 60 ? `${line.slice(0, 57).trimEnd()}…` : line || UNTITLED_CONVERSATION;
}
