import { SNIPPET_MATCH_END, SNIPPET_MATCH_START } from '../../shared/chat';

/** About 24 words of context around the first match. */
const SNIPPET_LENGTH = 160;
const SNIPPET_LEAD = 50;
/** How far a cut may move to land on a space instead of inside a word. */
const WORD_BOUNDARY_SLACK = 15;

/** Distinct terms as typed, split at whitespace and control characters (FTS5 ends a string at a NUL). */
export function searchTerms(query: string): string[] {
  return [...new Set(query.split(/[\s\p{Cc}]+/u).filter((term) => term.length > 0))];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * About SNIPPET_LENGTH characters around the first match of any term, cut at spaces where there are any,
 * with every match inside marked by SNIPPET_MATCH_START / SNIPPET_MATCH_END and whitespace folded to one line.
 */
export function snippetAround(text: string, terms: string[]): string {
  const clean = text.replaceAll(SNIPPET_MATCH_START, '').replaceAll(SNIPPET_MATCH_END, '');
  const pattern = new RegExp(
    [...terms]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'giu',
  );
  const first = clean.search(pattern);
  let start = Math.max(0, (first < 0 ? 0 : first) - SNIPPET_LEAD);
  let end = Math.min(clean.length, start + SNIPPET_LENGTH);
  if (end === clean.length) start = Math.max(0, end - SNIPPET_LENGTH);
  if (start > 0) start = wordStart(clean, start, first < 0 ? start : first);
  if (end < clean.length) end = wordEnd(clean, end);

  const marked = clean
    .slice(start, end)
    .replace(pattern, (match) => `${SNIPPET_MATCH_START}${match}${SNIPPET_MATCH_END}`)
    .replace(/\s+/g, ' ')
    .trim();
  return `${start > 0 ? '…' : ''}${marked}${end < clean.length ? '…' : ''}`;
}

/** Moves a start cut forward past the next space (not beyond the match), and off a surrogate pair's second half. */
function wordStart(text: string, start: number, limit: number): number {
  const space = text.slice(start, Math.min(start + WORD_BOUNDARY_SLACK, limit)).search(/\s/);
  const moved = space >= 0 ? start + space + 1 : start;
  return isLowSurrogate(text.charCodeAt(moved)) ? moved + 1 : moved;
}

/** Moves an end cut back to the last space before it, and off a surrogate pair's first half. */
function wordEnd(text: string, end: number): number {
  const window = text.slice(Math.max(0, end - WORD_BOUNDARY_SLACK), end);
  const space = window.search(/\s\S*$/);
  const moved = space >= 0 ? end - window.length + space : end;
  return isLowSurrogate(text.charCodeAt(moved)) ? moved - 1 : moved;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
