import type {
  JobProgress,
  Transcript,
  TranscriptSearchHit,
  TranscriptSegment,
  TranscriptSummary,
  TranscriptWord,
} from '../../shared/transcription';
import type { Db } from './database';
import { searchTerms, snippetAround } from './search-snippet';

const TRIGRAM_MIN_LENGTH = 3;

interface TranscriptRow {
  id: string;
  job_id: string | null;
  file_name: string;
  source_path: string;
  audio_path: string | null;
  size_bytes: number;
  duration_sec: number | null;
  model: Transcript['model'];
  language: string | null;
  timestamps: number;
  created_at: number;
  updated_at: number;
}

interface SegmentRow {
  idx: number;
  start_sec: number;
  end_sec: number;
  text: string;
  original_text: string;
  words: string;
}

export interface NewSegment {
  start: number;
  end: number;
  text: string;
  words: TranscriptWord[];
}

export type NewTranscript = Omit<Transcript, 'segments' | 'updatedAt'> & { segments: NewSegment[] };

function segmentFromRow(row: SegmentRow): TranscriptSegment {
  return {
    index: row.idx,
    start: row.start_sec,
    end: row.end_sec,
    text: row.text,
    edited: row.text !== row.original_text,
    words: JSON.parse(row.words) as TranscriptWord[],
  };
}

/** Transcripts and their segments (a finished job's result); keyword search over segment text. */
export class TranscriptsRepo {
  constructor(private readonly db: Db) {}

  /**
   * Stores the transcript and marks its job done, in one transaction: a job is never done without its
   * transcript, and a transcript never exists for an unfinished job. An earlier transcript of the same job
   * is replaced, never duplicated.
   */
  completeJob(transcript: NewTranscript, progress: JobProgress): void {
    const now = transcript.createdAt;
    this.db.transaction(() => {
      if (transcript.jobId) this.db.prepare('DELETE FROM transcripts WHERE job_id = ?').run(transcript.jobId);
      this.db
        .prepare(
          `INSERT INTO transcripts (id, job_id, file_name, source_path, audio_path, size_bytes, duration_sec, model,
             language, timestamps, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          transcript.id,
          transcript.jobId,
          transcript.fileName,
          transcript.sourcePath,
          transcript.audioPath,
          transcript.sizeBytes,
          transcript.durationSec,
          transcript.model,
          transcript.language,
          transcript.timestamps ? 1 : 0,
          now,
          now,
        );
      const insert = this.db.prepare(
        `INSERT INTO transcript_segments (transcript_id, idx, start_sec, end_sec, text, original_text, words)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      transcript.segments.forEach((segment, index) => {
        insert.run(
          transcript.id,
          index,
          segment.start,
          segment.end,
          segment.text,
          segment.text,
          JSON.stringify(segment.words),
        );
      });
      if (transcript.jobId) {
        this.db
          .prepare(
            `UPDATE transcription_jobs SET state = 'done', error = NULL, transcript_id = ?, uploaded_bytes = ?,
               total_bytes = ?, part = ?, part_count = ?, duration_sec = ?, updated_at = ? WHERE id = ?`,
          )
          .run(
            transcript.id,
            progress.uploadedBytes,
            progress.totalBytes,
            progress.part,
            progress.partCount,
            transcript.durationSec,
            now,
            transcript.jobId,
          );
      }
    })();
  }

  getTranscript(id: string): Transcript | null {
    const row = this.db.prepare('SELECT * FROM transcripts WHERE id = ?').get(id) as
      | TranscriptRow
      | undefined;
    if (!row) return null;
    const segments = this.db
      .prepare(
        `SELECT idx, start_sec, end_sec, text, original_text, words FROM transcript_segments
         WHERE transcript_id = ? ORDER BY idx`,
      )
      .all(id) as SegmentRow[];
    return {
      id: row.id,
      jobId: row.job_id,
      fileName: row.file_name,
      sourcePath: row.source_path,
      audioPath: row.audio_path,
      sizeBytes: row.size_bytes,
      durationSec: row.duration_sec,
      model: row.model,
      language: row.language,
      timestamps: row.timestamps === 1,
      segments: segments.map(segmentFromRow),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /** Newest first, without segments; `query`: every term must occur in the file name. */
  list(filter: { query?: string | undefined; limit: number }): TranscriptSummary[] {
    const terms = searchTerms(filter.query ?? '');
    const clauses = terms.map(() => "AND t.file_name LIKE ? ESCAPE '\\'").join(' ');
    const values = terms.map((term) => `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`);
    const rows = this.db
      .prepare(
        `SELECT t.id, t.file_name, t.duration_sec, t.language, t.created_at,
           (SELECT COUNT(*) FROM transcript_segments s WHERE s.transcript_id = t.id) AS segment_count,
           EXISTS (SELECT 1 FROM transcript_segments s WHERE s.transcript_id = t.id AND s.text <> s.original_text)
             AS edited
         FROM transcripts t WHERE 1 = 1 ${clauses} ORDER BY t.created_at DESC, t.rowid DESC LIMIT ?`,
      )
      .all(...values, filter.limit) as {
      id: string;
      file_name: string;
      duration_sec: number | null;
      language: string | null;
      created_at: number;
      segment_count: number;
      edited: number;
    }[];
    return rows.map((row) => ({
      id: row.id,
      fileName: row.file_name,
      durationSec: row.duration_sec,
      language: row.language,
      createdAt: row.created_at,
      segmentCount: row.segment_count,
      edited: row.edited === 1,
    }));
  }

  /** Returns the updated segment, or null when the transcript has no such segment. */
  updateSegmentText(id: string, index: number, text: string, now: number): TranscriptSegment | null {
    const changed = this.db.transaction(() => {
      const result = this.db
        .prepare('UPDATE transcript_segments SET text = ? WHERE transcript_id = ? AND idx = ?')
        .run(text, id, index);
      if (result.changes > 0) {
        this.db.prepare('UPDATE transcripts SET updated_at = ? WHERE id = ?').run(now, id);
      }
      return result.changes > 0;
    })();
    if (!changed) return null;
    const row = this.db
      .prepare(
        `SELECT idx, start_sec, end_sec, text, original_text, words FROM transcript_segments
         WHERE transcript_id = ? AND idx = ?`,
      )
      .get(id, index) as SegmentRow;
    return segmentFromRow(row);
  }

  setAudioPath(id: string, audioPath: string | null, now: number): void {
    this.db
      .prepare('UPDATE transcripts SET audio_path = ?, updated_at = ? WHERE id = ?')
      .run(audioPath, now, id);
  }

  /**
   * Segments where every whitespace-separated term occurs (plain text, never FTS syntax); best first, ties
   * newest first. Terms shorter than a trigram are matched with LIKE.
   */
  search(query: string, limit: number): TranscriptSearchHit[] {
    const terms = searchTerms(query);
    if (terms.length === 0 || limit < 1) return [];
    const indexed = terms.filter((term) => [...term].length >= TRIGRAM_MIN_LENGTH);
    const scanned = terms.filter((term) => [...term].length < TRIGRAM_MIN_LENGTH);
    const likeClauses = scanned.map(() => "AND s.text LIKE ? ESCAPE '\\'").join(' ');
    const likeValues = scanned.map((term) => `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`);
    const columns = `s.transcript_id, t.file_name, s.idx, s.start_sec, s.end_sec, s.text, t.created_at`;
    type HitRow = {
      transcript_id: string;
      file_name: string;
      idx: number;
      start_sec: number;
      end_sec: number;
      text: string;
      created_at: number;
    };
    const rows =
      indexed.length > 0
        ? (this.db
            .prepare(
              `SELECT ${columns} FROM transcript_segments_fts
               JOIN transcript_segments s ON s.seq = transcript_segments_fts.rowid
               JOIN transcripts t ON t.id = s.transcript_id
               WHERE transcript_segments_fts MATCH ? ${likeClauses}
               ORDER BY bm25(transcript_segments_fts), t.created_at DESC, s.idx
               LIMIT ?`,
            )
            .all(
              indexed.map((term) => `"${term.replaceAll('"', '""')}"`).join(' '),
              ...likeValues,
              limit,
            ) as HitRow[])
        : (this.db
            .prepare(
              `SELECT ${columns} FROM transcript_segments s JOIN transcripts t ON t.id = s.transcript_id
               WHERE 1 = 1 ${likeClauses} ORDER BY t.created_at DESC, s.idx LIMIT ?`,
            )
            .all(...likeValues, limit) as HitRow[]);
    return rows.map((row) => ({
      transcriptId: row.transcript_id,
      fileName: row.file_name,
      segmentIndex: row.idx,
      start: row.start_sec,
      end: row.end_sec,
      snippet: snippetAround(row.text, terms),
      createdAt: row.created_at,
    }));
  }
}
