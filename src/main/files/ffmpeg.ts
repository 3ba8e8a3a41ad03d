import { execFile } from 'node:child_process';
import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { HubError } from '../base/errors';

const run = promisify(execFile);
// Not named `require`: electron-vite's ESM build declares a `require` of its own at the top of the bundle, and a
// second top-level `require` there is a SyntaxError that stops the app before it starts.
const requirePackage = createRequire(import.meta.url);

export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string;
  /** Where they came from: the packages installed with the app, or the system PATH. */
  source: 'package' | 'path';
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    // A package whose install script did not run ships the binary without its executable bit.
    try {
      if (statSync(path).isFile()) {
        chmodSync(path, 0o755);
        accessSync(path, constants.X_OK);
        return true;
      }
    } catch {
      return false;
    }
    return false;
  }
}

function packaged(name: '@ffmpeg-installer/ffmpeg' | '@ffprobe-installer/ffprobe'): string | null {
  try {
    // Inside a packaged app the binary lives in app.asar.unpacked.
    const path = (requirePackage(name) as { path: string }).path.replace('app.asar', 'app.asar.unpacked');
    return executable(path) ? path : null;
  } catch {
    return null;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  const suffix = process.platform === 'win32' ? '.exe' : '';
  for (const folder of (env.PATH ?? '').split(delimiter)) {
    if (!folder) continue;
    const path = join(folder, name + suffix);
    if (executable(path)) return path;
  }
  return null;
}

let cached: FfmpegTools | null | undefined;

/** ffmpeg and ffprobe: the ones installed with the app, else the system's; null when neither runs. */
export async function findFfmpeg(env: NodeJS.ProcessEnv = process.env): Promise<FfmpegTools | null> {
  if (cached !== undefined) return cached;
  const candidates: FfmpegTools[] = [];
  const ffmpeg = packaged('@ffmpeg-installer/ffmpeg');
  const ffprobe = packaged('@ffprobe-installer/ffprobe');
  if (ffmpeg && ffprobe) candidates.push({ ffmpeg, ffprobe, source: 'package' });
  const systemFfmpeg = onPath('ffmpeg', env);
  const systemFfprobe = onPath('ffprobe', env);
  if (systemFfmpeg && systemFfprobe)
    candidates.push({ ffmpeg: systemFfmpeg, ffprobe: systemFfprobe, source: 'path' });
  for (const tools of candidates) {
    try {
      await run(tools.ffmpeg, ['-version'], { timeout: 10_000 });
      await run(tools.ffprobe, ['-version'], { timeout: 10_000 });
      cached = tools;
      return tools;
    } catch {
      // try the next one
    }
  }
  cached = null;
  return null;
}

export async function requireFfmpeg(): Promise<FfmpegTools> {
  const tools = await findFfmpeg();
  if (!tools) {
    throw new HubError({
      kind: 'invalid_input',
      message:
        'ffmpeg is not available: it should have been installed with HubDesk. Reinstall HubDesk, or install ffmpeg and ffprobe on your PATH.',
      reason: { code: 'ffmpegMissing', values: {} },
    });
  }
  return tools;
}

export interface MediaInfo {
  durationSec: number | null;
  hasAudio: boolean;
  hasVideo: boolean;
  formatName: string;
  width: number | null;
  height: number | null;
}

/** What ffprobe says about a media file; throws a readable error when it is not media it can read. */
export async function probeMedia(file: string, signal?: AbortSignal): Promise<MediaInfo> {
  const tools = await requireFfmpeg();
  let stdout: string;
  try {
    ({ stdout } = await run(
      tools.ffprobe,
      [
        '-v',
        'error',
        '-show_entries',
        'format=duration,format_name:stream=codec_type,width,height',
        '-of',
        'json',
        file,
      ],
      { timeout: 60_000, ...(signal ? { signal } : {}), maxBuffer: 4 * 1024 * 1024 },
    ));
  } catch {
    throw new HubError({
      kind: 'invalid_input',
      message: 'This file is not audio or video that can be read.',
      reason: { code: 'probeUnreadable', values: {} },
    });
  }
  const parsed = JSON.parse(stdout) as {
    format?: { duration?: string; format_name?: string };
    streams?: { codec_type?: string; width?: number; height?: number }[];
  };
  const streams = parsed.streams ?? [];
  const video = streams.find((stream) => stream.codec_type === 'video');
  const duration = Number(parsed.format?.duration);
  return {
    durationSec: Number.isFinite(duration) ? duration : null,
    hasAudio: streams.some((stream) => stream.codec_type === 'audio'),
    hasVideo: video !== undefined,
    formatName: parsed.format?.format_name ?? '',
    width: video?.width ?? null,
    height: video?.height ?? null,
  };
}

/** Runs ffmpeg with the given arguments (quiet, no stdin); rejects with its last error line. */
export async function runFfmpeg(args: string[], signal?: AbortSignal): Promise<void> {
  const tools = await requireFfmpeg();
  try {
    await run(tools.ffmpeg, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], {
      timeout: 30 * 60_000,
      maxBuffer: 16 * 1024 * 1024,
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '')
      .trim()
      .split('\n')
      .pop();
    const detail = stderr || (error as Error).message;
    throw new HubError({
      kind: 'server',
      message: `ffmpeg failed: ${detail}`,
      reason: { code: 'ffmpegFailed', values: { detail } },
    });
  }
}

/** A still frame from a video, as PNG or JPEG by the output's extension (thumbnails). */
export async function extractFrame(video: string, output: string, atSec = 0.5): Promise<void> {
  await runFfmpeg(['-ss', String(atSec), '-i', video, '-frames:v', '1', '-vf', 'scale=480:-2', output]);
}
