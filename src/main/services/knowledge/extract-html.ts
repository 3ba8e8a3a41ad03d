/**
 * HTML as plain text that keeps its headings as Markdown `#` lines (so chunks know their section), parsed by parse5
 * (the WHATWG parser: every entity, broken markup and `<pre>` as a browser reads them): scripts, styles and the head
 * dropped, block elements as line breaks, table cells separated by tabs. Each line of the text knows the line of
 * the HTML it came from, so a passage can be opened at its place in the file.
 */
import { type DefaultTreeAdapterTypes, parse } from 'parse5';

type Node = DefaultTreeAdapterTypes.ChildNode | DefaultTreeAdapterTypes.Document;

const skipped = new Set([
  'head',
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'iframe',
  'object',
]);
const blocks = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'caption',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'tfoot',
  'thead',
  'tr',
  'ul',
]);
const headingLevel = /^h([1-6])$/;

export interface HtmlText {
  text: string;
  /** For each line of `text`, the line of the HTML it starts on (from 1). */
  sourceLines: number[];
}

/** Collects output lines, each with the HTML line of its first character. */
class LineWriter {
  readonly lines: string[] = [];
  readonly sourceLines: number[] = [];
  private current = '';
  private currentLine = 0;

  add(text: string, sourceLine: number): void {
    if (text === '') return;
    if (this.current === '' && text.trim() === '') return;
    if (this.current === '') this.currentLine = sourceLine;
    this.current += text;
  }

  /** Ends the line being written; `blank` also leaves an empty line (a paragraph's end). */
  end(blank = false): void {
    const line = this.current.replace(/[ \t]+$/, '').replace(/^ +/, '');
    if (line !== '') this.push(line, this.currentLine);
    this.current = '';
    if (blank && this.lines.at(-1) !== '') this.push('', this.sourceLines.at(-1) ?? 1);
  }

  private push(line: string, sourceLine: number): void {
    this.lines.push(line);
    this.sourceLines.push(sourceLine);
  }
}

function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterTypes.TextNode).value;
  if (!('childNodes' in node) || skipped.has(node.nodeName)) return '';
  return node.childNodes.map(textOf).join('');
}

/** The line a text node's first non-blank character is on. */
function firstLine(node: DefaultTreeAdapterTypes.TextNode): number {
  const start = node.sourceCodeLocation?.startLine ?? 1;
  const leading = /^\s*/.exec(node.value)?.[0] ?? '';
  let breaks = 0;
  for (const char of leading) if (char === '\n') breaks++;
  return start + breaks;
}

function walk(node: Node, out: LineWriter, inPre: boolean): void {
  if (node.nodeName === '#text') {
    const text = node as DefaultTreeAdapterTypes.TextNode;
    if (!inPre) {
      out.add(text.value.replace(/[\s\u00a0]+/g, ' '), firstLine(text));
      return;
    }
    let line = text.sourceCodeLocation?.startLine ?? 1;
    text.value.split('\n').forEach((part, index) => {
      if (index > 0) {
        out.end();
        line++;
      }
      out.add(part.replace(/\u00a0/g, ' '), line);
    });
    return;
  }
  if (!('childNodes' in node) || skipped.has(node.nodeName)) return;
  const level = headingLevel.exec(node.nodeName)?.[1];
  const startLine = 'sourceCodeLocation' in node ? (node.sourceCodeLocation?.startLine ?? 1) : 1;
  if (level) {
    const title = textOf(node)
      .replace(/[\s\u00a0]+/g, ' ')
      .trim();
    out.end(true);
    if (title) {
      out.add(`${'#'.repeat(Number(level))} ${title}`, startLine);
      out.end(true);
    }
    return;
  }
  const block = blocks.has(node.nodeName);
  if (block) out.end(node.nodeName === 'p' || node.nodeName === 'pre');
  const pre = inPre || node.nodeName === 'pre';
  for (const child of node.childNodes) walk(child, out, pre);
  if (node.nodeName === 'td' || node.nodeName === 'th') out.add('\t', startLine);
  if (block) out.end(node.nodeName === 'p' || node.nodeName === 'pre');
}

/** The text of an HTML file and, per line of it, the HTML line it came from. */
export function htmlToLines(html: string): HtmlText {
  const out = new LineWriter();
  walk(parse(html, { sourceCodeLocationInfo: true }), out, false);
  out.end();
  let end = out.lines.length;
  while (end > 0 && out.lines[end - 1] === '') end--;
  let start = 0;
  while (start < end && out.lines[start] === '') start++;
  return { text: out.lines.slice(start, end).join('\n'), sourceLines: out.sourceLines.slice(start, end) };
}

/** The text of HTML (a DOCX converted by mammoth, whose lines mean nothing to the user). */
export function htmlToText(html: string): string {
  return htmlToLines(html).text;
}
