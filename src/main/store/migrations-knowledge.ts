import type { Migration } from './migrations';

/**
 * Knowledge bases over the user's folders and files (issue 17). HubDesk keeps a reference to each file (path,
 * size, modification time, content hash), never a copy; its text lives only as chunks, written once per version
 * of a file (a change replaces all of a file's chunks), so the keyword index follows them by two plain triggers.
 */
export const migration013KnowledgeBases: Migration = {
  version: 13,
  name: 'knowledge bases',
  up: (db) => {
    db.exec(`
      CREATE TABLE kb_bases (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE kb_roots (
        base_id TEXT NOT NULL REFERENCES kb_bases(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        PRIMARY KEY (base_id, path)
      );
      CREATE TABLE kb_files (
        id INTEGER PRIMARY KEY,
        base_id TEXT NOT NULL REFERENCES kb_bases(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL,
        hash TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('indexed', 'failed', 'no-text')),
        error TEXT,
        pages INTEGER,
        indexed_at INTEGER NOT NULL,
        UNIQUE (base_id, path)
      );
      CREATE INDEX kb_files_by_hash ON kb_files (base_id, hash);
      CREATE TABLE kb_chunks (
        id INTEGER PRIMARY KEY,
        file_id INTEGER NOT NULL REFERENCES kb_files(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        text TEXT NOT NULL,
        page INTEGER,
        start_line INTEGER,
        heading TEXT NOT NULL DEFAULT '',
        UNIQUE (file_id, ordinal)
      );
      CREATE VIRTUAL TABLE kb_chunks_fts USING fts5(
        text, heading, content = 'kb_chunks', content_rowid = 'id',
        tokenize = 'porter unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER IF NOT EXISTS kb_chunks_fts_after_insert AFTER INSERT ON kb_chunks BEGIN
        INSERT INTO kb_chunks_fts (rowid, text, heading) VALUES (new.id, new.text, new.heading);
      END;
      CREATE TRIGGER IF NOT EXISTS kb_chunks_fts_after_delete AFTER DELETE ON kb_chunks BEGIN
        INSERT INTO kb_chunks_fts (kb_chunks_fts, rowid, text, heading) VALUES ('delete', old.id, old.text, old.heading);
      END;
    `);
  },
};
