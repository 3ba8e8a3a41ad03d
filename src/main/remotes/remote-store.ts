/**
 * The storage a user owns, as sync sees it (issue 19): a flat namespace of immutable objects under one prefix.
 * WebDAV and S3-compatible buckets implement it; sync never learns which one it talks to. Keys are relative,
 * `/`-separated, made of [a-z0-9._-/] only. Objects are written once and never rewritten in place (except the
 * small `head` pointers sync names as such), so a reader never sees half an object.
 */
export interface RemoteObject {
  key: string;
  size: number;
}

/** Why a connection test failed, as a code the window words (never English from here). */
export type RemoteProblem =
  | 'address' // the host cannot be reached or the URL is not a WebDAV/S3 endpoint
  | 'auth' // credentials refused
  | 'permission' // signed in, but may not list, read or write under the prefix
  | 'clock_skew' // S3 refused the signature because this computer's clock is off
  | 'not_found' // the folder or bucket does not exist
  | 'tls' // certificate problem
  | 'unknown';

export type ConnectionReport =
  | { ok: true; latencyMs: number }
  | { ok: false; problem: RemoteProblem; detail: string; status?: number; skewMs?: number };

/** Saved between attempts so a big upload continues where it stopped (S3 multipart upload id and parts, …). */
export type UploadCheckpoint = Record<string, unknown>;

export interface UploadOptions {
  signal?: AbortSignal;
  onProgress?: (sentBytes: number, totalBytes: number) => void;
  /** What a previous, interrupted upload of the same key saved; the store resumes from it when it can. */
  checkpoint?: UploadCheckpoint;
  /** Called whenever there is something worth saving to resume from. */
  onCheckpoint?: (checkpoint: UploadCheckpoint) => void;
}

export interface RemoteStore {
  /** A name for logs and status: `webdav https://host/path` or `s3 endpoint/bucket/prefix`, without secrets. */
  readonly describe: string;
  /** Tries list, write, read and delete of a probe object under the prefix, and says what is wrong. */
  test(signal?: AbortSignal): Promise<ConnectionReport>;
  /** Every object whose key starts with `prefix` (relative to the store's own prefix), in key order. */
  list(prefix: string, signal?: AbortSignal): Promise<RemoteObject[]>;
  /** The object's bytes, or null when there is no such object. */
  get(key: string, signal?: AbortSignal): Promise<Uint8Array | null>;
  /** Writes a small object whole (change sets, snapshots, pointers). */
  put(key: string, body: Uint8Array, signal?: AbortSignal): Promise<void>;
  /** Writes a (possibly large) file from disk, resumably where the service allows. */
  upload(key: string, filePath: string, options?: UploadOptions): Promise<void>;
  /** Streams the object to a file on disk (written to `filePath`.part, then renamed). */
  download(
    key: string,
    filePath: string,
    options?: { signal?: AbortSignal; onProgress?: (got: number, total: number) => void },
  ): Promise<void>;
  delete(key: string, signal?: AbortSignal): Promise<void>;
}
