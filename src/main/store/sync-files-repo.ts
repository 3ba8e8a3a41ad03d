import type { Db } from './database';
import { StatementCache } from './statement-cache';

/** What a synced file is to the row that names it. */
export type MediaKind = 'video' | 'thumbnail' | 'audio' | 'image';

/** A file as a row carries it on the wire: its content hash, size and (but for a video) its library path. */
export interface SyncedFile {
  sha256: string;
  size: number;
  path?: string;
}

/** A file named by a synced row, by content. */
export interface MediaEntry {
  owner: string;
  path: string;
  kind: MediaKind;
  sha256: string;
  size: number;
}

const ownerTable: Record<MediaKind, 'video_jobs' | 'transcripts' | 'messages'> = {
  video: 'video_jobs',
  thumbnail: 'video_jobs',
  audio: 'transcripts',
  image: 'messages',
};

const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;
const SAFE_EXTENSION = /^[a-z0-9]{1,8}$/;

/**
 * Where a file another computer sent goes in this library: a video, thumbnail or kept audio at the place this
 * computer would give it; an image at the path its message names. Null for anything that would not be a plain file
 * in its folder (a remote is trusted only as far as its names go).
 */
export function libraryPathFor(kind: MediaKind, owner: string, sentPath: string | undefined): string | null {
  if (!SAFE_ID.test(owner)) return null;
  const extension = (sentPath ?? '').split('.').pop()?.toLowerCase() ?? '';
  if (kind === 'video') return `videos/${owner}.mp4`;
  if (kind === 'thumbnail')
    return `videos/${owner}.thumb.${['jpg', 'png', 'webp'].includes(extension) ? extension : 'jpg'}`;
  if (kind === 'audio') return `transcripts/${owner}.${SAFE_EXTENSION.test(extension) ? extension : 'audio'}`;
  return sentPath && /^attachments\/[A-Za-z0-9_-]{1,100}\.[a-z0-9]{1,8}$/.test(sentPath) ? sentPath : null;
}

/**
 * Sync's media by content (migration 20, `sync_files`): which files the synced rows name, their hashes, whether each
 * is on the storage and in this library yet, and the rows' own columns that follow when a file is placed.
 */
export class SyncFilesRepo {
  private readonly statements: StatementCache;

  constructor(private readonly db: Db) {
    this.statements = new StatementCache(db);
  }

  /** Files in this library that rows name and sync has not hashed yet. */
  unhashed(): { owner: string; path: string; kind: MediaKind }[] {
    return this.statements
      .get(
        `SELECT id AS owner, local_file AS path, 'video' AS kind FROM video_jobs v
          WHERE download = 'done' AND local_file IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM sync_files f WHERE f.owner = v.id AND f.path = v.local_file)
         UNION ALL
         SELECT id, thumbnail, 'thumbnail' FROM video_jobs v
          WHERE thumbnail IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM sync_files f WHERE f.owner = v.id AND f.path = v.thumbnail)
         UNION ALL
         SELECT id, audio_path, 'audio' FROM transcripts t
          WHERE audio_path IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM sync_files f WHERE f.owner = t.id AND f.path = t.audio_path)
         UNION ALL
         SELECT m.id, json_extract(j.value, '$.path'), 'image' FROM messages m, json_each(m.images) j
          WHERE m.images <> '[]' AND json_extract(j.value, '$.path') IS NOT NULL
            AND NOT EXISTS (
              SELECT 1 FROM sync_files f WHERE f.owner = m.id AND f.path = json_extract(j.value, '$.path'))`,
      )
      .all() as { owner: string; path: string; kind: MediaKind }[];
  }

  /**
   * A file of this computer, hashed: it is here; it goes to the storage unless the same content is there already;
   * the row that names it goes out again with the hash.
   */
  recordLocal(entry: MediaEntry): void {
    this.db
      .transaction(() => {
        if (entry.kind !== 'image')
          this.statements
            .get('DELETE FROM sync_files WHERE owner = ? AND kind = ? AND path <> ?')
            .run(entry.owner, entry.kind, entry.path);
        this.statements
          .get(
            `INSERT INTO sync_files (owner, path, kind, sha256, size, uploaded, fetched)
             VALUES (?, ?, ?, ?, ?, EXISTS (SELECT 1 FROM sync_files WHERE sha256 = ? AND uploaded = 1), 1)
             ON CONFLICT (owner, path) DO UPDATE SET
               sha256 = excluded.sha256, size = excluded.size, uploaded = excluded.uploaded, fetched = 1`,
          )
          .run(entry.owner, entry.path, entry.kind, entry.sha256, entry.size, entry.sha256);
        this.statements
          .get(
            `INSERT INTO sync_outbox (tbl, row_id, op) VALUES (?, ?, 'upsert')
             ON CONFLICT (tbl, row_id) DO NOTHING`,
          )
          .run(ownerTable[entry.kind], entry.owner);
      })
      .immediate();
  }

  /** The files a row names, as they travel with it. */
  filesOf(owner: string, kind: MediaKind): SyncedFile[] {
    return this.statements
      .get('SELECT path, sha256, size FROM sync_files WHERE owner = ? AND kind = ? ORDER BY path')
      .all(owner, kind) as SyncedFile[];
  }

  /**
   * Files another computer named in a row: on the storage already, to be fetched here (again only when the content
   * changed). For a video, thumbnail or audio the new one replaces the old; a message's images are its list.
   */
  receive(owner: string, kind: MediaKind, files: readonly SyncedFile[]): void {
    const paths: string[] = [];
    for (const file of files) {
      const path = libraryPathFor(kind, owner, file.path);
      if (!path || typeof file.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(file.sha256)) continue;
      if (typeof file.size !== 'number') continue;
      paths.push(path);
      this.statements
        .get(
          `INSERT INTO sync_files (owner, path, kind, sha256, size, uploaded, fetched) VALUES (?, ?, ?, ?, ?, 1, 0)
           ON CONFLICT (owner, path) DO UPDATE SET
             fetched = CASE WHEN sha256 = excluded.sha256 THEN fetched ELSE 0 END,
             sha256 = excluded.sha256, size = excluded.size, uploaded = 1`,
        )
        .run(owner, path, kind, file.sha256, file.size);
    }
    if (paths.length === 0 && files.length > 0) return;
    this.statements
      .get(
        `DELETE FROM sync_files WHERE owner = ? AND kind = ? AND path NOT IN (${paths.map(() => '?').join(', ')})`,
      )
      .run(owner, kind, ...paths);
  }

  /** Content to send: once per hash, from a file of this library. */
  toUpload(): { sha256: string; path: string }[] {
    return this.statements
      .get(
        `SELECT sha256, MIN(path) AS path FROM sync_files WHERE uploaded = 0 AND fetched = 1
          GROUP BY sha256 ORDER BY MIN(size)`,
      )
      .all() as { sha256: string; path: string }[];
  }

  markUploaded(sha256: string): void {
    this.statements.get('UPDATE sync_files SET uploaded = 1 WHERE sha256 = ?').run(sha256);
  }

  /** Files other computers sent that are not in this library yet, of the given kinds (a video in the bin waits). */
  toFetch(kinds: readonly MediaKind[]): MediaEntry[] {
    if (kinds.length === 0) return [];
    return this.db
      .prepare(
        `SELECT owner, path, kind, sha256, size FROM sync_files f
          WHERE fetched = 0 AND kind IN (${kinds.map(() => '?').join(', ')})
            AND NOT EXISTS (SELECT 1 FROM video_jobs v WHERE v.id = f.owner AND v.deleted_at IS NOT NULL)
          ORDER BY size`,
      )
      .all(...kinds) as MediaEntry[];
  }

  /** The files with this content that are not here yet (one content may be named by several rows). */
  waitingWithHash(sha256: string): MediaEntry[] {
    return this.statements
      .get('SELECT owner, path, kind, sha256, size FROM sync_files WHERE fetched = 0 AND sha256 = ?')
      .all(sha256) as MediaEntry[];
  }

  /** Every file named here and not here yet: how many and how big. */
  waiting(): { files: number; bytes: number } {
    return this.statements
      .get('SELECT COUNT(*) AS files, COALESCE(SUM(size), 0) AS bytes FROM sync_files WHERE fetched = 0')
      .get() as { files: number; bytes: number };
  }

  /** Files not here yet, with what names them (for the window's "on your other computer"), of one row or all. */
  waitingList(limit: number, owner?: string): MediaEntry[] {
    const columns = 'SELECT owner, path, kind, sha256, size FROM sync_files';
    if (owner !== undefined)
      return this.statements
        .get(`${columns} WHERE fetched = 0 AND owner = ? ORDER BY path LIMIT ?`)
        .all(owner, limit) as MediaEntry[];
    return this.statements
      .get(`${columns} WHERE fetched = 0 ORDER BY owner, path LIMIT ?`)
      .all(limit) as MediaEntry[];
  }

  /**
   * The fetched file is in the library: the row that names it shows it as if it had been made here (a video plays,
   * a thumbnail shows, the kept audio plays). The capture triggers stay quiet: nothing synced changed.
   */
  place(entry: MediaEntry): void {
    this.db
      .transaction(() => {
        this.statements.get('INSERT INTO sync_applying (on_) VALUES (1)').run();
        if (entry.kind === 'video')
          this.statements
            .get(
              `UPDATE video_jobs SET local_file = ?, download = 'done', file_size = ?, downloaded_bytes = ?,
                      download_total = ?, download_error = NULL
                WHERE id = ?`,
            )
            .run(entry.path, entry.size, entry.size, entry.size, entry.owner);
        if (entry.kind === 'thumbnail')
          this.statements
            .get('UPDATE video_jobs SET thumbnail = ? WHERE id = ?')
            .run(entry.path, entry.owner);
        if (entry.kind === 'audio')
          this.statements
            .get('UPDATE transcripts SET audio_path = ? WHERE id = ?')
            .run(entry.path, entry.owner);
        this.statements
          .get('UPDATE sync_files SET fetched = 1 WHERE path = ? AND sha256 = ?')
          .run(entry.path, entry.sha256);
        this.statements.get('DELETE FROM sync_applying').run();
      })
      .immediate();
  }
}
