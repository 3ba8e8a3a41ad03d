/**
 * The find matches drawn over the rendered messages with the CSS Custom Highlight API: ranges of the text nodes,
 * painted by `::highlight(chat-find)` and `::highlight(chat-find-current)` (thread.css), with no change to the DOM.
 */
import { type ConversationMatch, foldText, matchesIn, type TextRange } from './find-matches';

const MATCHES = 'chat-find';
const CURRENT = 'chat-find-current';

/** Where a message's readable text is: the user's words, and the reply's Markdown as rendered. */
const TEXT_PARTS = '.user-text, .markdown';
/** Rendered parts that are not the message's text: a code block's language and copy button, KaTeX's MathML copy. */
const NOT_TEXT = '.md-code-bar, .katex-mathml, .md-link-url';
/** Text in different blocks is kept apart, so a match never runs from one paragraph (or cell) into the next. */
const BLOCKS = 'p, li, td, th, pre, h1, h2, h3, h4, h5, h6, blockquote, dt, dd, div';

type Piece = { node: Text; start: number };

function renderedText(article: Element): { text: string; pieces: Piece[] } {
  let text = '';
  const pieces: Piece[] = [];
  let block: Element | null = null;
  for (const part of article.querySelectorAll(TEXT_PARTS)) {
    const walker = document.createTreeWalker(part, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) =>
        node.parentElement?.closest(NOT_TEXT) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const textNode = node as Text;
      const nodeBlock = textNode.parentElement?.closest(BLOCKS) ?? part;
      if (block !== null && nodeBlock !== block) text += '\n';
      block = nodeBlock;
      pieces.push({ node: textNode, start: text.length });
      text += textNode.data;
    }
  }
  return { text, pieces };
}

function domRange(pieces: Piece[], match: TextRange): Range | null {
  const first = pieces.findLast((piece) => piece.start <= match.start);
  const last = pieces.findLast((piece) => piece.start < match.end);
  if (!first || !last) return null;
  const range = document.createRange();
  range.setStart(first.node, match.start - first.start);
  range.setEnd(last.node, Math.min(match.end - last.start, last.node.data.length));
  return range;
}

function highlightsSupported(): boolean {
  return typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight === 'function';
}

/**
 * Highlights every match of the folded `needle` in the messages rendered under `root`, the `current` one apart;
 * returns the current match's range when its message is rendered. A message rendered with fewer matches than its
 * text has (Markdown shown differently) marks its last one as current.
 */
export function paintMatches(root: Element, needle: string, current: ConversationMatch | null): Range | null {
  const all: Range[] = [];
  let currentRange: Range | null = null;
  if (needle) {
    for (const article of root.querySelectorAll<HTMLElement>('article[data-message-id]')) {
      const { text, pieces } = renderedText(article);
      const matches = matchesIn(foldText(text), needle);
      const isCurrent = current !== null && article.dataset.messageId === current.messageId;
      matches.forEach((match, index) => {
        const range = domRange(pieces, match);
        if (!range) return;
        all.push(range);
        if (isCurrent && index === Math.min(current.occurrence, matches.length - 1)) currentRange = range;
      });
    }
  }
  if (highlightsSupported()) {
    CSS.highlights.set(MATCHES, new Highlight(...all));
    const currentHighlight = new Highlight(...(currentRange ? [currentRange] : []));
    currentHighlight.priority = 1;
    CSS.highlights.set(CURRENT, currentHighlight);
  }
  return currentRange;
}

export function clearMatches(): void {
  if (!highlightsSupported()) return;
  CSS.highlights.delete(MATCHES);
  CSS.highlights.delete(CURRENT);
}

/** Scrolls `scroller` so the range is in view (centred), unless it already is. */
export function revealRange(range: Range, scroller: Element): void {
  const shown = range.getBoundingClientRect();
  const box = scroller.getBoundingClientRect();
  const margin = 32;
  if (shown.top >= box.top + margin && shown.bottom <= box.bottom - margin) return;
  scroller.scrollTop += shown.top - (box.top + box.height / 2);
}

/** The ids of the messages whose rows are at least partly in view in `scroller`. */
export function messagesInView(scroller: Element): Set<string> {
  const box = scroller.getBoundingClientRect();
  const ids = new Set<string>();
  for (const article of scroller.querySelectorAll<HTMLElement>('article[data-message-id]')) {
    const rect = article.getBoundingClientRect();
    if (rect.bottom > box.top && rect.top < box.bottom && article.dataset.messageId)
      ids.add(article.dataset.messageId);
  }
  return ids;
}
