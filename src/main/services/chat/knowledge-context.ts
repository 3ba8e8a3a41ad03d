/**
 * The passages of the user's knowledge bases that go with a prompt (issue 17): found for the prompt's text, numbered
 * as sources, and added to the prompt's turn itself, so every chat family and the tool loop carry them unchanged.
 */
import { type KbSource, sourceFileName } from '../../../shared/chat-knowledge';
import type { KbHit } from '../../../shared/knowledge';
import type { ChatTurn } from '../../api/chat/types';

/** What chat asks of the knowledge bases: which there are, and the passages that best match a text. */
export interface ChatKnowledge {
  bases(): { id: string; name: string; files: number }[];
  retrieve(
    baseIds: readonly string[],
    query: string,
    options: { limit?: number; signal?: AbortSignal },
  ): Promise<KbHit[]>;
}

/** Passages sent with one prompt: enough to answer from, few enough to leave the model room. */
export const PASSAGES_PER_PROMPT = 6;
/** A passage longer than this (a chunk without headings) is cut: six of them stay near 6,000 tokens. */
const PASSAGE_CHARS = 4000;

export interface Passage {
  source: KbSource;
  /** What the model reads. */
  text: string;
}

export const CITE_INSTRUCTION =
  "The numbered sources above are passages from the user's own documents, found for this message. Use them " +
  'where they help, and cite each one you use by its number in square brackets, such as [1], right after what it ' +
  'supports. If they do not hold the answer, say so.';

/** The passages for a prompt from the bases still there (a base removed since it was chosen is left out). */
export async function passagesFor(
  knowledge: ChatKnowledge,
  baseIds: readonly string[],
  query: string,
  options: { limit?: number; signal?: AbortSignal } = {},
): Promise<Passage[]> {
  const known = new Set(knowledge.bases().map((base) => base.id));
  const chosen = [...new Set(baseIds)].filter((id) => known.has(id));
  if (chosen.length === 0 || query.trim() === '') return [];
  const hits = await knowledge.retrieve(chosen, query, {
    limit: options.limit ?? PASSAGES_PER_PROMPT,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return hits.map((hit, index) => ({
    source: {
      n: index + 1,
      baseId: hit.baseId,
      path: hit.path,
      page: hit.page,
      line: hit.line,
      heading: hit.heading,
      snippet: hit.snippet,
    },
    text: hit.text.length > PASSAGE_CHARS ? `${hit.text.slice(0, PASSAGE_CHARS)}…` : hit.text,
  }));
}

/** `report.pdf, page 3` or `notes.md, line 12`: where a source is, as the model and the CLI read it. */
export function sourceLabel(source: Pick<KbSource, 'path' | 'page' | 'line'>): string {
  const name = sourceFileName(source.path);
  if (source.page !== null) return `${name}, page ${source.page}`;
  if (source.line !== null) return `${name}, line ${source.line}`;
  return name;
}

/** The turns with the passages added to the prompt (the last turn, the user's); unchanged without passages. */
export function withPassages(turns: ChatTurn[], passages: readonly Passage[]): ChatTurn[] {
  const prompt = turns.at(-1);
  if (passages.length === 0 || !prompt || prompt.role !== 'user') return turns;
  const numbered = passages.map(({ source, text }) => {
    const heading = source.heading ? ` — ${source.heading}` : '';
    return `[${source.n}] ${sourceLabel(source)}${heading}\n${text.trim()}`;
  });
  const text = [prompt.text, '', '<sources>', numbered.join('\n\n'), '</sources>', '', CITE_INSTRUCTION].join(
    '\n',
  );
  return [...turns.slice(0, -1), { ...prompt, text }];
}
