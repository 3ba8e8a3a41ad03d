import i18next from 'i18next';
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

/** Why meaning search was not used, in the UI language. */
export function meaningReason(reason: MeaningReason): string {
  if (reason.code === 'notIndexed' && !reason.detail) return i18next.t('search:notIndexedHow');
  return i18next.t(`search:reasons.${meaningReasonKey(reason)}`, { detail: reason.detail ?? '' });
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
