import type { Db } from './database';
import { StatementCache } from './statement-cache';

/** A synced table, as sync names it on the wire. */
export type SyncedTable = 'conversations' | 'messages' | 'transcripts' | 'video_jobs';
export const syncedTables: readonly SyncedTable[] = [
  'conversations',
  'messages',
  'transcripts',
  'video_jobs',
];

/** Column values of one row, by column name; a transcript also has `segments` (its rows, in order). */
export type SyncedValues = Record<string, unknown>;

/**
 * The columns that travel. Left out: derived or this computer's own values (message_count, a transcript's job and
 * kept audio path, a video's download state, local file and thumbnail) and the integer keys (seq).
 */
const columnsOf: Record<SyncedTable, readonly string[]> = {
  conversations: [
    'title',
    'pinned',
    'model',
    'api',
    'system_prompt',
    'params',
    'active_leaf_id',
    'created_at',
    'updated_at',
    'deleted_at',
  ],
  messages: [
    'conversation_id',
    'parent_id',
    'role',
    'text',
    'reasoning',
    'images',
    'tool_calls',
    'model',
    'api',
    'status',
    'finish_reason',
    'error',
    'usage',
    'first_token_ms',
    'created_at',
    'updated_at',
    'sources',
    'documents',
  ],
  transcripts: [
    'file_name',
    'source_path',
    'size_bytes',
    'duration_sec',
    'model',
    'language',
    'timestamps',
    'created_at',
    'updated_at',
  ],
  video_jobs: [
    'vendor',
    'remote_id',
    'model',
    'prompt',
    'params',
    'status',
    'progress',
    'error',
    'remote_url',
    'result',
    'parent_id',
    'remote_deleted',
    'created_at',
    'updated_at',
    'submitted_at',
    'completed_at',
    'expires_at',
    'deleted_at',
  ],
};

const SEGMENT_COLUMNS = ['idx', 'start_sec', 'end_sec', 'text', 'original_text', 'words'] as const;

/** The names a merge compares: the table's columns, `segments` for a transcript, `file` (hash, size) for a video. */
export function syncedColumns(table: SyncedTable): readonly string[] {
  if (table === 'transcripts') return [...columnsOf.transcripts, 'segments'];
  if (table === 'video_jobs') return [...columnsOf.video_jobs, 'file'];
  return columnsOf[table];
}

/** A video's file as sync knows it: its SHA-256 and size. */
export interface SyncedFile {
  sha256: string;
  size: number;
}

export function isSyncedTable(name: string): name is SyncedTable {
  return (syncedTables as readonly string[]).includes(name);
}

/** Reads and writes the synced tables' rows for the sync engine; nothing here knows about versions. */
export class SyncRowsRepo {
  private readonly statements: StatementCache;

  constructor(private readonly db: Db) {
    this.statements = new StatementCache(db);
  }

  /** The row's synced values, or null when it does not exist. */
  read(table: SyncedTable, id: string): SyncedValues | null {
    const row = this.statements
      .get(`SELECT ${columnsOf[table].join(', ')} FROM ${table} WHERE id = ?`)
      .get(id) as SyncedValues | undefined;
    if (!row) return null;
    if (table === 'transcripts') row.segments = this.segments(id);
    if (table === 'video_jobs') row.file = this.file(id);
    return { ...row };
  }

  /** Every id of a table (to send a library whole the first time). */
  ids(table: SyncedTable): string[] {
    return (this.statements.get(`SELECT id FROM ${table} ORDER BY rowid`).all() as { id: string }[]).map(
      (row) => row.id,
    );
  }

  exists(table: SyncedTable, id: string): boolean {
    return this.statements.get(`SELECT 1 AS found FROM ${table} WHERE id = ?`).get(id) !== undefined;
  }

  /** A new row from a complete set of synced values (missing columns take their defaults). */
  insert(table: SyncedTable, id: string, values: SyncedValues): void {
    const columns = columnsOf[table].filter((column) => column in values);
    this.statements
      .get(
        `INSERT INTO ${table} (id, ${columns.join(', ')}) VALUES (?, ${columns.map(() => '?').join(', ')})`,
      )
      .run(id, ...columns.map((column) => sqlValue(values[column])));
    if (table === 'transcripts' && Array.isArray(values.segments)) this.replaceSegments(id, values.segments);
    if (table === 'video_jobs') this.setFile(id, values.file);
  }

  /** Sets the given columns of an existing row. */
  update(table: SyncedTable, id: string, values: SyncedValues): void {
    const columns = columnsOf[table].filter((column) => column in values);
    if (columns.length > 0) {
      this.db
        .prepare(`UPDATE ${table} SET ${columns.map((column) => `${column} = ?`).join(', ')} WHERE id = ?`)
        .run(...columns.map((column) => sqlValue(values[column])), id);
    }
    if (table === 'transcripts' && Array.isArray(values.segments)) this.replaceSegments(id, values.segments);
    if (table === 'video_jobs' && 'file' in values) this.setFile(id, values.file);
  }

  /** Removes the row (its children go with it by the foreign keys). */
  delete(table: SyncedTable, id: string): void {
    this.statements.get(`DELETE FROM ${table} WHERE id = ?`).run(id);
  }

  private file(videoId: string): SyncedFile | null {
    const row = this.statements.get('SELECT sha256, size FROM sync_media WHERE video_id = ?').get(videoId) as
      | SyncedFile
      | undefined;
    return row ? { sha256: row.sha256, size: row.size } : null;
  }

  /** A file known elsewhere: on the storage already, to be fetched here (again only if its hash changed). */
  private setFile(videoId: string, value: unknown): void {
    const file = value as Partial<SyncedFile> | null | undefined;
    if (typeof file?.sha256 !== 'string' || typeof file.size !== 'number') return;
    this.statements
      .get(
        `INSERT INTO sync_media (video_id, sha256, size, uploaded, fetched) VALUES (?, ?, ?, 1, 0)
         ON CONFLICT (video_id) DO UPDATE SET
           fetched = CASE WHEN sha256 = excluded.sha256 THEN fetched ELSE 0 END,
           sha256 = excluded.sha256, size = excluded.size, uploaded = 1`,
      )
      .run(videoId, file.sha256, file.size);
  }

  private segments(transcriptId: string): SyncedValues[] {
    return this.statements
      .get(
        `SELECT ${SEGMENT_COLUMNS.join(', ')} FROM transcript_segments WHERE transcript_id = ? ORDER BY idx`,
      )
      .all(transcriptId) as SyncedValues[];
  }

  private replaceSegments(transcriptId: string, segments: unknown[]): void {
    this.statements.get('DELETE FROM transcript_segments WHERE transcript_id = ?').run(transcriptId);
    const insert = this.statements.get(
      `INSERT INTO transcript_segments (transcript_id, ${SEGMENT_COLUMNS.join(', ')})
       VALUES (?, ${SEGMENT_COLUMNS.map(() => '?').join(', ')})`,
    );
    for (const segment of segments) {
      const values = (segment ?? {}) as SyncedValues;
      insert.run(transcriptId, ...SEGMENT_COLUMNS.map((column) => sqlValue(values[column])));
    }
  }
}

/** JSON gives numbers, strings and null; anything else (a value from a newer HubDesk) is stored as JSON text. */
function sqlValue(value: unknown): string | number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return JSON.stringify(value);
}
