import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { vectorToBlob } from '../../src/main/base/vector-bytes';
import { openDatabase } from '../../src/main/store/database';
import { VectorIndex } from '../../src/main/store/vector-index';
import { seededRandom } from '../lib/history-db';
import { median } from '../lib/measure';
import type { Figure, FigureRow } from '../lib/report';

const DIMS = 1536;
const K = 10;
const MODEL = 'text-embedding-3-small';
const TIERS = [
  { count: 10_000, queries: 10 },
  { count: 100_000, queries: 5 },
  { count: 1_000_000, queries: 3 },
];

/** Fills `target` with a random unit vector. */
function randomUnit(random: () => number, target = new Float32Array(DIMS)): Float32Array {
  let norm = 0;
  for (let d = 0; d < DIMS; d++) {
    const value = random() - 0.5;
    target[d] = value;
    norm += value * value;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let d = 0; d < DIMS; d++) target[d] = (target[d] ?? 0) * scale;
  return target;
}

export const vectorSearch: Figure = {
  id: 6,
  title: 'Vector search',
  async run(ctx) {
    const rows: FigureRow[] = [];
    const notes: string[] = [];
    const queryRandom = seededRandom(99);
    for (const tier of TIERS) {
      const path = join(ctx.tempDir, `vectors-${tier.count}`, 'hubdesk.sqlite');
      const db = openDatabase(path);
      try {
        db.pragma('journal_mode = OFF');
        db.pragma('synchronous = OFF');
        const insert = db.prepare(
          `INSERT INTO search_vectors (kind, item_id, chunk, model, dims, embedding, content_hash, created_at)
           VALUES ('message', ?, 0, ?, ${DIMS}, ?, 'bench', 0)`,
        );
        const random = seededRandom(1536);
        const vector = new Float32Array(DIMS);
        const started = performance.now();
        db.transaction(() => {
          for (let i = 0; i < tier.count; i++)
            insert.run(`m${i}`, MODEL, vectorToBlob(randomUnit(random, vector)));
        })();
        const insertS = (performance.now() - started) / 1000;
        const withVec = new VectorIndex(db);
        const byScan = new VectorIndex(db, { prefer: 'scan' });
        if (withVec.backend !== 'sqlite-vec') throw new Error('sqlite-vec did not load');
        const vecSamples: number[] = [];
        const scanSamples: number[] = [];
        let agree = 0;
        for (let q = 0; q < tier.queries; q++) {
          const query = { vector: randomUnit(queryRandom), model: MODEL, kinds: ['message' as const], k: K };
          let start = performance.now();
          const found = withVec.nearest(query);
          vecSamples.push(performance.now() - start);
          start = performance.now();
          const exact = byScan.nearest(query);
          scanSamples.push(performance.now() - start);
          if (found[0]?.id === exact[0]?.id) agree++;
        }
        const vecMs = median(vecSamples);
        const scanMs = median(scanSamples);
        ctx.log(
          `${tier.count.toLocaleString('en-US')}: stored in ${insertS.toFixed(1)} s, sqlite-vec ${vecMs.toFixed(1)} ms, scan ${scanMs.toFixed(1)} ms, top-1 agrees ${agree}/${tier.queries}`,
        );
        notes.push(`${tier.count.toLocaleString('en-US')}: top-1 agreed ${agree}/${tier.queries}`);
        rows.push({
          name: `top-${K} of ${tier.count.toLocaleString('en-US')} × ${DIMS}: VectorIndex, sqlite-vec`,
          value: vecMs,
          unit: 'ms',
          baselineName: 'VectorIndex fallback scan',
          baseline: scanMs,
          ratioLabel: 'of scan',
          target: '–',
          met: null,
        });
      } finally {
        db.close();
        await rm(join(ctx.tempDir, `vectors-${tier.count}`), { recursive: true, force: true });
      }
    }
    return {
      id: 6,
      title: 'Vector search',
      method: `HubDesk's VectorIndex (store/vector-index.ts) over a migrated database file in the temp folder whose search_vectors table holds N random unit float32 vectors of ${DIMS} dims (one model, kind message): the sqlite-vec backend (vec_distance_cosine in SQL, ORDER BY distance LIMIT ${K}) against its fallback (prefer: 'scan': rows read from SQLite, cosine in JS). ${TIERS.map((t) => `${t.count.toLocaleString('en-US')}: median of ${t.queries} queries`).join('; ')}; ${notes.join('; ')}. No target in the issue: both are exact brute force, so both grow linearly with N.`,
      rows,
    };
  },
};
