import type { Migration } from './migrations';

/**
 * The video library: one row per job on any vendor (docs/architecture.md §Rules 6),
 * a trigram index over prompts.
 * `result` holds how to fetch a finished video (JSON); `trash` what a delete moved to the trash folder.
 */
export const migration004Videos: Migration = {
  version: 4,
  name: 'videos',
  up: (db) => {
    db.exec(`
      CREATE TABLE video_jobs (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        vendor TEXT NOT NULL CHECK (vendor IN ('sora', 'seedance', 'kling', 'veo')),
        remote_id TEXT,
        model TEXT NOT NULL,
        prompt TEXT NOT NULL,
        params TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL CHECK (status IN
          ('submitting', 'queued', 'running', 'succeeded', 'failed', 'cancelled', 'expired', 'unknown')),
        progress REAL,
        error TEXT,
        remote_url TEXT,
        result TEXT,
        download TEXT NOT NULL DEFAULT 'none' CHECK (download IN
          ('none', 'pending', 'downloading', 'done', 'failed', 'unavailable')),
        downloaded_bytes INTEGER NOT NULL DEFAULT 0,
        download_total INTEGER,
        download_error TEXT,
        local_file TEXT,
        thumbnail TEXT,
        file_size INTEGER,
        parent_id TEXT REFERENCES video_jobs(id) ON DELETE SET NULL,
        remote_deleted INTEGER NOT NULL DEFAULT 0 CHECK (remote_deleted IN (0, 1)),
        trash TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        submitted_at INTEGER,
        completed_at INTEGER,
        expires_at INTEGER,
        checked_at INTEGER,
        deleted_at INTEGER
      );
      CREATE UNIQUE INDEX video_jobs_by_remote ON video_jobs (vendor, remote_id) WHERE remote_id IS NOT NULL;
      CREATE INDEX video_jobs_by_created ON video_jobs (created_at);
      CREATE INDEX video_jobs_by_parent ON video_jobs (parent_id) WHERE parent_id IS NOT NULL;
      CREATE INDEX video_jobs_open ON video_jobs (status)
        WHERE status IN ('submitting', 'queued', 'running');

      CREATE VIRTUAL TABLE video_jobs_fts USING fts5(
        prompt, content = 'video_jobs', content_rowid = 'seq', tokenize = 'trigram'
      );
      CREATE TRIGGER IF NOT EXISTS video_jobs_fts_after_insert AFTER INSERT ON video_jobs BEGIN
        INSERT INTO video_jobs_fts (rowid, prompt) VALUES (new.seq, new.prompt);
      END;
      CREATE TRIGGER IF NOT EXISTS video_jobs_fts_after_delete AFTER DELETE ON video_jobs BEGIN
        INSERT INTO video_jobs_fts (video_jobs_fts, rowid, prompt) VALUES ('delete', old.seq, old.prompt);
      END;
      CREATE TRIGGER IF NOT EXISTS video_jobs_fts_after_update AFTER UPDATE OF prompt ON video_jobs
      WHEN old.prompt IS NOT new.prompt BEGIN
        INSERT INTO video_jobs_fts (video_jobs_fts, rowid, prompt) VALUES ('delete', old.seq, old.prompt);
        INSERT INTO video_jobs_fts (rowid, prompt) VALUES (new.seq, new.prompt);
      END;
    `);
  },
};
