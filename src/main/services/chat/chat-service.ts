// Past 400 lines: the one facade the routes, the CLI and tools call; the work itself lives in reply/ and the helpers.
import {
  type Conversation,
  type ImageUpload,
  type Message,
  UNTITLED_CONVERSATION,
} from '../../../shared/chat';
import type {
  ConversationFile,
  ModelsState,
  NewerMessages,
  OlderMessages,
  OpenConversation,
} from '../../../shared/chat-channels';
import type { KbSource, OpenableSource } from '../../../shared/chat-knowledge';
import type { DocumentReading, DocumentRef, DocumentUpload } from '../../../shared/documents';
import { modelLabel } from '../../../shared/model-names';
import { type ChatApi, type CustomModel, DEFAULT_MODEL_ID, type ModelInfo } from '../../../shared/models';
import type { HttpClient } from '../../api/http-client';
import { type Clock, systemClock } from '../../base/clock';
import { HubError } from '../../base/errors';
import type { ConversationsRepo } from '../../store/conversations-repo';
import type { DraftsRepo } from '../../store/drafts-repo';
import type { MessagesRepo } from '../../store/messages-repo';
import type { SearchRepo } from '../../store/search-repo';
import type { SettingsRepo } from '../../store/settings-repo';
import type { EventBus } from '../event-bus';
import { PendingApprovals } from '../tools/pending-approvals';
import type { ToolDecision } from '../tools/tool-approval';
import type { ToolRegistry } from '../tools/tool-registry';
import { sweepAttachments } from './attachment-sweep';
import { storeImages } from './attachments';
import { blankMessage } from './blank-message';
import { BranchMemory } from './branch-memory';
import { readDocument, requireDocuments } from './chat-documents';
import { exportConversation, importConversation } from './conversation-transfer';
import type { ChatKnowledge } from './knowledge-context';
import { checkedApi, checkedParams, ModelCatalogue } from './model-catalogue';
import { ReplyStreams } from './reply/reply-streams';
import { ConversationTitles, localTitle, type TitleUsageRecord } from './titles';
import { turnsOf } from './turns';

/** A page of a branch for the window: enough to fill a tall screen twice, small enough to send at once. */
const PAGE_MESSAGES = 50;
/** A page stops early past this many characters (long answers), though it always holds one message. */
const PAGE_CHARS = 150_000;

export interface ChatServiceDeps {
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  search: SearchRepo;
  drafts: DraftsRepo;
  settingsRepo: SettingsRepo;
  bus: EventBus;
  /** The HTTP client of the active profile. */
  client: () => HttpClient;
  /** The active profile's default model, for a conversation created without one. */
  defaultModel?: () => string | null;
  libraryDir: string;
  /** The tool providers chats may offer (issue 15). */
  tools?: ToolRegistry;
  /** The user's knowledge bases, whose passages a chat or a message may send with a prompt (issue 17). */
  knowledge?: ChatKnowledge;
  clock?: Clock;
  /** Name a new conversation by its model after the first reply (the window); else its local title stays (CLI). */
  modelTitles?: boolean;
  /** The user's choice about model titles (Settings → Chat), and where their tokens are counted (issue 18). */
  titles?: { enabled: () => boolean; recordUsage: (record: TitleUsageRecord) => void };
  /** One IPC message per stream at most this often (docs/architecture.md §Rules 4). */
  deltaIntervalMs?: number;
  /** A growing reply is written to the database at most this often, and at least this often while it grows. */
  flushIntervalMs?: number;
  log?: (line: string) => void;
}

/** Chat: conversations, the message tree, streaming replies that are never lost, search, drafts, export. */
export class ChatService {
  private readonly catalogue: ModelCatalogue;
  private readonly replies: ReplyStreams;
  /** Tool calls waiting for the window's approval (chats whose policy is `ask`). */
  private readonly approvals = new PendingApprovals();
  private readonly titles: ConversationTitles | null;
  private readonly branches: BranchMemory;

  constructor(private readonly deps: ChatServiceDeps) {
    this.branches = new BranchMemory(deps.settingsRepo, deps.messages);
    deps.tools?.setAsk(this.approvals.ask);
    this.catalogue = new ModelCatalogue(deps.settingsRepo);
    this.titles = deps.modelTitles
      ? new ConversationTitles({
          conversations: deps.conversations,
          bus: deps.bus,
          client: deps.client,
          ...deps.titles,
          ...(deps.log ? { log: deps.log } : {}),
        })
      : null;
    this.replies = new ReplyStreams({
      conversations: deps.conversations,
      messages: deps.messages,
      bus: deps.bus,
      client: deps.client,
      clock: deps.clock ?? systemClock,
      deltaIntervalMs: deps.deltaIntervalMs ?? 16,
      flushIntervalMs: deps.flushIntervalMs ?? 500,
      turnsOf: (thread) => turnsOf(thread, deps.libraryDir),
      ...(deps.tools ? { tools: deps.tools } : {}),
      ...(deps.knowledge ? { knowledge: deps.knowledge } : {}),
      ...(deps.log ? { log: deps.log } : {}),
    });
  }

  /** Start-up repair: replies left streaming by a crash become interrupted, partial text kept. */
  recover(): number {
    const count = this.deps.messages.markStreamingInterrupted();
    this.deps.conversations.purgeDeleted((this.deps.clock ?? systemClock).now() - 24 * 60 * 60 * 1000);
    if (count > 0) this.deps.log?.(`marked ${count} reply(s) interrupted after an unclean exit`);
    return count;
  }

  /** Passages a tool found while writing a reply, numbered after its sources and kept with it (`ReplyStreams`). */
  addReplySources(messageId: string, found: readonly Omit<KbSource, 'n'>[]): KbSource[] {
    return this.replies.addSources(messageId, found);
  }

  /** Start-up tidy: attachment files no message points at any more, a day after they were written. */
  async sweepAttachments(): Promise<number> {
    const dayAgo = (this.deps.clock ?? systemClock).now() - 24 * 60 * 60 * 1000;
    const removed = await sweepAttachments(
      this.deps.libraryDir,
      this.deps.messages.attachmentPaths(),
      dayAgo,
    );
    if (removed > 0) this.deps.log?.(`removed ${removed} attachment file(s) no message points at`);
    return removed;
  }

  // ── Models ────────────────────────────────────────────────────────────────────────────────────────────

  models(): ModelsState {
    return this.catalogue.state();
  }

  addCustomModel(model: CustomModel): ModelsState {
    return this.modelsChanged(this.catalogue.add(model));
  }

  removeCustomModel(id: string): ModelsState {
    return this.modelsChanged(this.catalogue.remove(id));
  }

  /** A model picked for a chat: first among the recently used, in every window. */
  modelPicked(id: string): ModelsState {
    return this.modelsChanged(this.catalogue.picked(id));
  }

  private modelsChanged(state: ModelsState): ModelsState {
    this.deps.bus.emit('models.changed', state);
    return state;
  }

  // ── Conversations ─────────────────────────────────────────────────────────────────────────────────────

  listConversations() {
    return this.deps.conversations.list();
  }

  createConversation(input: { model?: string; api?: ChatApi; systemPrompt?: string }): Conversation {
    const model = this.catalogue.info(input.model ?? this.deps.defaultModel?.() ?? DEFAULT_MODEL_ID);
    const api = checkedApi(model, input.api);
    const conversation = this.deps.conversations.create({
      model: model.id,
      api,
      ...(input.systemPrompt !== undefined ? { systemPrompt: input.systemPrompt } : {}),
    });
    this.changed(conversation.id);
    return conversation;
  }

  /**
   * A conversation as the window opens it: the newest page of the branch shown, or, with `around`, the page
   * holding that message (its branch becomes the one shown when it is on another).
   */
  open(id: string, around?: string): OpenConversation {
    const conversation = this.requireConversation(id);
    if (around !== undefined) return this.openAround(conversation, around);
    const leaf = conversation.activeLeafId ?? this.deps.messages.newestLeaf(id);
    if (!leaf) return { conversation, messages: [], hasOlder: false, hasNewer: false };
    const page = this.deps.messages.threadPage(leaf, PAGE_MESSAGES, PAGE_CHARS);
    return {
      conversation,
      messages: this.replies.withUnsaved(page.messages),
      hasOlder: page.hasOlder,
      hasNewer: false,
    };
  }

  /** The page before a message of the branch shown: its ancestors, newest {@link PAGE_MESSAGES} of them. */
  olderMessages(conversationId: string, before: string): OlderMessages {
    const message = this.requireMessage(conversationId, before);
    if (message.parentId === null) return { messages: [], hasOlder: false };
    const page = this.deps.messages.threadPage(message.parentId, PAGE_MESSAGES, PAGE_CHARS);
    return { messages: this.replies.withUnsaved(page.messages), hasOlder: page.hasOlder };
  }

  /** The page after a message of the branch shown, towards its leaf; empty when the message left that branch. */
  newerMessages(conversationId: string, after: string): NewerMessages {
    const conversation = this.requireConversation(conversationId);
    this.requireMessage(conversationId, after);
    const leaf = conversation.activeLeafId ?? this.deps.messages.newestLeaf(conversationId);
    const page = leaf ? this.deps.messages.newerPage(after, leaf, PAGE_MESSAGES) : null;
    if (!page) return { messages: [], hasNewer: false };
    return { messages: this.replies.withUnsaved(page.messages), hasNewer: page.hasNewer };
  }

  /** The whole branch shown, root to leaf: for export, the CLI and tools, never for the window. */
  openWhole(id: string): OpenConversation {
    const conversation = this.requireConversation(id);
    const leaf = conversation.activeLeafId ?? this.deps.messages.newestLeaf(id);
    const messages = leaf ? this.replies.withUnsaved(this.deps.messages.thread(leaf)) : [];
    return { conversation, messages, hasOlder: false, hasNewer: false };
  }

  updateConversation(
    id: string,
    patch: Partial<Pick<Conversation, 'title' | 'pinned' | 'model' | 'api' | 'systemPrompt' | 'params'>>,
  ): Conversation {
    const current = this.requireConversation(id);
    const next = { ...patch };
    if (patch.model !== undefined || patch.api !== undefined) {
      const model = this.catalogue.info(patch.model ?? current.model);
      const apiChanged = patch.api !== undefined;
      next.api = checkedApi(
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
    this.replies.stopConversation(id);
    this.deps.conversations.softDelete(id);
    this.changed(id);
    return { id };
  }

  restoreConversation(id: string): Conversation {
    const conversation = this.deps.conversations.restore(id);
    this.changed(id);
    return conversation;
  }

  /**
   * Shows the branch through a message, opened at that message: below it, the branches chosen when it was last
   * shown (else its newest leaf).
   */
  selectBranch(conversationId: string, messageId: string): OpenConversation {
    const conversation = this.requireConversation(conversationId);
    this.requireMessage(conversationId, messageId);
    this.rememberShown(conversation);
    this.deps.conversations.setActiveLeaf(
      conversationId,
      this.branches.leafUnder(conversationId, messageId),
      {
        touch: false,
      },
    );
    return this.open(conversationId, messageId);
  }

  exportConversation(id: string, format: 'markdown' | 'json'): ConversationFile {
    return exportConversation(this.openWhole(id), () => this.deps.messages.listByConversation(id), format);
  }

  importConversation(content: string): Conversation {
    const id = importConversation(this.deps, content);
    this.changed(id);
    return this.requireConversation(id);
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

  /** A document dropped into the composer: its text extracted and kept for the message that will send it. */
  readDocument(upload: DocumentUpload): Promise<DocumentReading> {
    return readDocument(this.deps.libraryDir, upload);
  }

  // ── Sending ───────────────────────────────────────────────────────────────────────────────────────────

  async send(input: {
    conversationId: string;
    text: string;
    images?: ImageUpload[];
    documents?: DocumentRef[];
    editOf?: string;
    stream?: boolean;
    /** The knowledge bases for this message instead of the chat's (an empty list: none). */
    knowledgeBases?: readonly string[];
  }): Promise<{ streamId: string; userMessage: Message; assistantMessageId: string }> {
    const conversation = this.requireConversation(input.conversationId);
    this.replies.refuseWhileStreaming(conversation.id);
    const images = input.images ?? [];
    let documents = input.documents ?? [];
    if (input.text.trim() === '' && images.length === 0 && documents.length === 0) {
      throw new HubError({
        kind: 'invalid_input',
        message: 'Write a message first.',
        field: 'text',
        reason: { code: 'chatEmpty', values: {} },
      });
    }
    const model = this.catalogue.info(conversation.model);
    const params = checkedParams(conversation, model);
    if (images.length > 0 && !model.vision) {
      throw new HubError({
        kind: 'invalid_input',
        message: `${modelLabel(model.id)} does not accept images. Pick a vision model or remove the images.`,
        field: 'images',
        reason: { code: 'chatNoVision', values: { model: modelLabel(model.id) } },
      });
    }

    let parentId = conversation.activeLeafId ?? this.deps.messages.newestLeaf(conversation.id);
    if (input.editOf) {
      this.rememberShown(conversation);
      const edited = this.deps.messages.get(input.editOf);
      if (!edited || edited.conversationId !== conversation.id || edited.role !== 'user') {
        throw new HubError({
          kind: 'not_found',
          message: 'The message to edit is not in this conversation.',
          reason: { code: 'chatEditGone', values: {} },
        });
      }
      parentId = edited.parentId;
      // An edit asks again about the same documents (its images stay with the original; see the window's edit box).
      if (documents.length === 0) documents = edited.documents;
    }

    await requireDocuments(this.deps.libraryDir, documents);
    const stored = images.length > 0 ? await storeImages(this.deps.libraryDir, images) : [];
    const history = parentId ? this.deps.messages.thread(parentId) : [];
    const untitled = conversation.title === UNTITLED_CONVERSATION && input.text.trim() !== '';
    const title = untitled ? localTitle(input.text) : null;
    // The prompt is committed with the reply's row before the request leaves (docs/architecture.md §Rules 7).
    const started = this.replies.start(() => {
      const userMessage = this.deps.messages.insert({
        ...blankMessage(conversation.id, parentId, 'user'),
        text: input.text,
        images: stored,
        documents,
        status: 'complete',
      });
      if (title) this.deps.conversations.update(conversation.id, { title });
      return {
        conversation,
        model,
        params,
        thread: [...history, userMessage],
        stream: input.stream ?? true,
        knowledgeBases: input.knowledgeBases ?? conversation.params.knowledgeBases ?? [],
      };
    });
    if (title && parentId === null)
      this.nameByModel(started.streamId, conversation, model, input.text, title);
    return {
      streamId: started.streamId,
      userMessage: started.prompt,
      assistantMessageId: started.messageId,
    };
  }

  regenerate(input: { conversationId: string; messageId: string; stream?: boolean }): {
    streamId: string;
    assistantMessageId: string;
  } {
    const conversation = this.requireConversation(input.conversationId);
    this.replies.refuseWhileStreaming(conversation.id);
    const target = this.deps.messages.get(input.messageId);
    if (!target || target.conversationId !== conversation.id) {
      throw new HubError({
        kind: 'not_found',
        message: 'That message is not in this conversation.',
        reason: { code: 'chatMessageGone', values: {} },
      });
    }
    const userMessageId = target.role === 'user' ? target.id : target.parentId;
    if (!userMessageId) {
      throw new HubError({
        kind: 'invalid_input',
        message: 'There is no prompt to answer again.',
        reason: { code: 'chatNoPrompt', values: {} },
      });
    }
    const model = this.catalogue.info(conversation.model);
    const params = checkedParams(conversation, model);
    // A reply given sources is answered again from the same bases (a message's own choice is not stored apart).
    this.rememberShown(conversation);
    const sourced = target.role === 'assistant' ? (target.sources ?? []) : [];
    const knowledgeBases = sourced.length > 0 ? sourced.map((source) => source.baseId) : undefined;
    const started = this.replies.start(() => ({
      conversation,
      model,
      params,
      thread: this.deps.messages.thread(userMessageId),
      stream: input.stream ?? true,
      knowledgeBases: knowledgeBases ?? conversation.params.knowledgeBases ?? [],
    }));
    return { streamId: started.streamId, assistantMessageId: started.messageId };
  }

  /** The window's answer to a tool call waiting for approval. */
  answerTool(messageId: string, callId: string, decision: ToolDecision): { answered: boolean } {
    return { answered: this.approvals.answer(messageId, callId, decision) };
  }

  /** Hands source `n` of a stored reply to `open`: the path stored with the reply, at its page or line. */
  async openSource(
    messageId: string,
    n: number,
    open: (source: OpenableSource) => Promise<{ opened: boolean }>,
  ): Promise<{ opened: boolean }> {
    const source = this.deps.messages.get(messageId)?.sources?.find((candidate) => candidate.n === n);
    if (!source) {
      throw new HubError({
        kind: 'not_found',
        message: `That reply has no source [${n}].`,
        reason: { code: 'chatNoSource', values: { n } },
      });
    }
    return open(source);
  }

  cancel(streamId: string): { cancelled: boolean } {
    return this.replies.cancel(streamId);
  }

  /** Resolves with the stored reply when the stream has ended (the CLI waits on it). */
  whenDone(streamId: string): Promise<Message> {
    return this.replies.whenDone(streamId);
  }

  /** Stops every stream and waits until each has stored its final state. */
  close(): Promise<void> {
    this.titles?.close();
    return this.replies.close();
  }

  /** After a complete first reply, a small request of its own asks the model for a title; the reply never waits. */
  private nameByModel(
    streamId: string,
    conversation: Conversation,
    model: ModelInfo,
    prompt: string,
    title: string,
  ): void {
    const titles = this.titles;
    if (!titles) return;
    this.replies.whenDone(streamId).then(
      (reply) => {
        if (reply.status !== 'complete' || reply.text.trim() === '') return;
        void titles.fromFirstExchange({
          conversationId: conversation.id,
          model,
          api: conversation.api,
          prompt,
          reply: reply.text,
          localTitle: title,
        });
      },
      () => undefined,
    );
  }

  private requireConversation(id: string): Conversation {
    const conversation = this.deps.conversations.get(id);
    if (!conversation) {
      throw new HubError({
        kind: 'not_found',
        message: 'That conversation does not exist.',
        reason: { code: 'chatConversationGone', values: {} },
      });
    }
    return conversation;
  }

  private requireMessage(conversationId: string, messageId: string): Message {
    const message = this.deps.messages.get(messageId);
    if (!message || message.conversationId !== conversationId) {
      throw new HubError({
        kind: 'not_found',
        message: 'That message is not in this conversation.',
        reason: { code: 'chatMessageGone', values: {} },
      });
    }
    return message;
  }

  /** The message with its ancestors before it and the branch below it after, half a page each. */
  private openAround(conversation: Conversation, messageId: string): OpenConversation {
    this.requireMessage(conversation.id, messageId);
    const half = PAGE_MESSAGES / 2;
    let leaf = conversation.activeLeafId ?? this.deps.messages.newestLeaf(conversation.id) ?? messageId;
    let newer = this.deps.messages.newerPage(messageId, leaf, half);
    if (!newer) {
      this.rememberShown(conversation);
      leaf = this.branches.leafUnder(conversation.id, messageId);
      this.deps.conversations.setActiveLeaf(conversation.id, leaf, { touch: false });
      newer = this.deps.messages.newerPage(messageId, leaf, half) ?? { messages: [], hasNewer: false };
    }
    const older = this.deps.messages.threadPage(messageId, half, PAGE_CHARS);
    return {
      conversation: this.requireConversation(conversation.id),
      messages: this.replies.withUnsaved([...older.messages, ...newer.messages]),
      hasOlder: older.hasOlder,
      hasNewer: newer.hasNewer,
    };
  }

  /** Keeps the branch shown before another one replaces it (a switch, an edit, a regenerate). */
  private rememberShown(conversation: Conversation): void {
    this.branches.remember(
      conversation.id,
      conversation.activeLeafId ?? this.deps.messages.newestLeaf(conversation.id),
    );
  }

  private changed(id: string): void {
    this.deps.bus.emit('conversations.changed', { ids: [id] });
  }
}
