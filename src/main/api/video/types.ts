import type { VideoError, VideoResult, VideoStatus } from '../../../shared/videos/job';
import { HubError } from '../../base/errors';

/** An image the user chose, read by main and checked to be an image. */
export interface VideoImage {
  bytes: Buffer;
  mimeType: 'image/png' | 'image/jpeg' | 'image/webp';
  name: string;
  width: number | null;
  height: number | null;
}

export interface VideoCreateInput {
  model: string;
  prompt: string;
  options: Record<string, unknown>;
  image?: VideoImage | undefined;
  imageTail?: VideoImage | undefined;
}

/** One vendor answer (create, status, list item), normalized. */
export interface RemoteVideoState {
  remoteId: string;
  /** Never `submitting` or `unknown`: those are the library's own states. */
  status: Exclude<VideoStatus, 'submitting' | 'unknown'>;
  progress: number | null;
  error: VideoError | null;
  result: VideoResult | null;
  /** Milliseconds since the epoch. */
  createdAt: number | null;
  completedAt: number | null;
  expiresAt: number | null;
  /** Fields the vendor echoed that the library keeps (model, prompt, size…), for imported jobs. */
  model?: string | undefined;
  prompt?: string | undefined;
  /** Sora: the remote id of the video this one remixes. */
  remixedFrom?: string | null | undefined;
  params?: Record<string, unknown> | undefined;
}

/** Vendors give seconds or milliseconds; anything below 10^12 is taken as seconds. */
export function toMs(value: unknown): number | null {
  const number = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) return null;
  return number < 1e12 ? Math.round(number * 1000) : Math.round(number);
}

export function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** `{code, message}` (any code type) to the job's error; null when there is none. */
export function vendorError(value: unknown, fallback: string, vendor?: string): VideoError | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return { message: value };
  const record = asRecord(value);
  const own = stringOf(record?.message);
  const said: VideoError = own
    ? { message: own }
    : vendor
      ? { message: fallback, reason: { code: 'videoVendorFailed', values: { vendor } } }
      : { message: fallback };
  const code = record?.code === undefined || record.code === null ? undefined : String(record.code);
  return code === undefined ? said : { ...said, code };
}

/** The vendor's own words about a failed job, when it gave any. */
export function vendorMessage(value: unknown): VideoError | null {
  const message = stringOf(value);
  return message ? { message } : null;
}

/** A failed job the vendor said nothing about. */
export function vendorFailed(vendor: string): VideoError {
  return {
    message: `${vendor} could not make this video.`,
    reason: { code: 'videoVendorFailed', values: { vendor } },
  };
}

export function requireRemoteId(value: unknown, what: string): string {
  const id = typeof value === 'number' ? String(value) : stringOf(value);
  if (!id) {
    throw new HubError({
      kind: 'server',
      message: `The ${what} answer carries no task id.`,
      reason: { code: 'videoNoTaskId', values: { vendor: what } },
    });
  }
  return id;
}
