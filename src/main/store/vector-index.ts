/**
 * Nearest stored vectors to a query vector, by cosine distance, among the vectors of one model and length only.
 * With the sqlite-vec extension loaded, SQLite computes the distances (vec_distance_cosine); where it does not
 * load, an exact scan in JavaScript over the same rows gives the same answer.
 */
import type { SearchKind } from '../../shared/search';
import { blobToVector, vectorToBlob } from '../base/vector-bytes';
import type { Db } from './database';
import { loadSqliteVec } from './sqlite-vec';

export type VectorBackend = 'sqlite-vec' | 'scan';

export interface NearestQuery {
  vector: Float32Array;
  model: string;
  kinds: readonly SearchKind[];
  k: number;
  /** Leave out the messages of this conversation ("related"). */
  excludeConversationId?: string;
}

export interface VectorHit {
  id: number;
  kind: SearchKind;
  itemId: string;
  chunk: number;
  spanStart: number | null;
  spanEnd: number | null;
  startSec: number | null;
  /** 1 − cosine similarity: 0 = same direction. */
  distance: number;
}

interface HitRow {
  id: number;
  kind: SearchKind;
  item_id: string;
  chunk: number;
  span_start: number | null;
  span_end: number | null;
  start_sec: number | null;
}

const HIT_COLUMNS = 'id, kind, item_id, chunk, span_start, span_end, start_sec';

export class VectorIndex {
  readonly backend: VectorBackend;

  constructor(
    private readonly db: Db,
    options: { prefer?: 'auto' | 'scan'; log?: ((line: string) => void) | undefined } = {},
  ) {
    this.backend = options.prefer !== 'scan' && loadSqliteVec(db, options.log) ? 'sqlite-vec' : 'scan';
  }

  /** The k nearest chunks, nearest first (ties by id). */
  nearest(query: NearestQuery): VectorHit[] {
    if (query.kinds.length === 0 || query.k < 1 || query.vector.length === 0) return [];
    const where = [`model = ?`, `dims = ?`, `kind IN (${query.kinds.map(() => '?').join(', ')})`];
    const values: unknown[] = [query.model, query.vector.length, ...query.kinds];
    if (query.excludeConversationId !== undefined) {
      where.push("NOT (kind = 'message' AND item_id IN (SELECT id FROM messages WHERE conversation_id = ?))");
      values.push(query.excludeConversationId);
    }
    return this.backend === 'sqlite-vec'
      ? this.nearestInSqlite(query, where.join(' AND '), values)
      : this.nearestByScan(query, where.join(' AND '), values);
  }

  private nearestInSqlite(query: NearestQuery, where: string, values: unknown[]): VectorHit[] {
    const rows = this.db
      .prepare(
        `SELECT ${HIT_COLUMNS}, vec_distance_cosine(embedding, ?) AS distance FROM search_vectors
         WHERE ${where} ORDER BY distance, id LIMIT ?`,
      )
      .all(vectorToBlob(query.vector), ...values, query.k) as (HitRow & { distance: number })[];
    return rows.map((row) => toHit(row, row.distance));
  }

  private nearestByScan(query: NearestQuery, where: string, values: unknown[]): VectorHit[] {
    const q = query.vector;
    let queryNorm = 0;
    for (const value of q) queryNorm += value * value;
    queryNorm = Math.sqrt(queryNorm);
    const best: { row: HitRow; distance: number }[] = [];
    const statement = this.db.prepare(`SELECT ${HIT_COLUMNS}, embedding FROM search_vectors WHERE ${where}`);
    for (const row of statement.iterate(...values) as IterableIterator<HitRow & { embedding: Buffer }>) {
      const vector = blobToVector(row.embedding);
      let dot = 0;
      let norm = 0;
      for (let i = 0; i < vector.length; i++) {
        const value = vector[i] ?? 0;
        dot += value * (q[i] ?? 0);
        norm += value * value;
      }
      const denominator = Math.sqrt(norm) * queryNorm;
      const distance = denominator === 0 ? 1 : 1 - dot / denominator;
      const worst = best.at(-1);
      if (best.length >= query.k && worst && !closer(distance, row.id, worst.distance, worst.row.id))
        continue;
      let at = best.length;
      while (at > 0) {
        const previous = best[at - 1];
        if (!previous || !closer(distance, row.id, previous.distance, previous.row.id)) break;
        at--;
      }
      const { embedding: _embedding, ...hitRow } = row;
      best.splice(at, 0, { row: hitRow, distance });
      if (best.length > query.k) best.pop();
    }
    return best.map(({ row, distance }) => toHit(row, distance));
  }
}

function closer(distance: number, id: number, otherDistance: number, otherId: number): boolean {
  return distance < otherDistance || (distance === otherDistance && id < otherId);
}

function toHit(row: HitRow, distance: number): VectorHit {
  return {
    id: row.id,
    kind: row.kind,
    itemId: row.item_id,
    chunk: row.chunk,
    spanStart: row.span_start,
    spanEnd: row.span_end,
    startSec: row.start_sec,
    distance,
  };
}
