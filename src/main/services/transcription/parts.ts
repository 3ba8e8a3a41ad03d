import { mkdir, rm } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { FfmpegTools } from '../../files/ffmpeg';
import { type CheckedFile, noFfmpegError } from './checks';
import {
  type AudioPart,
  convertToWav,
  detectSilences,
  type MediaKind,
  PART_BYTES_PER_SECOND,
  planCuts,
  splitWav,
  WAV_HEADER_BYTES,
} from './media';

/** The extensions the API accepts for each container it takes. */
const NAMES_FOR_KIND: Record<string, string[]> = {
  mp3: ['mp3', 'mpga', 'mpeg'],
  mp4: ['mp4', 'm4a'],
  m4a: ['m4a', 'mp4'],
  ogg: ['ogg', 'oga'],
  webm: ['webm'],
  wav: ['wav'],
  flac: ['flac'],
  mpeg: ['mpeg', 'mpga'],
};
/** Room for the multipart envelope and rounding under the API's limit. */
const UPLOAD_MARGIN_BYTES = 512 * 1024;
/** Where converted audio and its parts wait for upload, one folder per job, inside the library folder. */
export const PARTS_FOLDER = '.transcription-parts';

export interface UploadPart extends AudioPart {
  /** The name the API sees. */
  fileName: string;
  contentType: string;
}

export function partsFolderOf(libraryDir: string, jobId: string): string {
  return join(libraryDir, PARTS_FOLDER, jobId);
}

/** The name the API sees: the file's own when its extension fits the content, else the content's extension. */
export function apiFileName(fileName: string, media: MediaKind): string {
  const extension = extname(fileName).slice(1).toLowerCase();
  const accepted = NAMES_FOR_KIND[media.kind] ?? [];
  if (accepted.includes(extension)) return fileName;
  const stem = fileName.slice(0, fileName.length - extname(fileName).length) || 'audio';
  return `${stem}.${media.apiExtension ?? 'wav'}`;
}

/** The longest 16 kHz mono WAV part whose upload, envelope included, stays under the limit. */
export function maxPartSeconds(maxUploadBytes: number): number {
  return Math.floor((maxUploadBytes - UPLOAD_MARGIN_BYTES - WAV_HEADER_BYTES) / PART_BYTES_PER_SECOND);
}

export interface PartsRequest {
  source: string;
  fileName: string;
  checked: CheckedFile;
  /** Null when no ffmpeg runs. */
  tools: FfmpegTools | null;
  /** The length ffprobe found, if any. */
  durationSec: number | null;
  maxUploadBytes: number;
  /** The job's parts folder, made when needed; the caller removes it. */
  folder: string;
  signal: AbortSignal;
}

/**
 * What goes up for a file: the file itself when the API takes it whole, else its audio as 16 kHz mono WAV cut
 * near silences into parts that each fit one upload. Without ffmpeg, a file that needs it is refused.
 */
export async function partsToUpload(request: PartsRequest): Promise<UploadPart[]> {
  const { checked, tools } = request;
  const needsConversion = checked.size > request.maxUploadBytes || checked.media.apiExtension === null;
  if (needsConversion && !tools) throw noFfmpegError(request.fileName, checked, request.maxUploadBytes);
  if (!needsConversion || !tools) {
    return [
      {
        path: request.source,
        size: checked.size,
        offsetSec: 0,
        durationSec: request.durationSec ?? 0,
        fileName: apiFileName(request.fileName, checked.media),
        contentType: checked.media.contentType,
      },
    ];
  }
  const parts = await wavParts(tools, request);
  return parts.map((part) => ({ ...part, fileName: basename(part.path), contentType: 'audio/wav' }));
}

async function wavParts(tools: FfmpegTools, request: PartsRequest): Promise<AudioPart[]> {
  const { folder, signal } = request;
  await mkdir(folder, { recursive: true });
  const wav = join(folder, 'full.wav');
  const seconds = await convertToWav(tools, request.source, wav, signal);
  const maxPartSec = maxPartSeconds(request.maxUploadBytes);
  if (seconds <= maxPartSec) return splitWav(tools, wav, [], folder, signal);
  const silences = await detectSilences(tools, wav, signal);
  const parts = await splitWav(tools, wav, planCuts(seconds, maxPartSec, silences), folder, signal);
  await rm(wav, { force: true });
  return parts;
}
