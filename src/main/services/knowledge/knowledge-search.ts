import type { KbHit } from '../../../shared/knowledge';
import type { KnowledgeRepo } from '../../store/knowledge-repo';

export interface RetrieveOptions {
  limit?: number;
  signal?: AbortSignal;
}

/**
 * Finding passages in knowledge bases: what `kb search`, the chat's retrieval and the "search my documents" tool
 * all ask. Keyword search (FTS5, bm25): every word must appear; when no chunk has them all, any of them.
 */
export class KnowledgeSearch {
  constructor(private readonly deps: { knowledge: KnowledgeRepo }) {}

  async retrieve(baseIds: readonly string[], query: string, options: RetrieveOptions = {}): Promise<KbHit[]> {
    const limit = options.limit ?? 10;
    const words = query.split(/[^\p{L}\p{N}_]+/u).filter((word) => word !== '');
    if (words.length === 0 || baseIds.length === 0) return [];
    const quoted = words.map((word) => `"${word}"`);
    let hits = this.deps.knowledge.search(baseIds, quoted.join(' '), limit);
    if (hits.length === 0 && words.length > 1)
      hits = this.deps.knowledge.search(baseIds, quoted.join(' OR '), limit);
    return hits.map((hit) => ({
      chunkId: hit.chunkId,
      baseId: hit.baseId,
      path: hit.path,
      text: hit.text,
      page: hit.page,
      line: hit.startLine,
      heading: hit.heading,
      snippet: hit.snippet,
      score: -hit.rank,
    }));
  }
}
