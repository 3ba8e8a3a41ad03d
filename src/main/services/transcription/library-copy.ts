import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { TranscriptionError } from '../../../shared/transcription';
import { HubError } from '../../base/errors';
import { resolveInside } from '../../files/library';
import type { MediaKind } from './media';

const COPIES_FOLDER = 'transcripts';

/** Copies a transcript's audio into the library folder; returns its path relative to the folder. */
export async function copyIntoLibrary(
  libraryDir: string,
  source: string,
  transcriptId: string,
  media: MediaKind,
): Promise<string> {
  const extension = extname(source).slice(1).toLowerCase() || media.apiExtension || media.kind;
  const relative = `${COPIES_FOLDER}/${transcriptId}.${extension.replace(/[^a-z0-9]/g, '') || 'audio'}`;
  const target = resolveInside(libraryDir, relative);
  if (!target) {
    const info: TranscriptionError = {
      kind: 'invalid_input',
      message: 'The library folder cannot hold this file.',
      reason: { code: 'libraryCannotHold', values: {} },
    };
    throw new HubError(info);
  }
  await mkdir(join(libraryDir, COPIES_FOLDER), { recursive: true });
  await copyFile(source, `${target}.part`);
  await rename(`${target}.part`, target);
  return relative;
}

export async function deleteCopy(libraryDir: string, relative: string): Promise<void> {
  const file = resolveInside(libraryDir, relative);
  if (file) await rm(file, { force: true }).catch(() => undefined);
}
