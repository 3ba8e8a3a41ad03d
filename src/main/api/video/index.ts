import type { VideoVendor } from '../../../shared/videos/job';
import type { HttpClient } from '../http-client';
import { type KlingKind, klingCreate, klingStatus } from './kling';
import { seedanceCreate, seedanceStatus } from './seedance';
import { soraCreate, soraStatus } from './sora';
import type { RemoteVideoState, VideoCreateInput } from './types';
import { veoCreate, veoStatus } from './veo';

export type { RemoteVideoState, VideoCreateInput, VideoImage } from './types';

/** Sends one create request (never retried: docs/proxy-api.md §2.3 rule 3). */
export function createRemoteVideo(
  client: HttpClient,
  vendor: VideoVendor,
  input: VideoCreateInput,
  signal?: AbortSignal,
): Promise<RemoteVideoState> {
  switch (vendor) {
    case 'sora':
      return soraCreate(client, input, signal);
    case 'seedance':
      return seedanceCreate(client, input, signal);
    case 'kling':
      return klingCreate(client, input, signal);
    case 'veo':
      return veoCreate(client, input, signal);
  }
}

/** Asks the vendor for a job's state. */
export function fetchRemoteVideo(
  client: HttpClient,
  job: { vendor: VideoVendor; remoteId: string; model: string; params: Record<string, unknown> },
  signal?: AbortSignal,
): Promise<RemoteVideoState> {
  switch (job.vendor) {
    case 'sora':
      return soraStatus(client, job.remoteId, signal);
    case 'seedance':
      return seedanceStatus(client, job.remoteId, signal);
    case 'kling':
      return klingStatus(client, (job.params.klingKind as KlingKind) ?? 'text2video', job.remoteId, signal);
    case 'veo':
      return veoStatus(client, job.model, job.remoteId, signal);
  }
}
