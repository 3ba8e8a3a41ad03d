import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
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
export function skipsFolder(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules' || name === '__pycache__';
}

/** The path itself, or a file or folder anywhere under it. */
export function isUnder(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

/** Whether a path under a root lies in a folder the walk skips (the path's own name counts when it is a folder). */
export function inSkippedFolder(root: string, path: string, isFolder: boolean): boolean {
  const parts = relative(root, path).split(sep);
  if (!isFolder) parts.pop();
  return parts.some((part) => part !== '' && skipsFolder(part));
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

async function addFile(files: Map<string, FoundFile>, path: string): Promise<void> {
  try {
    const info = await stat(path);
    files.set(path, { size: info.size, mtimeMs: Math.trunc(info.mtimeMs) });
  } catch {
    // Gone between listing and stat: the next sync sees it or not.
  }
}

/** Every readable file under a folder, skipping what `skipsFolder` names; links are not followed. */
async function walkFolder(start: string, result: WalkResult, signal: AbortSignal): Promise<void> {
  const folders = [start];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    signal.throwIfAborted();
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      result.unreachable.push(folder);
      continue;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!skipsFolder(entry.name)) folders.push(path);
      } else if (entry.isFile() && isSupportedFile(entry.name)) {
        await addFile(result.files, path);
      }
    }
  }
}

/**
 * The readable files under the roots (a root may be a file). Symbolic links are not followed, so a link cannot
 * make the walk loop. Yields to the event loop between folders.
 */
export async function walkRoots(roots: readonly string[], signal: AbortSignal): Promise<WalkResult> {
  const result: WalkResult = { files: new Map(), unreachable: [] };
  for (const root of roots) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(root);
    } catch {
      result.unreachable.push(root);
      continue;
    }
    if (info.isFile()) result.files.set(root, { size: info.size, mtimeMs: Math.trunc(info.mtimeMs) });
    else await walkFolder(root, result, signal);
  }
  return result;
}

/**
 * Like `walkRoots`, but only at the given paths (each a file or folder under a root, as a folder watch reports
 * them): a folder is walked whole, a path that is gone finds nothing. A root that is gone is unreachable, so what
 * was found under it is kept.
 */
export async function walkPaths(
  roots: readonly string[],
  paths: readonly string[],
  signal: AbortSignal,
): Promise<WalkResult> {
  const result: WalkResult = { files: new Map(), unreachable: [] };
  const missingRoots = new Set<string>();
  for (const path of paths) {
    signal.throwIfAborted();
    const root = roots.find((candidate) => isUnder(path, candidate));
    if (root === undefined || missingRoots.has(root)) continue;
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') result.unreachable.push(path);
      else if (path === root || !(await stat(root).catch(() => undefined))) {
        missingRoots.add(root);
        result.unreachable.push(root);
      }
      continue;
    }
    if (inSkippedFolder(root, path, info.isDirectory())) continue;
    if (info.isDirectory()) await walkFolder(path, result, signal);
    else if (info.isFile() && (path === root || isSupportedFile(path)))
      result.files.set(path, { size: info.size, mtimeMs: Math.trunc(info.mtimeMs) });
  }
  return result;
}
