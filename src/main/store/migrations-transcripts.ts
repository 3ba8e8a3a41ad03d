import type { Migration } from './migrations';

/**
 * Transcription jobs, transcripts and their segments, with a trigram FTS index over segment text kept in sync
 * by triggers (like messages_fts). A transcript belongs to at most one job (UNIQUE job_id): a retry can never
 * add a second one.
 */
export const migration003Transcripts: Migration = {
  version: 3,
  name: 'transcripts',
  up: (db) => {
    db.exec(`
      CREATE TABLE transcription_jobs (
        id TEXT PRIMARY KEY,
        file_name TEXT NOT NULL,
        source_path TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        duration_sec REAL,
        options TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN
          ('queued', 'uploading', 'transcribing', 'done', 'failed', 'cancelled', 'interrupted')),
        error TEXT,
        uploaded_bytes INTEGER NOT NULL DEFAULT 0,
        total_bytes INTEGER NOT NULL DEFAULT 0,
        part INTEGER NOT NULL DEFAULT 0,
        part_count INTEGER NOT NULL DEFAULT 0,
        transcript_id TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX transcription_jobs_by_created ON transcription_jobs (created_at);
      CREATE INDEX transcription_jobs_active ON transcription_jobs (state)
        WHERE state IN ('queued', 'uploading', 'transcribing');

      CREATE TABLE transcripts (
        id TEXT PRIMARY KEY,
        job_id TEXT UNIQUE REFERENCES transcription_jobs(id) ON DELETE SET NULL,
        file_name TEXT NOT NULL,
        source_path TEXT NOT NULL,
        audio_path TEXT,
        size_bytes INTEGER NOT NULL,
        duration_sec REAL,
        model TEXT NOT NULL,
        language TEXT,
        timestamps INTEGER NOT NULL CHECK (timestamps IN (0, 1)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE transcript_segments (
        seq INTEGER PRIMARY KEY,
        transcript_id TEXT NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        start_sec REAL NOT NULL,
        end_sec REAL NOT NULL,
        text TEXT NOT NULL,
        original_text TEXT NOT NULL,
        words TEXT NOT NULL DEFAULT '[]',
        UNIQUE (transcript_id, idx)
      );

      CREATE VIRTUAL TABLE transcript_segments_fts USING fts5(
        text, content = 'transcript_segments', content_rowid = 'seq', tokenize = 'trigram'
      );
      CREATE TRIGGER IF NOT EXISTS transcript_segments_fts_after_insert AFTER INSERT ON transcript_segments BEGIN
        INSERT INTO transcript_segments_fts (rowid, text) VALUES (new.seq, new.text);
      END;
      CREATE TRIGGER IF NOT EXISTS transcript_segments_fts_after_delete AFTER DELETE ON transcript_segments BEGIN
        INSERT INTO transcript_segments_fts (transcript_segments_fts, rowid, text) VALUES ('delete', old.seq, old.text);
      END;
      CREATE TRIGGER IF NOT EXISTS transcript_segments_fts_after_update AFTER UPDATE OF text ON transcript_segments
      WHEN old.text IS NOT new.text BEGIN
        INSERT INTO transcript_segments_fts (transcript_segments_fts, rowid, text) VALUES ('delete', old.seq, old.text);
        INSERT INTO transcript_segments_fts (rowid, text) VALUES (new.seq, new.text);
      END;
    `);
  },
};
