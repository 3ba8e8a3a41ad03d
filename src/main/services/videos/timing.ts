/** How often and how long the library asks, downloads and keeps; tests make these short. */
export interface VideoTiming {
  /** First poll after a create, a restart or a refresh; grows by `backoff` up to `maxPollMs`. */
  firstPollMs: number;
  maxPollMs: number;
  backoff: number;
  /** After this long without a final state the job becomes `unknown` (kept; `videos.refresh` asks again). */
  giveUpMs: number;
  maxConcurrentPolls: number;
  maxConcurrentDownloads: number;
  /** Automatic resumes after a cut before the download is marked failed. */
  downloadAttempts: number;
  downloadRetryMs: number;
  /** How long deleted files stay in the trash (undo window). */
  trashKeepMs: number;
  /** At most one `videos.downloadProgress` per job per this many ms. */
  progressEveryMs: number;
  /** Videos per page when syncing from the Sora account (≤ 100). */
  syncPageSize: number;
}

export const defaultVideoTiming: VideoTiming = {
  firstPollMs: 3000,
  maxPollMs: 30_000,
  backoff: 1.5,
  giveUpMs: 2 * 60 * 60 * 1000,
  maxConcurrentPolls: 4,
  maxConcurrentDownloads: 2,
  downloadAttempts: 5,
  downloadRetryMs: 2000,
  trashKeepMs: 7 * 24 * 60 * 60 * 1000,
  progressEveryMs: 250,
  syncPageSize: 100,
};
