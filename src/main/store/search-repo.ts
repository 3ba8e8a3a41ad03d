import { type SearchHit, SNIPPET_MATCH_END, SNIPPET_MATCH_START } from '../../shared/chat';
import type { Db } from './database';

/** The trigram index finds only terms of at least this many characters; shorter ones are scanned with LIKE. */
const TRIGRAM_MIN_LENGTH = 3;
/** About 24 words of context around the first match. */
const SNIPPET_LENGTH = 160;
const SNIPPET_LEAD = 50;
/** How far a cut may move to land on a space instead of inside a word. */
const WORD_BOUNDARY_SLACK = 15;

interface HitRow {
  message_id: string;
  conversation_id: string;
  conversation_title: string;
  role: 'user' | 'assistant';
  text: string;
  created_at: number;
}

const HIT_COLUMNS = `m.id AS message_id, m.conversation_id, c.title AS conversation_title, m.role, m.text,
  m.created_at`;

/** Keyword search over message text (FTS5, trigram: substrings, any script) in conversations not in the bin. */
export class SearchRepo {
  constructor(private readonly db: Db) {}

  /**
   * Every whitespace-separated term must occur in the message, as plain text (never FTS syntax).
   * Best first (bm25), ties newest first; queries with only short terms are scanned, newest first.
   */
  search(query: string, limit: number): SearchHit[] {
    const terms = searchTerms(query);
    if (terms.length === 0 || limit < 1) return [];
    const indexed = terms.filter((term) => characterCount(term) >= TRIGRAM_MIN_LENGTH);
    const scanned = terms.filter((term) => characterCount(term) < TRIGRAM_MIN_LENGTH);
    const likeClauses = scanned.map(() => "AND m.text LIKE ? ESCAPE '\\'").join(' ');
    const likeValues = scanned.map((term) => `%${escapeLike(term)}%`);

    const rows =
      indexed.length > 0
        ? (this.db
            .prepare(
              `SELECT ${HIT_COLUMNS}
               FROM messages_fts
               JOIN messages m ON m.seq = messages_fts.rowid
               JOIN conversations c ON c.id = m.conversation_id
               WHERE messages_fts MATCH ? AND c.deleted_at IS NULL ${likeClauses}
               ORDER BY bm25(messages_fts), m.created_at DESC, m.seq DESC
               LIMIT ?`,
            )
            .all(indexed.map(ftsPhrase).join(' '), ...likeValues, limit) as HitRow[])
        : (this.db
            .prepare(
              `SELECT ${HIT_COLUMNS}
               FROM messages m
               JOIN conversations c ON c.id = m.conversation_id
               WHERE c.deleted_at IS NULL ${likeClauses}
               ORDER BY m.created_at DESC, m.seq DESC
               LIMIT ?`,
            )
            .all(...likeValues, limit) as HitRow[]);

    return rows.map((row) => ({
      conversationId: row.conversation_id,
      conversationTitle: row.conversation_title,
      messageId: row.message_id,
      role: row.role,
      snippet: snippetAround(row.text, terms),
      createdAt: row.created_at,
    }));
  }

  /** Rebuilds the whole index from the messages table (repair). */
  /** The one repair statement; replies still streaming are left out, as the triggers leave them out. */
  rebuild(): void {
    this.db.transaction(() => {
      this.db.prepare("INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')").run();
      this.db
        .prepare(
          "INSERT INTO messages_fts (messages_fts, rowid, text) SELECT 'delete', seq, text FROM messages WHERE status = 'streaming'",
        )
        .run();
    })();
  }
}

/** Distinct terms as typed, split at whitespace and control characters (FTS5 ends a string at a NUL). */
export function searchTerms(query: string): string[] {
  return [...new Set(query.split(/[\s\p{Cc}]+/u).filter((term) => term.length > 0))];
}

function characterCount(text: string): number {
  return [...text].length;
}

/** A term as one FTS5 string: a phrase, so operators, quotes and stars inside it are plain text. */
function ftsPhrase(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (char) => `\\${char}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * About SNIPPET_LENGTH characters around the first match of any term, cut at spaces where there are any,
 * with every match inside marked by SNIPPET_MATCH_START / SNIPPET_MATCH_END and whitespace folded to one line.
 */
export function snippetAround(text: string, terms: string[]): string {
  const clean = text.replaceAll(SNIPPET_MATCH_START, '').replaceAll(SNIPPET_MATCH_END, '');
  const pattern = new RegExp(
    [...terms]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'giu',
  );
  const first = clean.search(pattern);
  let start = Math.max(0, (first < 0 ? 0 : first) - SNIPPET_LEAD);
  let end = Math.min(clean.length, start + SNIPPET_LENGTH);
  if (end === clean.length) start = Math.max(0, end - SNIPPET_LENGTH);
  if (start > 0) start = wordStart(clean, start, first < 0 ? start : first);
  if (end < clean.length) end = wordEnd(clean, end);

  const marked = clean
    .slice(start, end)
    .replace(pattern, (match) => `${SNIPPET_MATCH_START}${match}${SNIPPET_MATCH_END}`)
    .replace(/\s+/g, ' ')
    .trim();
  return `${start > 0 ? '…' : ''}${marked}${end < clean.length ? '…' : ''}`;
}

/** Moves a start cut forward past the next space (not beyond the match), and off a surrogate pair's second half. */
function wordStart(text: string, start: number, limit: number): number {
  const space = text.slice(start, Math.min(start + WORD_BOUNDARY_SLACK, limit)).search(/\s/);
  const moved = space >= 0 ? start + space + 1 : start;
  return isLowSurrogate(text.charCodeAt(moved)) ? moved + 1 : moved;
}

/** Moves an end cut back to the last space before it, and off a surrogate pair's first half. */
function wordEnd(text: string, end: number): number {
  const window = text.slice(Math.max(0, end - WORD_BOUNDARY_SLACK), end);
  const space = window.search(/\s\S*$/);
  const moved = space >= 0 ? end - window.length + space : end;
  return isLowSurrogate(text.charCodeAt(moved)) ? moved - 1 : moved;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
