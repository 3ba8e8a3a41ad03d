import i18next from 'i18next';
import type { TranscriptSegment } from '../../../shared/transcription';

const two = (value: number) => String(value).padStart(2, '0');

/** A length for people, in the UI language: "42 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  const whole = Math.round(seconds);
  if (whole < 60) return i18next.t('transcribe:units.seconds', { seconds: whole });
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  if (hours > 0) return i18next.t('transcribe:units.hours', { hours, minutes: two(minutes) });
  return i18next.t('transcribe:units.minutes', { minutes, seconds: two(whole % 60) });
}

/**
 * The index of the segment being heard at `time` (segments sorted by start): the last one that has started, as
 * long as the time is before its end or before the next one starts. -1 before the first and after the last.
 */
export function segmentAtTime(segments: readonly TranscriptSegment[], time: number): number {
  let low = 0;
  let high = segments.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const segment = segments[middle];
    if (segment && segment.start <= time) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  if (found === -1) return -1;
  const segment = segments[found];
  const next = segments[found + 1];
  if (!segment) return -1;
  if (time < segment.end) return found;
  // In a pause between two segments, the last one heard stays current; after the last one, nothing is.
  return next ? found : -1;
}
