/** "Related": messages of other conversations nearest in meaning to one message. */
import type { MeaningReason, MessageHit } from '../../../shared/search';
import { HubError } from '../../base/errors';
import { blobToVector } from '../../base/vector-bytes';
import type { SearchIndexRepo } from '../../store/search-index-repo';
import type { SearchItemsRepo } from '../../store/search-items-repo';
import type { MeaningSearch } from './meaning-search';

/** Vector candidates per hit asked for: one message per conversation leaves many out. */
const CANDIDATES_PER_HIT = 20;

export class RelatedSearch {
  constructor(
    private readonly index: SearchIndexRepo,
    private readonly items: SearchItemsRepo,
    private readonly meaning: MeaningSearch,
  ) {}

  /** One message per conversation, by the message's stored vectors (it must have been indexed). */
  related(request: { messageId: string; limit: number }): {
    hits: MessageHit[];
    meaningUsed: boolean;
    meaningUnavailable?: MeaningReason;
  } {
    const conversationId = this.items.conversationOf(request.messageId);
    if (conversationId === null) {
      throw new HubError({
        kind: 'not_found',
        message: `No message with id "${request.messageId}".`,
        field: 'messageId',
        reason: { code: 'messageGone', values: {} },
      });
    }
    const { model } = this.index.state();
    const chunks = this.index.messageVectors(request.messageId, model).map(blobToVector);
    if (chunks.length === 0) {
      return {
        hits: [],
        meaningUsed: false,
        meaningUnavailable: { code: 'relatedNotIndexed' },
      };
    }
    const nearest = this.meaning.nearest({
      vector: meanVector(chunks),
      model,
      kinds: ['message'],
      k: request.limit * CANDIDATES_PER_HIT,
      excludeConversationId: conversationId,
    });
    const hits: MessageHit[] = [];
    const conversations = new Set<string>();
    for (const hit of nearest) {
      const resolved = this.meaning.resolve(hit);
      if (resolved?.kind !== 'message' || conversations.has(resolved.target.conversationId)) continue;
      conversations.add(resolved.target.conversationId);
      hits.push({ ...resolved, score: 1 - hit.distance });
      if (hits.length >= request.limit) break;
    }
    return { hits, meaningUsed: true };
  }
}

/** The normalized mean of several vectors (a message's chunks as one direction). */
export function meanVector(vectors: readonly Float32Array[]): Float32Array {
  const first = vectors[0];
  if (!first) return new Float32Array(0);
  const mean = new Float32Array(first.length);
  for (const vector of vectors)
    for (let i = 0; i < mean.length; i++) mean[i] = (mean[i] ?? 0) + (vector[i] ?? 0);
  let norm = 0;
  for (const value of mean) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < mean.length; i++) mean[i] = (mean[i] ?? 0) / norm;
  return mean;
}
