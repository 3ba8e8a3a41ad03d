import type { SegmentAlternative } from '../../shared/transcription';
import type { Db } from './database';
import { StatementCache } from './statement-cache';

/** A correction that lost to a concurrent one, as a merge keeps it. */
export interface LosingCorrection {
  transcriptId: string;
  segmentIndex: number;
  version: string;
  text: string;
  device: string;
  keptAt: number;
}

/** Segment corrections that lost to another computer's concurrent correction (this computer only, never synced). */
export class SegmentAlternativesRepo {
  private readonly statements: StatementCache;

  constructor(db: Db) {
    this.statements = new StatementCache(db);
  }

  /** Keeps a losing correction; the same one kept twice stays one. */
  keep(correction: LosingCorrection): void {
    this.statements
      .get(
        `INSERT OR IGNORE INTO segment_alternatives (transcript_id, idx, version, text, device, kept_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        correction.transcriptId,
        correction.segmentIndex,
        correction.version,
        correction.text,
        correction.device,
        correction.keptAt,
      );
  }

  /** A transcript's alternatives that still differ from their segment's text, in segment order. */
  list(transcriptId: string): SegmentAlternative[] {
    return this.statements
      .get(
        `SELECT a.idx AS segmentIndex, a.version, a.text, a.kept_at AS keptAt
           FROM segment_alternatives a
           JOIN transcript_segments s ON s.transcript_id = a.transcript_id AND s.idx = a.idx
          WHERE a.transcript_id = ? AND s.text <> a.text
          ORDER BY a.idx, a.version`,
      )
      .all(transcriptId) as SegmentAlternative[];
  }

  get(transcriptId: string, segmentIndex: number, version: string): SegmentAlternative | null {
    const row = this.statements
      .get(
        `SELECT idx AS segmentIndex, version, text, kept_at AS keptAt FROM segment_alternatives
          WHERE transcript_id = ? AND idx = ? AND version = ?`,
      )
      .get(transcriptId, segmentIndex, version) as SegmentAlternative | undefined;
    return row ?? null;
  }

  remove(transcriptId: string, segmentIndex: number, version: string): void {
    this.statements
      .get('DELETE FROM segment_alternatives WHERE transcript_id = ? AND idx = ? AND version = ?')
      .run(transcriptId, segmentIndex, version);
  }
}
