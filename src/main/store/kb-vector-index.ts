/**
 * Nearest knowledge-base chunks to a query vector, in two steps: the sign bits of every vector of the bases (one
 * bit a dimension) ranked by Hamming distance, then the exact cosine distance of the best CANDIDATES_PER_HIT × k
 * of those. The bits come from memory (KbSignBitsCache), or, while a base's bits load and for a base beyond the
 * budget, from the covering index (sqlite-vec's Hamming distance in SQL, or the same in JavaScript without it). The exact step reads the
 * candidates' vectors: with sqlite-vec SQLite computes their distances, without it JavaScript does.
 */
import { blobToVector, signBits, vectorToBlob } from '../base/vector-bytes';
import type { Db } from './database';
import { KbSignBitsCache } from './kb-sign-bits-cache';
import { loadSqliteVec } from './sqlite-vec';
import { StatementCache } from './statement-cache';
import type { VectorBackend } from './vector-index';

/** How many sign-bit candidates get their exact distance, per hit asked for (and at least MIN_CANDIDATES). */
const CANDIDATES_PER_HIT = 20;
const MIN_CANDIDATES = 200;

export interface KbNearestQuery {
  vector: Float32Array;
  model: string;
  baseIds: readonly string[];
  k: number;
}

export interface KbVectorHit {
  chunkId: number;
  /** 1 − cosine similarity: 0 = same direction. */
  distance: number;
}

export interface KbVectorIndexOptions {
  prefer?: 'auto' | 'scan';
  log?: ((line: string) => void) | undefined;
  /** Memory for the bases' sign bits (0: none, every query scans the covering index). */
  signBitsBytes?: number;
}

export class KbVectorIndex {
  readonly backend: VectorBackend;
  private readonly statements: StatementCache;
  private readonly signBits: KbSignBitsCache | null;

  constructor(db: Db, options: KbVectorIndexOptions = {}) {
    this.backend = options.prefer !== 'scan' && loadSqliteVec(db, options.log) ? 'sqlite-vec' : 'scan';
    this.statements = new StatementCache(db);
    this.signBits = options.signBitsBytes === 0 ? null : new KbSignBitsCache(db, options.signBitsBytes);
  }

  /** Loads the bases' sign bits into memory; their queries scan the covering index until the bits are in. */
  async loadBits(baseIds: readonly string[], model: string, dims: number): Promise<void> {
    const signBits = this.signBits;
    if (signBits) await Promise.all(baseIds.map((baseId) => signBits.load(baseId, model, dims)));
  }

  /** Bytes of memory the sign bits take now. */
  get memoryBytes(): number {
    return this.signBits?.bytes ?? 0;
  }

  /** The k nearest chunks, nearest first (ties by chunk id). */
  nearest(query: KbNearestQuery): KbVectorHit[] {
    if (query.baseIds.length === 0 || query.k < 1 || query.vector.length === 0) return [];
    const count = Math.max(MIN_CANDIDATES, query.k * CANDIDATES_PER_HIT);
    const bits = signBits(query.vector);
    const dims = query.vector.length;
    const candidates =
      this.signBits?.nearest({ baseIds: query.baseIds, model: query.model, dims, bits }, count) ??
      this.candidatesFromIndex(query, count, bits);
    if (candidates.length === 0) return [];
    return this.backend === 'sqlite-vec'
      ? this.exactInSql(query, candidates)
      : this.exactInJs(query, candidates);
  }

  /** The candidates by the sign bits of the covering index. */
  private candidatesFromIndex(query: KbNearestQuery, count: number, bits: Buffer): number[] {
    const filter = [JSON.stringify(query.baseIds), query.model, query.vector.length] as const;
    const where = 'base_id IN (SELECT value FROM json_each(?)) AND model = ? AND dims = ?';
    if (this.backend === 'sqlite-vec')
      return (
        this.statements
          .get(
            `SELECT chunk_id FROM kb_vectors WHERE ${where}
             ORDER BY vec_distance_hamming(vec_bit(sign_bits), vec_bit(?)), chunk_id LIMIT ?`,
          )
          .all(...filter, bits, count) as { chunk_id: number }[]
      ).map((row) => row.chunk_id);
    const ids: number[] = [];
    const distances: number[] = [];
    const rows = this.statements
      .get(`SELECT chunk_id, sign_bits FROM kb_vectors WHERE ${where}`)
      .iterate(...filter) as IterableIterator<{ chunk_id: number; sign_bits: Buffer }>;
    for (const row of rows) {
      ids.push(row.chunk_id);
      distances.push(hamming(row.sign_bits, bits));
    }
    // The Hamming distance of the candidate at the cut, by counting: no sort of every row.
    const counts = new Array<number>(bits.length * 8 + 1).fill(0);
    for (const distance of distances) counts[distance] = (counts[distance] ?? 0) + 1;
    let cut = 0;
    for (let seen = 0; cut < counts.length && seen + (counts[cut] ?? 0) < count; cut++)
      seen += counts[cut] ?? 0;
    return ids.filter((_, at) => (distances[at] ?? 0) <= cut);
  }

  private exactInSql(query: KbNearestQuery, candidates: readonly number[]): KbVectorHit[] {
    return (
      this.statements
        .get(
          `SELECT chunk_id, vec_distance_cosine(embedding, ?) AS distance FROM kb_vectors
           WHERE chunk_id IN (SELECT value FROM json_each(?)) ORDER BY distance, chunk_id LIMIT ?`,
        )
        .all(vectorToBlob(query.vector), JSON.stringify(candidates), query.k) as {
        chunk_id: number;
        distance: number;
      }[]
    ).map((row) => ({ chunkId: row.chunk_id, distance: row.distance }));
  }

  private exactInJs(query: KbNearestQuery, candidates: readonly number[]): KbVectorHit[] {
    const q = query.vector;
    const queryNorm = Math.sqrt(q.reduce((sum, value) => sum + value * value, 0));
    const exact = (
      this.statements
        .get('SELECT chunk_id, embedding FROM kb_vectors WHERE chunk_id IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify(candidates)) as { chunk_id: number; embedding: Buffer }[]
    ).map((row) => {
      const vector = blobToVector(row.embedding);
      let dot = 0;
      let norm = 0;
      for (let i = 0; i < vector.length; i++) {
        const value = vector[i] ?? 0;
        dot += value * (q[i] ?? 0);
        norm += value * value;
      }
      const denominator = Math.sqrt(norm) * queryNorm;
      return { chunkId: row.chunk_id, distance: denominator === 0 ? 1 : 1 - dot / denominator };
    });
    return exact.sort((a, b) => a.distance - b.distance || a.chunkId - b.chunkId).slice(0, query.k);
  }
}

function hamming(a: Buffer, b: Buffer): number {
  let distance = 0;
  for (let i = 0; i < a.length; i++) {
    let x = ((a[i] ?? 0) ^ (b[i] ?? 0)) & 0xff;
    while (x) {
      x &= x - 1;
      distance++;
    }
  }
  return distance;
}
