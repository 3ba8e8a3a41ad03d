import type { Db } from './connection';
import { migration007FtsAfterStreaming } from './migrations-fts-streaming';
import { migration011SearchToolCalls } from './migrations-fts-tools';
import { migration015KnowledgePause } from './migrations-kb-pause';
import { migration022KbVectorLog } from './migrations-kb-vector-log';
import { migration014KbVectors } from './migrations-kb-vectors';
import { migration013KnowledgeBases } from './migrations-knowledge';
import { migration008McpServers } from './migrations-mcp';
import { migration009McpEnvInKeychain } from './migrations-mcp-env';
import { migration012MessageChunks } from './migrations-message-chunks';
import { migration010MessageCount } from './migrations-message-count';
import { migration017MessageDocuments } from './migrations-message-documents';
import { migration016MessageSources } from './migrations-message-sources';
import { migration018Prices } from './migrations-prices';
import { migration021SegmentAlternatives } from './migrations-segment-alternatives';
import { migration019Sync } from './migrations-sync';
import { migration020SyncMedia } from './migrations-sync-media';
import { migration003Transcripts } from './migrations-transcripts';
import { migration006UsageProfiles } from './migrations-usage';
import { migration005Vectors } from './migrations-vectors';
import { migration004Videos } from './migrations-videos';

export interface Migration {
  version: number;
  name: string;
  up: (db: Db) => void;
}

/** Append only: a released migration never changes; a new schema change is a new, higher version. */
export const migrations: Migration[] = [
  {
    version: 1,
    name: 'profiles and settings',
    up: (db) => {
      db.exec(`
        CREATE TABLE profiles (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          base_url TEXT NOT NULL,
          proxy_url TEXT,
          endpoint_overrides TEXT NOT NULL DEFAULT '{}',
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE TABLE settings (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 2,
    name: 'conversations, messages, search and drafts',
    up: (db) => {
      // messages keeps an INTEGER PRIMARY KEY (seq) beside its text id: VACUUM may renumber an implicit rowid,
      // and the external-content FTS index refers to rows by it.
      db.exec(`
        CREATE TABLE conversations (
          id TEXT PRIMARY KEY,
          title TEXT NOT NULL,
          pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
          model TEXT NOT NULL,
          api TEXT NOT NULL,
          system_prompt TEXT NOT NULL DEFAULT '',
          params TEXT NOT NULL DEFAULT '{}',
          active_leaf_id TEXT,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          deleted_at INTEGER
        );
        CREATE INDEX conversations_by_update ON conversations (pinned, updated_at) WHERE deleted_at IS NULL;
        CREATE INDEX conversations_deleted ON conversations (deleted_at) WHERE deleted_at IS NOT NULL;

        CREATE TABLE messages (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
          parent_id TEXT REFERENCES messages(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
          role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
          text TEXT NOT NULL DEFAULT '',
          reasoning TEXT NOT NULL DEFAULT '',
          images TEXT NOT NULL DEFAULT '[]',
          tool_calls TEXT NOT NULL DEFAULT '[]',
          model TEXT,
          api TEXT,
          status TEXT NOT NULL CHECK (status IN ('streaming', 'complete', 'interrupted', 'failed')),
          finish_reason TEXT,
          error TEXT,
          usage TEXT,
          first_token_ms REAL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE INDEX messages_by_parent ON messages (conversation_id, parent_id, created_at);
        CREATE INDEX messages_by_created ON messages (created_at);
        CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming';

        CREATE VIRTUAL TABLE messages_fts USING fts5(
          text, content = 'messages', content_rowid = 'seq', tokenize = 'trigram'
        );
        CREATE TRIGGER IF NOT EXISTS messages_fts_after_insert AFTER INSERT ON messages BEGIN
          INSERT INTO messages_fts (rowid, text) VALUES (new.seq, new.text);
        END;
        CREATE TRIGGER IF NOT EXISTS messages_fts_after_delete AFTER DELETE ON messages BEGIN
          INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.seq, old.text);
        END;
        CREATE TRIGGER IF NOT EXISTS messages_fts_after_update AFTER UPDATE OF text ON messages
        WHEN old.text IS NOT new.text BEGIN
          INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.seq, old.text);
          INSERT INTO messages_fts (rowid, text) VALUES (new.seq, new.text);
        END;

        CREATE TABLE drafts (
          conversation_id TEXT PRIMARY KEY,
          text TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        );
      `);
    },
  },
  migration003Transcripts,
  migration004Videos,
  migration005Vectors,
  migration006UsageProfiles,
  migration007FtsAfterStreaming,
  migration008McpServers,
  migration009McpEnvInKeychain,
  migration010MessageCount,
  migration011SearchToolCalls,
  migration012MessageChunks,
  migration013KnowledgeBases,
  migration014KbVectors,
  migration015KnowledgePause,
  migration016MessageSources,
  migration017MessageDocuments,
  migration018Prices,
  migration019Sync,
  migration020SyncMedia,
  migration021SegmentAlternatives,
  migration022KbVectorLog,
];
