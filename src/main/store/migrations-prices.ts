import type { Migration } from './migrations';

/**
 * Issue 18: the prices the user set (a row here replaces the published default; none means the default, or no
 * price), and the tokens spent naming conversations, which no stored message holds.
 */
export const migration018Prices: Migration = {
  version: 18,
  name: 'prices and title usage',
  up: (db) => {
    db.exec(`
      CREATE TABLE prices (
        kind TEXT NOT NULL CHECK (kind IN ('tokens', 'audio', 'video')),
        vendor TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL,
        resolution TEXT NOT NULL DEFAULT '',
        input_per_million REAL,
        output_per_million REAL,
        cached_input_per_million REAL,
        per_minute REAL,
        per_second REAL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (kind, vendor, model, resolution)
      ) WITHOUT ROWID;
      CREATE TABLE title_usage (
        id INTEGER PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        model TEXT NOT NULL,
        profile_id TEXT,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        cached_tokens INTEGER NOT NULL DEFAULT 0,
        reasoning_tokens INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX title_usage_by_created ON title_usage (created_at);
    `);
  },
};
