import type { Db } from './database';
import { StatementCache } from './statement-cache';
import { type MediaKind, type SyncedFile, SyncFilesRepo } from './sync-files-repo';

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

/** The files a row names, by content, under the name they travel as. */
const mediaColumnsOf: Record<SyncedTable, readonly (readonly [column: string, kind: MediaKind])[]> = {
  conversations: [],
  messages: [['image_files', 'image']],
  transcripts: [['audio_file', 'audio']],
  video_jobs: [
    ['file', 'video'],
    ['thumbnail_file', 'thumbnail'],
  ],
};

/**
 * The names a merge compares: the table's columns, `segments` for a transcript, and the files a row names (hash,
 * size, path): `file` and `thumbnail_file` of a video, `audio_file` of a transcript, `image_files` of a message.
 */
export function syncedColumns(table: SyncedTable): readonly string[] {
  const media = mediaColumnsOf[table].map(([column]) => column);
  if (table === 'transcripts') return [...columnsOf.transcripts, 'segments', ...media];
  return [...columnsOf[table], ...media];
}

export function isSyncedTable(name: string): name is SyncedTable {
  return (syncedTables as readonly string[]).includes(name);
}

/** Reads and writes the synced tables' rows for the sync engine; nothing here knows about versions. */
export class SyncRowsRepo {
  private readonly statements: StatementCache;
  private readonly files: SyncFilesRepo;

  constructor(private readonly db: Db) {
    this.statements = new StatementCache(db);
    this.files = new SyncFilesRepo(db);
  }

  /** The row's synced values, or null when it does not exist. */
  read(table: SyncedTable, id: string): SyncedValues | null {
    const row = this.statements
      .get(`SELECT ${columnsOf[table].join(', ')} FROM ${table} WHERE id = ?`)
      .get(id) as SyncedValues | undefined;
    if (!row) return null;
    if (table === 'transcripts') row.segments = this.segments(id);
    for (const [column, kind] of mediaColumnsOf[table]) row[column] = this.mediaValue(row, id, kind);
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
    this.receiveMedia(table, id, values);
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
    this.receiveMedia(table, id, values);
  }

  /** Removes the row (its children go with it by the foreign keys). */
  delete(table: SyncedTable, id: string): void {
    this.statements.get(`DELETE FROM ${table} WHERE id = ?`).run(id);
  }

  /** A video's `file` travels as its hash and size (its place is this computer's); other files with their path. */
  private mediaValue(row: SyncedValues, id: string, kind: MediaKind): unknown {
    if (kind === 'image') return row.images === '[]' ? [] : this.files.filesOf(id, kind);
    const [file] = this.files.filesOf(id, kind);
    if (!file) return null;
    return kind === 'video' ? { sha256: file.sha256, size: file.size } : file;
  }

  /**
   * Files known elsewhere: on the storage already, to be fetched here. A row without a file (null) leaves this
   * computer's own alone; a message's list of images is its list.
   */
  private receiveMedia(table: SyncedTable, id: string, values: SyncedValues): void {
    for (const [column, kind] of mediaColumnsOf[table]) {
      if (!(column in values)) continue;
      const value = values[column];
      if (kind === 'image') {
        if (Array.isArray(value)) this.files.receive(id, kind, value.filter(isFile));
      } else if (isFile(value)) this.files.receive(id, kind, [value]);
    }
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

function isFile(value: unknown): value is SyncedFile {
  const file = value as Partial<SyncedFile> | null | undefined;
  return typeof file?.sha256 === 'string' && typeof file.size === 'number';
}

/** JSON gives numbers, strings and null; anything else (a value from a newer HubDesk) is stored as JSON text. */
function sqlValue(value: unknown): string | number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return JSON.stringify(value);
}
