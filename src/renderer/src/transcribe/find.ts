import type { TranscriptSegment } from '../../../shared/transcription';

/** One occurrence of the find query: in which segment, and where in its text. */
export type FindMatch = { segmentIndex: number; start: number; end: number };

export type TextPart = { text: string; match: 'none' | 'match' | 'active' };

/** Every case-insensitive occurrence of `query` in the segments' texts, in reading order. */
export function findMatches(segments: readonly TranscriptSegment[], query: string): FindMatch[] {
  const needle = query.trim().toLocaleLowerCase();
  if (!needle) return [];
  const matches: FindMatch[] = [];
  for (const segment of segments) {
    const haystack = segment.text.toLocaleLowerCase();
    // Lower-casing can change a string's length (e.g. İ); then positions would not line up with the text shown.
    if (haystack.length !== segment.text.length) continue;
    let from = haystack.indexOf(needle);
    while (from !== -1) {
      matches.push({ segmentIndex: segment.index, start: from, end: from + needle.length });
      from = haystack.indexOf(needle, from + needle.length);
    }
  }
  return matches;
}

/** Splits a text at the given ranges (sorted, not overlapping) so matches can be drawn as <mark>. */
export function highlightParts(
  text: string,
  ranges: readonly { start: number; end: number }[],
  activeStart: number | null,
): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const range of ranges) {
    if (range.start > at) parts.push({ text: text.slice(at, range.start), match: 'none' });
    parts.push({
      text: text.slice(range.start, range.end),
      match: range.start === activeStart ? 'active' : 'match',
    });
    at = range.end;
  }
  if (at < text.length || parts.length === 0) parts.push({ text: text.slice(at), match: 'none' });
  return parts;
}

/** The next (or previous) match to show, wrapping around at either end; -1 when there are none. */
export function stepMatch(current: number, count: number, direction: 1 | -1): number {
  if (count === 0) return -1;
  if (current < 0) return direction === 1 ? 0 : count - 1;
  return (current + direction + count) % count;
}
