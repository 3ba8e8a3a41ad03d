import { z } from 'zod';
import { UNTITLED_CONVERSATION, type Usage } from '../../../shared/chat';
import type { ModelTitlesState } from '../../../shared/costs-channels';
import type { ChatApi, ModelInfo } from '../../../shared/models';
import { adapterFor } from '../../api/chat/index';
import type { HttpClient } from '../../api/http-client';
import type { ConversationsRepo } from '../../store/conversations-repo';
import type { SettingsRepo } from '../../store/settings-repo';
import type { EventBus } from '../event-bus';

/** A local title's width in columns (a CJK character takes two): about six English words. */
const LOCAL_TITLE_COLUMNS = 40;
/** A model's title past this many columns is cut at a word. */
const MODEL_TITLE_COLUMNS = 60;
/** How much of the prompt and of the reply the title request sends. */
const EXCERPT_CHARS = 1200;

/** The request's first words: the fake proxy (test/fake-proxy/text.ts) recognizes a title request by them. */
export const TITLE_REQUEST_LEAD = 'Write a short title for this conversation.';

const TITLE_SYSTEM =
  'You name conversations. Answer with the title only: at most six words, in the language of the user message, ' +
  'no quotes, no final punctuation.';

const words = new Intl.Segmenter(undefined, { granularity: 'word' });
const sentences = new Intl.Segmenter(undefined, { granularity: 'sentence' });

function columns(text: string): number {
  let width = 0;
  for (const char of text)
    width += /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(char) ? 2 : 1;
  return width;
}

/** Markdown marks, links and runs of white space out; the text a person would read. */
function plain(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`#>~|]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The text's first words within `budget` columns, cut between words; `…` when something was left off. */
function firstWords(text: string, budget: number): string {
  if (columns(text) <= budget) return text;
  let kept = '';
  for (const { segment } of words.segment(text)) {
    if (columns(kept + segment) > budget) break;
    kept += segment;
  }
  // A single word longer than the budget is cut inside it rather than dropped.
  const cut = kept.trim() || Array.from(text).slice(0, budget).join('');
  return `${cut.replace(/[\s,;:，、；：-]+$/u, '')}…`;
}

/**
 * A title made here, without a model: the first sentence of the message's first line, its first words, without
 * Markdown and without a trailing full stop or comma (a question mark stays).
 */
export function localTitle(text: string): string {
  const line = plain(
    text
      .trim()
      .split('\n')
      .find((candidate) => plain(candidate) !== '') ?? '',
  );
  const sentence = (sentences.segment(line)[Symbol.iterator]().next().value?.segment ?? line).trim();
  const short = firstWords(sentence, LOCAL_TITLE_COLUMNS).replace(/[.,;:。，、；：]+$/u, '');
  return short || UNTITLED_CONVERSATION;
}

/** The title in a model's answer: its first line without a "Title:" lead, quotes, Markdown or final full stop. */
export function titleFromAnswer(answer: string): string | null {
  const line = answer.split('\n').find((candidate) => candidate.trim() !== '') ?? '';
  const title = plain(line)
    .replace(/^(title|标题|tiêu đề)\s*[:：]\s*/iu, '')
    .replace(/^["'“”‘’「」『』«»]+|["'“”‘’「」『』«»]+$/gu, '')
    .replace(/[.。]+$/u, '')
    .trim();
  return title ? firstWords(title, MODEL_TITLE_COLUMNS) : null;
}

export interface TitleRequest {
  conversationId: string;
  model: ModelInfo;
  api: ChatApi;
  prompt: string;
  reply: string;
  /** The title given when the prompt was sent; the model's title replaces only this one. */
  localTitle: string;
}

/** The tokens of one title request, for the usage page (no stored message holds them). */
export interface TitleUsageRecord {
  conversationId: string;
  model: string;
  usage: Usage;
}

interface ConversationTitlesDeps {
  conversations: ConversationsRepo;
  bus: EventBus;
  client: () => HttpClient;
  /** Whether the user lets the model name conversations (Settings → Chat); asked before each request. */
  enabled?: () => boolean;
  recordUsage?: (record: TitleUsageRecord) => void;
  log?: (line: string) => void;
}

export const MODEL_TITLES_KEY = 'chat.modelTitles';

/** Settings → Chat: whether a new conversation is named by its model (on unless turned off) or locally. */
export class ModelTitlesSetting {
  constructor(private readonly deps: { settingsRepo: SettingsRepo; bus: EventBus }) {}

  state(): ModelTitlesState {
    return { enabled: this.deps.settingsRepo.get(MODEL_TITLES_KEY, z.boolean()) ?? true };
  }

  set(enabled: boolean): ModelTitlesState {
    this.deps.settingsRepo.set(MODEL_TITLES_KEY, enabled);
    const state = this.state();
    this.deps.bus.emit('titles.changed', state);
    return state;
  }
}

/** Names a conversation by its model after the first reply, unless the user has named it since. */
export class ConversationTitles {
  private readonly running = new Set<AbortController>();
  private closed = false;

  constructor(private readonly deps: ConversationTitlesDeps) {}

  /** Never throws: without an answer (offline, a refusal) the local title stays. */
  async fromFirstExchange(request: TitleRequest): Promise<void> {
    if (
      this.closed ||
      this.deps.enabled?.() === false ||
      this.deps.conversations.get(request.conversationId)?.title !== request.localTitle
    )
      return;
    const controller = new AbortController();
    this.running.add(controller);
    try {
      const title = await this.ask(request, controller.signal);
      if (title && this.deps.conversations.retitle(request.conversationId, request.localTitle, title)) {
        this.deps.bus.emit('conversations.changed', { ids: [request.conversationId] });
      }
    } catch (cause) {
      if (!controller.signal.aborted) {
        this.deps.log?.(
          `no model title for a conversation: ${cause instanceof Error ? cause.message : String(cause)}`,
        );
      }
    } finally {
      this.running.delete(controller);
    }
  }

  /** A failure to record is logged: the title still counts for more than its line on the usage page. */
  private record(record: TitleUsageRecord): void {
    try {
      this.deps.recordUsage?.(record);
    } catch (cause) {
      this.deps.log?.(`the tokens of a title request were not recorded: ${String(cause)}`);
    }
  }

  /** Stops the requests under way (the app is closing). */
  close(): void {
    this.closed = true;
    for (const controller of this.running) controller.abort();
  }

  private async ask(request: TitleRequest, signal: AbortSignal): Promise<string | null> {
    const adapter = adapterFor(request.api);
    const exchange = [
      TITLE_REQUEST_LEAD,
      '<conversation>',
      `User: ${request.prompt.slice(0, EXCERPT_CHARS)}`,
      `Assistant: ${request.reply.slice(0, EXCERPT_CHARS)}`,
      '</conversation>',
    ].join('\n');
    const call = adapter.buildCall({
      model: request.model,
      system: TITLE_SYSTEM,
      turns: [{ role: 'user', text: exchange, images: [], toolCalls: [] }],
      params: {},
      stream: false,
    });
    const response = await this.deps.client().json({ ...call, signal, retry: false });
    const events = adapter.parseResponse(response.data);
    let usage: Usage | null = null;
    for (const event of events) if (event.type === 'usage') usage = { ...(usage ?? {}), ...event.usage };
    if (usage) this.record({ conversationId: request.conversationId, model: request.model.id, usage });
    return titleFromAnswer(events.map((event) => (event.type === 'text' ? event.text : '')).join(''));
  }
}
