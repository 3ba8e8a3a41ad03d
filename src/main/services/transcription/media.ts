/** What a file is (by its first bytes), what ffprobe says of it, and splitting long audio at silences. */
import { execFile, spawn } from 'node:child_process';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ContentKind, TranscriptionError } from '../../../shared/transcription';
import { HubError } from '../../base/errors';
import type { FfmpegTools } from '../../files/ffmpeg';

const run = promisify(execFile);

export interface MediaKind {
  /** A short name of the container, e.g. wav, mp3, mp4, webm, aac. */
  kind: string;
  /** The extension the API accepts for it, or null when the API does not take it (convert first). */
  apiExtension: string | null;
  contentType: string;
}

const ascii = (bytes: Buffer, from: number, to: number) => bytes.toString('latin1', from, to);

/** The container of a media file from its first bytes (never its name); null when it is not audio or video. */
export function detectMedia(head: Buffer): MediaKind | null {
  if (head.length < 4) return null;
  const b0 = head[0] ?? 0;
  const b1 = head[1] ?? 0;
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WAVE')
    return { kind: 'wav', apiExtension: 'wav', contentType: 'audio/wav' };
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'AVI ')
    return { kind: 'avi', apiExtension: null, contentType: 'video/x-msvideo' };
  if (ascii(head, 0, 3) === 'ID3') return { kind: 'mp3', apiExtension: 'mp3', contentType: 'audio/mpeg' };
  if (ascii(head, 0, 4) === 'fLaC') return { kind: 'flac', apiExtension: 'flac', contentType: 'audio/flac' };
  if (ascii(head, 0, 4) === 'OggS') return { kind: 'ogg', apiExtension: 'ogg', contentType: 'audio/ogg' };
  if (ascii(head, 4, 8) === 'ftyp') {
    const brand = ascii(head, 8, 12);
    if (brand === 'qt  ') return { kind: 'mov', apiExtension: null, contentType: 'video/quicktime' };
    if (brand.startsWith('M4A') || brand.startsWith('M4B'))
      return { kind: 'm4a', apiExtension: 'm4a', contentType: 'audio/mp4' };
    if (brand.startsWith('3g')) return { kind: '3gp', apiExtension: null, contentType: 'video/3gpp' };
    return { kind: 'mp4', apiExtension: 'mp4', contentType: 'video/mp4' };
  }
  if (b0 === 0x1a && b1 === 0x45 && head[2] === 0xdf && head[3] === 0xa3) {
    return ascii(head, 0, Math.min(head.length, 64)).includes('webm')
      ? { kind: 'webm', apiExtension: 'webm', contentType: 'audio/webm' }
      : { kind: 'mkv', apiExtension: null, contentType: 'video/x-matroska' };
  }
  if (b0 === 0 && b1 === 0 && head[2] === 1 && (head[3] === 0xba || head[3] === 0xb3))
    return { kind: 'mpeg', apiExtension: 'mpeg', contentType: 'video/mpeg' };
  if (b0 === 0xff && (b1 & 0xf0) === 0xf0 && (b1 & 0x06) === 0)
    return { kind: 'aac', apiExtension: null, contentType: 'audio/aac' };
  // An MPEG audio frame: 11 sync bits, then a version and a layer that are not "reserved".
  if (b0 === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x18) !== 0x08 && (b1 & 0x06) !== 0)
    return { kind: 'mp3', apiExtension: 'mp3', contentType: 'audio/mpeg' };
  if (ascii(head, 0, 4) === 'FORM' && ['AIFF', 'AIFC'].includes(ascii(head, 8, 12)))
    return { kind: 'aiff', apiExtension: null, contentType: 'audio/aiff' };
  if (ascii(head, 0, 5) === '#!AMR') return { kind: 'amr', apiExtension: null, contentType: 'audio/amr' };
  if (ascii(head, 0, 4) === 'caff') return { kind: 'caf', apiExtension: null, contentType: 'audio/x-caf' };
  if (b0 === 0x30 && b1 === 0x26 && head[2] === 0xb2 && head[3] === 0x75)
    return { kind: 'asf', apiExtension: null, contentType: 'video/x-ms-asf' };
  if (b0 === 0x47 && head.length > 188 && head[188] === 0x47)
    return { kind: 'mpegts', apiExtension: null, contentType: 'video/mp2t' };
  return null;
}

/** A few words on what a non-media file looks like, for the error message. */
/** What a file that is not audio holds, by its first bytes. */
export function contentKindOf(head: Buffer): ContentKind {
  if (head.length === 0) return 'empty';
  const start = ascii(head, 0, 8);
  if (start.startsWith('\x89PNG')) return 'png';
  if (head[0] === 0xff && head[1] === 0xd8) return 'jpeg';
  if (start.startsWith('%PDF')) return 'pdf';
  if (start.startsWith('PK\x03\x04')) return 'zip';
  const text = head.subarray(0, 512);
  const printable = [...text].filter((byte) => byte === 9 || byte === 10 || byte === 13 || byte >= 32).length;
  if (printable / Math.max(1, text.length) > 0.95) return 'text';
  return 'unknown';
}

const contentWords: Record<ContentKind, string> = {
  empty: 'empty',
  png: 'a PNG image',
  jpeg: 'a JPEG image',
  pdf: 'a PDF document',
  zip: 'a ZIP archive or office document',
  text: 'text',
  unknown: 'of an unknown kind',
};

export function describeContent(head: Buffer): string {
  return contentWords[contentKindOf(head)];
}

export async function readHead(path: string, bytes = 4096): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export interface AudioProbe {
  durationSec: number | null;
  hasAudio: boolean;
}

export async function probeAudio(
  tools: FfmpegTools,
  file: string,
  signal?: AbortSignal,
): Promise<AudioProbe> {
  let stdout: string;
  try {
    ({ stdout } = await run(
      tools.ffprobe,
      ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type', '-of', 'json', file],
      { timeout: 60_000, maxBuffer: 4 * 1024 * 1024, ...(signal ? { signal } : {}) },
    ));
  } catch (error) {
    if (signal?.aborted) throw error;
    const info: TranscriptionError = {
      kind: 'invalid_input',
      message: 'ffprobe could not read this file as audio or video.',
      reason: { code: 'probeUnreadable', values: {} },
    };
    throw new HubError(info);
  }
  const parsed = JSON.parse(stdout) as {
    format?: { duration?: string };
    streams?: { codec_type?: string }[];
  };
  const duration = Number(parsed.format?.duration);
  return {
    durationSec: Number.isFinite(duration) && duration > 0 ? duration : null,
    hasAudio: (parsed.streams ?? []).some((stream) => stream.codec_type === 'audio'),
  };
}

export interface Silence {
  start: number;
  end: number;
}

/** Runs ffmpeg and returns its stderr (where filters such as silencedetect report). */
function ffmpegStderr(tools: FfmpegTools, args: string[], signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(tools.ffmpeg, ['-hide_banner', '-nostdin', '-y', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(signal ? { signal } : {}),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    child.stderr.on('data', (chunk: Buffer) => {
      // Keep the end: error lines come last; silencedetect lines are short and few.
      chunks.push(chunk);
      size += chunk.length;
      while (size > 8 * 1024 * 1024 && chunks.length > 1) size -= chunks.shift()?.length ?? 0;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const stderr = Buffer.concat(chunks).toString('utf8');
      if (code === 0) resolve(stderr);
      else {
        const detail = stderr.trim().split('\n').pop() || `exit code ${code}`;
        const info: TranscriptionError = {
          kind: 'server',
          message: `ffmpeg failed: ${detail}`,
          reason: { code: 'ffmpegFailed', values: { detail } },
        };
        reject(new HubError(info));
      }
    });
  });
}

/** Stretches of silence (below -35 dB for at least 0.3 s), in seconds from the start. */
export async function detectSilences(
  tools: FfmpegTools,
  file: string,
  signal?: AbortSignal,
): Promise<Silence[]> {
  const stderr = await ffmpegStderr(
    tools,
    ['-i', file, '-vn', '-af', 'silencedetect=noise=-35dB:d=0.3', '-f', 'null', '-'],
    signal,
  );
  const silences: Silence[] = [];
  let start: number | null = null;
  for (const line of stderr.split('\n')) {
    const opened = /silence_start: (-?[\d.]+)/.exec(line);
    if (opened?.[1]) start = Math.max(0, Number(opened[1]));
    const closed = /silence_end: ([\d.]+)/.exec(line);
    if (closed?.[1] && start !== null) {
      silences.push({ start, end: Number(closed[1]) });
      start = null;
    }
  }
  return silences;
}

/**
 * Where to cut audio of `durationSec` so that no part is longer than `maxPartSec`: at the middle of the latest
 * silence in the last quarter before each limit, or at the limit itself when there is none.
 */
export function planCuts(durationSec: number, maxPartSec: number, silences: Silence[]): number[] {
  const cuts: number[] = [];
  let from = 0;
  while (durationSec - from > maxPartSec) {
    const limit = from + maxPartSec;
    const earliest = from + maxPartSec * 0.75;
    const middles = silences
      .map((silence) => (silence.start + silence.end) / 2)
      .filter((middle) => middle > earliest && middle <= limit);
    const cut = middles.length > 0 ? Math.max(...middles) : limit;
    cuts.push(Math.round(cut * 1000) / 1000);
    from = cut;
  }
  return cuts;
}

/** 16 kHz mono 16-bit PCM: what Whisper hears anyway; its size per second is exact, so parts fit the limit. */
export const PART_BYTES_PER_SECOND = 32_000;
export const WAV_HEADER_BYTES = 44;

export interface AudioPart {
  path: string;
  size: number;
  /** Seconds from the start of the whole file. */
  offsetSec: number;
  durationSec: number;
}

/** The audio of any media file as 16 kHz mono WAV (video and other streams dropped). */
export async function convertToWav(
  tools: FfmpegTools,
  input: string,
  output: string,
  signal?: AbortSignal,
): Promise<number> {
  await ffmpegStderr(
    tools,
    ['-loglevel', 'error', '-i', input, '-vn', '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', output],
    signal,
  );
  return wavSeconds((await stat(output)).size);
}

function wavSeconds(size: number): number {
  return Math.max(0, size - WAV_HEADER_BYTES) / PART_BYTES_PER_SECOND;
}

/** Cuts a 16 kHz mono WAV at `cuts` (seconds) into part-NNN.wav files in `folder`, without re-encoding. */
export async function splitWav(
  tools: FfmpegTools,
  wav: string,
  cuts: number[],
  folder: string,
  signal?: AbortSignal,
): Promise<AudioPart[]> {
  if (cuts.length === 0) {
    const { size } = await stat(wav);
    return [{ path: wav, size, offsetSec: 0, durationSec: wavSeconds(size) }];
  }
  const args = ['-i', wav, '-c', 'copy', '-f', 'segment', '-segment_times', cuts.join(',')];
  await ffmpegStderr(tools, ['-loglevel', 'error', ...args, join(folder, 'part-%03d.wav')], signal);
  const names = (await readdir(folder)).filter((name) => /^part-\d{3}\.wav$/.test(name)).sort();
  const parts: AudioPart[] = [];
  let offset = 0;
  for (const name of names) {
    const path = join(folder, name);
    const { size } = await stat(path);
    // Exact for PCM: the segment muxer cuts on packet boundaries, so the measured length beats the plan.
    const durationSec = wavSeconds(size);
    parts.push({ path, size, offsetSec: offset, durationSec });
    offset += durationSec;
  }
  return parts;
}
