import './glyphs.css';
import type { ReactNode } from 'react';
import type { SearchKind } from '../../../shared/search';

/** The drawings of a message, a transcript segment and a video (also the Chat, Transcribe and Videos pages). */
export const kindGlyphs: Record<SearchKind, ReactNode> = {
  message: (
    <path d="M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.5 4v-4H6.5A2.5 2.5 0 0 1 4 13.5z" />
  ),
  segment: <path d="M5 10v4M9 6v12M13 8v8M17 4v16M21 10v4" />,
  video: (
    <>
      <rect x="3" y="5" width="14" height="14" rx="2.5" />
      <path d="m17 10 4-2.5v9L17 14" />
    </>
  ),
};

/** What a search hit or an indexed item is: a message, a transcript segment or a video. */
export function KindGlyph({ kind }: { kind: SearchKind }) {
  return (
    <svg viewBox="0 0 24 24" className="search-glyph" aria-hidden="true" focusable="false">
      {kindGlyphs[kind]}
    </svg>
  );
}

export function SearchGlyph() {
  return (
    <svg viewBox="0 0 24 24" className="search-glyph" aria-hidden="true" focusable="false">
      <circle cx="11" cy="11" r="6" />
      <path d="m20 20-4.2-4.2" />
    </svg>
  );
}
