import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { formatBytes } from '../../../shared/sizes';
import { AUDIO_EXTENSIONS } from '../../../shared/transcription';
import { HubError } from '../../base/errors';
import { describeContent, detectMedia, type MediaKind, readHead } from './media';

/** Media a folder contributes (by extension; each file is still checked by its first bytes). */
const FOLDER_EXTENSIONS = new Set<string>([
  ...AUDIO_EXTENSIONS,
  'oga',
  'opus',
  'aac',
  'aiff',
  'aif',
  'amr',
  'wma',
  'mkv',
  'mov',
  'avi',
  '3gp',
]);

export interface CheckedFile {
  size: number;
  media: MediaKind;
}

export function inputError(message: string, field = 'paths'): HubError {
  return new HubError({ kind: 'invalid_input', message, field });
}

/** The media files inside a folder, recursively, sorted by path. */
export async function mediaFilesIn(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && FOLDER_EXTENSIONS.has(extname(entry.name).slice(1).toLowerCase()))
    .map((entry) => join(entry.parentPath ?? folder, entry.name))
    .sort();
}

/** Missing, unreadable, empty, or not audio/video by its first bytes: a readable error, nothing uploaded. */
export async function checkFile(path: string): Promise<CheckedFile> {
  const name = basename(path);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw inputError(`“${name}” is not a file.`);
    size = info.size;
  } catch (error) {
    if (error instanceof HubError) throw error;
    const code = (error as { code?: string }).code;
    throw inputError(
      code === 'ENOENT'
        ? `“${name}” was not found at ${path}.`
        : `“${name}” cannot be read (${code ?? 'error'}).`,
    );
  }
  if (size === 0) throw inputError(`“${name}” is empty (0 bytes): there is nothing to transcribe.`);
  let head: Buffer;
  try {
    head = await readHead(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw inputError(
      code === 'EACCES' || code === 'EPERM'
        ? `“${name}” cannot be read: permission denied.`
        : `“${name}” cannot be read (${code ?? 'error'}).`,
    );
  }
  const media = detectMedia(head);
  if (!media) {
    throw inputError(
      `“${name}” is not an audio or video file (its content is ${describeContent(head)}), so it was not uploaded.`,
    );
  }
  return { size, media };
}

export function noAudioError(fileName: string): HubError {
  return inputError(`“${fileName}” has no audio track, so there is nothing to transcribe.`);
}

/** A file that needs ffmpeg (too big to send whole, or a format the API refuses) on a computer without it. */
export function noFfmpegError(fileName: string, checked: CheckedFile, maxUploadBytes: number): HubError {
  const limit = formatBytes(maxUploadBytes, { zeros: 'keep' });
  return new HubError({
    kind: 'invalid_input',
    message:
      checked.size > maxUploadBytes
        ? `“${fileName}” is ${formatBytes(checked.size, { zeros: 'keep' })}, over the API's ${limit} limit, and ffmpeg (needed to split it) does not run on this computer. Nothing was uploaded. Reinstall HubDesk or install ffmpeg on your PATH, or split the file into pieces under ${limit} yourself.`
        : `“${fileName}” is ${checked.media.kind.toUpperCase()} audio, which the API does not accept, and ffmpeg (needed to convert it) does not run on this computer. Nothing was uploaded. Reinstall HubDesk or install ffmpeg on your PATH, or convert it to MP3 or WAV yourself.`,
  });
}
