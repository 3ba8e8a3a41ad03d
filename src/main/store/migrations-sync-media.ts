import type { Migration } from './migrations';

/**
 * Sync's media by content (issue 19): every file a synced row names — a video, its thumbnail, a kept transcript
 * audio, an image sent in a chat — with its SHA-256, whether it is on the storage yet and whether it is in this
 * library yet. Keyed by the row that names it and the file's library path (one image may be named by two edits of a
 * message). Rows of migration 19's `sync_media` (videos only) move here; a deleted owner takes its entries along.
 */
export const migration020SyncMedia: Migration = {
  version: 20,
  name: 'sync media of every kind',
  up: (db) => {
    db.exec(`
      CREATE TABLE sync_files (
        owner TEXT NOT NULL,
        path TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('video', 'thumbnail', 'audio', 'image')),
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        uploaded INTEGER NOT NULL DEFAULT 0 CHECK (uploaded IN (0, 1)),
        fetched INTEGER NOT NULL DEFAULT 0 CHECK (fetched IN (0, 1)),
        PRIMARY KEY (owner, path)
      ) WITHOUT ROWID;
      CREATE INDEX sync_files_by_hash ON sync_files (sha256);
      CREATE INDEX sync_files_to_fetch ON sync_files (kind) WHERE fetched = 0;
      CREATE INDEX sync_files_to_upload ON sync_files (sha256) WHERE uploaded = 0;
      INSERT INTO sync_files (owner, path, kind, sha256, size, uploaded, fetched)
        SELECT m.video_id, COALESCE(v.local_file, 'videos/' || m.video_id || '.mp4'), 'video', m.sha256, m.size,
               m.uploaded, m.fetched
          FROM sync_media m JOIN video_jobs v ON v.id = m.video_id;
      DROP TABLE sync_media;
      CREATE INDEX messages_with_images ON messages (id) WHERE images <> '[]';
      CREATE TRIGGER sync_files_video_gone AFTER DELETE ON video_jobs BEGIN
        DELETE FROM sync_files WHERE owner = old.id;
      END;
      CREATE TRIGGER sync_files_transcript_gone AFTER DELETE ON transcripts BEGIN
        DELETE FROM sync_files WHERE owner = old.id;
      END;
      CREATE TRIGGER sync_files_message_gone AFTER DELETE ON messages BEGIN
        DELETE FROM sync_files WHERE owner = old.id;
      END;
    `);
  },
};
