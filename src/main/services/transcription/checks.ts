import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { formatBytes } from '../../../shared/sizes';
import {
  AUDIO_EXTENSIONS,
  type TranscriptionError,
  type TranscriptionReason,
} from '../../../shared/transcription';
import { HubError } from '../../base/errors';
import { contentKindOf, describeContent, detectMedia, type MediaKind, readHead } from './media';

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

/** A file or folder refused: said in English here (CLI, log), its reason worded by the window. */
export function inputError(message: string, reason: TranscriptionReason, field = 'paths'): HubError {
  const info: TranscriptionError = { kind: 'invalid_input', message, field, reason };
  return new HubError(info);
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
    if (!info.isFile()) throw inputError(`“${name}” is not a file.`, { code: 'notAFile', values: { name } });
    size = info.size;
  } catch (error) {
    if (error instanceof HubError) throw error;
    const code = (error as { code?: string }).code;
    throw code === 'ENOENT'
      ? inputError(`“${name}” was not found at ${path}.`, { code: 'notFound', values: { name, path } })
      : unreadable(name, code);
  }
  if (size === 0) {
    throw inputError(`“${name}” is empty (0 bytes): there is nothing to transcribe.`, {
      code: 'empty',
      values: { name },
    });
  }
  let head: Buffer;
  try {
    head = await readHead(path);
  } catch (error) {
    throw unreadable(name, (error as { code?: string }).code);
  }
  const media = detectMedia(head);
  if (!media) {
    throw inputError(
      `“${name}” is not an audio or video file (its content is ${describeContent(head)}), so it was not uploaded.`,
      { code: 'notAudio', values: { name, content: contentKindOf(head) } },
    );
  }
  return { size, media };
}

function unreadable(name: string, code: string | undefined): HubError {
  if (code === 'EACCES' || code === 'EPERM') {
    return inputError(`“${name}” cannot be read: permission denied.`, {
      code: 'permissionDenied',
      values: { name },
    });
  }
  const errorCode = code ?? 'error';
  return inputError(`“${name}” cannot be read (${errorCode}).`, {
    code: 'unreadable',
    values: { name, errorCode },
  });
}

export function noAudioError(fileName: string): HubError {
  return inputError(`“${fileName}” has no audio track, so there is nothing to transcribe.`, {
    code: 'noAudioTrack',
    values: { name: fileName },
  });
}

/** A file that needs ffmpeg (too big to send whole, or a format the API refuses) on a computer without it. */
export function noFfmpegError(fileName: string, checked: CheckedFile, maxUploadBytes: number): HubError {
  const limit = formatBytes(maxUploadBytes, { zeros: 'keep' });
  const size = formatBytes(checked.size, { zeros: 'keep' });
  const format = checked.media.kind.toUpperCase();
  const info: TranscriptionError =
    checked.size > maxUploadBytes
      ? {
          kind: 'invalid_input',
          message: `“${fileName}” is ${size}, over the API's ${limit} limit, and ffmpeg (needed to split it) does not run on this computer. Nothing was uploaded. Reinstall HubDesk or install ffmpeg on your PATH, or split the file into pieces under ${limit} yourself.`,
          reason: { code: 'tooBigNoFfmpeg', values: { name: fileName, size, limit } },
        }
      : {
          kind: 'invalid_input',
          message: `“${fileName}” is ${format} audio, which the API does not accept, and ffmpeg (needed to convert it) does not run on this computer. Nothing was uploaded. Reinstall HubDesk or install ffmpeg on your PATH, or convert it to MP3 or WAV yourself.`,
          reason: { code: 'formatNoFfmpeg', values: { name: fileName, format } },
        };
  return new HubError(info);
}
