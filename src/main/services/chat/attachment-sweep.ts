import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Where a message's images and documents' text are kept, relative to the library folder. */
const ATTACHMENT_DIRS = ['attachments', 'attachments/documents'];

/**
 * Deletes files in the attachment folders that no stored message points at and that were last written before
 * `olderThan`: documents read for a message that was never sent, and the attachments of conversations purged from
 * the bin. A younger file may belong to a message being written right now, so it stays.
 */
export async function sweepAttachments(
  libraryDir: string,
  referenced: ReadonlySet<string>,
  olderThan: number,
): Promise<number> {
  let removed = 0;
  for (const dir of ATTACHMENT_DIRS) {
    const entries = await readdir(join(libraryDir, dir), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const path = `${dir}/${entry.name}`;
      if (referenced.has(path)) continue;
      const file = join(libraryDir, path);
      const info = await stat(file).catch(() => null);
      if (!info || info.mtimeMs >= olderThan) continue;
      await unlink(file).then(
        () => removed++,
        () => undefined,
      );
    }
  }
  return removed;
}
