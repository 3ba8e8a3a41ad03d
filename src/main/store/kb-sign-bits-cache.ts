/**
 * The sign bits of the knowledge bases queried, held in memory per (base, model, dims) and kept right through
 * `kb_vector_log` (migration 22): before each query the vectors written or deleted since — by this connection, its
 * triggers or another process — are applied, so a query never scans the table again.
 *
 * A base's bits are loaded in the background, a slice of the covering index at a time between other work (a
 * million rows take seconds); until they are in, its queries get null and scan the index as before. Memory is
 * bounded: bases beyond the budget are dropped, least recently used first, and a base larger than the whole
 * budget is never held.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';
import { KbBitRows } from './kb-bit-rows';
import { StatementCache } from './statement-cache';

/** Bytes of memory for the sign bits of all bases held: ~200 bytes a 1,536-dims chunk, so ~2.5M chunks. */
export const DEFAULT_SIGN_BITS_BYTES = 512 * 1024 * 1024;
/** Rows read from the covering index between two turns of the event loop. */
const LOAD_SLICE = 4096;

export interface SignBitsQuery {
  baseIds: readonly string[];
  model: string;
  dims: number;
  bits: Uint8Array;
}

interface Held {
  rows: KbBitRows;
  /** The last change of kb_vector_log these rows include. */
  seq: number;
}

export class KbSignBitsCache {
  private readonly statements: StatementCache;
  /** By key; the Map's order is the order of use, least recent first. */
  private readonly held = new Map<string, Held>();
  private readonly loading = new Map<string, Promise<void>>();
  /** Keys whose rows did not fit the budget. */
  private readonly tooLarge = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly maxBytes = DEFAULT_SIGN_BITS_BYTES,
  ) {
    this.statements = new StatementCache(db);
  }

  /** Bytes held now. */
  get bytes(): number {
    let total = 0;
    for (const { rows } of this.held.values()) total += rows.bytes;
    return total;
  }

  /**
   * The `count` chunks of the bases nearest to the bits by Hamming distance (ties by chunk id, as SQL's ORDER BY
   * distance, chunk_id), in no order; null while a base is not held (its loading is started).
   */
  nearest(query: SignBitsQuery, count: number): number[] | null {
    return this.db.transaction(() => {
      this.catchUp();
      const sets: KbBitRows[] = [];
      let missing = false;
      for (const baseId of new Set(query.baseIds)) {
        const at = key(baseId, query.model, query.dims);
        const held = this.held.get(at);
        if (held) {
          this.held.delete(at);
          this.held.set(at, held);
          sets.push(held.rows);
        } else {
          void this.load(baseId, query.model, query.dims);
          missing = true;
        }
      }
      return missing ? null : smallest(sets, query.bits, count);
    })();
  }

  /** Loads the base's bits unless held, loading, or beyond the budget; resolves when they are in (or not). */
  load(baseId: string, model: string, dims: number): Promise<void> {
    const at = key(baseId, model, dims);
    if (this.held.has(at) || this.tooLarge.has(at)) return Promise.resolve();
    let loading = this.loading.get(at);
    if (!loading) {
      loading = this.loadSlices(at, baseId, model, dims)
        .catch(() => undefined)
        .finally(() => this.loading.delete(at));
      this.loading.set(at, loading);
    }
    return loading;
  }

  private sql(text: string): Statement {
    return this.statements.get(text);
  }

  private lastSeq(): { lo: number; hi: number } {
    return this.sql(
      'SELECT ifnull(min(seq), 0) AS lo, ifnull(max(seq), 0) AS hi FROM kb_vector_log',
    ).get() as {
      lo: number;
      hi: number;
    };
  }

  /** Applies the changes logged since each base's rows were last brought up to date. */
  private catchUp(): void {
    const { lo, hi } = this.lastSeq();
    let from = hi;
    for (const [at, held] of this.held) {
      if (held.seq === hi) continue;
      // The log no longer reaches back to these rows (or the database went back): load them again.
      if (held.seq > hi || lo > held.seq + 1) this.held.delete(at);
      else from = Math.min(from, held.seq);
    }
    if (from === hi) return;
    const changes = this.sql(
      `SELECT l.seq, l.chunk_id, v.base_id, v.model, v.dims, v.sign_bits FROM kb_vector_log l
       LEFT JOIN kb_vectors v ON v.chunk_id = l.chunk_id WHERE l.seq > ? AND l.seq <= ? ORDER BY l.seq`,
    )
      .raw(true)
      .iterate(from, hi) as IterableIterator<[number, number, string | null, string, number, Buffer]>;
    for (const [seq, chunkId, baseId, model, dims, bits] of changes) {
      const current = baseId === null ? null : key(baseId, model, dims);
      for (const [at, held] of this.held) {
        if (held.seq >= seq) continue;
        if (at === current) held.rows.put(chunkId, bits);
        else held.rows.delete(chunkId);
      }
    }
    for (const held of this.held.values()) held.seq = hi;
  }

  /**
   * Reads the base's rows in the covering index's order, a slice a turn; the changes made meanwhile are in the
   * log after `seq` (read first), so the next query's catch-up applies them.
   */
  private async loadSlices(at: string, baseId: string, model: string, dims: number): Promise<void> {
    const { hi: seq } = this.lastSeq();
    const rows = new KbBitRows(Math.ceil(dims / 8));
    const slice = this.sql(
      `SELECT chunk_id, sign_bits FROM kb_vectors
       WHERE base_id = ? AND model = ? AND dims = ? AND (sign_bits, chunk_id) > (?, ?)
       ORDER BY sign_bits, chunk_id LIMIT ?`,
    ).raw(true);
    let after: [Buffer, number] = [Buffer.alloc(0), 0];
    for (;;) {
      const read = slice.all(baseId, model, dims, ...after, LOAD_SLICE) as [number, Buffer][];
      for (const [chunkId, bits] of read) rows.put(chunkId, bits);
      if (rows.bytes > this.maxBytes) {
        this.tooLarge.add(at);
        return;
      }
      const last = read.at(-1);
      if (!last || read.length < LOAD_SLICE) break;
      after = [last[1], last[0]];
      await new Promise((resolve) => setImmediate(resolve));
    }
    let total = this.bytes + rows.bytes;
    for (const [other, held] of this.held) {
      if (total <= this.maxBytes) break;
      total -= held.rows.bytes;
      this.held.delete(other);
    }
    this.held.set(at, { rows, seq });
  }
}

function key(baseId: string, model: string, dims: number): string {
  return `${baseId}\u0000${model}\u0000${dims}`;
}

/** The ids of the `count` rows nearest to the bits, by counting the distances: no sort of every row. */
function smallest(sets: readonly KbBitRows[], bits: Uint8Array, count: number): number[] {
  const stride = sets[0]?.stride ?? 0;
  const counts = new Uint32Array(stride * 8 + 1);
  const distances = sets.map((rows) => rows.distances(bits));
  sets.forEach((rows, at) => {
    const ids = rows.chunkIds;
    const of = distances[at] as Uint16Array;
    for (let row = 0; row < ids.length; row++) {
      if ((ids[row] ?? -1) <= 0) continue;
      const distance = of[row] ?? 0;
      counts[distance] = (counts[distance] ?? 0) + 1;
    }
  });
  let cut = 0;
  let below = 0;
  while (cut < counts.length && below + (counts[cut] ?? 0) < count) below += counts[cut++] ?? 0;
  const chosen: number[] = [];
  const atCut: number[] = [];
  sets.forEach((rows, at) => {
    const ids = rows.chunkIds;
    const of = distances[at] as Uint16Array;
    for (let row = 0; row < ids.length; row++) {
      const id = ids[row] ?? -1;
      if (id <= 0) continue;
      const distance = of[row] ?? 0;
      if (distance < cut) chosen.push(id);
      else if (distance === cut) atCut.push(id);
    }
  });
  atCut.sort((a, b) => a - b);
  for (let at = 0; at < atCut.length && chosen.length < count; at++) chosen.push(atCut[at] ?? 0);
  return chosen;
}
