/** "Search my documents" (issue 17): the user's knowledge bases as one of HubDesk's own tools. */
import type { KbSource } from '../../../shared/chat-knowledge';
import type { ToolResult } from '../../../shared/tools';
import { type ChatKnowledge, passagesFor, sourceLabel } from '../chat/knowledge-context';
import type { SearchDocumentsArgs } from './builtin-tool-specs';
import { errorResult, textResult } from './builtin-tool-text';

/** Passages a search returns: more than a prompt is sent with, since the model asked for them. */
const PASSAGES_PER_SEARCH = 8;

export async function searchDocuments(
  knowledge: ChatKnowledge,
  args: SearchDocumentsArgs,
  signal: AbortSignal | undefined,
  /** Numbers the passages as the reply cites them (after the sources it has), keeping them as its sources. */
  numberSources: (found: Omit<KbSource, 'n'>[]) => KbSource[],
): Promise<ToolResult> {
  const bases = knowledge.bases();
  if (bases.length === 0) {
    return textResult('The user has no knowledge bases yet: there are no documents to search.', {
      query: args.query,
      passages: [],
    });
  }
  const wanted = args.base?.toLowerCase();
  const chosen = wanted === undefined ? bases : bases.filter((base) => base.name.toLowerCase() === wanted);
  if (chosen.length === 0) {
    return errorResult(
      `No knowledge base named "${args.base}". The user's knowledge bases are: ${bases.map((base) => base.name).join(', ')}.`,
    );
  }
  const found = await passagesFor(
    knowledge,
    chosen.map((base) => base.id),
    args.query,
    { limit: PASSAGES_PER_SEARCH, ...(signal ? { signal } : {}) },
  );
  const numbered = numberSources(found.map(({ source: { n: _, ...source } }) => source));
  const passages = found.map((passage, index) => ({ ...passage, source: numbered[index] ?? passage.source }));
  const nameOf = new Map(bases.map((base) => [base.id, base.name]));
  const scope = wanted === undefined ? 'the knowledge bases' : `the knowledge base ${chosen[0]?.name}`;
  const lines = [
    passages.length > 0
      ? `${passages.length} passage${passages.length === 1 ? '' : 's'} for "${args.query}" in ${scope}:`
      : `No passages match "${args.query}" in ${scope}.`,
    ...passages.map(({ source, text }) =>
      [
        `\n[${source.n}] ${sourceLabel(source)}${source.heading ? ` — ${source.heading}` : ''}`,
        `(base ${nameOf.get(source.baseId) ?? source.baseId}; ${source.path})`,
        text.trim(),
      ].join('\n'),
    ),
  ];
  return textResult(lines.join('\n'), {
    query: args.query,
    passages: passages.map(({ source, text }) => ({
      n: source.n,
      base: nameOf.get(source.baseId) ?? source.baseId,
      path: source.path,
      page: source.page,
      line: source.line,
      heading: source.heading,
      text,
    })),
  });
}
