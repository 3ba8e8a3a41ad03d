// Past 400 lines: every statement on the messages table (tree, pages, streaming flushes, branches) in one repository.
import type { Statement } from 'better-sqlite3';
import { z } from 'zod';
import {
  imageRefSchema,
  type Message,
  settleToolCalls,
  type ThreadMessage,
  toolCallSchema,
  usageSchema,
} from '../../shared/chat';
import { type KbSource, kbSourcesSchema } from '../../shared/chat-knowledge';
import { documentRefSchema } from '../../shared/documents';
import { appErrorSchema } from '../../shared/errors';
import { chatApiSchema } from '../../shared/models';
import { HubError } from '../base/errors';
import type { Db } from './database';
import { MessageChunksRepo } from './message-chunks-repo';
import { StatementCache } from './statement-cache';

interface MessageRow {
  id: string;
  conversation_id: string;
  parent_id: string | null;
  role: 'user' | 'assistant';
  text: string;
  reasoning: string;
  images: string;
  documents: string;
  tool_calls: string;
  sources: string | null;
  model: string | null;
  api: string | null;
  status: Message['status'];
  finish_reason: string | null;
  error: string | null;
  usage: string | null;
  first_token_ms: number | null;
  created_at: number;
  updated_at: number;
}

const COLUMNS = `id, conversation_id, parent_id, role, text, reasoning, images, documents, tool_calls, sources, model,
  api, status, finish_reason, error, usage, first_token_ms, created_at, updated_at`;

/** A stretch of a branch, oldest first; `hasOlder` when its first message has a parent. */
export interface ThreadPage {
  messages: ThreadMessage[];
  hasOlder: boolean;
}

/** Past this many rows, reading every parent link of the conversation costs less than looking each one up. */
const WHOLE_BRANCH_ROWS = 500;

/** The columns read through the alias `m`, where a recursive walk's own columns would make the names ambiguous. */
const PATH_COLUMNS = COLUMNS.split(',')
  .map((column) => `m.${column.trim()}`)
  .join(', ');

export type NewMessage = Omit<Message, 'createdAt' | 'updatedAt'> & { createdAt?: number };
export type MessageProgress = Pick<Message, 'text' | 'reasoning' | 'toolCalls' | 'usage' | 'firstTokenMs'>;
export type MessageFinal = Pick<
  Message,
  'status' | 'text' | 'reasoning' | 'toolCalls' | 'usage' | 'firstTokenMs' | 'finishReason' | 'error'
>;

/** What the last flush of a streaming reply stored, so the next one appends only what is new. */
interface Flushed {
  text: string;
  reasoning: string;
  /** toolCalls, usage and firstTokenMs as last written to the row. */
  rest: string;
}

/** Messages of all conversations, as a tree per conversation: edits and regenerations are siblings. */
export class MessagesRepo {
  private readonly flushed = new Map<string, Flushed>();
  private readonly statements: StatementCache;
  private readonly chunks: MessageChunksRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {
    this.statements = new StatementCache(db);
    this.chunks = new MessageChunksRepo(db);
  }

  /** A prepared statement, prepared once per text (the triggers on messages make preparing a write costly). */
  private sql(text: string): Statement {
    return this.statements.get(text);
  }

  /** The parent, when given, must be a message of the same conversation. */
  insert(message: NewMessage): Message {
    const conversation = this.sql('SELECT 1 FROM conversations WHERE id = ?').get(message.conversationId);
    if (!conversation) {
      throw new HubError({
        kind: 'not_found',
        message: `No conversation with id "${message.conversationId}".`,
        field: 'conversationId',
        reason: { code: 'chatConversationGone', values: {} },
      });
    }
    if (message.parentId !== null) {
      const parent = this.sql('SELECT 1 FROM messages WHERE id = ? AND conversation_id = ?').get(
        message.parentId,
        message.conversationId,
      );
      if (!parent) {
        throw new HubError({
          kind: 'not_found',
          message: `No message with id "${message.parentId}" in this conversation.`,
          field: 'parentId',
          reason: { code: 'chatMessageGone', values: {} },
        });
      }
    }
    const now = this.clock();
    const { createdAt, ...rest } = message;
    const stored: Message = { ...rest, createdAt: createdAt ?? now, updatedAt: now };
    this.sql(
      `INSERT INTO messages (${COLUMNS}) VALUES (@id, @conversation_id, @parent_id, @role, @text, @reasoning,
           @images, @documents, @tool_calls, @sources, @model, @api, @status, @finish_reason, @error, @usage,
           @first_token_ms,
           @created_at, @updated_at)`,
    ).run(toRow(stored));
    return stored;
  }

  get(id: string): Message | undefined {
    const row = this.sql(`SELECT ${COLUMNS} FROM messages WHERE id = ?`).get(id) as MessageRow | undefined;
    return row ? this.withStreamedText(toMessage(row)) : undefined;
  }

  /**
   * Streaming flush; the status stays 'streaming' and a message already finished is left alone. Text and
   * reasoning that only grew since the last flush are appended as a row of message_chunks (the write is the new
   * part, not the whole reply again); the row itself is written when its tool calls, usage or first-token time
   * changed, or when the text was not a continuation.
   */
  saveProgress(id: string, progress: MessageProgress): void {
    const rest = JSON.stringify([progress.toolCalls, progress.usage, progress.firstTokenMs]);
    const last = this.flushed.get(id);
    const streaming = this.db.transaction(() => {
      if (!last || !progress.text.startsWith(last.text) || !progress.reasoning.startsWith(last.reasoning)) {
        this.chunks.drop(id);
        return this.saveProgressRow(id, progress, { text: progress.text, reasoning: progress.reasoning });
      }
      const text = progress.text.slice(last.text.length);
      const reasoning = progress.reasoning.slice(last.reasoning.length);
      const appended = text === '' && reasoning === '' ? true : this.chunks.append(id, { text, reasoning });
      return rest === last.rest ? appended : this.saveProgressRow(id, progress);
    })();
    if (streaming) this.flushed.set(id, { text: progress.text, reasoning: progress.reasoning, rest });
    else this.flushed.delete(id);
  }

  /** Writes the row's part of a flush (and its whole text when given); false when it is no longer streaming. */
  private saveProgressRow(
    id: string,
    progress: MessageProgress,
    whole?: { text: string; reasoning: string },
  ): boolean {
    const text = whole ? 'text = @text, reasoning = @reasoning,' : '';
    return (
      this.sql(
        `UPDATE messages SET ${text} tool_calls = @toolCalls, usage = @usage, first_token_ms = @firstTokenMs,
             updated_at = @now
           WHERE id = @id AND status = 'streaming'`,
      ).run({
        ...(whole ?? {}),
        toolCalls: JSON.stringify(progress.toolCalls),
        usage: jsonOrNull(progress.usage),
        firstTokenMs: progress.firstTokenMs,
        now: this.clock(),
        id,
      }).changes > 0
    );
  }

  /** A streaming message with the text and reasoning of its flushed chunks; any other message as it is. */
  withStreamedText<T extends Message>(message: T): T {
    if (message.status !== 'streaming') return message;
    const added = this.chunks.read(message.id);
    return { ...message, text: message.text + added.text, reasoning: message.reasoning + added.reasoning };
  }

  /** The passages of the user's knowledge bases a reply is given, stored before its request leaves. */
  saveSources(id: string, sources: readonly KbSource[]): void {
    const json = sources.length > 0 ? JSON.stringify(sources) : null;
    if (this.sql('UPDATE messages SET sources = ? WHERE id = ?').run(json, id).changes === 0) {
      throw messageNotFound(id);
    }
  }

  /** The final state of a reply: complete, interrupted or failed, with the proxy's error kept. */
  finish(id: string, final: MessageFinal): Message {
    // One transaction: a final write that fails (a full disk) keeps the chunks, so recovery still has them.
    const result = this.db.transaction(() => {
      this.chunks.drop(id);
      return this.sql(
        `UPDATE messages SET status = ?, text = ?, reasoning = ?, tool_calls = ?, usage = ?, first_token_ms = ?,
           finish_reason = ?, error = ?, updated_at = ?
         WHERE id = ?`,
      ).run(
        final.status,
        final.text,
        final.reasoning,
        JSON.stringify(final.toolCalls),
        jsonOrNull(final.usage),
        final.firstTokenMs,
        final.finishReason,
        jsonOrNull(final.error),
        this.clock(),
        id,
      );
    })();
    this.flushed.delete(id);
    if (result.changes === 0) throw messageNotFound(id);
    return this.get(id) as Message;
  }

  /** Root → leaf along parent links, the whole branch; each message with all children of its parent, oldest first. */
  thread(leafId: string): ThreadMessage[] {
    const rows = this.db
      .prepare(
        `WITH RECURSIVE path (seq, parent_id, depth) AS (
           SELECT seq, parent_id, 0 FROM messages WHERE id = ?
           UNION ALL
           SELECT m.seq, m.parent_id, path.depth + 1 FROM messages m JOIN path ON m.id = path.parent_id
         )
         SELECT ${PATH_COLUMNS} FROM path JOIN messages m ON m.seq = path.seq
         ORDER BY path.depth DESC`,
      )
      .all(leafId) as MessageRow[];
    if (rows.length === 0) throw messageNotFound(leafId);
    return this.withSiblings(rows);
  }

  /**
   * A message and its ancestors, oldest first: at most `limit` messages and, past the first one, at most about
   * `maxChars` characters of text, reasoning and tool calls. The cursor for the page before is the first
   * message's id (its parent starts that page), so messages added below never shift a page.
   */
  threadPage(fromId: string, limit: number, maxChars = Number.MAX_SAFE_INTEGER): ThreadPage {
    const rows = this.db
      .prepare(
        `WITH RECURSIVE path (seq, parent_id, depth, chars) AS (
           SELECT seq, parent_id, 0, length(text) + length(reasoning) + length(tool_calls) FROM messages WHERE id = ?
           UNION ALL
           SELECT m.seq, m.parent_id, path.depth + 1,
                  path.chars + length(m.text) + length(m.reasoning) + length(m.tool_calls)
           FROM messages m JOIN path ON m.id = path.parent_id
           WHERE path.depth + 1 < ? AND path.chars <= ?
         )
         SELECT ${PATH_COLUMNS} FROM path JOIN messages m ON m.seq = path.seq
         WHERE path.depth = 0 OR path.chars <= ?
         ORDER BY path.depth DESC`,
      )
      .all(fromId, limit, maxChars, maxChars) as MessageRow[];
    const oldest = rows[0];
    if (!oldest) throw messageNotFound(fromId);
    return { messages: this.withSiblings(rows), hasOlder: oldest.parent_id !== null };
  }

  /**
   * The messages after `afterId` on the branch that ends at `leafId`, oldest first, at most `limit`; null when
   * `afterId` is not on that branch. Walks up from the leaf, so it costs the distance between the two.
   */
  newerPage(
    afterId: string,
    leafId: string,
    limit: number,
  ): { messages: ThreadMessage[]; hasNewer: boolean } | null {
    const path = this.db
      .prepare(
        `WITH RECURSIVE path (id, parent_id, depth) AS (
           SELECT id, parent_id, 0 FROM messages WHERE id = ?
           UNION ALL
           SELECT m.id, m.parent_id, path.depth + 1 FROM messages m JOIN path ON m.id = path.parent_id
           WHERE path.id <> ?
         )
         SELECT id FROM path ORDER BY depth DESC`,
      )
      .pluck()
      .all(leafId, afterId) as string[];
    if (path[0] !== afterId) return null;
    const wanted = path.slice(1, 1 + limit);
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM messages WHERE id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(wanted)) as MessageRow[];
    const byId = new Map(rows.map((row) => [row.id, row]));
    const ordered = wanted.map((id) => byId.get(id)).filter((row) => row !== undefined);
    return { messages: this.withSiblings(ordered), hasNewer: path.length - 1 > limit };
  }

  /**
   * Each row as a thread message with the ids of its parent's children. A page reads the children of its rows'
   * parents only (on messages_by_parent); a whole branch reads every link of the conversation once.
   */
  private withSiblings(rows: MessageRow[]): ThreadMessage[] {
    const first = rows[0];
    if (!first) return [];
    const conversationId = first.conversation_id;
    const parentIds = [...new Set(rows.flatMap((row) => (row.parent_id === null ? [] : [row.parent_id])))];
    const links = (
      rows.length > WHOLE_BRANCH_ROWS
        ? this.db
            .prepare('SELECT id, parent_id FROM messages WHERE conversation_id = ? ORDER BY created_at, seq')
            .all(conversationId)
        : [
            ...(first.parent_id === null
              ? this.db
                  .prepare(
                    `SELECT id, parent_id FROM messages WHERE conversation_id = ? AND parent_id IS NULL
                     ORDER BY created_at, seq`,
                  )
                  .all(conversationId)
              : []),
            ...this.db
              .prepare(
                `SELECT id, parent_id FROM messages
                 WHERE conversation_id = ? AND parent_id IN (SELECT value FROM json_each(?))
                 ORDER BY created_at, seq`,
              )
              .all(conversationId, JSON.stringify(parentIds)),
          ]
    ) as { id: string; parent_id: string | null }[];
    const children = new Map<string | null, string[]>();
    for (const link of links) {
      const siblings = children.get(link.parent_id);
      if (siblings) siblings.push(link.id);
      else children.set(link.parent_id, [link.id]);
    }
    return rows.map((row) => ({
      ...this.withStreamedText(toMessage(row)),
      siblingIds: children.get(row.parent_id) ?? [row.id],
    }));
  }

  /** The leaf reached from a message by following its newest child until there is none. */
  newestLeafUnder(messageId: string): string {
    const start = this.db.prepare('SELECT conversation_id FROM messages WHERE id = ?').get(messageId) as
      | { conversation_id: string }
      | undefined;
    if (!start) throw messageNotFound(messageId);
    const row = this.db
      .prepare(
        `WITH RECURSIVE walk (id, depth) AS (
           SELECT ?, 0
           UNION ALL
           SELECT (SELECT c.id FROM messages c WHERE c.conversation_id = ? AND c.parent_id = walk.id
                   ORDER BY c.created_at DESC, c.seq DESC LIMIT 1),
                  walk.depth + 1
           FROM walk WHERE walk.id IS NOT NULL
         )
         SELECT id FROM walk WHERE id IS NOT NULL ORDER BY depth DESC LIMIT 1`,
      )
      .get(messageId, start.conversation_id) as { id: string };
    return row.id;
  }

  /** Whether `ancestorId` is on the path from the root to `messageId` (a message is under itself). */
  isUnder(messageId: string, ancestorId: string): boolean {
    const row = this.statements
      .get(
        `WITH RECURSIVE up (id, parent_id) AS (
           SELECT id, parent_id FROM messages WHERE id = ?
           UNION ALL
           SELECT m.id, m.parent_id FROM messages m JOIN up ON m.id = up.parent_id
         )
         SELECT 1 AS found FROM up WHERE id = ? LIMIT 1`,
      )
      .get(messageId, ancestorId);
    return row !== undefined;
  }

  /** The newest message without children in a conversation, or null when it has no messages. */
  newestLeaf(conversationId: string): string | null {
    const row = this.statements
      .get(
        `SELECT m.id FROM messages m
         WHERE m.conversation_id = ?
           AND NOT EXISTS (SELECT 1 FROM messages c WHERE c.conversation_id = m.conversation_id AND c.parent_id = m.id)
         ORDER BY m.created_at DESC, m.seq DESC LIMIT 1`,
      )
      .get(conversationId) as { id: string } | undefined;
    return row?.id ?? null;
  }

  /** Crash recovery at start-up: replies left 'streaming' become 'interrupted', their partial text kept. */
  markStreamingInterrupted(): number {
    return this.db.transaction(() => {
      // Everything flushed so far: the chunks appended while streaming join the row's text.
      const fold = this.db.prepare(
        "UPDATE messages SET text = text || ?, reasoning = reasoning || ? WHERE id = ? AND status = 'streaming'",
      );
      for (const id of this.chunks.messageIds()) {
        const added = this.chunks.read(id);
        fold.run(added.text, added.reasoning, id);
        this.chunks.drop(id);
      }
      // Tool calls cut off mid-loop are settled as cancelled, with a result the model reads (issue 15).
      const rows = this.db
        .prepare("SELECT id, tool_calls FROM messages WHERE status = 'streaming' AND tool_calls != '[]'")
        .all() as { id: string; tool_calls: string }[];
      const settle = this.db.prepare('UPDATE messages SET tool_calls = ? WHERE id = ?');
      for (const row of rows) {
        settle.run(JSON.stringify(settleToolCalls(readJson(row.tool_calls, toolCallsSchema, []))), row.id);
      }
      return this.db
        .prepare("UPDATE messages SET status = 'interrupted', updated_at = ? WHERE status = 'streaming'")
        .run(this.clock()).changes;
    })();
  }

  /** Runs `write` as one transaction, whichever repositories it writes through: one commit for all its rows. */
  transaction<T>(write: () => T): T {
    return this.db.transaction(write)();
  }

  /** Every message of a conversation, all branches, oldest first (a parent always before its children). */
  listByConversation(conversationId: string): Message[] {
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY created_at, seq`)
      .all(conversationId) as MessageRow[];
    return rows.map((row) => this.withStreamedText(toMessage(row)));
  }

  /** The library paths of every image and document a stored message (in the bin too) points at. */
  attachmentPaths(): Set<string> {
    const rows = this.db
      .prepare(`SELECT images, documents FROM messages WHERE images != '[]' OR documents != '[]'`)
      .all() as Pick<MessageRow, 'images' | 'documents'>[];
    const paths = new Set<string>();
    for (const row of rows) {
      for (const image of readJson(row.images, imagesSchema, [])) paths.add(image.path);
      for (const document of readJson(row.documents, documentsSchema, [])) paths.add(document.path);
    }
    return paths;
  }
}

function messageNotFound(id: string): HubError {
  return new HubError({
    kind: 'not_found',
    message: `No message with id "${id}".`,
    field: 'messageId',
    reason: { code: 'messageGone', values: {} },
  });
}

function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** A JSON column read back; a value that no longer fits its schema becomes the fallback instead of failing. */
function readJson<T>(text: string | null, schema: z.ZodType<T>, fallback: T): T {
  if (text === null) return fallback;
  if (text === '[]' && Array.isArray(fallback)) return [] as T;
  try {
    const result = schema.safeParse(JSON.parse(text));
    return result.success ? result.data : fallback;
  } catch {
    return fallback;
  }
}

const imagesSchema = z.array(imageRefSchema);
const documentsSchema = z.array(documentRefSchema);
const toolCallsSchema = z.array(toolCallSchema);
const sourcesSchema = kbSourcesSchema.nullable();

function toMessage(row: MessageRow): Message {
  const api = row.api === null ? null : chatApiSchema.safeParse(row.api);
  const sources = readJson(row.sources, sourcesSchema, null);
  return {
    id: row.id,
    conversationId: row.conversation_id,
    parentId: row.parent_id,
    role: row.role,
    text: row.text,
    reasoning: row.reasoning,
    images: readJson(row.images, imagesSchema, []),
    documents: readJson(row.documents, documentsSchema, []),
    toolCalls: readJson(row.tool_calls, toolCallsSchema, []),
    ...(sources && sources.length > 0 ? { sources } : {}),
    model: row.model,
    api: api?.success ? api.data : null,
    status: row.status,
    finishReason: row.finish_reason,
    error: readJson(row.error, appErrorSchema.nullable(), null),
    usage: readJson(row.usage, usageSchema.nullable(), null),
    firstTokenMs: row.first_token_ms,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRow(message: Message): MessageRow {
  return {
    id: message.id,
    conversation_id: message.conversationId,
    parent_id: message.parentId,
    role: message.role,
    text: message.text,
    reasoning: message.reasoning,
    images: JSON.stringify(message.images),
    documents: JSON.stringify(message.documents),
    tool_calls: JSON.stringify(message.toolCalls),
    sources: message.sources && message.sources.length > 0 ? JSON.stringify(message.sources) : null,
    model: message.model,
    api: message.api,
    status: message.status,
    finish_reason: message.finishReason,
    error: jsonOrNull(message.error),
    usage: jsonOrNull(message.usage),
    first_token_ms: message.firstTokenMs,
    created_at: message.createdAt,
    updated_at: message.updatedAt,
  };
}
