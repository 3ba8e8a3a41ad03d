import type { Migration } from './migrations';

/**
 * A transcript segment's correction that lost to a concurrent correction of the same segment on another computer
 * (issue 19): kept here, on this computer only, until the person uses or dismisses it. Keyed by the losing version,
 * so applying the same change set twice keeps one; a deleted transcript takes its alternatives along.
 */
export const migration021SegmentAlternatives: Migration = {
  version: 21,
  name: 'segment alternatives from concurrent corrections',
  up: (db) => {
    db.exec(`
      CREATE TABLE segment_alternatives (
        transcript_id TEXT NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        version TEXT NOT NULL,
        text TEXT NOT NULL,
        device TEXT NOT NULL,
        kept_at INTEGER NOT NULL,
        PRIMARY KEY (transcript_id, idx, version)
      ) WITHOUT ROWID;
    `);
  },
};
