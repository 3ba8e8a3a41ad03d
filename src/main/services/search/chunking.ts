/** How items are cut into the texts that get one embedding each. Pure functions. */
import { createHash } from 'node:crypto';
import type { SegmentText } from '../../store/search-items-repo';

/** ~400 tokens a chunk; every chunk stays far below the API's 8192 tokens even for scripts of 1 char/token. */
export const CHUNK_CHARS = 1600;
export const CHUNK_OVERLAP_CHARS = 200;
/** Transcript segments are grouped into windows of about this length. */
export const WINDOW_SECONDS = 30;
/** How far a cut may move back to land on whitespace. */
const BOUNDARY_SLACK = 200;

export interface Chunk {
  /** Position among the item's chunks, from 0. */
  chunk: number;
  text: string;
  hash: string;
  /** Message: character range in the text. Transcript window: first and last segment index. */
  spanStart: number;
  spanEnd: number;
  /** Transcript window: its start in seconds. */
  startSec: number | null;
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

/** Character ranges covering the text, each ≤ CHUNK_CHARS, overlapping, cut at whitespace where possible. */
export function chunkRanges(
  text: string,
  size = CHUNK_CHARS,
  overlap = CHUNK_OVERLAP_CHARS,
): [number, number][] {
  if (text.length <= size) return [[0, text.length]];
  const ranges: [number, number][] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      const newline = text.lastIndexOf('\n', end);
      const cut = Math.max(space, newline);
      if (cut > end - BOUNDARY_SLACK && cut > start + overlap) end = cut;
    }
    ranges.push([start, end]);
    if (end >= text.length) break;
    start = Math.max(end - overlap, start + 1);
  }
  return ranges;
}

/** A message's text as chunks (none when it has no text). */
export function messageChunks(text: string): Chunk[] {
  if (text.trim() === '') return [];
  return chunkRanges(text)
    .map(([start, end]) => ({ start, end, body: text.slice(start, end).trim() }))
    .filter(({ body }) => body !== '')
    .map(({ start, end, body }, chunk) => ({
      chunk,
      text: body,
      hash: contentHash(body),
      spanStart: start,
      spanEnd: end,
      startSec: null,
    }));
}

/**
 * Consecutive segments grouped into ~30 s windows (a window also closes before it would pass CHUNK_CHARS).
 * A single segment longer than that (models without timestamps give one per file part) is cut like a message.
 */
export function segmentWindows(segments: readonly SegmentText[]): Chunk[] {
  const chunks: Chunk[] = [];
  let window: SegmentText[] = [];
  const close = () => {
    const first = window[0];
    const last = window.at(-1);
    if (!first || !last) return;
    const text = window
      .map((segment) => segment.text.trim())
      .filter(Boolean)
      .join(' ');
    if (text !== '') {
      chunks.push({
        chunk: chunks.length,
        text,
        hash: contentHash(text),
        spanStart: first.index,
        spanEnd: last.index,
        startSec: first.start,
      });
    }
    window = [];
  };
  for (const segment of segments) {
    const text = segment.text.trim();
    if (text.length > CHUNK_CHARS) {
      close();
      for (const [start, end] of chunkRanges(text)) {
        const body = text.slice(start, end).trim();
        chunks.push({
          chunk: chunks.length,
          text: body,
          hash: contentHash(body),
          spanStart: segment.index,
          spanEnd: segment.index,
          startSec: segment.start,
        });
      }
      continue;
    }
    const first = window[0];
    const length = window.reduce((sum, item) => sum + item.text.length + 1, 0);
    if (first && (segment.end - first.start > WINDOW_SECONDS || length + text.length > CHUNK_CHARS)) close();
    window.push(segment);
  }
  close();
  return chunks;
}

/** A video's prompt as one chunk (cut to the chunk size: prompts are short). */
export function promptChunks(prompt: string): Chunk[] {
  const text = prompt.trim().slice(0, CHUNK_CHARS * 2);
  if (text === '') return [];
  return [{ chunk: 0, text, hash: contentHash(text), spanStart: 0, spanEnd: text.length, startSec: null }];
}

/** A knowledge-base chunk as one input, its heading first (it says what the passage is about). */
export function passageChunks(passage: { text: string; heading: string }): Chunk[] {
  return promptChunks(passage.heading ? `${passage.heading}\n\n${passage.text}` : passage.text);
}
