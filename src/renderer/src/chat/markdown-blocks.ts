import { closeUnfinished } from './markdown-tail';

/**
 * A Markdown text cut into top-level blocks, at blank lines where no construct goes on across them, so each block
 * renders alone exactly as it renders inside the whole text. Where unsure, blocks stay together: a cut too few
 * costs time, a cut too many would change the output.
 */

/** `code`/`math`: a fenced block; `list`: starts with a list item; `html`: raw HTML (dropped when rendered). */
export type BlockKind = 'code' | 'math' | 'list' | 'html' | 'other';

export interface MarkdownBlock {
  /** Offsets in the text: from the block's first line to the end of its last non-blank line. */
  start: number;
  end: number;
  kind: BlockKind;
  /** A fence (or math, or HTML block) that the text has not closed yet: more of it may come. */
  open: boolean;
}

type Opened =
  | { kind: 'code'; char: '`' | '~'; length: number }
  | { kind: 'math'; length: number }
  | { kind: 'html'; closer: RegExp };

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const MATH_FENCE = /^ {0,3}(\${2,})([^$]*)$/;
const LIST_ITEM = /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;
const FOOTNOTE_DEFINITION = /^ {0,3}\[\^[^\]\s]+\]:/m;
const HTML_OPENERS: [RegExp, RegExp][] = [
  [/^ {0,3}<(?:script|pre|style|textarea)(?:\s|>|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^ {0,3}<!--/, /-->/],
  [/^ {0,3}<\?/, /\?>/],
  [/^ {0,3}<!\[CDATA\[/, /\]\]>/],
  [/^ {0,3}<![A-Za-z]/, />/],
];

function opens(line: string): Opened | null {
  const fence = FENCE.exec(line);
  if (fence?.[1] && !(fence[1].startsWith('`') && fence[2]?.includes('`'))) {
    return { kind: 'code', char: fence[1][0] as '`' | '~', length: fence[1].length };
  }
  const math = MATH_FENCE.exec(line);
  if (math?.[1]) return { kind: 'math', length: math[1].length };
  for (const [opener, closer] of HTML_OPENERS) {
    const match = opener.exec(line);
    if (match && !closer.test(line.slice(match[0].length))) return { kind: 'html', closer };
  }
  return null;
}

function closes(opened: Opened, line: string): boolean {
  switch (opened.kind) {
    case 'code': {
      const match = /^ {0,3}(`+|~+)[ \t]*$/.exec(line);
      return !!match?.[1] && match[1][0] === opened.char && match[1].length >= opened.length;
    }
    case 'math': {
      const match = /^ {0,3}(\$+)[ \t]*$/.exec(line);
      return !!match?.[1] && match[1].length >= opened.length;
    }
    case 'html':
      return opened.closer.test(line);
  }
}

const isBlank = (line: string) => /^[ \t]*$/.test(line);

/**
 * The text's top-level blocks. A chunk after a blank line joins the block before it when it may continue it: an
 * indented line (a list item's next paragraph, indented code), or a list item after a list. Text with footnote
 * definitions stays one block: the footnotes are numbered and listed over the whole text.
 */
export function splitBlocks(text: string): MarkdownBlock[] {
  const blocks: MarkdownBlock[] = [];
  if (FOOTNOTE_DEFINITION.test(text)) {
    const end = text.trimEnd().length;
    return end > 0 ? [{ start: 0, end, kind: 'other', open: false }] : [];
  }
  let current: MarkdownBlock | null = null;
  let opened: Opened | null = null;
  let blankBefore = false;
  let at = 0;
  while (at < text.length) {
    const newline = text.indexOf('\n', at);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(at, lineEnd);
    if (opened && current) {
      current.end = lineEnd;
      if (closes(opened, line)) {
        opened = null;
        current.open = false;
      }
    } else if (isBlank(line)) {
      blankBefore = current !== null;
    } else {
      const continues =
        current !== null &&
        (!blankBefore || /^[ \t]/.test(line) || (current.kind === 'list' && LIST_ITEM.test(line)));
      if (current && continues) {
        current.end = lineEnd;
      } else {
        if (current) blocks.push(current);
        current = { start: at, end: lineEnd, kind: LIST_ITEM.test(line) ? 'list' : 'other', open: false };
      }
      blankBefore = false;
      opened = opens(line);
      if (opened) {
        current.open = true;
        // A fence that opens a block names it; one that opens inside a paragraph or list leaves the kind as it is.
        if (current.start === at) current.kind = opened.kind;
      }
    }
    at = lineEnd + 1;
  }
  if (current) blocks.push(current);
  return blocks;
}

const DEFINITION_LINE = /^ {0,3}\[(?!\^)(?:[^\]\\]|\\.)+\]:[ \t]*\S.*$/;

/**
 * The link reference definitions (`[label]: url`) that open a block, as Markdown lines: a block rendered alone
 * needs them to resolve `[text][label]` written in another block.
 */
export function referenceDefinitions(text: string, blocks: MarkdownBlock[]): string {
  const lines: string[] = [];
  for (const block of blocks) {
    if (block.kind !== 'other') continue;
    for (const line of text.slice(block.start, block.end).split('\n')) {
      if (!DEFINITION_LINE.test(line)) break;
      lines.push(line.trim());
    }
  }
  return lines.join('\n');
}

/** A piece rendered at once: whole blocks, cut from the text, `[from, to)`. */
export interface MarkdownUnit {
  from: number;
  to: number;
}

/** About this many characters per unit: each render has a fixed cost, and a unit re-renders while it grows. */
export const UNIT_CHARS = 1000;

const fenced = (block: MarkdownBlock) => block.kind === 'code' || block.kind === 'math';

/**
 * Finished blocks gathered into units, the same way for the same text whether it streamed or not: a code or math
 * block is a unit of its own (highlighted once, when it ends), other blocks gather up to `UNIT_CHARS`.
 */
export function gatherUnits(blocks: MarkdownBlock[]): MarkdownUnit[] {
  const units: MarkdownUnit[] = [];
  let unit: MarkdownUnit | null = null;
  for (const block of blocks) {
    if (!unit || fenced(block) || unit.to - unit.from >= UNIT_CHARS) {
      unit = { from: block.start, to: block.end };
      units.push(unit);
    } else {
      unit.to = block.end;
    }
    if (fenced(block)) unit = null;
  }
  return units;
}

/** What to render: finished pieces are rendered once; the one still being written is re-rendered as it grows. */
export interface MarkdownPiece {
  /** Where the piece starts in the text: the same piece keeps its key as the text grows. */
  key: number;
  source: string;
  finished: boolean;
  /** An open math block is shown as its TeX until it closes. */
  math: boolean;
}

/**
 * The pieces of a Markdown text. While `writing`, its last block is the one still growing: it is closed so it
 * renders sensibly (see `closeUnfinished`), except a fenced block that has ended, which is final already.
 */
export function markdownPieces(text: string, writing: boolean): MarkdownPiece[] {
  const normalized = normalizeMathDelimiters(text);
  const blocks = splitBlocks(normalized);
  const live = writing ? blocks.at(-1) : undefined;
  const done = live ? blocks.slice(0, -1) : blocks;
  const definitions = referenceDefinitions(normalized, done);
  const withDefinitions = (source: string) =>
    definitions && source.includes('[') ? `${source}\n\n${definitions}` : source;
  const pieces: MarkdownPiece[] = gatherUnits(done).map((unit) => ({
    key: unit.from,
    source: withDefinitions(normalized.slice(unit.from, unit.to)),
    finished: true,
    math: true,
  }));
  if (live) {
    const source = normalized.slice(live.start, live.end);
    const ended = fenced(live) && !live.open;
    pieces.push({
      key: live.start,
      source: ended
        ? source
        : live.open
          ? closeUnfinished(source, live.kind, true)
          : withDefinitions(closeUnfinished(source, live.kind, false)),
      finished: ended,
      math: !(live.open && live.kind === 'math'),
    });
  }
  return pieces;
}

/** Models often write \( … \) and \[ … \]; remark-math reads $ … $ and $$ … $$. Code stays untouched. */
export function normalizeMathDelimiters(text: string): string {
  if (!text.includes('\\(') && !text.includes('\\[') && !text.includes('$$')) return text;
  return text
    .split(/(```[\s\S]*?(?:```|$)|`[^`\n]*`)/)
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part
            .replace(/\\\[([\s\S]+?)\\\]/g, (_all, body: string) => `\n$$\n${body.trim()}\n$$\n`)
            // A line that is only $$ … $$ is display math; remark-math wants the fences on their own lines.
            .replace(/^[ \t]*\$\$([^\n]+?)\$\$[ \t]*$/gm, (_all, body: string) => `$$\n${body.trim()}\n$$`)
            .replace(/\\\((.+?)\\\)/g, (_all, body: string) => `$${body}$`),
    )
    .join('');
}
