/** The knowledge-base side of the search index (migration 14): chunks queued for embedding, their stored vectors. */
import type { Statement } from 'better-sqlite3';
import { signBits, vectorToBlob } from '../base/vector-bytes';
import type { Db } from './database';
import { StatementCache } from './statement-cache';

/** A chunk with where it comes from, as a passage found by meaning shows it. */
export interface KbPassage {
  chunkId: number;
  baseId: string;
  path: string;
  text: string;
  page: number | null;
  startLine: number | null;
  heading: string;
}

export class KbVectorsRepo {
  private readonly statements: StatementCache;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.statements = new StatementCache(db);
  }

  private sql(text: string): Statement {
    return this.statements.get(text);
  }

  /** The oldest queued chunks. */
  next(limit: number): number[] {
    return (
      this.sql('SELECT chunk_id FROM kb_embed_queue ORDER BY chunk_id LIMIT ?').all(limit) as {
        chunk_id: number;
      }[]
    ).map((row) => row.chunk_id);
  }

  hasQueued(): boolean {
    return this.sql('SELECT 1 FROM kb_embed_queue LIMIT 1').get() !== undefined;
  }

  dequeue(chunkId: number): void {
    this.sql('DELETE FROM kb_embed_queue WHERE chunk_id = ?').run(chunkId);
  }

  /** The chunk's vector, when one is stored with this model (and these dimensions, when set). */
  stored(chunkId: number, model: string, dimensions: number | null): { hash: string; dims: number } | null {
    const row = this.sql(
      'SELECT content_hash, dims FROM kb_vectors WHERE chunk_id = ? AND model = ? AND (? IS NULL OR dims = ?)',
    ).get(chunkId, model, dimensions, dimensions) as { content_hash: string; dims: number } | undefined;
    return row ? { hash: row.content_hash, dims: row.dims } : null;
  }

  /** Stores the chunk's vector (replacing one of another model) unless the chunk is gone; false when it is. */
  save(chunkId: number, model: string, vector: Float32Array, hash: string): boolean {
    return (
      this.sql(
        `INSERT INTO kb_vectors (chunk_id, base_id, model, dims, embedding, sign_bits, content_hash, created_at)
         SELECT c.id, f.base_id, ?, ?, ?, ?, ?, ? FROM kb_chunks c JOIN kb_files f ON f.id = c.file_id WHERE c.id = ?
         ON CONFLICT (chunk_id) DO UPDATE SET model = excluded.model, dims = excluded.dims,
           embedding = excluded.embedding, sign_bits = excluded.sign_bits, content_hash = excluded.content_hash,
           created_at = excluded.created_at`,
      ).run(model, vector.length, vectorToBlob(vector), signBits(vector), hash, this.now(), chunkId).changes >
      0
    );
  }

  /** A new model or dimensions: every vector goes and every chunk is queued again (inside the caller's transaction). */
  requeueAll(): void {
    this.db.exec(`
      DELETE FROM kb_vectors;
      INSERT OR IGNORE INTO kb_embed_queue (chunk_id) SELECT id FROM kb_chunks;
    `);
  }

  /** Whether any chunk of these bases has a vector of the model (else a query by meaning has nothing to find). */
  hasVectors(baseIds: readonly string[], model: string): boolean {
    return (
      this.sql(
        'SELECT 1 FROM kb_vectors WHERE base_id IN (SELECT value FROM json_each(?)) AND model = ? LIMIT 1',
      ).get(JSON.stringify(baseIds), model) !== undefined
    );
  }

  /** The base's chunks, and how many of them have a vector of the model. */
  embedded(baseId: string, model: string): { embedded: number; total: number } {
    const row = this.sql(
      `SELECT
         (SELECT count(*) FROM kb_chunks c JOIN kb_files f ON f.id = c.file_id WHERE f.base_id = ?) AS total,
         (SELECT count(*) FROM kb_vectors WHERE base_id = ? AND model = ?) AS embedded`,
    ).get(baseId, baseId, model) as { total: number; embedded: number };
    return { embedded: Math.min(row.embedded, row.total), total: row.total };
  }

  /** The chunks by id, with their files (ids of chunks that are gone are left out). */
  passages(chunkIds: readonly number[]): KbPassage[] {
    if (chunkIds.length === 0) return [];
    const rows = this.sql(
      `SELECT c.id, f.base_id, f.path, c.text, c.page, c.start_line, c.heading
       FROM kb_chunks c JOIN kb_files f ON f.id = c.file_id
       WHERE c.id IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(chunkIds)) as {
      id: number;
      base_id: string;
      path: string;
      text: string;
      page: number | null;
      start_line: number | null;
      heading: string;
    }[];
    return rows.map((row) => ({
      chunkId: row.id,
      baseId: row.base_id,
      path: row.path,
      text: row.text,
      page: row.page,
      startLine: row.start_line,
      heading: row.heading,
    }));
  }
}
