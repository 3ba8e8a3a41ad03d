import type { BlockKind } from './markdown-blocks';

/**
 * The last block of a reply that is still being written, made to render as it will look once finished: a table
 * with only its header gets its delimiter row, `**bold` its closing `**`, a link without its `)` shows its text,
 * and the start of a closing fence is not shown as code. An open code fence needs nothing: CommonMark runs it to
 * the end of the text.
 */
export function closeUnfinished(block: string, kind: BlockKind, open: boolean): string {
  if (open && kind === 'code') return withoutPartialFence(block);
  if (open) return block;
  const lines = block.split('\n');
  const last = lines.at(-1) ?? '';
  if (/^ {0,3}(?:`{1,2}|~{1,2})$/.test(last)) return lines.slice(0, -1).join('\n');
  const table = completedTable(lines);
  if (table) return table;
  if (/^ {0,3}\|/.test(last) || /^(?: {4}|\t)/.test(lines[0] ?? '')) return block;
  return [...lines.slice(0, -1), closedInline(last)].join('\n');
}

/** A last line that may become the closing fence (`` ` ``, ` `` `) is left out until it is one. */
function withoutPartialFence(block: string): string {
  const cut = block.lastIndexOf('\n');
  return cut > 0 && /^ {0,3}(?:`{1,2}|~{1,2})$/.test(block.slice(cut + 1)) ? block.slice(0, cut) : block;
}

const TABLE_ROW = /^ {0,3}\|/;
const DELIMITER_PART = /^ {0,3}\|[ \t:|-]*$/;

function cellCount(row: string): number {
  const inner = row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  return inner.split(/(?<!\\)\|/).length;
}

/** A header row alone, or with half its delimiter row, gets a whole delimiter row: the table shows from its header. */
function completedTable(lines: string[]): string | null {
  const last = lines.at(-1) ?? '';
  const before = lines.at(-2);
  const beforeThat = lines.at(-3);
  const delimiter = (header: string) => `|${' --- |'.repeat(cellCount(header))}`;
  if (TABLE_ROW.test(last) && (before === undefined || !TABLE_ROW.test(before))) {
    return [...lines, delimiter(last)].join('\n');
  }
  if (
    before !== undefined &&
    TABLE_ROW.test(before) &&
    DELIMITER_PART.test(last) &&
    (beforeThat === undefined || !TABLE_ROW.test(beforeThat)) &&
    !isWholeDelimiter(last, before)
  ) {
    return [...lines.slice(0, -1), delimiter(before)].join('\n');
  }
  return null;
}

function isWholeDelimiter(row: string, header: string): boolean {
  const cells = row.trim().replace(/^\|/, '').replace(/\|$/, '').split('|');
  return cells.length === cellCount(header) && cells.every((cell) => /^[ \t]*:?-+:?[ \t]*$/.test(cell));
}

const MARKERS = ['**', '__', '~~', '*', '_'] as const;

/** Emphasis, strikethrough, inline code and a link left open at the end of the last line, closed or dropped. */
function closedInline(line: string): string {
  let text = line;
  // `[label](partial-url` shows as its label; a `[label` not closed yet as its text.
  text = text.replace(/!?\[([^\]]*)\]\([^)\s]*$/, '$1').replace(/(^|[^\]\\!])\[([^\]]*)$/, '$1$2');
  const ticks = text.match(/`+/g) ?? [];
  if (ticks.length % 2 === 1) {
    text = /`+[ \t]*$/.test(text) ? text.replace(/`+[ \t]*$/, '') : `${text}${ticks.at(-1) ?? '`'}`;
  }
  const prose = text.replace(/(`+)[^`]*?\1/g, (code) => ' '.repeat(code.length)).replace(/\\./g, '  ');
  const openAt = new Map<string, number>();
  let at = /^ {0,3}(?:[-+*]|\d{1,9}[.)])[ \t]+/.exec(prose)?.[0].length ?? 0;
  while (at < prose.length) {
    const marker = MARKERS.find((candidate) => prose.startsWith(candidate, at));
    if (!marker) {
      at++;
      continue;
    }
    const before = prose[at - 1] ?? ' ';
    const after = prose[at + marker.length];
    // A marker at the very end may open what the next delta writes.
    const canOpen =
      (after === undefined || !/\s/.test(after)) && !(marker[0] === '_' && /[\p{L}\p{N}]/u.test(before));
    const canClose = !/\s/.test(before) && !(marker[0] === '_' && /[\p{L}\p{N}]/u.test(after ?? ' '));
    if (openAt.has(marker) && canClose) openAt.delete(marker);
    else if (canOpen) openAt.set(marker, at);
    at += marker.length;
  }
  const unclosed = [...openAt.entries()].sort((a, b) => b[1] - a[1]);
  for (const [marker, position] of unclosed) {
    if (text.slice(position + marker.length).trim() === '') {
      text = text.slice(0, position);
    } else {
      text = `${text.trimEnd()}${marker}`;
    }
  }
  return text;
}
