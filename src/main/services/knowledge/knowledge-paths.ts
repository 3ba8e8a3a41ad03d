import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { KbPathKind } from '../../../shared/knowledge-channels';
import { isSupportedFile } from './extract-document';

/** A path as the user typed it, made full: `~` and `~/…` are the home folder. */
export function fullPath(typed: string, home = homedir()): string {
  const trimmed = typed.trim();
  if (trimmed === '~') return home;
  if (trimmed.startsWith('~/') || trimmed.startsWith('~\\')) return join(home, trimmed.slice(2));
  return resolve(trimmed);
}

/** What is at a typed path, by the rules `KnowledgeService.addBase` applies to its paths. */
export async function checkKnowledgePath(
  typed: string,
  home?: string,
): Promise<{ path: string; kind: KbPathKind }> {
  const path = fullPath(typed, home);
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) return { path, kind: 'folder' };
  if (info?.isFile()) return { path, kind: isSupportedFile(path) ? 'file' : 'unsupported' };
  return { path, kind: 'missing' };
}
