import { decodeStoredError } from '../../shared/error-reasons';
import type {
  VideoDownloadState,
  VideoError,
  VideoJob,
  VideoResult,
  VideoStatus,
  VideoVendor,
} from '../../shared/videos/job';
import type { Db } from './database';
import { searchTerms } from './search-snippet';

/** What a delete moved to the trash folder (paths relative to the library folder), for undo. */
export interface VideoTrash {
  at: number;
  scope: 'local' | 'both';
  /** Each moved file: where it lived and where it is in the trash. */
  files: { from: string; to: string }[];
  /** The job's file fields before the delete, put back by undo. */
  localFile: string | null;
  thumbnail: string | null;
  fileSize: number | null;
}

/** A job as stored: the contract's job plus what only main needs. */
export interface VideoRecord extends VideoJob {
  result: VideoResult | null;
  trash: VideoTrash | null;
}

/** `downloadError` is written as `encodeStoredError` makes it (its message and reason); read back apart. */
export type VideoPatch = Partial<Omit<VideoRecord, 'id' | 'createdAt' | 'downloadReason' | 'madeElsewhere'>>;

interface Row {
  id: string;
  vendor: VideoVendor;
  remote_id: string | null;
  model: string;
  prompt: string;
  params: string;
  status: VideoStatus;
  progress: number | null;
  error: string | null;
  remote_url: string | null;
  result: string | null;
  download: VideoDownloadState;
  downloaded_bytes: number;
  download_total: number | null;
  download_error: string | null;
  local_file: string | null;
  thumbnail: string | null;
  file_size: number | null;
  parent_id: string | null;
  remote_deleted: number;
  trash: string | null;
  created_at: number;
  updated_at: number;
  submitted_at: number | null;
  completed_at: number | null;
  expires_at: number | null;
  checked_at: number | null;
  deleted_at: number | null;
}

const COLUMNS: Record<keyof VideoPatch, keyof Row> = {
  vendor: 'vendor',
  remoteId: 'remote_id',
  model: 'model',
  prompt: 'prompt',
  params: 'params',
  status: 'status',
  progress: 'progress',
  error: 'error',
  remoteUrl: 'remote_url',
  result: 'result',
  download: 'download',
  downloadedBytes: 'downloaded_bytes',
  downloadTotal: 'download_total',
  downloadError: 'download_error',
  localFile: 'local_file',
  thumbnail: 'thumbnail',
  fileSize: 'file_size',
  parentId: 'parent_id',
  remoteDeleted: 'remote_deleted',
  trash: 'trash',
  updatedAt: 'updated_at',
  submittedAt: 'submitted_at',
  completedAt: 'completed_at',
  expiresAt: 'expires_at',
  checkedAt: 'checked_at',
  deletedAt: 'deleted_at',
};
const JSON_FIELDS = new Set<keyof VideoPatch>(['params', 'error', 'result', 'trash']);

function parseJson<T>(text: string | null): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/** The download's error as stored: its English message and, for HubDesk's own, the reason the window words. */
function storedDownloadError(text: string | null): Pick<VideoRecord, 'downloadError' | 'downloadReason'> {
  if (text === null) return { downloadError: null };
  const { message, reason } = decodeStoredError(text);
  return reason ? { downloadError: message, downloadReason: reason } : { downloadError: message };
}

function fromRow(row: Row): VideoRecord {
  return {
    id: row.id,
    vendor: row.vendor,
    remoteId: row.remote_id,
    model: row.model,
    prompt: row.prompt,
    params: parseJson<Record<string, unknown>>(row.params) ?? {},
    status: row.status,
    progress: row.progress,
    error: parseJson<VideoError>(row.error),
    remoteUrl: row.remote_url,
    download: row.download,
    downloadedBytes: row.downloaded_bytes,
    downloadTotal: row.download_total,
    ...storedDownloadError(row.download_error),
    localFile: row.local_file,
    thumbnail: row.thumbnail,
    fileSize: row.file_size,
    parentId: row.parent_id,
    remoteDeleted: row.remote_deleted === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    submittedAt: row.submitted_at,
    completedAt: row.completed_at,
    expiresAt: row.expires_at,
    checkedAt: row.checked_at,
    deletedAt: row.deleted_at,
    result: parseJson<VideoResult>(row.result),
    trash: parseJson<VideoTrash>(row.trash),
  };
}

function toColumnValue(field: keyof VideoPatch, value: unknown): unknown {
  if (value === undefined) return undefined;
  if (JSON_FIELDS.has(field)) return value === null ? null : JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** The contract's view of a record: without the fields only main needs. */
export function publicJob(record: VideoRecord): VideoJob {
  const { result: _result, trash: _trash, ...job } = record;
  return job;
}

const TRIGRAM_MIN_LENGTH = 3;

export interface VideoListFilter {
  vendor?: VideoVendor | undefined;
  status?: VideoStatus | undefined;
  query?: string | undefined;
  limit?: number | undefined;
  includeDeleted?: boolean | undefined;
}

export class VideosRepo {
  constructor(private readonly db: Db) {}

  /** A row as a record; an open job says whether another computer of the sync library is making it. */
  private record(row: Row): VideoRecord {
    const record = fromRow(row);
    if (row.status !== 'queued' && row.status !== 'running') return record;
    return this.madeElsewhere(row.id) ? { ...record, madeElsewhere: true } : record;
  }

  /**
   * Whether the vendor's id was written by another computer of the sync library: sync stamped the `remote_id` column
   * with a version ending in that computer's device id (`<wall>.<counter>.<device>`, sync-repo's stored versions).
   * A job made here, or with sync never set up, is this computer's own.
   */
  private madeElsewhere(id: string): boolean {
    const found = this.db
      .prepare(
        `SELECT json_extract(v.versions, '$[0][' || json_extract(v.versions, '$[1].remote_id[0]') || ']') AS version,
                s.value AS device
         FROM sync_row_versions v JOIN sync_state s ON s.key = 'device'
         WHERE v.tbl = 'video_jobs' AND v.row_id = ?`,
      )
      .get(id) as { version: string | null; device: string } | undefined;
    return typeof found?.version === 'string' && !found.version.endsWith(`.${found.device}`);
  }

  insert(record: VideoRecord): VideoRecord {
    const fields = Object.keys(COLUMNS) as (keyof VideoPatch)[];
    const columns = ['id', 'created_at', ...fields.map((field) => COLUMNS[field])];
    const values = [
      record.id,
      record.createdAt,
      ...fields.map((field) => toColumnValue(field, record[field]) ?? null),
    ];
    this.db
      .prepare(`INSERT INTO video_jobs (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
      .run(...values);
    return this.require(record.id);
  }

  get(id: string): VideoRecord | null {
    const row = this.db.prepare('SELECT * FROM video_jobs WHERE id = ?').get(id) as Row | undefined;
    return row ? this.record(row) : null;
  }

  require(id: string): VideoRecord {
    const record = this.get(id);
    if (!record) throw new Error(`video job ${id} vanished`);
    return record;
  }

  byRemote(vendor: VideoVendor, remoteId: string): VideoRecord | null {
    const row = this.db
      .prepare('SELECT * FROM video_jobs WHERE vendor = ? AND remote_id = ?')
      .get(vendor, remoteId) as Row | undefined;
    return row ? this.record(row) : null;
  }

  update(id: string, patch: VideoPatch): VideoRecord {
    const entries = (Object.keys(patch) as (keyof VideoPatch)[]).filter(
      (field) => patch[field] !== undefined && COLUMNS[field],
    );
    if (entries.length > 0) {
      const sets = entries.map((field) => `${COLUMNS[field]} = ?`).join(', ');
      this.db
        .prepare(`UPDATE video_jobs SET ${sets} WHERE id = ?`)
        .run(...entries.map((field) => toColumnValue(field, patch[field])), id);
    }
    return this.require(id);
  }

  /** Newest first. `query`: every term must occur in the prompt (trigram index; short terms scanned). */
  list(filter: VideoListFilter = {}): VideoRecord[] {
    const where: string[] = [];
    const values: unknown[] = [];
    if (!filter.includeDeleted) where.push('v.deleted_at IS NULL');
    if (filter.vendor) {
      where.push('v.vendor = ?');
      values.push(filter.vendor);
    }
    if (filter.status) {
      where.push('v.status = ?');
      values.push(filter.status);
    }
    const terms = searchTerms(filter.query ?? '');
    const indexed = terms.filter((term) => [...term].length >= TRIGRAM_MIN_LENGTH);
    for (const term of terms.filter((term) => [...term].length < TRIGRAM_MIN_LENGTH)) {
      where.push("v.prompt LIKE ? ESCAPE '\\'");
      values.push(`%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`);
    }
    if (indexed.length > 0) {
      where.push('v.seq IN (SELECT rowid FROM video_jobs_fts WHERE video_jobs_fts MATCH ?)');
      values.push(indexed.map((term) => `"${term.replaceAll('"', '""')}"`).join(' '));
    }
    const sql = `SELECT v.* FROM video_jobs v ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY v.created_at DESC, v.seq DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...values, filter.limit ?? 500) as Row[];
    return rows.map((row) => this.record(row));
  }

  /** Jobs whose vendor state may still change and that are not in the trash. */
  open(): VideoRecord[] {
    const rows = this.db
      .prepare(
        "SELECT * FROM video_jobs WHERE status IN ('queued', 'running') AND deleted_at IS NULL ORDER BY created_at",
      )
      .all() as Row[];
    return rows.map((row) => this.record(row));
  }

  withStatus(status: VideoStatus): VideoRecord[] {
    const rows = this.db.prepare('SELECT * FROM video_jobs WHERE status = ?').all(status) as Row[];
    return rows.map((row) => this.record(row));
  }

  /** Finished jobs whose download was queued or running when the app stopped. */
  unfinishedDownloads(): VideoRecord[] {
    const rows = this.db
      .prepare(
        "SELECT * FROM video_jobs WHERE download IN ('pending', 'downloading') AND deleted_at IS NULL ORDER BY created_at",
      )
      .all() as Row[];
    return rows.map((row) => this.record(row));
  }

  /** Records whose trash is older than `before` (both the deleted jobs and the local-only deletes). */
  trashedBefore(before: number): VideoRecord[] {
    const rows = this.db
      .prepare(`SELECT * FROM video_jobs WHERE trash IS NOT NULL AND json_extract(trash, '$.at') < ?`)
      .all(before) as Row[];
    return rows.map((row) => this.record(row));
  }

  /** The whole remix tree `id` belongs to, root first. */
  lineage(id: string): VideoRecord[] {
    const rows = this.db
      .prepare(
        `WITH RECURSIVE
           up(id, parent_id, depth) AS (
             SELECT id, parent_id, 0 FROM video_jobs WHERE id = ?
             UNION ALL
             SELECT v.id, v.parent_id, up.depth + 1 FROM video_jobs v JOIN up ON v.id = up.parent_id
             WHERE up.depth < 100
           ),
           root(id) AS (SELECT id FROM up ORDER BY depth DESC LIMIT 1),
           down(id, depth) AS (
             SELECT id, 0 FROM root
             UNION ALL
             SELECT v.id, down.depth + 1 FROM video_jobs v JOIN down ON v.parent_id = down.id
             WHERE down.depth < 100
           )
         SELECT v.* FROM down JOIN video_jobs v ON v.id = down.id
         WHERE v.deleted_at IS NULL OR v.id = ?
         ORDER BY down.depth, v.created_at`,
      )
      .all(id, id) as Row[];
    return rows.map((row) => this.record(row));
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM video_jobs WHERE id = ?').run(id);
  }
}
