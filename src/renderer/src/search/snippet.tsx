import { SNIPPET_MATCH_END, SNIPPET_MATCH_START } from '../../../shared/chat';

export type SnippetPart = { text: string; match: boolean };

/** Splits a search snippet at its \u0002 … \u0003 markers; the parts are rendered as text and <mark>. */
export function splitSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let rest = snippet;
  while (rest.length > 0) {
    const start = rest.indexOf(SNIPPET_MATCH_START);
    if (start === -1) {
      parts.push({ text: rest, match: false });
      break;
    }
    if (start > 0) parts.push({ text: rest.slice(0, start), match: false });
    const afterStart = rest.slice(start + 1);
    const end = afterStart.indexOf(SNIPPET_MATCH_END);
    const matched = end === -1 ? afterStart : afterStart.slice(0, end);
    if (matched) parts.push({ text: matched, match: true });
    rest = end === -1 ? '' : afterStart.slice(end + 1);
  }
  return parts.map((part) => ({ ...part, text: part.text.replaceAll(SNIPPET_MATCH_END, '') }));
}

/** A snippet with its matches as <mark>: built from text nodes only, never from HTML. */
export function Snippet({ text }: { text: string }) {
  return (
    <>
      {splitSnippet(text).map((part, index) =>
        part.match ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one snippet never reorder
          <mark key={index}>{part.text}</mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one snippet never reorder
          <span key={index}>{part.text}</span>
        ),
      )}
    </>
  );
}
