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

/** Why a connection test failed (`RemoteProblem`) and its report, as codes the window words (src/shared/sync.ts). */
import type { ConnectionReport } from '../../shared/sync';

export type { ConnectionReport, RemoteProblem } from '../../shared/sync';

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
  /**
   * The object's bytes, or null when there is no such object. Pointers that are rewritten (heads) are read with
   * this, never with `download`, which may continue from a `.part` of an object that never changes.
   */
  get(key: string, signal?: AbortSignal): Promise<Uint8Array | null>;
  /** Writes a small object whole (change sets, snapshots, pointers). */
  put(key: string, body: Uint8Array, signal?: AbortSignal): Promise<void>;
  /** Writes a (possibly large) file from disk, resumably where the service allows. */
  upload(key: string, filePath: string, options?: UploadOptions): Promise<void>;
  /**
   * Streams the object to a file on disk (written to `filePath`.part, then renamed); a missing key throws a
   * `not_found` HubError. In a ConnectionReport, `skewMs` is the server's time minus this computer's.
   */
  download(
    key: string,
    filePath: string,
    options?: { signal?: AbortSignal; onProgress?: (got: number, total: number) => void },
  ): Promise<void>;
  delete(key: string, signal?: AbortSignal): Promise<void>;
}
