import i18next from 'i18next';
import type { ReactNode } from 'react';
import {
  type EverythingHit,
  type MeaningReason,
  meaningReasonKey,
  type SearchKind,
} from '../../../../shared/search';
import { navigate } from '../../navigation';

/** What a hit is (the label beside it), in the UI language. */
export function kindLabel(kind: SearchKind): string {
  return i18next.t(`search:kinds.${kind}`);
}

/** The filter buttons above the results: every kind, or one. */
export const kindFilters: readonly (SearchKind | 'all')[] = ['all', 'message', 'segment', 'video'];

export function filterLabel(kind: SearchKind | 'all'): string {
  return i18next.t(`search:filters.${kind}`);
}

/** How a hit was found: the badge's text and its tooltip, in the UI language. */
export function matchLabel(matchedBy: EverythingHit['matchedBy']): { text: string; title: string } {
  return {
    text: i18next.t(`search:match.${matchedBy}`),
    title: i18next.t(`search:match.${matchedBy}Title`),
  };
}

/** Each English reason main gives as a pattern: its text with every `{{name}}` part captured. */
/** Why meaning search was not used, in the UI language. */
export function meaningReason(reason: MeaningReason): string {
  return i18next.t(`search:reasons.${meaningReasonKey(reason)}`, { detail: reason.detail ?? '' });
}

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
