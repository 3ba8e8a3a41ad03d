import type { AppError } from '../../shared/errors';
import type { JobProgress, JobState, TranscriptionJob } from '../../shared/transcription';
import type { Db } from './database';

interface JobRow {
  id: string;
  file_name: string;
  source_path: string;
  size_bytes: number;
  duration_sec: number | null;
  options: string;
  state: JobState;
  error: string | null;
  uploaded_bytes: number;
  total_bytes: number;
  part: number;
  part_count: number;
  transcript_id: string | null;
  created_at: number;
  updated_at: number;
}

export type NewJob = Omit<TranscriptionJob, 'error' | 'progress' | 'transcriptId' | 'updatedAt'> & {
  error?: AppError | null;
};

function jobFromRow(row: JobRow): TranscriptionJob {
  return {
    id: row.id,
    fileName: row.file_name,
    sourcePath: row.source_path,
    sizeBytes: row.size_bytes,
    durationSec: row.duration_sec,
    options: JSON.parse(row.options) as TranscriptionJob['options'],
    state: row.state,
    error: row.error ? (JSON.parse(row.error) as AppError) : null,
    progress: {
      uploadedBytes: row.uploaded_bytes,
      totalBytes: row.total_bytes,
      part: row.part,
      partCount: row.part_count,
    },
    transcriptId: row.transcript_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Transcription jobs: their state, progress and options. */
export class TranscriptionJobsRepo {
  constructor(private readonly db: Db) {}

  insertJob(job: NewJob): TranscriptionJob {
    this.db
      .prepare(
        `INSERT INTO transcription_jobs (id, file_name, source_path, size_bytes, duration_sec, options, state,
           error, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        job.id,
        job.fileName,
        job.sourcePath,
        job.sizeBytes,
        job.durationSec,
        JSON.stringify(job.options),
        job.state,
        job.error ? JSON.stringify(job.error) : null,
        job.createdAt,
        job.createdAt,
      );
    return this.requireJob(job.id);
  }

  getJob(id: string): TranscriptionJob | null {
    const row = this.db.prepare('SELECT * FROM transcription_jobs WHERE id = ?').get(id) as
      | JobRow
      | undefined;
    return row ? jobFromRow(row) : null;
  }

  requireJob(id: string): TranscriptionJob {
    const job = this.getJob(id);
    if (!job) throw new Error(`transcription job ${id} is missing`);
    return job;
  }

  /** Newest first. */
  listJobs(): TranscriptionJob[] {
    const rows = this.db
      .prepare('SELECT * FROM transcription_jobs ORDER BY created_at DESC, rowid DESC')
      .all() as JobRow[];
    return rows.map(jobFromRow);
  }

  /** State, error and progress in one write; `error: null` clears it. */
  updateJob(
    id: string,
    patch: { state?: JobState; error?: AppError | null; progress?: JobProgress; durationSec?: number | null },
    now: number,
  ): TranscriptionJob {
    const current = this.requireJob(id);
    const progress = patch.progress ?? current.progress;
    const error = patch.error === undefined ? current.error : patch.error;
    this.db
      .prepare(
        `UPDATE transcription_jobs SET state = ?, error = ?, uploaded_bytes = ?, total_bytes = ?, part = ?,
           part_count = ?, duration_sec = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        patch.state ?? current.state,
        error ? JSON.stringify(error) : null,
        progress.uploadedBytes,
        progress.totalBytes,
        progress.part,
        progress.partCount,
        patch.durationSec === undefined ? current.durationSec : patch.durationSec,
        now,
        id,
      );
    return this.requireJob(id);
  }

  /** Jobs left queued or running by a previous run become interrupted; returns their ids. */
  markActiveInterrupted(error: AppError, now: number): string[] {
    const ids = (
      this.db
        .prepare(
          "SELECT id FROM transcription_jobs WHERE state IN ('queued', 'uploading', 'transcribing') ORDER BY created_at",
        )
        .all() as { id: string }[]
    ).map((row) => row.id);
    this.db
      .prepare(
        `UPDATE transcription_jobs SET state = 'interrupted', error = ?, updated_at = ?
         WHERE state IN ('queued', 'uploading', 'transcribing')`,
      )
      .run(JSON.stringify(error), now);
    return ids;
  }

  /** Deletes the job and its transcript (segments go with it). */
  deleteJob(id: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM transcripts WHERE job_id = ?').run(id);
      this.db.prepare('DELETE FROM transcription_jobs WHERE id = ?').run(id);
    })();
  }
}
