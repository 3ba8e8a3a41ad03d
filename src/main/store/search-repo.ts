import type { Statement } from 'better-sqlite3';
import { z } from 'zod';
import { type SearchHit, type ToolCall, toolCallSchema } from '../../shared/chat';
import type { Db } from './database';
import { FILL_SEARCH_INDEXES } from './migrations-fts-tools';
import { containsAllTerms, type RankedCandidate, rankCandidates, toolCallTexts } from './search-ranking';
import { searchTerms, snippetAround } from './search-snippet';
import { StatementCache } from './statement-cache';

/** The trigram index finds only terms of at least this many characters; shorter ones are scanned with LIKE. */
const TRIGRAM_MIN_LENGTH = 3;
/**
 * A query matching more messages than this is common: its hits are the newest matches (read newest first from
 * the index, stopping at the limit); fewer are all read and ranked (search-ranking.ts).
 */
const RANKED_AT_MOST = 1_000;

interface HitRow {
  seq: number;
  message_id: string;
  conversation_id: string;
  conversation_title: string;
  role: 'user' | 'assistant';
  text: string;
  tool_calls: string;
  created_at: number;
}

interface Candidate extends RankedCandidate {
  row: HitRow;
}

const HIT_COLUMNS = `m.seq, m.id AS message_id, m.conversation_id, c.title AS conversation_title, m.role, m.text,
  m.tool_calls, m.created_at`;

/**
 * Keyword search over messages (their text and their tool calls' text) in conversations not in the bin.
 * Two FTS5 indexes (migrations-fts-tools.ts): whole words (unicode61), asked first because a rare word's rows
 * are few there, and substrings of any script (trigram).
 */
export class SearchRepo {
  private readonly statements: StatementCache;

  constructor(
    private readonly db: Db,
    private readonly rankedAtMost: number = RANKED_AT_MOST,
  ) {
    this.statements = new StatementCache(db);
  }

  private sql(text: string): Statement {
    return this.statements.get(text);
  }

  /**
   * Every whitespace-separated term must occur in the message, as plain text (never FTS syntax), ignoring case.
   * A query with few matches is ranked (the whole query as typed first, then how often and where the terms
   * occur, ties newest first); a common one shows its newest matches, read newest first from an index until the
   * limit. Whole-word matches come before matches inside words. Queries with only short terms are scanned,
   * newest first.
   */
  search(query: string, limit: number): SearchHit[] {
    const terms = searchTerms(query);
    if (terms.length === 0 || limit < 1) return [];
    const indexed = terms.filter((term) => characterCount(term) >= TRIGRAM_MIN_LENGTH);
    if (indexed.length === 0) return this.scanNewest(terms, limit).map((row) => toHit(row, terms));

    const words = wordsOf(terms);
    const wordSeqs = words.length > 0 ? this.newestWordSeqs(words) : [];
    if (wordSeqs.length > this.rankedAtMost) {
      const newestWords = this.candidates(wordSeqs.slice(0, limit * 2), terms).sort((a, b) => b.seq - a.seq);
      if (newestWords.length >= limit) return newestWords.slice(0, limit).map(({ row }) => toHit(row, terms));
      return this.newest(indexed, terms, limit, []);
    }
    const wholeWords = rankCandidates(this.candidates(wordSeqs, terms), terms);
    if (wholeWords.length >= limit) return wholeWords.slice(0, limit).map(({ row }) => toHit(row, terms));

    const substringSeqs = this.newestSeqs('messages_fts', indexed);
    if (substringSeqs.length > this.rankedAtMost) {
      const shown = wholeWords.map(({ row }) => row);
      const newer = this.newest(
        indexed,
        terms,
        limit - shown.length,
        shown.map((row) => row.seq),
      );
      return [...shown.map((row) => toHit(row, terms)), ...newer];
    }
    const inWords = new Set(wordSeqs);
    const insideWords = this.candidates(
      substringSeqs.filter((seq) => !inWords.has(seq)),
      terms,
    );
    return [...wholeWords, ...rankCandidates(insideWords, terms)]
      .slice(0, limit)
      .map(({ row }) => toHit(row, terms));
  }

  /** Rebuilds both indexes from the messages (repair); replies still streaming stay out. */
  rebuild(): void {
    this.db.transaction(() => this.db.exec(FILL_SEARCH_INDEXES))();
  }

  /** The newest matches of an index, at most one more than can be ranked (so "more" is seen). */
  private newestSeqs(index: 'messages_fts' | 'messages_words_fts', terms: string[]): number[] {
    const rows = this.sql(
      `SELECT rowid AS seq FROM ${index} WHERE ${index} MATCH ? ORDER BY rowid DESC LIMIT ?`,
    ).all(ftsQuery(terms), this.rankedAtMost + 1) as { seq: number }[];
    return rows.map((row) => row.seq);
  }

  /** As newestSeqs on the whole-word index; a word its tokenizer splits in two is left to the trigram index. */
  private newestWordSeqs(words: string[]): number[] {
    try {
      return this.newestSeqs('messages_words_fts', words);
    } catch (error) {
      if (error instanceof Error && error.message.includes('phrase queries are not supported')) return [];
      throw error;
    }
  }

  /** The messages with these seqs, in visible conversations, that hold every term. */
  private candidates(seqs: number[], terms: string[]): Candidate[] {
    if (seqs.length === 0) return [];
    const rows = this.sql(
      `SELECT ${HIT_COLUMNS} FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE m.seq IN (SELECT value FROM json_each(?)) AND c.deleted_at IS NULL`,
    ).all(JSON.stringify(seqs)) as HitRow[];
    return rows
      .map((row) => ({
        seq: row.seq,
        createdAt: row.created_at,
        text: row.text,
        tools: toolCallTexts(toolCallsOf(row))
          .map((call) => call.text)
          .join('\n'),
        row,
      }))
      .filter((candidate) => containsAllTerms(candidate, terms));
  }

  /** Newest first straight from the trigram index, stopping at the limit; short terms checked with LIKE. */
  private newest(indexed: string[], terms: string[], limit: number, skipped: number[]): SearchHit[] {
    if (limit < 1) return [];
    const scanned = terms.filter((term) => characterCount(term) < TRIGRAM_MIN_LENGTH);
    const rows = this.sql(
      `SELECT ${HIT_COLUMNS}
       FROM messages_fts
       JOIN messages m ON m.seq = messages_fts.rowid
       JOIN conversations c ON c.id = m.conversation_id
       WHERE messages_fts MATCH ? AND c.deleted_at IS NULL ${likeClauses(scanned)}
       ORDER BY messages_fts.rowid DESC
       LIMIT ?`,
    ).all(ftsQuery(indexed), ...likeValues(scanned), limit + skipped.length) as HitRow[];
    const skip = new Set(skipped);
    return rows
      .filter((row) => !skip.has(row.seq))
      .slice(0, limit)
      .map((row) => toHit(row, terms));
  }

  private scanNewest(terms: string[], limit: number): HitRow[] {
    return this.sql(
      `SELECT ${HIT_COLUMNS}
       FROM messages m
       JOIN conversations c ON c.id = m.conversation_id
       WHERE c.deleted_at IS NULL ${likeClauses(terms)}
       ORDER BY m.created_at DESC, m.seq DESC
       LIMIT ?`,
    ).all(...likeValues(terms), limit) as HitRow[];
  }
}

const toolCallsSchema = z.array(toolCallSchema);

function toolCallsOf(row: HitRow): ToolCall[] {
  if (row.tool_calls === '[]') return [];
  try {
    const parsed = toolCallsSchema.safeParse(JSON.parse(row.tool_calls));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** The snippet comes from the text when a term is there, else from the first part of a tool call that holds one. */
function toHit(row: HitRow, terms: string[]): SearchHit {
  const hit: SearchHit = {
    conversationId: row.conversation_id,
    conversationTitle: row.conversation_title,
    messageId: row.message_id,
    role: row.role,
    snippet: snippetAround(row.text, terms),
    createdAt: row.created_at,
  };
  const lowerTerms = terms.map((term) => term.toLowerCase());
  const holds = (text: string) => lowerTerms.some((term) => text.toLowerCase().includes(term));
  if (holds(row.text)) return hit;
  const call = toolCallTexts(toolCallsOf(row)).find((candidate) => holds(candidate.text));
  if (!call) return hit;
  const part = call.parts.find(holds) ?? call.text;
  return { ...hit, snippet: snippetAround(part, terms), toolName: call.name };
}

/**
 * The words of the terms as the whole-word index splits text (unicode61: letters, digits, marks), each asked as
 * one token: the index keeps no positions (detail=none), so a term of two words is asked as both words.
 */
function wordsOf(terms: string[]): string[] {
  return [
    ...new Set(terms.flatMap((term) => term.split(/[^\p{L}\p{N}\p{M}]+/u)).filter((word) => word !== '')),
  ];
}

function characterCount(text: string): number {
  return [...text].length;
}

/** Every term as one FTS5 string: a phrase, so operators, quotes and stars inside it are plain text. */
function ftsQuery(terms: string[]): string {
  return terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(' ');
}

function likeClauses(terms: string[]): string {
  return terms.map(() => "AND m.text LIKE ? ESCAPE '\\'").join(' ');
}

function likeValues(terms: string[]): string[] {
  return terms.map((term) => `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`);
}
