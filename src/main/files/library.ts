import fs from 'node:fs';
import path from 'node:path';
import { isInside } from './path-inside';

/**
 * The absolute path of `relative` inside `root`, or null when it would point anywhere else: an absolute
 * path, a `..` segment, a NUL byte, a backslash or drive letter, or a symlink (existing file or any
 * existing folder on the way) whose real location is outside the root's real location.
 */
export function resolveInside(root: string, relative: string): string | null {
  if (typeof relative !== 'string' || relative === '') return null;
  if (relative.includes('\0') || relative.includes('\\')) return null;
  if (relative.startsWith('/') || /^[a-zA-Z]:/.test(relative)) return null;
  const segments = relative.split('/');
  if (segments.some((segment) => segment === '..')) return null;
  if (segments.every((segment) => segment === '' || segment === '.')) return null;

  const rootPath = path.resolve(root);
  const target = path.resolve(rootPath, ...segments);
  if (!isInside(rootPath, target)) return null;
  return realLocationIsInside(rootPath, target) ? target : null;
}

/** Checks the deepest existing path from target up to root; a dangling symlink on the way is refused. */
function realLocationIsInside(rootPath: string, target: string): boolean {
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(rootPath);
  } catch {
    return true; // No root on disk yet: nothing below it exists, so nothing can lead outside.
  }
  for (let current = target; current !== rootPath; current = path.dirname(current)) {
    if (!fs.existsSync(current)) {
      try {
        fs.lstatSync(current);
        return false; // lstat sees it but stat does not: a dangling symlink.
      } catch {
        continue;
      }
    }
    try {
      return isInside(realRoot, fs.realpathSync(current));
    } catch {
      return false;
    }
  }
  return true;
}

export type ByteRange = { start: number; end: number };

/**
 * Parses an HTTP `Range` header (RFC 9110 §14.2) for a resource of `size` bytes. Returns the inclusive
 * byte range to send with 206; 'unsatisfiable' for a 416; null to ignore the header and send the whole
 * file with 200 (no header, another unit, bad syntax, or several ranges, which this server does not do).
 */
export function parseRangeHeader(
  header: string | null | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return null;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return null;

  if (first === '') {
    const suffixLength = Number(last);
    if (suffixLength === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffixLength), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return null;
  if (start >= size) return 'unsatisfiable';
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return { start, end };
}

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mov': 'video/quicktime',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.m4a': 'audio/mp4',
  '.ogg': 'audio/ogg',
  '.flac': 'audio/flac',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.srt': 'application/x-subrip; charset=utf-8',
  '.vtt': 'text/vtt; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/** Types that cannot run script in a page: what a library file may be served as. */
const LIBRARY_TYPES = new Set([
  '.mp4',
  '.webm',
  '.mov',
  '.png',
  '.jpg',
  '.jpeg',
  '.webp',
  '.gif',
  '.mp3',
  '.wav',
  '.m4a',
  '.ogg',
  '.flac',
  '.json',
  '.txt',
  '.srt',
  '.vtt',
]);

/** A library file's type: media and plain text as themselves, everything else (HTML, SVG, XML, JS, …) as bytes. */
export function libraryContentTypeFor(filePath: string): string {
  const extension = path.extname(filePath).toLowerCase();
  return LIBRARY_TYPES.has(extension) ? contentTypeFor(filePath) : 'application/octet-stream';
}
