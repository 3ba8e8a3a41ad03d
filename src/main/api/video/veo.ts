import type { VideoResult } from '../../../shared/videos/job';
import type { VeoOptions } from '../../../shared/videos/vendor-options';
import type { ApiCall } from '../api-call';
import type { HttpClient } from '../http-client';
import {
  asRecord,
  type RemoteVideoState,
  requireRemoteId,
  stringOf,
  type VideoCreateInput,
  type VideoImage,
  vendorFailed,
  vendorMessage,
} from './types';

function inlineImage(image: VideoImage) {
  return { bytesBase64Encoded: image.bytes.toString('base64'), mimeType: image.mimeType };
}

export function veoCreateCall(input: VideoCreateInput): ApiCall {
  const options = input.options as VeoOptions;
  const instance: Record<string, unknown> = { prompt: input.prompt };
  if (input.image) instance.image = inlineImage(input.image);
  if (input.imageTail) instance.lastFrame = inlineImage(input.imageTail);
  const parameters: Record<string, unknown> = { sampleCount: 1 };
  if (options.aspectRatio !== undefined) parameters.aspectRatio = options.aspectRatio;
  if (options.durationSeconds !== undefined) parameters.durationSeconds = options.durationSeconds;
  if (options.resolution !== undefined) parameters.resolution = options.resolution;
  if (options.negativePrompt !== undefined) parameters.negativePrompt = options.negativePrompt;
  if (options.generateAudio !== undefined) parameters.generateAudio = options.generateAudio;
  if (options.personGeneration !== undefined) parameters.personGeneration = options.personGeneration;
  if (options.enhancePrompt !== undefined) parameters.enhancePrompt = options.enhancePrompt;
  if (options.seed !== undefined) parameters.seed = options.seed;
  return {
    endpoint: 'veo.create',
    pathParams: { model: input.model },
    json: { instances: [instance], parameters },
    retry: false,
  };
}

/** The first sample of a finished operation: inline bytes, an http(s) link, or a `gs://` URI. */
function firstSample(response: Record<string, unknown>): VideoResult | null {
  const candidates: unknown[] = [];
  if (Array.isArray(response.videos)) candidates.push(...response.videos);
  const generated = asRecord(response.generateVideoResponse)?.generatedSamples;
  if (Array.isArray(generated)) candidates.push(...generated.map((sample) => asRecord(sample)?.video));
  if (Array.isArray(response.generatedSamples)) {
    candidates.push(...response.generatedSamples.map((sample) => asRecord(sample)?.video));
  }
  for (const candidate of candidates) {
    const video = asRecord(candidate);
    if (!video) continue;
    const base64 = stringOf(video.bytesBase64Encoded);
    if (base64) return { type: 'bytes', base64, mimeType: stringOf(video.mimeType) ?? 'video/mp4' };
    const uri = stringOf(video.gcsUri) ?? stringOf(video.uri);
    if (uri?.startsWith('gs://')) return { type: 'gcs', uri };
    if (uri && /^https?:\/\//i.test(uri)) return { type: 'url', url: uri };
  }
  return null;
}

/** A create (`{name}`) or fetch-operation answer to the normalized state. */
export function parseVeoOperation(body: unknown): RemoteVideoState {
  const operation = asRecord(body) ?? {};
  const remoteId = requireRemoteId(operation.name, 'Veo');
  const base = { remoteId, createdAt: null, completedAt: null, expiresAt: null };
  if (operation.done !== true) {
    return { ...base, status: 'queued', progress: null, error: null, result: null };
  }
  const error = asRecord(operation.error);
  if (error) {
    return {
      ...base,
      status: 'failed',
      progress: null,
      error: {
        ...(vendorMessage(error.message) ?? vendorFailed('Veo')),
        ...(error.code !== undefined ? { code: String(error.code) } : {}),
      },
      result: null,
    };
  }
  const response = asRecord(operation.response) ?? {};
  const inner = asRecord(response.generateVideoResponse) ?? response;
  const filtered = Number(inner.raiMediaFilteredCount ?? response.raiMediaFilteredCount ?? 0);
  const result = firstSample(response);
  if (!result) {
    const reasons = inner.raiMediaFilteredReasons ?? response.raiMediaFilteredReasons;
    const reasonText = Array.isArray(reasons) ? reasons.filter((r) => typeof r === 'string').join(' ') : '';
    return {
      ...base,
      status: 'failed',
      progress: null,
      error:
        filtered > 0
          ? {
              message: `Blocked by Veo's safety filter${reasonText ? `: ${reasonText}` : '.'}`,
              code: 'raiMediaFiltered',
              safety: true,
            }
          : {
              message: 'Veo finished without a video.',
              reason: { code: 'videoNoResult', values: { vendor: 'Veo' } },
            },
      result: null,
    };
  }
  return { ...base, status: 'succeeded', progress: 100, error: null, result, completedAt: Date.now() };
}

export async function veoCreate(client: HttpClient, input: VideoCreateInput, signal?: AbortSignal) {
  const { data } = await client.json({ ...veoCreateCall(input), ...(signal ? { signal } : {}) });
  return parseVeoOperation(data);
}

export async function veoStatus(
  client: HttpClient,
  model: string,
  operationName: string,
  signal?: AbortSignal,
) {
  const { data } = await client.json({
    endpoint: 'veo.status',
    pathParams: { model },
    json: { operationName },
    signal,
  });
  return parseVeoOperation(data);
}
