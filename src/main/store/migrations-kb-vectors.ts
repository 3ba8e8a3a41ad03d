import type { Migration } from './migrations';

/**
 * Knowledge-base chunks indexed for meaning (issue 17), in tables of their own rather than as a fourth kind in
 * `search_vectors`/`search_index_queue`: widening those CHECKs means rebuilding both tables (a copy of every
 * stored vector at the upgrade, and every trigger of migration 5 dropped and made again), and a query over one
 * base among a million chunks would join each vector to its chunk and file to learn its base.
 *
 * `kb_vectors`: one float32 embedding per chunk (the chunk id is the key), with its base (a chunk never changes
 * base) and the embedding's sign bits (one bit a dimension), which a covering index holds in the base's order:
 * a query scans the bits (1/32 of the floats) by Hamming distance and reads the full vectors of the best few only.
 *
 * `kb_embed_queue`: chunks still to embed, filled and emptied by triggers on kb_chunks (a file's change replaces
 * its chunks, so a chunk is only ever inserted or deleted). The queue is the progress: the indexer resumes where
 * it stopped, and "embedded" is a base's chunks minus its queued ones.
 */
export const migration014KbVectors: Migration = {
  version: 14,
  name: 'knowledge-base vectors',
  up: (db) => {
    db.exec(`
      CREATE TABLE kb_vectors (
        chunk_id INTEGER PRIMARY KEY,
        base_id TEXT NOT NULL,
        model TEXT NOT NULL,
        dims INTEGER NOT NULL,
        embedding BLOB NOT NULL,
        sign_bits BLOB NOT NULL,
        content_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX kb_vectors_by_base ON kb_vectors (base_id, model, dims, sign_bits);

      CREATE TABLE kb_embed_queue (chunk_id INTEGER PRIMARY KEY);

      CREATE TRIGGER kb_chunks_embed_after_insert AFTER INSERT ON kb_chunks BEGIN
        INSERT OR IGNORE INTO kb_embed_queue (chunk_id) VALUES (new.id);
      END;
      CREATE TRIGGER kb_chunks_embed_after_delete AFTER DELETE ON kb_chunks BEGIN
        DELETE FROM kb_vectors WHERE chunk_id = old.id;
        DELETE FROM kb_embed_queue WHERE chunk_id = old.id;
      END;

      INSERT INTO kb_embed_queue (chunk_id) SELECT id FROM kb_chunks;
    `);
  },
};
