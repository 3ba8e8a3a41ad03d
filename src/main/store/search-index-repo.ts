/**
 * The search index: its state row, the queue the triggers fill, stored vectors, the query cache. Knowledge-base
 * chunks (kind 'kb_chunk') have a queue and vectors of their own (KbVectorsRepo); the queue's other kinds go first.
 */

import type { Statement } from 'better-sqlite3';
import type { SearchKind } from '../../shared/search';
import { vectorToBlob } from '../base/vector-bytes';
import type { Db } from './database';
import { KbVectorsRepo } from './kb-vectors-repo';
import { StatementCache } from './statement-cache';

/** What the indexer embeds: the kinds "search everything" shows, and knowledge-base chunks. */
export type IndexKind = SearchKind | 'kb_chunk';

export interface IndexState {
  model: string;
  dimensions: number | null;
  paused: boolean;
  tokensUsed: number;
  lastError: string | null;
}

export interface QueuedItem {
  kind: IndexKind;
  itemId: string;
  version: number;
}

/** Where a chunk lies in its item (the indexer's chunks carry their text too). */
export interface ChunkSpan {
  chunk: number;
  hash: string;
  spanStart: number;
  spanEnd: number;
  startSec: number | null;
}

export interface StoredChunk {
  chunk: number;
  hash: string;
  dims: number;
}

const QUERY_CACHE_SIZE = 100;

export class SearchIndexRepo {
  private readonly statements: StatementCache;
  readonly kb: KbVectorsRepo;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.statements = new StatementCache(db);
    this.kb = new KbVectorsRepo(db, now);
  }

  /** A prepared statement, prepared once per text. */
  private sql(text: string): Statement {
    return this.statements.get(text);
  }

  state(): IndexState {
    const row = this.sql('SELECT * FROM search_index_state WHERE id = 1').get() as {
      model: string;
      dimensions: number | null;
      paused: number;
      tokens_used: number;
      last_error: string | null;
    };
    return {
      model: row.model,
      dimensions: row.dimensions,
      paused: row.paused === 1,
      tokensUsed: row.tokens_used,
      lastError: row.last_error,
    };
  }

  setPaused(paused: boolean): void {
    this.sql('UPDATE search_index_state SET paused = ? WHERE id = 1').run(paused ? 1 : 0);
  }

  setLastError(message: string | null): void {
    this.sql('UPDATE search_index_state SET last_error = ? WHERE id = 1').run(message);
  }

  addTokens(tokens: number): void {
    this.sql('UPDATE search_index_state SET tokens_used = tokens_used + ? WHERE id = 1').run(tokens);
  }

  /** New model or dimensions: every vector goes, every item is queued again, counters start over. */
  rebuild(model: string, dimensions: number | null): void {
    this.db.transaction(() => {
      this.sql(
        'UPDATE search_index_state SET model = ?, dimensions = ?, tokens_used = 0, last_error = NULL WHERE id = 1',
      ).run(model, dimensions);
      this.db.exec(`
        DELETE FROM search_vectors;
        DELETE FROM search_index_queue;
        INSERT INTO search_index_queue (kind, item_id, version)
          SELECT 'message', id, seq FROM messages WHERE status <> 'streaming';
        INSERT INTO search_index_queue (kind, item_id, version)
          SELECT 'segment', id, (SELECT COALESCE(MAX(version), 0) FROM search_index_queue) + ROW_NUMBER() OVER ()
          FROM transcripts;
        INSERT INTO search_index_queue (kind, item_id, version)
          SELECT 'video', id, (SELECT COALESCE(MAX(version), 0) FROM search_index_queue) + ROW_NUMBER() OVER ()
          FROM video_jobs WHERE deleted_at IS NULL;
      `);
      this.kb.requeueAll();
    })();
  }

  // ── Queue ────────────────────────────────────────────────────────────────────────────────────────────

  next(limit: number): QueuedItem[] {
    const rows = this.sql(
      'SELECT kind, item_id, version FROM search_index_queue ORDER BY version LIMIT ?',
    ).all(limit) as { kind: SearchKind; item_id: string; version: number }[];
    const items: QueuedItem[] = rows.map((row) => ({
      kind: row.kind,
      itemId: row.item_id,
      version: row.version,
    }));
    if (items.length < limit) {
      for (const chunkId of this.kb.next(limit - items.length))
        items.push({ kind: 'kb_chunk', itemId: String(chunkId), version: chunkId });
    }
    return items;
  }

  hasQueued(): boolean {
    return this.sql('SELECT 1 FROM search_index_queue LIMIT 1').get() !== undefined || this.kb.hasQueued();
  }

  /** Done with an item, unless it was queued again (edited) meanwhile. */
  dequeue(item: QueuedItem): void {
    if (item.kind === 'kb_chunk') {
      this.kb.dequeue(Number(item.itemId));
      return;
    }
    this.sql('DELETE FROM search_index_queue WHERE kind = ? AND item_id = ? AND version = ?').run(
      item.kind,
      item.itemId,
      item.version,
    );
  }

  /** Items and pending items per kind, in the units a person counts: messages, segments, videos. */
  progress(): Record<SearchKind, { total: number; pending: number }> {
    const count = (sql: string) => (this.sql(sql).get() as { n: number }).n;
    return {
      message: {
        total: count("SELECT COUNT(*) AS n FROM messages WHERE status <> 'streaming'"),
        pending: count("SELECT COUNT(*) AS n FROM search_index_queue WHERE kind = 'message'"),
      },
      segment: {
        total: count('SELECT COUNT(*) AS n FROM transcript_segments'),
        pending: count(
          `SELECT COUNT(*) AS n FROM transcript_segments s
           JOIN search_index_queue q ON q.kind = 'segment' AND q.item_id = s.transcript_id`,
        ),
      },
      video: {
        total: count('SELECT COUNT(*) AS n FROM video_jobs WHERE deleted_at IS NULL'),
        pending: count("SELECT COUNT(*) AS n FROM search_index_queue WHERE kind = 'video'"),
      },
    };
  }

  private itemExists(kind: Exclude<IndexKind, 'kb_chunk'>, itemId: string): boolean {
    const sql =
      kind === 'message'
        ? 'SELECT 1 FROM messages WHERE id = ?'
        : kind === 'segment'
          ? 'SELECT 1 FROM transcripts WHERE id = ?'
          : 'SELECT 1 FROM video_jobs WHERE id = ? AND deleted_at IS NULL';
    return this.sql(sql).get(itemId) !== undefined;
  }

  // ── Vectors ──────────────────────────────────────────────────────────────────────────────────────────

  /** The item's chunks already embedded with this model (and these dimensions, when set). */
  storedChunks(kind: IndexKind, itemId: string, model: string, dimensions: number | null): StoredChunk[] {
    if (kind === 'kb_chunk') {
      const stored = this.kb.stored(Number(itemId), model, dimensions);
      return stored ? [{ chunk: 0, ...stored }] : [];
    }
    return (
      this.sql(
        `SELECT chunk, content_hash, dims FROM search_vectors
           WHERE kind = ? AND item_id = ? AND model = ? AND (? IS NULL OR dims = ?)`,
      ).all(kind, itemId, model, dimensions, dimensions) as {
        chunk: number;
        content_hash: string;
        dims: number;
      }[]
    ).map((row) => ({ chunk: row.chunk, hash: row.content_hash, dims: row.dims }));
  }

  /**
   * Makes the item's stored vectors exactly `chunks` (new vectors in `embedded` by chunk number; the rest are
   * kept as they are) and takes it off the queue, in one transaction. An item deleted meanwhile stays deleted.
   */
  saveItems(
    entries: readonly {
      item: QueuedItem;
      chunks: readonly ChunkSpan[];
      embedded: ReadonlyMap<number, Float32Array>;
    }[],
    model: string,
    dims: number | null,
  ): void {
    this.db.transaction(() => {
      for (const entry of entries) this.saveItem(entry.item, model, dims, entry.chunks, entry.embedded);
    })();
  }

  saveItem(
    item: QueuedItem,
    model: string,
    dims: number | null,
    chunks: readonly ChunkSpan[],
    embedded: ReadonlyMap<number, Float32Array>,
  ): void {
    if (item.kind === 'kb_chunk') {
      this.saveKbChunk(item, model, chunks, embedded);
      return;
    }
    const kind = item.kind;
    this.db.transaction(() => {
      if (!this.itemExists(kind, item.itemId)) {
        this.db
          .prepare('DELETE FROM search_vectors WHERE kind = ? AND item_id = ?')
          .run(item.kind, item.itemId);
        this.dequeue(item);
        return;
      }
      const length = dims ?? [...embedded.values()][0]?.length ?? null;
      this.sql(
        `DELETE FROM search_vectors WHERE kind = ? AND item_id = ?
           AND (model <> ? OR (? IS NOT NULL AND dims <> ?) OR chunk >= ?)`,
      ).run(item.kind, item.itemId, model, length, length, chunks.length);
      const upsert = this.sql(
        `INSERT INTO search_vectors (kind, item_id, chunk, model, dims, embedding, content_hash, span_start, span_end,
           start_sec, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (kind, item_id, chunk, model, dims) DO UPDATE SET embedding = excluded.embedding,
           content_hash = excluded.content_hash, span_start = excluded.span_start, span_end = excluded.span_end,
           start_sec = excluded.start_sec, created_at = excluded.created_at`,
      );
      const moveSpan = this.sql(
        `UPDATE search_vectors SET span_start = ?, span_end = ?, start_sec = ?
         WHERE kind = ? AND item_id = ? AND chunk = ? AND model = ?`,
      );
      const now = this.now();
      for (const chunk of chunks) {
        const vector = embedded.get(chunk.chunk);
        if (vector) {
          upsert.run(
            item.kind,
            item.itemId,
            chunk.chunk,
            model,
            vector.length,
            vectorToBlob(vector),
            chunk.hash,
            chunk.spanStart,
            chunk.spanEnd,
            chunk.startSec,
            now,
          );
        } else {
          moveSpan.run(
            chunk.spanStart,
            chunk.spanEnd,
            chunk.startSec,
            item.kind,
            item.itemId,
            chunk.chunk,
            model,
          );
        }
      }
      this.dequeue(item);
    })();
  }

  /** A chunk has one input: its vector is stored (a chunk that is gone meanwhile stores nothing) or kept. */
  private saveKbChunk(
    item: QueuedItem,
    model: string,
    chunks: readonly ChunkSpan[],
    embedded: ReadonlyMap<number, Float32Array>,
  ): void {
    const chunkId = Number(item.itemId);
    this.db.transaction(() => {
      const vector = embedded.get(0);
      const hash = chunks[0]?.hash;
      if (vector && hash !== undefined) this.kb.save(chunkId, model, vector, hash);
      this.kb.dequeue(chunkId);
    })();
  }

  hasVectors(model: string): boolean {
    return this.sql('SELECT 1 FROM search_vectors WHERE model = ? LIMIT 1').get(model) !== undefined;
  }

  /** The message's vectors with the model: its chunks, for "related". */
  messageVectors(messageId: string, model: string): Buffer[] {
    const rows = this.sql(
      "SELECT embedding FROM search_vectors WHERE kind = 'message' AND item_id = ? AND model = ? ORDER BY chunk",
    ).all(messageId, model) as { embedding: Buffer }[];
    return rows.map((row) => row.embedding);
  }

  /** The window of a transcript (for the current model) that holds a segment, by its first segment index. */
  windowStartOf(transcriptId: string, segmentIndex: number, model: string): number | null {
    const row = this.sql(
      `SELECT span_start FROM search_vectors WHERE kind = 'segment' AND item_id = ? AND model = ?
         AND span_start <= ? AND span_end >= ? ORDER BY chunk LIMIT 1`,
    ).get(transcriptId, model, segmentIndex, segmentIndex) as { span_start: number } | undefined;
    return row ? row.span_start : null;
  }

  // ── Query cache ──────────────────────────────────────────────────────────────────────────────────────

  cachedQuery(key: string): Buffer | null {
    const row = this.sql('SELECT embedding FROM search_query_cache WHERE key = ?').get(key) as
      | { embedding: Buffer }
      | undefined;
    if (!row) return null;
    this.sql('UPDATE search_query_cache SET used_at = ? WHERE key = ?').run(this.now(), key);
    return row.embedding;
  }

  /** Keeps the most recently used QUERY_CACHE_SIZE query embeddings. */
  cacheQuery(key: string, model: string, vector: Float32Array): void {
    this.db.transaction(() => {
      this.sql(
        `INSERT INTO search_query_cache (key, model, dims, embedding, used_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET embedding = excluded.embedding, used_at = excluded.used_at`,
      ).run(key, model, vector.length, vectorToBlob(vector), this.now());
      this.sql(
        `DELETE FROM search_query_cache WHERE key NOT IN
             (SELECT key FROM search_query_cache ORDER BY used_at DESC, rowid DESC LIMIT ?)`,
      ).run(QUERY_CACHE_SIZE);
    })();
  }
}
