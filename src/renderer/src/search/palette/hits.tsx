import type { ReactNode } from 'react';
import type { EverythingHit, SearchKind } from '../../../../shared/search';
import { navigate } from '../../navigation';

export const kindLabels: Record<SearchKind, string> = {
  message: 'Chat',
  segment: 'Transcript',
  video: 'Video',
};

/** The filter buttons above the results: every kind, or one. */
export const kindFilters: { kind: SearchKind | 'all'; label: string }[] = [
  { kind: 'all', label: 'All' },
  { kind: 'message', label: 'Chats' },
  { kind: 'segment', label: 'Transcripts' },
  { kind: 'video', label: 'Videos' },
];

export const matchLabels: Record<EverythingHit['matchedBy'], { text: string; title: string }> = {
  keyword: { text: 'words', title: 'Found by the words you typed' },
  meaning: {
    text: 'meaning',
    title: 'Found by meaning: the text is close to your query, not the same words',
  },
  both: { text: 'words + meaning', title: 'Found by the words you typed and by meaning' },
};

const kindGlyphs: Record<SearchKind, ReactNode> = {
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

/** Opens the page that holds the hit, at the hit: the message, the transcript segment or the video. */
export function openHit(hit: EverythingHit): void {
  switch (hit.kind) {
    case 'message':
      navigate('chat', { conversationId: hit.target.conversationId, messageId: hit.target.messageId });
      return;
    case 'segment':
      navigate('transcribe', { segment: hit.target });
      return;
    case 'video':
      navigate('videos', { videoId: hit.target.videoId });
      return;
  }
}

/** The next option when moving by `delta` through `count` options, wrapping at both ends. */
export function stepOption(active: number, count: number, delta: 1 | -1): number {
  if (count === 0) return 0;
  return (active + delta + count) % count;
}
