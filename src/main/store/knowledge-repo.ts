import { sep } from 'node:path';
import type { Statement } from 'better-sqlite3';
import { decodeStoredError } from '../../shared/error-reasons';
import type { KbBaseSummary, KbFileStatus, KbFileView } from '../../shared/knowledge';
import type { Db } from './database';
import { StatementCache } from './statement-cache';

export interface KbBase {
  id: string;
  name: string;
  createdAt: number;
  paused: boolean;
}

/** What the store knows of a base (whether it is watched is known only while the app runs). */
export type KbStoredSummary = Omit<KbBaseSummary, 'watching'>;

/** A file as the last sync saw it. */
export interface KbStoredFile {
  id: number;
  path: string;
  size: number;
  mtimeMs: number;
  hash: string;
  status: KbFileStatus;
  error: string | null;
  pages: number | null;
}

export type KbFileVersion = Omit<KbStoredFile, 'id'>;

export interface KbChunkRow {
  text: string;
  page: number | null;
  startLine: number | null;
  heading: string;
}

export interface KbChunkHit {
  chunkId: number;
  baseId: string;
  path: string;
  /** The whole chunk, for passages sent to a model. */
  text: string;
  page: number | null;
  startLine: number | null;
  heading: string;
  snippet: string;
  /** bm25: lower is better. */
  rank: number;
}

interface FileRow {
  id: number;
  path: string;
  size: number;
  mtime_ms: number;
  hash: string;
  status: KbFileStatus;
  error: string | null;
  pages: number | null;
}

function toFile(row: FileRow): KbStoredFile {
  return {
    id: row.id,
    path: row.path,
    size: row.size,
    mtimeMs: row.mtime_ms,
    hash: row.hash,
    status: row.status,
    error: row.error,
    pages: row.pages,
  };
}

/** Knowledge bases, their roots, the files found under them and those files' chunks (migrations 13, 15). */
export class KnowledgeRepo {
  private readonly statements: StatementCache;

  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {
    this.statements = new StatementCache(db);
  }

  private sql(text: string): Statement {
    return this.statements.get(text);
  }

  /** False when the name is taken (any case). */
  createBase(base: { id: string; name: string; roots: readonly string[] }): boolean {
    return this.db.transaction(() => {
      const created =
        this.sql(
          'INSERT INTO kb_bases (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING',
        ).run(base.id, base.name, this.clock()).changes === 1;
      if (created) this.addRoots(base.id, base.roots);
      return created;
    })();
  }

  addRoots(baseId: string, roots: readonly string[]): void {
    const insert = this.sql('INSERT INTO kb_roots (base_id, path) VALUES (?, ?) ON CONFLICT DO NOTHING');
    for (const root of roots) insert.run(baseId, root);
  }

  /** By name, any case. */
  base(name: string): KbBase | undefined {
    const row = this.sql('SELECT id, name, created_at, paused FROM kb_bases WHERE name = ?').get(name) as
      | { id: string; name: string; created_at: number; paused: number }
      | undefined;
    return row
      ? { id: row.id, name: row.name, createdAt: row.created_at, paused: row.paused === 1 }
      : undefined;
  }

  /** False when there is no such base. */
  setPaused(baseId: string, paused: boolean): boolean {
    return this.sql('UPDATE kb_bases SET paused = ? WHERE id = ?').run(paused ? 1 : 0, baseId).changes === 1;
  }

  roots(baseId: string): string[] {
    return (
      this.sql('SELECT path FROM kb_roots WHERE base_id = ? ORDER BY path').all(baseId) as { path: string }[]
    ).map((row) => row.path);
  }

  /** Oldest first, with what each holds. */
  listBases(): KbStoredSummary[] {
    const rows = this.sql(
      `SELECT b.id, b.name, b.created_at, b.paused,
         (SELECT count(*) FROM kb_files f WHERE f.base_id = b.id) AS files,
         (SELECT count(*) FROM kb_files f WHERE f.base_id = b.id AND f.status = 'failed') AS failed,
         (SELECT count(*) FROM kb_files f WHERE f.base_id = b.id AND f.status = 'no-text') AS no_text,
         (SELECT count(*) FROM kb_chunks c JOIN kb_files f ON f.id = c.file_id WHERE f.base_id = b.id) AS chunks
       FROM kb_bases b ORDER BY b.created_at, b.rowid`,
    ).all() as {
      id: string;
      name: string;
      created_at: number;
      paused: number;
      files: number;
      failed: number;
      no_text: number;
      chunks: number;
    }[];
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      createdAt: row.created_at,
      roots: this.roots(row.id),
      files: row.files,
      chunks: row.chunks,
      failed: row.failed,
      noText: row.no_text,
      paused: row.paused === 1,
    }));
  }

  /** Its roots, files and chunks go with it. */
  removeBase(baseId: string): boolean {
    return this.sql('DELETE FROM kb_bases WHERE id = ?').run(baseId).changes === 1;
  }

  files(baseId: string): KbStoredFile[] {
    return (this.sql('SELECT * FROM kb_files WHERE base_id = ? ORDER BY path').all(baseId) as FileRow[]).map(
      toFile,
    );
  }

  /** The base's files at these paths or under them (a path may be a folder): a range on the (base, path) index. */
  filesUnder(baseId: string, paths: readonly string[]): KbStoredFile[] {
    const select = this.sql(
      'SELECT * FROM kb_files WHERE base_id = ? AND (path = ? OR (path >= ? AND path < ?))',
    );
    const found = new Map<number, KbStoredFile>();
    for (const path of paths) {
      const folder = path.endsWith(sep) ? path : path + sep;
      const after = folder.slice(0, -1) + String.fromCharCode(sep.charCodeAt(0) + 1);
      for (const row of select.all(baseId, path, folder, after) as FileRow[]) found.set(row.id, toFile(row));
    }
    return [...found.values()];
  }

  /** The base's readable files with this content hash (where a file that moved may have come from). */
  filesWithHash(baseId: string, hash: string): KbStoredFile[] {
    return (
      this.sql("SELECT * FROM kb_files WHERE base_id = ? AND hash = ? AND status != 'failed'").all(
        baseId,
        hash,
      ) as FileRow[]
    ).map(toFile);
  }

  fileViews(baseId: string): KbFileView[] {
    const rows = this.sql(
      `SELECT f.path, f.size, f.status, f.error, f.pages,
         (SELECT count(*) FROM kb_chunks c WHERE c.file_id = f.id) AS chunks
       FROM kb_files f WHERE f.base_id = ? ORDER BY f.path`,
    ).all(baseId) as (Omit<KbFileView, 'reason'> & { error: string | null })[];
    return rows.map((row) => {
      if (row.error === null) return row;
      const { message, reason } = decodeStoredError(row.error);
      return { ...row, error: message, ...(reason ? { reason } : {}) };
    });
  }

  /** A file's new version and all its chunks, in one transaction: a crash leaves the old version or the new one. */
  replaceFile(baseId: string, file: KbFileVersion, chunks: readonly KbChunkRow[]): void {
    this.db.transaction(() => {
      this.sql('DELETE FROM kb_files WHERE base_id = ? AND path = ?').run(baseId, file.path);
      const fileId = this.sql(
        `INSERT INTO kb_files (base_id, path, size, mtime_ms, hash, status, error, pages, indexed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        baseId,
        file.path,
        file.size,
        file.mtimeMs,
        file.hash,
        file.status,
        file.error,
        file.pages,
        this.clock(),
      ).lastInsertRowid;
      const insert = this.sql(
        'INSERT INTO kb_chunks (file_id, ordinal, text, page, start_line, heading) VALUES (?, ?, ?, ?, ?, ?)',
      );
      chunks.forEach((chunk, ordinal) => {
        insert.run(fileId, ordinal, chunk.text, chunk.page, chunk.startLine, chunk.heading);
      });
    })();
  }

  /** The same content under a new path, or with a new size or time: its chunks stay. */
  updateReference(fileId: number, reference: { path: string; size: number; mtimeMs: number }): void {
    this.sql('UPDATE kb_files SET path = ?, size = ?, mtime_ms = ? WHERE id = ?').run(
      reference.path,
      reference.size,
      reference.mtimeMs,
      fileId,
    );
  }

  /** Where a chunk is: its file's path and its page or first line; undefined once the chunk is gone. */
  chunkPlace(chunkId: number): { path: string; page: number | null; line: number | null } | undefined {
    return this.sql(
      `SELECT f.path, c.page, c.start_line AS line FROM kb_chunks c JOIN kb_files f ON f.id = c.file_id
       WHERE c.id = ?`,
    ).get(chunkId) as { path: string; page: number | null; line: number | null } | undefined;
  }

  deleteFile(fileId: number): void {
    this.sql('DELETE FROM kb_files WHERE id = ?').run(fileId);
  }

  /** `match` is an FTS5 query; best first, over the chunks of any of the bases. */
  search(baseIds: readonly string[], match: string, limit: number): KbChunkHit[] {
    if (baseIds.length === 0) return [];
    const rows = this.sql(
      `SELECT c.id AS chunk_id, f.base_id, f.path, c.text, c.page, c.start_line, c.heading,
         snippet(kb_chunks_fts, 0, '', '', '…', 24) AS snippet, bm25(kb_chunks_fts, 1.0, 2.0) AS rank
       FROM kb_chunks_fts
       JOIN kb_chunks c ON c.id = kb_chunks_fts.rowid
       JOIN kb_files f ON f.id = c.file_id
       WHERE kb_chunks_fts MATCH ? AND f.base_id IN (SELECT value FROM json_each(?))
       ORDER BY rank LIMIT ?`,
    ).all(match, JSON.stringify(baseIds), limit) as {
      chunk_id: number;
      base_id: string;
      path: string;
      text: string;
      page: number | null;
      start_line: number | null;
      heading: string;
      snippet: string;
      rank: number;
    }[];
    return rows.map((row) => ({
      chunkId: row.chunk_id,
      baseId: row.base_id,
      path: row.path,
      text: row.text,
      page: row.page,
      startLine: row.start_line,
      heading: row.heading,
      snippet: row.snippet,
      rank: row.rank,
    }));
  }
}
