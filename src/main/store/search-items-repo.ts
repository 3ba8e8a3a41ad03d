/** The items the search index covers, read as the indexer and the meaning hits need them. */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';
import { StatementCache } from './statement-cache';

export interface SegmentText {
  index: number;
  start: number;
  end: number;
  text: string;
}

/** A message with its conversation's title, for showing it as a hit. */
export interface MessageOfHit {
  id: string;
  conversationId: string;
  role: 'user' | 'assistant';
  text: string;
  createdAt: number;
  title: string;
}

/** A transcript segment with its transcript's file name, for showing a window of segments as a hit. */
export interface SegmentOfHit {
  index: number;
  startSec: number;
  text: string;
  fileName: string;
  createdAt: number;
}

export class SearchItemsRepo {
  private readonly statements: StatementCache;

  constructor(db: Db) {
    this.statements = new StatementCache(db);
  }

  /** A prepared statement, prepared once per text. */
  private sql(text: string): Statement {
    return this.statements.get(text);
  }

  /** The text to index, or null when the item is gone (or in the video bin). */
  messageText(id: string): string | null {
    const row = this.sql('SELECT text FROM messages WHERE id = ?').get(id) as { text: string } | undefined;
    return row ? row.text : null;
  }

  transcriptSegments(id: string): SegmentText[] | null {
    if (!this.sql('SELECT 1 FROM transcripts WHERE id = ?').get(id)) return null;
    const rows = this.sql(
      'SELECT idx, start_sec, end_sec, text FROM transcript_segments WHERE transcript_id = ? ORDER BY idx',
    ).all(id) as { idx: number; start_sec: number; end_sec: number; text: string }[];
    return rows.map((row) => ({ index: row.idx, start: row.start_sec, end: row.end_sec, text: row.text }));
  }

  videoPrompt(id: string): string | null {
    const row = this.sql('SELECT prompt FROM video_jobs WHERE id = ? AND deleted_at IS NULL').get(id) as
      | { prompt: string }
      | undefined;
    return row ? row.prompt : null;
  }

  /** A knowledge-base chunk's text and heading; null when the chunk is gone (its file changed or was removed). */
  kbChunk(id: number): { text: string; heading: string } | null {
    const row = this.sql('SELECT text, heading FROM kb_chunks WHERE id = ?').get(id) as
      | { text: string; heading: string }
      | undefined;
    return row ?? null;
  }

  /** The conversation a message belongs to; null when there is no such message. */
  conversationOf(messageId: string): string | null {
    const row = this.sql('SELECT conversation_id FROM messages WHERE id = ?').get(messageId) as
      | { conversation_id: string }
      | undefined;
    return row ? row.conversation_id : null;
  }

  /** The message, unless it is gone or its conversation is in the bin. */
  messageOfHit(messageId: string): MessageOfHit | null {
    const row = this.sql(
      `SELECT m.id, m.conversation_id, m.role, m.text, m.created_at, c.title FROM messages m
       JOIN conversations c ON c.id = m.conversation_id WHERE m.id = ? AND c.deleted_at IS NULL`,
    ).get(messageId) as
      | {
          id: string;
          conversation_id: string;
          role: 'user' | 'assistant';
          text: string;
          created_at: number;
          title: string;
        }
      | undefined;
    if (!row) return null;
    return {
      id: row.id,
      conversationId: row.conversation_id,
      role: row.role,
      text: row.text,
      createdAt: row.created_at,
      title: row.title,
    };
  }

  /** The transcript's segments `first` through `last`, in order (none when the transcript is gone). */
  segmentsOfHit(transcriptId: string, first: number, last: number): SegmentOfHit[] {
    const rows = this.sql(
      `SELECT s.idx, s.start_sec, s.text, t.file_name, t.created_at FROM transcript_segments s
       JOIN transcripts t ON t.id = s.transcript_id
       WHERE s.transcript_id = ? AND s.idx BETWEEN ? AND ? ORDER BY s.idx`,
    ).all(transcriptId, first, last) as {
      idx: number;
      start_sec: number;
      text: string;
      file_name: string;
      created_at: number;
    }[];
    return rows.map((row) => ({
      index: row.idx,
      startSec: row.start_sec,
      text: row.text,
      fileName: row.file_name,
      createdAt: row.created_at,
    }));
  }
}
