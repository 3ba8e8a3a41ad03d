import type { Migration } from './migrations';

/** What each synced table sends to the outbox: the row's text id, found from the changed row. */
const captured: { table: string; source: string; idOf: (row: 'new' | 'old') => string; updateOf?: string }[] =
  [
    {
      table: 'conversations',
      source: 'conversations',
      idOf: (row) => `${row}.id`,
      // message_count follows every message insert; it is derived, so it does not mark the conversation changed.
      updateOf:
        'title, pinned, model, api, system_prompt, params, active_leaf_id, created_at, updated_at, deleted_at',
    },
    { table: 'messages', source: 'messages', idOf: (row) => `${row}.id` },
    { table: 'transcripts', source: 'transcripts', idOf: (row) => `${row}.id` },
    // Segments have integer keys: they travel inside their transcript's change.
    { table: 'transcripts', source: 'transcript_segments', idOf: (row) => `${row}.transcript_id` },
    {
      table: 'video_jobs',
      source: 'video_jobs',
      idOf: (row) => `${row}.id`,
      // The download's state, the local file and thumbnail are this computer's own.
      updateOf:
        'vendor, remote_id, model, prompt, params, status, progress, error, remote_url, result, parent_id, ' +
        'remote_deleted, created_at, updated_at, submitted_at, completed_at, expires_at, deleted_at',
    },
  ];

function captureTriggers(): string {
  return captured
    .flatMap(({ table, source, idOf, updateOf }) =>
      (['insert', 'update', 'delete'] as const).map((event) => {
        const row = event === 'delete' ? 'old' : 'new';
        const on = event === 'update' && updateOf ? `UPDATE OF ${updateOf}` : event.toUpperCase();
        const op = event === 'delete' && source === table ? 'delete' : 'upsert';
        return `CREATE TRIGGER sync_capture_${source}_${event} AFTER ${on} ON ${source}
          WHEN EXISTS (SELECT 1 FROM sync_state WHERE key = 'library') AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
            INSERT INTO sync_outbox (tbl, row_id, op) VALUES ('${table}', ${idOf(row)}, '${op}')
            ON CONFLICT (tbl, row_id) DO UPDATE SET op = excluded.op;
          END;`;
      }),
    )
    .join('\n');
}

/**
 * Sync (issue 19): the outbox that triggers fill with the synced rows that changed (conversations, messages,
 * transcripts with their segments, video jobs) in the order they first changed (a parent before its children), the per-row column versions, tombstones, change sets waiting for
 * upload, what was applied from each device, and each video file's hash (`sync_media`: sent yet, placed here yet). The triggers run only while this computer belongs to a library (sync is
 * set up: setting it up puts every row in the outbox), and stay quiet while `sync_applying`, which holds a row only inside the transaction that
 * applies a remote change set, so the triggers stay quiet for the engine's own writes (other connections never see it).
 */
export const migration019Sync: Migration = {
  version: 19,
  name: 'sync outbox, versions and change sets',
  up: (db) => {
    db.exec(`
      CREATE TABLE sync_outbox (
        seq INTEGER PRIMARY KEY,
        tbl TEXT NOT NULL,
        row_id TEXT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
        UNIQUE (tbl, row_id)
      );
      CREATE TABLE sync_applying (on_ INTEGER NOT NULL);
      CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE sync_row_versions (
        tbl TEXT NOT NULL,
        row_id TEXT NOT NULL,
        versions TEXT NOT NULL,
        PRIMARY KEY (tbl, row_id)
      );
      CREATE TABLE sync_tombstones (
        tbl TEXT NOT NULL,
        row_id TEXT NOT NULL,
        version TEXT NOT NULL,
        PRIMARY KEY (tbl, row_id)
      ) WITHOUT ROWID;
      CREATE TABLE sync_pending (seq INTEGER PRIMARY KEY, body BLOB NOT NULL);
      CREATE TABLE sync_applied (device TEXT PRIMARY KEY, seq INTEGER NOT NULL);
      CREATE TABLE sync_media (
        video_id TEXT PRIMARY KEY REFERENCES video_jobs(id) ON DELETE CASCADE,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        uploaded INTEGER NOT NULL DEFAULT 0 CHECK (uploaded IN (0, 1)),
        fetched INTEGER NOT NULL DEFAULT 0 CHECK (fetched IN (0, 1))
      );
      ${captureTriggers()}
    `);
  },
};
