/** "Search everything": keyword and meaning hits over the chosen kinds, fused by rank. */
import { type SearchKind, type SearchResult, searchKinds } from '../../../shared/search';
import type { SearchIndexRepo } from '../../store/search-index-repo';
import { fuseRankings } from './fusion';
import type { Candidates, KeywordSearch } from './keyword-search';
import type { MeaningSearch } from './meaning-search';

const VECTOR_CANDIDATES_PER_HIT = 4;

/** Which halves run: `meaning` alone still answers with keyword hits when meaning cannot run. */
export type SearchMode = 'keyword' | 'meaning' | 'both';

export class EverythingSearch {
  constructor(
    private readonly index: SearchIndexRepo,
    private readonly keyword: KeywordSearch,
    private readonly meaning: MeaningSearch,
  ) {}

  /** Keyword hits only when meaning cannot run (the result says why). */
  async search(request: {
    query: string;
    kinds?: SearchKind[] | undefined;
    limit: number;
    mode?: SearchMode | undefined;
    /** Stops waiting for the query's embedding (the result then holds keyword hits). */
    signal?: AbortSignal | undefined;
  }): Promise<SearchResult> {
    const mode = request.mode ?? 'both';
    const kinds = request.kinds && request.kinds.length > 0 ? [...new Set(request.kinds)] : [...searchKinds];
    const candidates: Candidates = new Map();
    const { model } = this.index.state();
    const meaning =
      mode === 'keyword' ? { vector: null } : await this.meaning.queryVector(request.query, request.signal);
    const lists =
      mode === 'meaning' && meaning.vector
        ? []
        : this.keyword.lists({ query: request.query, kinds, perKind: request.limit * 2, model }, candidates);

    if (meaning.vector) {
      const keys: string[] = [];
      const hits = this.meaning.nearest({
        vector: meaning.vector,
        model,
        kinds,
        k: request.limit * VECTOR_CANDIDATES_PER_HIT,
      });
      for (const hit of hits) {
        const key = this.meaning.keyOf(hit);
        if (!candidates.has(key)) {
          const resolved = this.meaning.resolve(hit);
          if (!resolved) continue;
          candidates.set(key, resolved);
        }
        keys.push(key);
      }
      lists.push({ source: 'meaning', keys });
    }

    const hits = fuseRankings(lists)
      .flatMap((item) => {
        const hit = candidates.get(item.key);
        return hit ? [{ ...hit, score: item.score, matchedBy: item.matchedBy }] : [];
      })
      .slice(0, request.limit);
    return {
      hits,
      meaningUsed: meaning.vector !== null,
      ...(meaning.reason ? { meaningUnavailable: meaning.reason } : {}),
    };
  }
}
