import type { KbHit } from '../../../shared/knowledge';
import type { HttpClient } from '../../api/http-client';
import type { KbVectorIndex } from '../../store/kb-vector-index';
import type { KbChunkHit, KnowledgeRepo } from '../../store/knowledge-repo';
import type { SearchIndexRepo } from '../../store/search-index-repo';
import { fuseRankings } from '../search/fusion';
import { embedQuery } from '../search/query-embedding';

export interface RetrieveOptions {
  limit?: number;
  signal?: AbortSignal;
}

/** The meaning half: the search index (model, vectors, query cache), the chunks' vectors, and the proxy. */
export interface KnowledgeMeaningDeps {
  index: SearchIndexRepo;
  vectors: KbVectorIndex;
  client: () => HttpClient;
  /** How long a retrieval waits for its query's embedding before answering by keywords alone. */
  queryTimeoutMs?: number;
  /** Chunks less similar than this (cosine) are noise, not matches by meaning. */
  minSimilarity?: number;
}

/** Each half brings this many candidates per passage asked for (at least MIN_CANDIDATES) to the fusion. */
const CANDIDATES_PER_HIT = 3;
const MIN_CANDIDATES = 20;
const DEFAULT_MIN_SIMILARITY = 0.2;
const SNIPPET_CHARS = 160;

/**
 * Finding passages in knowledge bases: what `kb search`, the chat's retrieval and the "search my documents" tool
 * all ask. Hybrid: keyword search (FTS5, bm25: every word, or when no chunk has them all, any of them) and search
 * by meaning (the query's embedding against the chunks'), fused by reciprocal rank. Offline, or before any chunk
 * of the bases is embedded, keywords alone answer. `score` is the fused score: higher is better.
 */
export class KnowledgeSearch {
  constructor(private readonly deps: { knowledge: KnowledgeRepo; meaning?: KnowledgeMeaningDeps }) {}

  async retrieve(baseIds: readonly string[], query: string, options: RetrieveOptions = {}): Promise<KbHit[]> {
    const limit = options.limit ?? 10;
    const words = query.split(/[^\p{L}\p{N}_]+/u).filter((word) => word !== '');
    if (words.length === 0 || baseIds.length === 0) return [];
    const pool = Math.max(MIN_CANDIDATES, limit * CANDIDATES_PER_HIT);
    const keyword = this.keywordHits(baseIds, words, pool);
    const meaning = await this.meaningHits(baseIds, query, pool, options.signal);
    const byKey = new Map<string, KbHit>();
    for (const hit of keyword) byKey.set(String(hit.chunkId), hit);
    for (const hit of meaning) if (!byKey.has(String(hit.chunkId))) byKey.set(String(hit.chunkId), hit);
    const fused = fuseRankings([
      { source: 'keyword', keys: keyword.map((hit) => String(hit.chunkId)) },
      { source: 'meaning', keys: meaning.map((hit) => String(hit.chunkId)) },
    ]);
    return fused.slice(0, limit).flatMap((item) => {
      const hit = byKey.get(item.key);
      return hit ? [{ ...hit, score: item.score, matchedBy: item.matchedBy }] : [];
    });
  }

  /** The base's chunks and how many have a vector of the index's model (what `kb status` shows). */
  embedded(baseId: string): { embedded: number; total: number } | null {
    const meaning = this.deps.meaning;
    if (!meaning) return null;
    return meaning.index.kb.embedded(baseId, meaning.index.state().model);
  }

  private keywordHits(baseIds: readonly string[], words: readonly string[], limit: number): KbHit[] {
    const quoted = words.map((word) => `"${word}"`);
    let hits = this.deps.knowledge.search(baseIds, quoted.join(' '), limit);
    if (hits.length === 0 && words.length > 1)
      hits = this.deps.knowledge.search(baseIds, quoted.join(' OR '), limit);
    return hits.map((hit) => toHit(hit, hit.snippet));
  }

  /** Nearest chunks by meaning, nearest first; none when offline or nothing of the bases is embedded yet. */
  private async meaningHits(
    baseIds: readonly string[],
    query: string,
    limit: number,
    signal: AbortSignal | undefined,
  ): Promise<KbHit[]> {
    const meaning = this.deps.meaning;
    if (!meaning) return [];
    const { model } = meaning.index.state();
    if (!meaning.index.kb.hasVectors(baseIds, model)) return [];
    const { vector } = await embedQuery(meaning, query, {
      timeoutMs: meaning.queryTimeoutMs ?? 10_000,
      signal,
    });
    if (!vector) return [];
    const maxDistance = 1 - (meaning.minSimilarity ?? DEFAULT_MIN_SIMILARITY);
    const nearest = meaning.vectors
      .nearest({ vector, model, baseIds, k: limit })
      .filter((hit) => hit.distance <= maxDistance);
    const passages = new Map(
      meaning.index.kb
        .passages(nearest.map((hit) => hit.chunkId))
        .map((passage) => [passage.chunkId, passage]),
    );
    return nearest.flatMap((hit) => {
      const passage = passages.get(hit.chunkId);
      return passage ? [toHit({ ...passage, snippet: '', rank: 0 }, startOf(passage.text))] : [];
    });
  }
}

function toHit(hit: KbChunkHit, snippet: string): KbHit {
  return {
    chunkId: hit.chunkId,
    baseId: hit.baseId,
    path: hit.path,
    text: hit.text,
    page: hit.page,
    line: hit.startLine,
    heading: hit.heading,
    snippet: withoutHeadingMarks(snippet),
    score: 0,
  };
}

/** A Markdown heading's `#` marks say nothing in a snippet (the hit carries its heading path). */
function withoutHeadingMarks(snippet: string): string {
  return snippet.replace(/(^|\n)#{1,6}[ \t]+/g, '$1');
}

/** The start of a passage found by meaning (no words of the query to centre on), as one line. */
function startOf(text: string): string {
  const clean = withoutHeadingMarks(text).replace(/\s+/g, ' ').trim();
  if (clean.length <= SNIPPET_CHARS) return clean;
  const cut = clean.lastIndexOf(' ', SNIPPET_CHARS);
  return `${clean.slice(0, cut > SNIPPET_CHARS - 30 ? cut : SNIPPET_CHARS)}…`;
}
