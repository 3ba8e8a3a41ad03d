import type { Migration } from './migrations';

/** A queue entry: inserted, or moved to the back (a higher version) when it is already queued. */
function enqueue(kind: 'message' | 'segment' | 'video', itemId: string): string {
  return `INSERT INTO search_index_queue (kind, item_id, version)
    VALUES ('${kind}', ${itemId}, (SELECT COALESCE(MAX(version), 0) + 1 FROM search_index_queue))
    ON CONFLICT (kind, item_id) DO UPDATE SET version = excluded.version;`;
}

function forget(kind: 'message' | 'segment' | 'video', itemId: string): string {
  return `DELETE FROM search_vectors WHERE kind = '${kind}' AND item_id = ${itemId};
    DELETE FROM search_index_queue WHERE kind = '${kind}' AND item_id = ${itemId};`;
}

/**
 * The search-by-meaning index (issue 6).
 *
 * `search_vectors`: one float32 embedding per chunk of an item, with the model and length that made it; an item
 * is a message, a whole transcript (its chunks are ~30 s windows of segments: `span_start`/`span_end` are the
 * first and last segment index, `start_sec` the window's start), or a video job's prompt. For messages the span
 * is the chunk's character range in the text.
 *
 * `search_index_queue`: items whose vectors must be (re)computed, kept up to date by triggers, so no other code
 * has to remember: inserts and text edits queue an item, deletes remove its vectors. A message is queued once it
 * stops streaming. The version orders the queue and tells the indexer whether an item changed while it was
 * being embedded. Progress is the queue itself: the indexer resumes where it stopped.
 *
 * `search_index_state`: the one row of settings and counters; `search_query_cache`: recent query embeddings.
 */
export const migration005Vectors: Migration = {
  version: 5,
  name: 'vectors',
  up: (db) => {
    db.exec(`
      CREATE TABLE search_vectors (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('message', 'segment', 'video')),
        item_id TEXT NOT NULL,
        chunk INTEGER NOT NULL,
        model TEXT NOT NULL,
        dims INTEGER NOT NULL,
        embedding BLOB NOT NULL,
        content_hash TEXT NOT NULL,
        span_start INTEGER,
        span_end INTEGER,
        start_sec REAL,
        created_at INTEGER NOT NULL,
        UNIQUE (kind, item_id, chunk, model, dims)
      );
      CREATE INDEX search_vectors_by_model ON search_vectors (model, dims, kind);

      CREATE TABLE search_index_queue (
        kind TEXT NOT NULL CHECK (kind IN ('message', 'segment', 'video')),
        item_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        PRIMARY KEY (kind, item_id)
      ) WITHOUT ROWID;
      CREATE INDEX search_index_queue_by_version ON search_index_queue (version);

      CREATE TABLE search_index_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        model TEXT NOT NULL,
        dimensions INTEGER,
        paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
        tokens_used INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
      );
      INSERT INTO search_index_state (id, model) VALUES (1, 'text-embedding-3-small');

      CREATE TABLE search_query_cache (
        key TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        dims INTEGER NOT NULL,
        embedding BLOB NOT NULL,
        used_at INTEGER NOT NULL
      );
      CREATE INDEX search_query_cache_by_use ON search_query_cache (used_at);

      CREATE TRIGGER search_messages_after_insert AFTER INSERT ON messages
      WHEN new.status <> 'streaming' BEGIN
        ${enqueue('message', 'new.id')}
      END;
      CREATE TRIGGER search_messages_after_update AFTER UPDATE OF text, status ON messages
      WHEN new.status <> 'streaming' AND (old.text IS NOT new.text OR old.status = 'streaming') BEGIN
        ${enqueue('message', 'new.id')}
      END;
      CREATE TRIGGER search_messages_after_delete AFTER DELETE ON messages BEGIN
        ${forget('message', 'old.id')}
      END;

      CREATE TRIGGER search_transcripts_after_insert AFTER INSERT ON transcripts BEGIN
        ${enqueue('segment', 'new.id')}
      END;
      CREATE TRIGGER search_transcripts_after_delete AFTER DELETE ON transcripts BEGIN
        ${forget('segment', 'old.id')}
      END;
      CREATE TRIGGER search_segments_after_insert AFTER INSERT ON transcript_segments BEGIN
        ${enqueue('segment', 'new.transcript_id')}
      END;
      CREATE TRIGGER search_segments_after_update AFTER UPDATE OF text ON transcript_segments
      WHEN old.text IS NOT new.text BEGIN
        ${enqueue('segment', 'new.transcript_id')}
      END;
      CREATE TRIGGER search_segments_after_delete AFTER DELETE ON transcript_segments
      WHEN EXISTS (SELECT 1 FROM transcripts WHERE id = old.transcript_id) BEGIN
        ${enqueue('segment', 'old.transcript_id')}
      END;

      CREATE TRIGGER search_videos_after_insert AFTER INSERT ON video_jobs
      WHEN new.deleted_at IS NULL BEGIN
        ${enqueue('video', 'new.id')}
      END;
      CREATE TRIGGER search_videos_after_prompt AFTER UPDATE OF prompt ON video_jobs
      WHEN old.prompt IS NOT new.prompt AND new.deleted_at IS NULL BEGIN
        ${enqueue('video', 'new.id')}
      END;
      CREATE TRIGGER search_videos_after_trash AFTER UPDATE OF deleted_at ON video_jobs
      WHEN old.deleted_at IS NULL AND new.deleted_at IS NOT NULL BEGIN
        ${forget('video', 'new.id')}
      END;
      CREATE TRIGGER search_videos_after_restore AFTER UPDATE OF deleted_at ON video_jobs
      WHEN old.deleted_at IS NOT NULL AND new.deleted_at IS NULL BEGIN
        ${enqueue('video', 'new.id')}
      END;
      CREATE TRIGGER search_videos_after_delete AFTER DELETE ON video_jobs BEGIN
        ${forget('video', 'old.id')}
      END;

      INSERT INTO search_index_queue (kind, item_id, version)
        SELECT 'message', id, seq FROM messages WHERE status <> 'streaming';
      INSERT INTO search_index_queue (kind, item_id, version)
        SELECT 'segment', id, (SELECT COALESCE(MAX(version), 0) FROM search_index_queue) + ROW_NUMBER() OVER ()
        FROM transcripts;
      INSERT INTO search_index_queue (kind, item_id, version)
        SELECT 'video', id, (SELECT COALESCE(MAX(version), 0) FROM search_index_queue) + ROW_NUMBER() OVER ()
        FROM video_jobs WHERE deleted_at IS NULL;
    `);
  },
};
