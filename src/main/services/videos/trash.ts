import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import { HubError } from '../../base/errors';
import { resolveInside } from '../../files/library';

export const TRASH_FOLDER = '.trash';
const BUSY_CODES = new Set(['EBUSY', 'EPERM', 'EACCES']);

/** Renames, retrying a few times while another program holds the file open (Windows). */
export async function renameWithRetry(from: string, to: string, tries = 5, delayMs = 200): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (!BUSY_CODES.has(code) || attempt >= tries) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs * attempt));
    }
  }
}

function inside(libraryDir: string, relative: string): string {
  const absolute = resolveInside(libraryDir, relative);
  if (!absolute) {
    throw new HubError({
      kind: 'invalid_input',
      message: `Not a library path: ${relative}`,
      reason: { code: 'videoNotLibraryPath', values: { path: relative } },
    });
  }
  return absolute;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}

/**
 * Moves the given library files into the trash folder, all or none: when one cannot be moved, the ones
 * already moved go back and the error is thrown. Files that do not exist are skipped.
 */
export async function moveToTrash(
  libraryDir: string,
  files: string[],
  bucket: string,
): Promise<{ from: string; to: string }[]> {
  const moved: { from: string; to: string }[] = [];
  try {
    for (const from of files) {
      const source = inside(libraryDir, from);
      if (!(await exists(source))) continue;
      const to = posix.join(TRASH_FOLDER, bucket, posix.basename(from));
      const target = inside(libraryDir, to);
      await mkdir(dirname(target), { recursive: true });
      await renameWithRetry(source, target);
      moved.push({ from, to });
    }
    return moved;
  } catch (error) {
    await restoreFromTrash(libraryDir, moved).catch(() => undefined);
    const cause = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new HubError({
      kind: 'file',
      message: `The file could not be moved to the trash (${cause}); nothing was deleted. Close any program using it and try again.`,
      reason: { code: 'videoTrashFailed', values: { cause } },
    });
  }
}

/** Puts trashed files back where they were. */
export async function restoreFromTrash(
  libraryDir: string,
  files: { from: string; to: string }[],
): Promise<void> {
  for (const file of files) {
    const target = inside(libraryDir, file.from);
    if (await exists(target)) {
      throw new HubError({
        kind: 'invalid_input',
        message: `${file.from} exists again; it was not replaced.`,
        reason: { code: 'videoFileExistsAgain', values: { path: file.from } },
      });
    }
    await mkdir(dirname(target), { recursive: true });
    await renameWithRetry(inside(libraryDir, file.to), target);
  }
}

/** Deletes trashed files for good (and their bucket folder). */
export async function purgeTrash(libraryDir: string, files: { from: string; to: string }[]): Promise<void> {
  const buckets = new Set<string>();
  for (const file of files) {
    await rm(inside(libraryDir, file.to), { force: true });
    buckets.add(posix.dirname(file.to));
  }
  for (const bucket of buckets) {
    if (bucket !== TRASH_FOLDER && bucket.startsWith(`${TRASH_FOLDER}/`)) {
      await rm(inside(libraryDir, bucket), { recursive: true, force: true });
    }
  }
}
