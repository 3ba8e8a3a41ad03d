import { randomUUID } from 'node:crypto';
import { type Conversation, type ConversationSummary, UNTITLED_CONVERSATION } from '../../shared/chat';
import { type ChatParams, chatParamsSchema } from '../../shared/chat-params';
import { type ChatApi, chatApiSchema } from '../../shared/models';
import { plainPreview } from '../../shared/plain-preview';
import { HubError } from '../base/errors';
import type { Db } from './database';
import { StatementCache } from './statement-cache';

const PREVIEW_LENGTH = 120;
/** Read more than is shown: Markdown and citation marks are taken out before cutting. */
const PREVIEW_SOURCE_LENGTH = PREVIEW_LENGTH * 3;

interface ConversationRow {
  id: string;
  title: string;
  pinned: number;
  model: string;
  api: string;
  system_prompt: string;
  params: string;
  active_leaf_id: string | null;
  created_at: number;
  updated_at: number;
}

interface SummaryRow {
  id: string;
  title: string;
  pinned: number;
  model: string;
  updated_at: number;
  preview: string | null;
  message_count: number;
}

export type ConversationPatch = Partial<
  Pick<Conversation, 'title' | 'pinned' | 'model' | 'api' | 'systemPrompt' | 'params'>
>;

/** Conversations: their settings, the branch being shown, and soft deletion (the bin) for undo. */
export class ConversationsRepo {
  /** The statements of sending a prompt (read, retitle, active leaf, touch), prepared once. */
  private readonly statements: StatementCache;

  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {
    this.statements = new StatementCache(db);
  }

  create(input: {
    title?: string;
    model: string;
    api: ChatApi;
    systemPrompt?: string;
    params?: ChatParams;
  }): Conversation {
    const now = this.clock();
    const conversation: Conversation = {
      id: randomUUID(),
      title: input.title ?? UNTITLED_CONVERSATION,
      pinned: false,
      model: input.model,
      api: input.api,
      systemPrompt: input.systemPrompt ?? '',
      params: input.params ?? {},
      activeLeafId: null,
      createdAt: now,
      updatedAt: now,
    };
    this.db
      .prepare(
        `INSERT INTO conversations
           (id, title, pinned, model, api, system_prompt, params, active_leaf_id, created_at, updated_at)
         VALUES (@id, @title, @pinned, @model, @api, @system_prompt, @params, @active_leaf_id, @created_at, @updated_at)`,
      )
      .run(toRow(conversation));
    return conversation;
  }

  /** Undefined for an unknown id and for a conversation in the bin. */
  get(id: string): Conversation | undefined {
    const row = this.statements
      .get('SELECT * FROM conversations WHERE id = ? AND deleted_at IS NULL')
      .get(id) as ConversationRow | undefined;
    return row ? toConversation(row) : undefined;
  }

  /** Conversations not in the bin: pinned first, then the most recently updated. */
  list(): ConversationSummary[] {
    const rows = this.db
      .prepare(
        `SELECT c.id, c.title, c.pinned, c.model, c.updated_at,
           COALESCE(
             (SELECT substr(m.text, 1, ${PREVIEW_SOURCE_LENGTH}) FROM messages m
               WHERE m.id = c.active_leaf_id AND m.conversation_id = c.id),
             (SELECT substr(m.text, 1, ${PREVIEW_SOURCE_LENGTH}) FROM messages m
               WHERE m.conversation_id = c.id ORDER BY m.created_at DESC, m.seq DESC LIMIT 1)
           ) AS preview,
           c.message_count
         FROM conversations c
         WHERE c.deleted_at IS NULL
         ORDER BY c.pinned DESC, c.updated_at DESC, c.rowid DESC`,
      )
      .all() as SummaryRow[];
    return rows.map((row) => ({
      id: row.id,
      title: row.title,
      pinned: row.pinned === 1,
      model: row.model,
      updatedAt: row.updated_at,
      preview: plainPreview(row.preview ?? '', PREVIEW_LENGTH),
      messageCount: row.message_count,
    }));
  }

  update(id: string, patch: ConversationPatch): Conversation {
    const current = this.require(id);
    const next: Conversation = {
      ...current,
      ...definedFields(patch),
      updatedAt: this.clock(),
    };
    this.statements
      .get(
        `UPDATE conversations SET title = @title, pinned = @pinned, model = @model, api = @api,
           system_prompt = @system_prompt, params = @params, updated_at = @updated_at
         WHERE id = @id`,
      )
      .run(toRow(next));
    return next;
  }

  /** A tool server was renamed: every conversation (the bin's too) that offers it names it anew. Returns how many. */
  renameToolServer(from: string, to: string): number {
    return this.db
      .prepare(
        `UPDATE conversations SET params = json_set(params, '$.toolServers', json((
           SELECT json_group_array(CASE WHEN lower(value) = lower(@from) THEN @to ELSE value END)
           FROM (SELECT value FROM json_each(conversations.params, '$.toolServers') ORDER BY key))))
         WHERE json_valid(params) AND EXISTS (
           SELECT 1 FROM json_each(conversations.params, '$.toolServers') WHERE lower(value) = lower(@from))`,
      )
      .run({ from, to }).changes;
  }

  /**
   * A title not given by the user (the model's) replaces `expected` only: a title the user set in the meantime stays.
   * The conversation keeps its place in the list. Returns whether the title changed.
   */
  retitle(id: string, expected: string, title: string): boolean {
    return (
      this.statements
        .get('UPDATE conversations SET title = ? WHERE id = ? AND title = ? AND deleted_at IS NULL')
        .run(title, id, expected).changes > 0
    );
  }

  /**
   * The branch to show: `messageId` must belong to the conversation; null shows none (an empty conversation).
   * A new message moves the conversation up the list; `{ touch: false }` (showing another branch) does not.
   */
  setActiveLeaf(id: string, messageId: string | null, { touch = true }: { touch?: boolean } = {}): void {
    this.require(id);
    if (messageId !== null) {
      const belongs = this.statements
        .get('SELECT 1 FROM messages WHERE id = ? AND conversation_id = ?')
        .get(messageId, id);
      if (!belongs) {
        throw new HubError({
          kind: 'not_found',
          message: `No message with id "${messageId}" in this conversation.`,
          field: 'messageId',
          reason: { code: 'chatMessageGone', values: {} },
        });
      }
    }
    if (touch) {
      this.statements
        .get('UPDATE conversations SET active_leaf_id = ?, updated_at = ? WHERE id = ?')
        .run(messageId, this.clock(), id);
    } else {
      this.statements.get('UPDATE conversations SET active_leaf_id = ? WHERE id = ?').run(messageId, id);
    }
  }

  touch(id: string): void {
    this.statements
      .get('UPDATE conversations SET updated_at = ? WHERE id = ? AND deleted_at IS NULL')
      .run(this.clock(), id);
  }

  /** Moves the conversation to the bin (hidden from list, get and search). Deleting it twice changes nothing. */
  softDelete(id: string): void {
    const result = this.db
      .prepare('UPDATE conversations SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL')
      .run(this.clock(), id);
    if (result.changes === 0 && !this.exists(id)) throw notFound(id);
  }

  /** Takes the conversation out of the bin, in its old place in the list. */
  restore(id: string): Conversation {
    if (!this.exists(id)) throw notFound(id);
    this.db.prepare('UPDATE conversations SET deleted_at = NULL WHERE id = ?').run(id);
    return this.require(id);
  }

  /** Removes, with their messages and drafts, conversations in the bin since before `olderThan` (epoch ms). */
  purgeDeleted(olderThan: number): number {
    return this.db.transaction(() => {
      this.db
        .prepare(
          `DELETE FROM drafts WHERE conversation_id IN
             (SELECT id FROM conversations WHERE deleted_at IS NOT NULL AND deleted_at < ?)`,
        )
        .run(olderThan);
      return this.db
        .prepare('DELETE FROM conversations WHERE deleted_at IS NOT NULL AND deleted_at < ?')
        .run(olderThan).changes;
    })();
  }

  private exists(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM conversations WHERE id = ?').get(id) !== undefined;
  }

  private require(id: string): Conversation {
    const conversation = this.get(id);
    if (!conversation) throw notFound(id);
    return conversation;
  }
}

function notFound(id: string): HubError {
  return new HubError({
    kind: 'not_found',
    message: `No conversation with id "${id}".`,
    field: 'id',
    reason: { code: 'chatConversationGone', values: {} },
  });
}

function definedFields(patch: ConversationPatch): ConversationPatch {
  return Object.fromEntries(
    Object.entries(patch).filter(([, value]) => value !== undefined),
  ) as ConversationPatch;
}

/** An API this version does not know reads as chat completions. */
const storedApiSchema = chatApiSchema.catch('openai-chat');

function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    title: row.title,
    pinned: row.pinned === 1,
    model: row.model,
    api: storedApiSchema.parse(row.api),
    systemPrompt: row.system_prompt,
    params: parseParams(row.params),
    activeLeafId: row.active_leaf_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function parseParams(json: string): ChatParams {
  try {
    const result = chatParamsSchema.safeParse(JSON.parse(json));
    return result.success ? result.data : {};
  } catch {
    return {};
  }
}

function toRow(conversation: Conversation): ConversationRow {
  return {
    id: conversation.id,
    title: conversation.title,
    pinned: conversation.pinned ? 1 : 0,
    model: conversation.model,
    api: conversation.api,
    system_prompt: conversation.systemPrompt,
    params: JSON.stringify(conversation.params),
    active_leaf_id: conversation.activeLeafId,
    created_at: conversation.createdAt,
    updated_at: conversation.updatedAt,
  };
}
