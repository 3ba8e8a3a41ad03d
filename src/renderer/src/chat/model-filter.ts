/**
 * The model picker's search: every word of the query must be found in the model's readable name, its id or its
 * family, as a part of a word or, from four letters on, with one typo ("sonet", "gemni", "deepsek").
 */

export interface FilterableModel {
  id: string;
  /** The readable name with its variant: "GPT-4o (2024-08-06)". */
  label: string;
  /** The family's name as the list heads it: "OpenAI", "Claude". */
  family: string;
}

/** How well a word matched: lower is better. */
const EXACT_ID = 0;
const NAME_START = 1;
const INSIDE = 2;
const FAMILY = 3;
const TYPO = 4;
const NO_MATCH = Number.POSITIVE_INFINITY;

/** The models that match, best first; on a tie (and for an empty query) in the order given. */
export function filterModels<T extends FilterableModel>(models: readonly T[], query: string): T[] {
  const terms = wordsOf(query);
  if (terms.length === 0) return [...models];
  const scored: { model: T; score: number; index: number }[] = [];
  models.forEach((model, index) => {
    const score = scoreOf(model, query, terms);
    if (score !== NO_MATCH) scored.push({ model, score, index });
  });
  scored.sort((a, b) => a.score - b.score || a.index - b.index);
  return scored.map((item) => item.model);
}

function scoreOf(model: FilterableModel, query: string, terms: string[]): number {
  if (model.id.toLowerCase() === query.trim().toLowerCase()) return EXACT_ID;
  const name = model.label.toLowerCase();
  const id = model.id.toLowerCase();
  const family = model.family.toLowerCase();
  const words = [...wordsOf(model.label), ...wordsOf(model.id), ...wordsOf(model.family)];
  let worst = EXACT_ID;
  for (const term of terms) {
    const score = termScore(term, name, id, family, words);
    if (score === NO_MATCH) return NO_MATCH;
    worst = Math.max(worst, score);
  }
  return worst;
}

function termScore(term: string, name: string, id: string, family: string, words: string[]): number {
  if (name.startsWith(term)) return NAME_START;
  if (name.includes(term) || id.includes(term) || (/^[a-z\d]+$/.test(term) && squashed(id).includes(term)))
    return INSIDE;
  if (family.includes(term)) return FAMILY;
  if (term.length >= 4 && words.some((word) => nearWord(term, word))) return TYPO;
  return NO_MATCH;
}

/** A word the term is one edit from (two from eight letters on), whole or as its beginning. */
function nearWord(term: string, word: string): boolean {
  const allowed = term.length >= 8 ? 2 : 1;
  if (Math.abs(word.length - term.length) <= allowed && editDistance(term, word) <= allowed) return true;
  for (let length = term.length - allowed; length <= term.length + allowed; length += 1) {
    if (length < 3 || length >= word.length) continue;
    if (editDistance(term, word.slice(0, length)) <= allowed) return true;
  }
  return false;
}

/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i += 1) rows.push([i, ...new Array<number>(b.length).fill(0)]);
  const first = rows[0] as number[];
  for (let j = 0; j <= b.length; j += 1) first[j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    const row = rows[i] as number[];
    const above = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[\s\-_/:()]+/)
    .filter(Boolean);
}

/** "gpt41mini" finds gpt-4.1-mini. */
function squashed(text: string): string {
  return text.toLowerCase().replace(/[\s\-_.]+/g, '');
}
