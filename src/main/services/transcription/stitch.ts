import type { ParsedSegment } from '../../api/transcription';
import type { NewSegment } from '../../store/transcripts-repo';
import type { AudioPart } from './media';

/**
 * A part's segments moved to the whole file's time line and kept inside the part. Without timestamps the
 * part becomes one segment spanning it.
 */
export function placeSegments(segments: ParsedSegment[], part: AudioPart, timed: boolean): NewSegment[] {
  // Without ffprobe the length of a single, unsplit file is unknown: only the start is bounded.
  const end = part.durationSec > 0 ? part.offsetSec + part.durationSec : Number.POSITIVE_INFINITY;
  const clamp = (seconds: number) => Math.min(end, Math.max(part.offsetSec, part.offsetSec + seconds));
  if (!timed) {
    const text = segments
      .map((segment) => segment.text)
      .join(' ')
      .trim();
    const last = Number.isFinite(end) ? end : part.offsetSec;
    return text ? [{ start: part.offsetSec, end: last, text, words: [] }] : [];
  }
  return segments.map((segment) => ({
    start: round3(clamp(segment.start)),
    end: round3(clamp(segment.end)),
    text: segment.text,
    words: segment.words.map((word) => ({
      word: word.word,
      start: round3(clamp(word.start)),
      end: round3(clamp(word.end)),
    })),
  }));
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
