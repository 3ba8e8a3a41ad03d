/** The keyword half of "search everything": FTS hits of each kind, as candidates and ranked lists for fusion. */
import type { EverythingHit, SearchKind } from '../../../shared/search';
import { videoVendorLabels } from '../../../shared/videos/job';
import type { SearchIndexRepo } from '../../store/search-index-repo';
import type { SearchRepo } from '../../store/search-repo';
import { searchTerms, snippetAround } from '../../store/search-snippet';
import type { TranscriptsRepo } from '../../store/transcripts-repo';
import type { VideosRepo } from '../../store/videos-repo';
import type { RankedList } from './fusion';

/** Hits found so far by key (`message:<id>`, `segment:<transcript>:<window>`, `video:<id>`). */
export type Candidates = Map<string, EverythingHit>;

export interface KeywordSearchDeps {
  index: SearchIndexRepo;
  messages: SearchRepo;
  transcripts: TranscriptsRepo;
  videos: VideosRepo;
}

export class KeywordSearch {
  constructor(private readonly deps: KeywordSearchDeps) {}

  /** One ranked list per kind asked for; the hits go into `candidates`. */
  lists(
    request: { query: string; kinds: readonly SearchKind[]; perKind: number; model: string },
    candidates: Candidates,
  ): RankedList[] {
    const lists: RankedList[] = [];
    if (request.kinds.includes('message')) lists.push(this.messages(request, candidates));
    if (request.kinds.includes('segment')) lists.push(this.segments(request, candidates));
    if (request.kinds.includes('video')) lists.push(this.videos(request, candidates));
    return lists;
  }

  private messages(request: { query: string; perKind: number }, candidates: Candidates): RankedList {
    const keys: string[] = [];
    for (const hit of this.deps.messages.search(request.query, request.perKind)) {
      const key = `message:${hit.messageId}`;
      keys.push(key);
      candidates.set(key, {
        kind: 'message',
        id: hit.messageId,
        title: hit.conversationTitle,
        snippet: hit.snippet,
        date: hit.createdAt,
        score: 0,
        matchedBy: 'keyword',
        role: hit.role,
        ...(hit.toolName ? { toolName: hit.toolName } : {}),
        target: { conversationId: hit.conversationId, messageId: hit.messageId },
      });
    }
    return { source: 'keyword', keys };
  }

  /** A segment counts as its meaning window (where one is stored), so both halves name the same passage. */
  private segments(
    request: { query: string; perKind: number; model: string },
    candidates: Candidates,
  ): RankedList {
    const keys: string[] = [];
    for (const hit of this.deps.transcripts.search(request.query, request.perKind)) {
      const windowStart = this.deps.index.windowStartOf(hit.transcriptId, hit.segmentIndex, request.model);
      const key = `segment:${hit.transcriptId}:${windowStart ?? `k${hit.segmentIndex}`}`;
      keys.push(key);
      if (candidates.has(key)) continue;
      candidates.set(key, {
        kind: 'segment',
        id: `${hit.transcriptId}:${hit.segmentIndex}`,
        title: hit.fileName,
        snippet: hit.snippet,
        date: hit.createdAt,
        score: 0,
        matchedBy: 'keyword',
        target: { transcriptId: hit.transcriptId, segmentIndex: hit.segmentIndex, startSec: hit.start },
      });
    }
    return { source: 'keyword', keys };
  }

  private videos(request: { query: string; perKind: number }, candidates: Candidates): RankedList {
    const keys: string[] = [];
    const terms = searchTerms(request.query);
    for (const video of this.deps.videos.list({ query: request.query, limit: request.perKind })) {
      const key = `video:${video.id}`;
      keys.push(key);
      candidates.set(key, {
        kind: 'video',
        id: video.id,
        title: `${videoVendorLabels[video.vendor]} · ${video.model}`,
        snippet: snippetAround(video.prompt, terms),
        date: video.createdAt,
        score: 0,
        matchedBy: 'keyword',
        target: { videoId: video.id },
      });
    }
    return { source: 'keyword', keys };
  }
}
