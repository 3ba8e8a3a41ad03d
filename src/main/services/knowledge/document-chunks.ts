/** A document's text cut into the chunks a knowledge base indexes: within a page, within a section. Pure. */
import { chunkRanges } from '../search/chunking';
import type { ExtractedDocument } from './extract-document';

/** ~350 tokens: a few chunks fit in a reply's context with room for their sources. */
export const KB_CHUNK_CHARS = 1400;
export const KB_CHUNK_OVERLAP_CHARS = 150;

export interface DocumentChunk {
  text: string;
  /** PDF: the page, from 1. */
  page: number | null;
  /** Text, Markdown, HTML and code: the line of the file the chunk starts on, from 1. */
  startLine: number | null;
  /** The headings above the chunk, outermost first, joined by " > " ('' when none). */
  heading: string;
}

/** Counts lines forward through one text; offsets must be asked in increasing order. */
function lineCounter(text: string): (offset: number) => number {
  let at = 0;
  let line = 1;
  return (offset) => {
    for (; at < offset; at++) if (text.charCodeAt(at) === 10) line++;
    return line;
  };
}

/** The text cut into trimmed pieces, each with the offset (in `text`) of its first non-blank character. */
function pieces(text: string): { text: string; offset: number }[] {
  const result: { text: string; offset: number }[] = [];
  for (const [start, end] of chunkRanges(text, KB_CHUNK_CHARS, KB_CHUNK_OVERLAP_CHARS)) {
    const raw = text.slice(start, end);
    const body = raw.trim();
    if (body !== '') result.push({ text: body, offset: start + (raw.length - raw.trimStart().length) });
  }
  return result;
}

interface Section {
  heading: string;
  /** Offset of the section's first character in the whole text. */
  offset: number;
  text: string;
}

const headingLine = /^(#{1,6})[ \t]+(.+?)[ \t#]*$/;
const fenceLine = /^\s*(```|~~~)/;

/** Markdown-like text split at its `#` headings (not inside fenced code), each part knowing its heading path. */
function sections(text: string): Section[] {
  const result: Section[] = [];
  const path: { level: number; title: string }[] = [];
  let inFence = false;
  let current: Section = { heading: '', offset: 0, text: '' };
  let offset = 0;
  let body = false;
  const close = (end: number) => {
    current.text = text.slice(current.offset, end);
    if (body) result.push(current);
  };
  for (const line of text.split('\n')) {
    if (fenceLine.test(line)) inFence = !inFence;
    const match = inFence ? null : headingLine.exec(line);
    if (match?.[1] && match[2]) {
      close(offset);
      const level = match[1].length;
      while ((path.at(-1)?.level ?? 0) >= level) path.pop();
      path.push({ level, title: match[2] });
      current = { heading: path.map((entry) => entry.title).join(' > '), offset, text: '' };
      body = false;
    } else if (line.trim() !== '') {
      body = true;
    }
    offset += line.length + 1;
  }
  close(text.length);
  return result;
}

export function documentChunks(document: ExtractedDocument): DocumentChunk[] {
  if (document.layout === 'pages') {
    return document.pages.flatMap((page, index) =>
      pieces(page).map((piece) => ({ text: piece.text, page: index + 1, startLine: null, heading: '' })),
    );
  }
  const lineAt = lineCounter(document.text);
  if (document.layout === 'lines') {
    return pieces(document.text).map((piece) => ({
      text: piece.text,
      page: null,
      startLine: lineAt(piece.offset),
      heading: '',
    }));
  }
  const { lines, sourceLines } = document;
  const fileLine = (line: number) => sourceLines?.[line - 1] ?? line;
  return sections(document.text).flatMap((section) =>
    pieces(section.text).map((piece) => ({
      text: piece.text,
      page: null,
      startLine: lines ? fileLine(lineAt(section.offset + piece.offset)) : null,
      heading: section.heading,
    })),
  );
}
