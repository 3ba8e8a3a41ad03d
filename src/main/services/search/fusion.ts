/** Reciprocal rank fusion: blends ranked lists from different searches whose scores are not comparable. */

/** The usual constant: a hit's weight is 1 / (RRF_K + rank), so the top ranks of each list count most. */
export const RRF_K = 60;

export interface RankedList {
  source: 'keyword' | 'meaning';
  /** Item keys, best first; a repeated key keeps its first (best) rank. */
  keys: readonly string[];
}

export interface FusedItem {
  key: string;
  score: number;
  matchedBy: 'keyword' | 'meaning' | 'both';
}

/** Every key of every list with its summed score, best first (ties keep the order of first appearance). */
export function fuseRankings(lists: readonly RankedList[]): FusedItem[] {
  const fused = new Map<string, { score: number; keyword: boolean; meaning: boolean; order: number }>();
  for (const list of lists) {
    const seen = new Set<string>();
    let rank = 0;
    for (const key of list.keys) {
      if (seen.has(key)) continue;
      seen.add(key);
      rank++;
      const entry = fused.get(key) ?? { score: 0, keyword: false, meaning: false, order: fused.size };
      entry.score += 1 / (RRF_K + rank);
      entry[list.source] = true;
      fused.set(key, entry);
    }
  }
  return [...fused.entries()]
    .sort(([, a], [, b]) => b.score - a.score || a.order - b.order)
    .map(([key, entry]) => ({
      key,
      score: entry.score,
      matchedBy: entry.keyword && entry.meaning ? 'both' : entry.keyword ? 'keyword' : 'meaning',
    }));
}
