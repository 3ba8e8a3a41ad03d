import type { SoraOptions } from '../../../shared/videos/vendor-options';
import type { ApiCall } from '../api-call';
import type { HttpClient } from '../http-client';
import {
  asRecord,
  type RemoteVideoState,
  requireRemoteId,
  stringOf,
  toMs,
  type VideoCreateInput,
  vendorError,
} from './types';

const STATUS: Record<string, RemoteVideoState['status']> = {
  queued: 'queued',
  in_progress: 'running',
  completed: 'succeeded',
  failed: 'failed',
};

/** A Sora `VideoResponse` (create, status, remix, list item) to the normalized state. */
export function parseSoraVideo(body: unknown): RemoteVideoState {
  const video = asRecord(body) ?? {};
  const status = STATUS[String(video.status)] ?? 'queued';
  const progress = typeof video.progress === 'number' ? Math.max(0, Math.min(100, video.progress)) : null;
  const params: Record<string, unknown> = {};
  if (stringOf(video.seconds)) params.seconds = video.seconds;
  if (stringOf(video.size)) params.size = video.size;
  return {
    remoteId: requireRemoteId(video.id, 'Sora'),
    status,
    progress: status === 'succeeded' ? 100 : progress,
    error:
      status === 'failed'
        ? (vendorError(video.error, 'Sora could not make this video.', 'Sora') ?? null)
        : null,
    result: status === 'succeeded' ? { type: 'sora' } : null,
    createdAt: toMs(video.created_at),
    completedAt: toMs(video.completed_at),
    expiresAt: toMs(video.expires_at),
    model: stringOf(video.model),
    prompt: typeof video.prompt === 'string' ? video.prompt : undefined,
    remixedFrom: stringOf(video.remixed_from_video_id) ?? null,
    params,
  };
}

/** The create request: JSON, or multipart when a first-frame image is given. */
export function soraCreateCall(input: VideoCreateInput): ApiCall {
  const options = input.options as SoraOptions;
  const fields: Record<string, string> = { model: input.model, prompt: input.prompt };
  if (options.seconds) fields.seconds = options.seconds;
  if (options.size) fields.size = options.size;
  if (!input.image) return { endpoint: 'sora.create', json: fields, retry: false };
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append(
    'input_reference',
    new Blob([new Uint8Array(input.image.bytes)], { type: input.image.mimeType }),
    input.image.name,
  );
  return { endpoint: 'sora.create', form, retry: false };
}

export async function soraCreate(client: HttpClient, input: VideoCreateInput, signal?: AbortSignal) {
  const call = soraCreateCall(input);
  const { data } = await client.json({ ...call, ...(signal ? { signal } : {}) });
  return parseSoraVideo(data);
}

export async function soraStatus(client: HttpClient, remoteId: string, signal?: AbortSignal) {
  const { data } = await client.json({ endpoint: 'sora.status', pathParams: { id: remoteId }, signal });
  return parseSoraVideo(data);
}

export async function soraRemix(client: HttpClient, remoteId: string, prompt: string, signal?: AbortSignal) {
  const { data } = await client.json({
    endpoint: 'sora.remix',
    pathParams: { id: remoteId },
    json: { prompt },
    retry: false,
    signal,
  });
  return parseSoraVideo(data);
}

export async function soraDelete(client: HttpClient, remoteId: string): Promise<void> {
  await client.json({ endpoint: 'sora.delete', pathParams: { id: remoteId } });
}

export interface SoraPage {
  videos: RemoteVideoState[];
  lastId: string | null;
  hasMore: boolean;
}

export function parseSoraList(body: unknown): SoraPage {
  const list = asRecord(body) ?? {};
  const data = Array.isArray(list.data) ? list.data : [];
  const videos = data.map(parseSoraVideo);
  return {
    videos,
    lastId: stringOf(list.last_id) ?? videos.at(-1)?.remoteId ?? null,
    hasMore: list.has_more === true,
  };
}

/** Every video of the account, page by page (`after` = the previous page's last id). */
export async function soraListAll(client: HttpClient, pageSize = 100, maxPages = 100) {
  const videos: RemoteVideoState[] = [];
  let after: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const { data } = await client.json({
      endpoint: 'sora.list',
      query: { limit: pageSize, order: 'desc', ...(after ? { after } : {}) },
    });
    const parsed = parseSoraList(data);
    videos.push(...parsed.videos);
    if (!parsed.hasMore || !parsed.lastId || parsed.lastId === after) break;
    after = parsed.lastId;
  }
  return videos;
}

export function soraContentCall(remoteId: string, variant: 'video' | 'thumbnail'): ApiCall {
  return { endpoint: 'sora.content', pathParams: { id: remoteId }, query: { variant } };
}

/** A gateway that answers the content call with JSON instead of bytes: the link inside it. */
export function soraContentLink(body: unknown): string | null {
  const record = asRecord(body);
  if (!record) return null;
  const direct = stringOf(record.url) ?? stringOf(record.download_url) ?? stringOf(record.video_url);
  if (direct) return direct;
  const first = Array.isArray(record.data) ? asRecord(record.data[0]) : asRecord(record.data);
  return first ? (stringOf(first.url) ?? null) : null;
}
