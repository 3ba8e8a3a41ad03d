/** A transcript, or a range of it, as timed lines for a model: cut where it grows too long, with where to go on. */

import type { ToolResult } from '../../../shared/tools';
import type { Transcript, TranscriptSegment } from '../../../shared/transcription';
import { clockTime, cutText, isoDate, MAX_RESULT_CHARS, textResult } from './builtin-tool-text';

export interface TranscriptRange {
  unit: 'second' | 'segment';
  from?: number;
  /** Seconds: segments starting at or before it; segments: the last one, included. */
  to?: number;
}

export function readTranscriptRange(
  transcript: Transcript,
  range: TranscriptRange,
  maxChars = MAX_RESULT_CHARS,
): ToolResult {
  const { segments } = transcript;
  const inRange = segments.filter((segment) => overlaps(segment, range));
  const last = segments.at(-1);
  const info = {
    id: transcript.id,
    file_name: transcript.fileName,
    date: isoDate(transcript.createdAt),
    duration_seconds: transcript.durationSec,
    language: transcript.language,
    segment_count: segments.length,
    timestamps: transcript.timestamps,
  };
  const header =
    `Transcript "${transcript.fileName}" (id ${transcript.id}), ${info.date}, ` +
    `${transcript.durationSec === null ? 'length unknown' : `${clockTime(transcript.durationSec)} long`}, ` +
    `language ${transcript.language ?? 'unknown'}, ${segments.length} segments.` +
    (transcript.timestamps
      ? ''
      : ' Its model gives no timestamps: each segment is a whole part of the file.');
  if (inRange.length === 0) {
    const extent = last ? `segments 0–${last.index}, ${clockTime(0)}–${clockTime(last.end)}` : 'no segments';
    return textResult(`${header}\nNothing in that range; the transcript has ${extent}.`, {
      transcript: info,
      segments: [],
      truncated: false,
    });
  }

  const shown: { index: number; start_seconds: number; end_seconds: number; text: string }[] = [];
  let used = header.length;
  let cutShort = false;
  for (const segment of inRange) {
    const line = `[${clockTime(segment.start)}] ${segment.text.trim()}`;
    if (used + line.length + 1 > maxChars) {
      if (shown.length > 0) break;
      // One segment longer than the whole budget (a model without timestamps gives a whole file as one).
      shown.push({
        ...timesOf(segment),
        text: cutText(segment.text.trim(), Math.max(0, maxChars - used - 100)),
      });
      cutShort = true;
      break;
    }
    used += line.length + 1;
    shown.push({ ...timesOf(segment), text: segment.text.trim() });
  }
  const lastShown = shown.at(-1);
  const next = lastShown ? inRange.find((segment) => segment.index > lastShown.index) : undefined;
  const truncated = next !== undefined || cutShort;
  const first = shown[0];
  const lines = [
    header,
    first && lastShown
      ? `Segments ${first.index}–${lastShown.index} (${clockTime(first.start_seconds)}–${clockTime(lastShown.end_seconds)}):`
      : '',
    ...shown.map((segment) => `[${clockTime(segment.start_seconds)}] ${segment.text}`),
  ];
  if (truncated) {
    lines.push(
      next
        ? `[Truncated at about ${maxChars} characters. To read on, call read_transcript with id ${transcript.id} ` +
            `and from_seconds ${next.start} (or from_segment ${next.index}); ask for a shorter range to see less.]`
        : `[Truncated: segment ${lastShown?.index} alone is longer than ${maxChars} characters and was cut.]`,
    );
  }
  return textResult(lines.join('\n'), {
    transcript: info,
    segments: shown,
    truncated,
    ...(next ? { next_from_seconds: next.start, next_from_segment: next.index } : {}),
  });
}

function overlaps(segment: TranscriptSegment, range: TranscriptRange): boolean {
  if (range.unit === 'segment') {
    return (
      (range.from === undefined || segment.index >= range.from) &&
      (range.to === undefined || segment.index <= range.to)
    );
  }
  return (
    (range.from === undefined || segment.end > range.from) &&
    (range.to === undefined || segment.start <= range.to)
  );
}

function timesOf(segment: TranscriptSegment): { index: number; start_seconds: number; end_seconds: number } {
  return { index: segment.index, start_seconds: segment.start, end_seconds: segment.end };
}
