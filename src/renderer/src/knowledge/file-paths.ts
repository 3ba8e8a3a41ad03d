/** A file of a base as the list shows it: its name, and the folder it is in below the base's root. */
export type FileParts = { name: string; folder: string };

const separator = /[\\/]/;

function lastSeparator(path: string): number {
  return Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
}

/** Splits `path` into its name and its folder, relative to the root it is under (the longest one). */
export function fileParts(path: string, roots: readonly string[]): FileParts {
  // A file added on its own is its root: the base's roots already say where it is.
  if (roots.includes(path)) return { name: path.slice(lastSeparator(path) + 1), folder: '' };
  const root = roots
    .filter((candidate) => path.startsWith(candidate) && separator.test(path.charAt(candidate.length)))
    .sort((a, b) => b.length - a.length)[0];
  const shown = root === undefined ? path : path.slice(root.length + 1);
  const cut = lastSeparator(shown);
  return cut === -1
    ? { name: shown, folder: '' }
    : { name: shown.slice(cut + 1), folder: shown.slice(0, cut) };
}

/** The last part of a path (a root's own name). */
export function baseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  return trimmed.slice(lastSeparator(trimmed) + 1) || trimmed;
}

export type TextPart = { text: string; match: boolean };

/** The snippet cut where the words of the query occur (any case), for <mark>; words under two letters are left. */
export function markQuery(snippet: string, query: string): TextPart[] {
  const words = query
    .split(/\s+/)
    .map((word) => word.replace(/[^\p{L}\p{N}_-]/gu, ''))
    .filter((word) => word.length >= 2);
  if (words.length === 0) return [{ text: snippet, match: false }];
  const pattern = new RegExp(`(${words.join('|')})`, 'giu');
  return snippet
    .split(pattern)
    .filter((text) => text !== '')
    .map((text) => ({ text, match: words.some((word) => new RegExp(`^${word}$`, 'iu').test(text)) }));
}
