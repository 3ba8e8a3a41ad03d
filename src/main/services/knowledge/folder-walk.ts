import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isSupportedFile } from './extract-document';

export interface FoundFile {
  size: number;
  mtimeMs: number;
}

export interface WalkResult {
  /** By absolute path. */
  files: Map<string, FoundFile>;
  /** Roots and folders that could not be read now (a drive not plugged in): what was found under them is kept. */
  unreachable: string[];
}

/** Hidden folders, dependency trees and version-control data are never a user's documents. */
function skipsFolder(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules' || name === '__pycache__';
}

/**
 * The readable files under the roots (a root may be a file). Symbolic links are not followed, so a link cannot
 * make the walk loop. Yields to the event loop between folders.
 */
export async function walkRoots(roots: readonly string[], signal: AbortSignal): Promise<WalkResult> {
  const files = new Map<string, FoundFile>();
  const unreachable: string[] = [];
  const add = async (path: string) => {
    try {
      const info = await stat(path);
      files.set(path, { size: info.size, mtimeMs: Math.trunc(info.mtimeMs) });
    } catch {
      // Gone between listing and stat: the next sync sees it or not.
    }
  };
  for (const root of roots) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(root);
    } catch {
      unreachable.push(root);
      continue;
    }
    if (info.isFile()) {
      files.set(root, { size: info.size, mtimeMs: Math.trunc(info.mtimeMs) });
      continue;
    }
    const folders = [root];
    for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
      signal.throwIfAborted();
      let entries: Dirent[];
      try {
        entries = await readdir(folder, { withFileTypes: true });
      } catch {
        unreachable.push(folder);
        continue;
      }
      for (const entry of entries) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) {
          if (!skipsFolder(entry.name)) folders.push(path);
        } else if (entry.isFile() && isSupportedFile(entry.name)) {
          await add(path);
        }
      }
    }
  }
  return { files, unreachable };
}
