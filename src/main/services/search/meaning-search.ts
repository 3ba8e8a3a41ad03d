/** The meaning half of search: the query's embedding (cached), the nearest stored vectors, and those as hits. */
import { SNIPPET_MATCH_END, SNIPPET_MATCH_START } from '../../../shared/chat';
import type { EverythingHit, MeaningReason } from '../../../shared/search';
import { videoVendorLabels } from '../../../shared/videos/job';
import type { HttpClient } from '../../api/http-client';
import type { SearchIndexRepo } from '../../store/search-index-repo';
import type { SearchItemsRepo } from '../../store/search-items-repo';
import type { NearestQuery, VectorHit, VectorIndex } from '../../store/vector-index';
import type { VideosRepo } from '../../store/videos-repo';
import { embedQuery } from './query-embedding';

const SNIPPET_CHARS = 160;
const DEFAULT_MIN_SIMILARITY = 0.2;

export interface MeaningSearchDeps {
  index: SearchIndexRepo;
  items: SearchItemsRepo;
  vectors: VectorIndex;
  videos: VideosRepo;
  client: () => HttpClient;
}

export interface MeaningSearchOptions {
  /** How long a search waits for its query's embedding before answering with keyword hits only. */
  queryTimeoutMs?: number | undefined;
  /** Vector hits less similar than this (cosine) are noise, not meaning matches. */
  minSimilarity?: number | undefined;
}

export class MeaningSearch {
  private readonly queryTimeoutMs: number;
  /** Hits farther than this (1 − minimum similarity) are left out. */
  private readonly maxDistance: number;

  constructor(
    private readonly deps: MeaningSearchDeps,
    options: MeaningSearchOptions = {},
  ) {
    this.queryTimeoutMs = options.queryTimeoutMs ?? 10_000;
    this.maxDistance = 1 - (options.minSimilarity ?? DEFAULT_MIN_SIMILARITY);
  }

  /** The k nearest chunks, nearest first, without those too far to count as a match. */
  nearest(query: NearestQuery): VectorHit[] {
    const hits = this.deps.vectors.nearest(query);
    const tooFar = hits.findIndex((hit) => hit.distance > this.maxDistance);
    return tooFar < 0 ? hits : hits.slice(0, tooFar);
  }

  /** The query's embedding (cached ones work offline), or why there is none. */
  async queryVector(
    query: string,
    signal?: AbortSignal,
  ): Promise<{ vector: Float32Array | null; reason?: MeaningReason }> {
    const { index } = this.deps;
    const { model, lastError } = index.state();
    if (!index.hasVectors(model)) {
      return {
        vector: null,
        reason: { code: 'notIndexed', ...(lastError ? { detail: lastError } : {}) },
      };
    }
    return embedQuery(this.deps, query, { timeoutMs: this.queryTimeoutMs, signal });
  }

  /** The candidate key of a vector hit: a transcript's window by its first segment, else the item. */
  keyOf(hit: VectorHit): string {
    if (hit.kind === 'segment') return `segment:${hit.itemId}:${hit.spanStart ?? 0}`;
    return `${hit.kind}:${hit.itemId}`;
  }

  /** The hit as the contract shows it; null when its item is gone or in the bin. */
  resolve(hit: VectorHit): EverythingHit | null {
    const { items } = this.deps;
    if (hit.kind === 'message') {
      const message = items.messageOfHit(hit.itemId);
      if (!message) return null;
      return {
        kind: 'message',
        id: message.id,
        title: message.title,
        snippet: plainSnippet(message.text.slice(hit.spanStart ?? 0)),
        date: message.createdAt,
        score: 0,
        matchedBy: 'meaning',
        role: message.role,
        target: { conversationId: message.conversationId, messageId: message.id },
      };
    }
    if (hit.kind === 'segment') {
      const first = hit.spanStart ?? 0;
      const segments = items.segmentsOfHit(hit.itemId, first, hit.spanEnd ?? first);
      const head = segments[0];
      if (!head) return null;
      return {
        kind: 'segment',
        id: `${hit.itemId}:${head.index}`,
        title: head.fileName,
        snippet: plainSnippet(segments.map((segment) => segment.text.trim()).join(' ')),
        date: head.createdAt,
        score: 0,
        matchedBy: 'meaning',
        target: {
          transcriptId: hit.itemId,
          segmentIndex: head.index,
          startSec: hit.startSec ?? head.startSec,
        },
      };
    }
    const video = this.deps.videos.get(hit.itemId);
    if (!video || video.deletedAt !== null) return null;
    return {
      kind: 'video',
      id: video.id,
      title: `${videoVendorLabels[video.vendor]} · ${video.model}`,
      snippet: plainSnippet(video.prompt),
      date: video.createdAt,
      score: 0,
      matchedBy: 'meaning',
      target: { videoId: video.id },
    };
  }
}

/** The start of a passage as one line, no match markers (a meaning hit has no matched words). */
function plainSnippet(text: string): string {
  const clean = text
    .replaceAll(SNIPPET_MATCH_START, '')
    .replaceAll(SNIPPET_MATCH_END, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.length <= SNIPPET_CHARS) return clean;
  const cut = clean.lastIndexOf(' ', SNIPPET_CHARS);
  return `${clean.slice(0, cut > SNIPPET_CHARS - 30 ? cut : SNIPPET_CHARS)}…`;
}
