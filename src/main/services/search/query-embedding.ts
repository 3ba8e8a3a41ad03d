/** A query's embedding with the index's model, from the cache of recent queries or the proxy (then cached). */
import type { MeaningReason } from '../../../shared/search';
import { embedTexts } from '../../api/embeddings';
import type { HttpClient } from '../../api/http-client';
import { toAppError } from '../../base/errors';
import { blobToVector } from '../../base/vector-bytes';
import type { SearchIndexRepo } from '../../store/search-index-repo';

export interface QueryEmbeddingDeps {
  index: SearchIndexRepo;
  client: () => HttpClient;
}

/** The query cache's key: the same words, any case or spacing, with the same model and length share an entry. */
export function queryCacheKey(model: string, dimensions: number | null, query: string): string {
  return `${model}|${dimensions ?? ''}|${query.trim().toLowerCase().replace(/\s+/g, ' ')}`;
}

/** The vector, or why there is none (offline, no token, …); a cached query works offline. */
export async function embedQuery(
  deps: QueryEmbeddingDeps,
  query: string,
  options: { timeoutMs: number; signal?: AbortSignal | undefined },
): Promise<{ vector: Float32Array | null; reason?: MeaningReason }> {
  const { index } = deps;
  const { model, dimensions } = index.state();
  const key = queryCacheKey(model, dimensions, query);
  const cached = index.cachedQuery(key);
  if (cached) return { vector: blobToVector(cached) };
  const timeout = AbortSignal.timeout(options.timeoutMs);
  try {
    const result = await embedTexts(deps.client(), {
      model,
      inputs: [query.trim()],
      dimensions,
      retry: false,
      signal: options.signal ? AbortSignal.any([timeout, options.signal]) : timeout,
    });
    const vector = result.vectors[0];
    if (!vector) return { vector: null, reason: { code: 'noEmbedding' } };
    index.cacheQuery(key, model, vector);
    return { vector };
  } catch (error) {
    const info = toAppError(error);
    if (info.kind === 'network' || info.kind === 'timeout' || info.kind === 'cancelled') {
      return { vector: null, reason: { code: 'offline' } };
    }
    if (info.kind === 'auth') {
      return { vector: null, reason: { code: 'needsToken', detail: info.message } };
    }
    return { vector: null, reason: { code: 'unavailable', detail: info.message } };
  }
}
