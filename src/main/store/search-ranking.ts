/** How keyword hits are ordered when their match set is small enough to rank (SearchRepo): pure functions. */
import type { ToolCall } from '../../shared/chat';

/** A matching message as ranked: its text and its tool calls' searchable text. */
export interface RankedCandidate {
  seq: number;
  createdAt: number;
  text: string;
  tools: string;
}

/** BM25's term-frequency saturation and length normalisation. */
const K1 = 1.2;
const B = 0.75;
/** Containing the whole query as typed outranks any count of its words apart. */
const PHRASE_BONUS = 1_000;
/** A word in a tool call or its result counts less than one the person or the model wrote. */
const TOOLS_WEIGHT = 0.5;
/** A term found inside a longer word ("port" in "report") counts less than one that starts a word. */
const INSIDE_WORD_WEIGHT = 0.5;

const WORD_CHARACTER = /[\p{L}\p{N}_]/u;

/** The searchable text of each tool call: name, arguments (as written and as run), error, result text. */
export function toolCallTexts(calls: ToolCall[]): { name: string; parts: string[]; text: string }[] {
  return calls.map((call) => {
    const parts = [call.name, call.arguments, call.runArguments, call.error?.message];
    for (const part of call.result?.content ?? []) {
      if (part.type === 'text') parts.push(part.text);
      if (part.type === 'resource') parts.push(part.text, part.uri);
    }
    const kept = parts.filter((part): part is string => part !== undefined && part !== '');
    return { name: call.tool ?? call.name, parts: kept, text: kept.join('\n') };
  });
}

/** Every term occurs in the text or the tools' text, ignoring case (what the FTS indexes promise). */
export function containsAllTerms(
  candidate: Pick<RankedCandidate, 'text' | 'tools'>,
  terms: string[],
): boolean {
  const text = candidate.text.toLowerCase();
  const tools = candidate.tools.toLowerCase();
  return terms.every((term) => {
    const lower = term.toLowerCase();
    return text.includes(lower) || tools.includes(lower);
  });
}

/**
 * Best first: the whole query as typed (for two or more terms), then a BM25-like score of how often each term
 * occurs against the message's length (words starting with the term count fully, matches inside a word half,
 * tool text half), ties newest first.
 */
export function rankCandidates<T extends RankedCandidate>(candidates: T[], terms: string[]): T[] {
  if (candidates.length === 0) return [];
  const lowerTerms = terms.map((term) => term.toLowerCase());
  const phrase = terms.length > 1 ? lowerTerms.join(' ') : null;
  const averageLength =
    candidates.reduce((sum, candidate) => sum + candidate.text.length + candidate.tools.length, 0) /
      candidates.length || 1;
  const scored = candidates.map((candidate) => {
    const text = candidate.text.toLowerCase();
    const tools = candidate.tools.toLowerCase();
    const lengthNorm = 1 - B + (B * (candidate.text.length + candidate.tools.length)) / averageLength;
    let score = phrase !== null && (text.includes(phrase) || tools.includes(phrase)) ? PHRASE_BONUS : 0;
    for (const term of lowerTerms) {
      const frequency = occurrences(text, term) + TOOLS_WEIGHT * occurrences(tools, term);
      score += (frequency * (K1 + 1)) / (frequency + K1 * lengthNorm);
    }
    return { candidate, score };
  });
  scored.sort(
    (a, b) =>
      b.score - a.score || b.candidate.createdAt - a.candidate.createdAt || b.candidate.seq - a.candidate.seq,
  );
  return scored.map((entry) => entry.candidate);
}

/** Occurrences of a lower-case term in lower-case text; one inside a word counts INSIDE_WORD_WEIGHT. */
function occurrences(text: string, term: string): number {
  let count = 0;
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + term.length)) {
    const before = at > 0 ? text[at - 1] : undefined;
    count += before !== undefined && WORD_CHARACTER.test(before) ? INSIDE_WORD_WEIGHT : 1;
  }
  return count;
}
