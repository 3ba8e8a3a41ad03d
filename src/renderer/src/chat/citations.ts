/**
 * `[1]`, `[2]` in a reply as citation elements (`<cite data-source="1">[1]</cite>`), so the Markdown renderer can make
 * the ones that name a stored source clickable. Code, links and raw text are left alone.
 */
interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
  data?: Record<string, unknown>;
}

const CITATION = /\[(\d{1,3})\]/g;

function citationPieces(value: string): MdNode[] {
  const pieces: MdNode[] = [];
  let at = 0;
  for (const match of value.matchAll(CITATION)) {
    if (match.index > at) pieces.push({ type: 'text', value: value.slice(at, match.index) });
    pieces.push({
      type: 'text',
      value: match[0],
      data: { hName: 'cite', hProperties: { dataSource: match[1] } },
    });
    at = match.index + match[0].length;
  }
  if (at < value.length) pieces.push({ type: 'text', value: value.slice(at) });
  return pieces;
}

function splitCitations(node: MdNode): void {
  if (!node.children || node.type === 'link' || node.type === 'linkReference') return;
  node.children = node.children.flatMap((child) => {
    if (child.type === 'text' && child.value !== undefined) return citationPieces(child.value);
    splitCitations(child);
    return [child];
  });
}

/** The remark plugin. */
export function remarkCitations() {
  return (tree: MdNode) => splitCitations(tree);
}
