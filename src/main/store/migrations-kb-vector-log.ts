import type { Migration } from './migrations';

/**
 * What changed in `kb_vectors`, in order: a query by meaning holds the sign bits of a base in memory and, before
 * each query, reads only the vectors written or deleted since (by this connection, its triggers, or another
 * process) instead of scanning them all again. Each write adds one row and drops the row LOG_KEPT older, so the log
 * stays small; a reader that fell further behind than the log reaches loads its base again.
 */
export const KB_VECTOR_LOG_KEPT = 100_000;

export const migration022KbVectorLog: Migration = {
  version: 22,
  name: 'knowledge-base vector change log',
  up: (db) => {
    db.exec(`
      CREATE TABLE kb_vector_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, chunk_id INTEGER NOT NULL);
      CREATE TRIGGER kb_vectors_log_after_insert AFTER INSERT ON kb_vectors BEGIN
        INSERT INTO kb_vector_log (chunk_id) VALUES (new.chunk_id);
        DELETE FROM kb_vector_log WHERE seq <= last_insert_rowid() - ${KB_VECTOR_LOG_KEPT};
      END;
      CREATE TRIGGER kb_vectors_log_after_update AFTER UPDATE ON kb_vectors BEGIN
        INSERT INTO kb_vector_log (chunk_id) VALUES (new.chunk_id);
        DELETE FROM kb_vector_log WHERE seq <= last_insert_rowid() - ${KB_VECTOR_LOG_KEPT};
      END;
      CREATE TRIGGER kb_vectors_log_after_delete AFTER DELETE ON kb_vectors BEGIN
        INSERT INTO kb_vector_log (chunk_id) VALUES (old.chunk_id);
        DELETE FROM kb_vector_log WHERE seq <= last_insert_rowid() - ${KB_VECTOR_LOG_KEPT};
      END;
    `);
  },
};
