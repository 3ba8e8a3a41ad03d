/** Something on the remote that was not applied: a blob that failed authentication, a change set that is gone. */
export interface SyncProblem {
  code: 'tampered' | 'missing' | 'waiting';
  device: string;
  seq: number;
  message: string;
}

export interface SyncReport {
  /** Change sets uploaded. */
  uploaded: number;
  /** Change sets and snapshots downloaded. */
  downloaded: number;
  /** Change sets (and snapshots) applied here. */
  applied: number;
  /** Rows created, changed or deleted here. */
  rows: number;
  conflicts: number;
  bytesUp: number;
  bytesDown: number;
  compacted: boolean;
  problems: SyncProblem[];
}

/** `apply` progress is told inside the change set's transaction, after its rows are written and before its mark. */
export interface SyncProgress {
  phase: 'upload' | 'apply' | 'compact';
  done: number;
  total: number;
}
