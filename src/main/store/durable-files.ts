import fs from 'node:fs';

const FILE_MODE = 0o600;

/** Writes `text` to `file` (owner-only) and flushes it to disk before returning. */
export function writeDurably(file: string, text: string): void {
  const fd = fs.openSync(file, 'w', FILE_MODE);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Flushes a file's content to disk. */
export function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a rename or removal in `dir` durable; Windows cannot open a folder for this and needs no such step. */
export function syncFolder(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // Some file systems do not sync folders; the rename is still done.
  } finally {
    fs.closeSync(fd);
  }
}

/** The `code` of a Node or SQLite error (`ENOENT`, `SQLITE_BUSY`…). */
export function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A person's words for why a file operation or SQLite failed, with the original message for support. */
export function reasonOf(error: unknown): string {
  const code = errnoOf(error) ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (['ENOSPC', 'EDQUOT', 'SQLITE_FULL'].includes(code)) return `the disk is full (${message})`;
  if (['EACCES', 'EPERM', 'EROFS'].includes(code) || /^SQLITE_(READONLY|CANTOPEN|PERM)/.test(code)) {
    return `HubDesk may not write there (${message})`;
  }
  if (code === 'ENOTDIR' || code === 'EEXIST') return `a file is in the way of the folder (${message})`;
  return message;
}
