/** The text a streaming reply gained flush by flush (migration 12), for MessagesRepo. */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';
import { StatementCache } from './statement-cache';

export interface StreamedText {
  text: string;
  reasoning: string;
}

/**
 * Each flush's new text and reasoning, deflated: a flush of a few kilobytes then usually fits in the table's leaf
 * page, so it commits one page instead of a leaf and the overflow pages of its text.
 */
export class MessageChunksRepo {
  private readonly statements: StatementCache;

  constructor(db: Db) {
    this.statements = new StatementCache(db);
  }

  private sql(text: string): Statement {
    return this.statements.get(text);
  }

  /** Appends to a reply that is still streaming; false (nothing written) when it is not. */
  append(messageId: string, added: StreamedText): boolean {
    return (
      this.sql(
        `INSERT INTO message_chunks (message_id, text, reasoning)
         SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM messages WHERE id = ? AND status = 'streaming')`,
      ).run(messageId, pack(added.text), pack(added.reasoning), messageId).changes > 0
    );
  }

  /** All that was appended to a reply, in order ('' when nothing was). */
  read(messageId: string): StreamedText {
    const rows = this.sql('SELECT text, reasoning FROM message_chunks WHERE message_id = ? ORDER BY seq').all(
      messageId,
    ) as { text: Buffer; reasoning: Buffer }[];
    return {
      text: rows.map((row) => unpack(row.text)).join(''),
      reasoning: rows.map((row) => unpack(row.reasoning)).join(''),
    };
  }

  /** The replies that have chunks. */
  messageIds(): string[] {
    return (this.sql('SELECT DISTINCT message_id FROM message_chunks').all() as { message_id: string }[]).map(
      (row) => row.message_id,
    );
  }

  drop(messageId: string): void {
    this.sql('DELETE FROM message_chunks WHERE message_id = ?').run(messageId);
  }
}

function pack(text: string): Buffer {
  return text === '' ? Buffer.alloc(0) : deflateRawSync(Buffer.from(text, 'utf8'));
}

function unpack(data: Buffer): string {
  return data.length === 0 ? '' : inflateRawSync(data).toString('utf8');
}
