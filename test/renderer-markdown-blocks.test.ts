import { renderToStaticMarkup } from 'react-dom/server';
import Markdown from 'react-markdown';
import rehypeKatex from 'rehype-katex';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import { describe, expect, it } from 'vitest';
import { markdownAnswerTokens } from '../bench/lib/markdown-answer';
import {
  gatherUnits,
  markdownPieces,
  normalizeMathDelimiters,
  referenceDefinitions,
  splitBlocks,
  UNIT_CHARS,
} from '../src/renderer/src/chat/markdown-blocks';
import { closeUnfinished } from '../src/renderer/src/chat/markdown-tail';

/** The HTML of Markdown rendered by the same parser and plugins as the window, without the window's components. */
function html(markdown: string): string {
  return renderToStaticMarkup(
    Markdown({
      children: markdown,
      remarkPlugins: [remarkGfm, remarkMath],
      rehypePlugins: [rehypeKatex],
      skipHtml: true,
    }),
  ).replace(/>\n+</g, '><');
}

/** Each block rendered alone (with the reference definitions it may use), side by side. */
function inBlocks(text: string): string {
  const normalized = normalizeMathDelimiters(text);
  const blocks = splitBlocks(normalized);
  const definitions = referenceDefinitions(normalized, blocks);
  return blocks
    .map((block) => normalized.slice(block.start, block.end))
    .map((source) => html(definitions && source.includes('[') ? `${source}\n\n${definitions}` : source))
    .join('');
}

/** The text's finished pieces (units of blocks), each rendered alone, side by side. */
const inPieces = (text: string) =>
  markdownPieces(text, false)
    .map((piece) => html(piece.source))
    .join('');

const blockTexts = (text: string) => splitBlocks(text).map((block) => text.slice(block.start, block.end));

const documents: Record<string, string> = {
  'a fence with blank lines and a heading inside': [
    'Before',
    '',
    '```py',
    'def f():',
    '',
    '',
    '# not a heading',
    '    return 1',
    '```',
    '',
    'After',
  ].join('\n'),
  'a tilde fence closed by a longer fence, a backtick fence not closed by tildes': [
    '~~~',
    'a',
    '',
    '```',
    'b',
    '~~~~~',
    '',
    '````md',
    '```',
    '',
    '~~~',
    '````',
    '',
    'end',
  ].join('\n'),
  'a list that goes on after blank lines, with a paragraph and code in an item': [
    '1. one',
    '',
    '2. two',
    '',
    '   more of two',
    '',
    '   ```',
    '   code in two',
    '',
    '   still code',
    '   ```',
    '',
    '3. three',
    '',
    'Not in the list.',
    '',
    '- another list',
    '- tight',
  ].join('\n'),
  'tables, one after the other': [
    '| a | b |',
    '|---|:-:|',
    '| 1 | 2 |',
    '',
    '| c |',
    '|---|',
    '| 3 |',
    '',
    'text',
  ].join('\n'),
  'math blocks with blank lines, and inline math': [
    'Inline $x^2$ and \\(y\\).',
    '',
    '$$',
    'a = b',
    '',
    'c = d',
    '$$',
    '',
    '\\[',
    '\\frac{1}{2}',
    '\\]',
    '',
    '$$e^{i\\pi}$$',
  ].join('\n'),
  'setext headings and thematic breaks': [
    'Title',
    '=====',
    '',
    'Sub',
    '---',
    '',
    'para',
    '',
    '---',
    '',
    '***',
  ].join('\n'),
  'reference links defined in another block': [
    'See [the docs][docs] and [home].',
    '',
    '- a list with [a link][docs]',
    '',
    '[docs]: https://example.com/docs "Docs"',
    '[home]: https://example.com/',
    '',
    'After the definitions: [home]',
  ].join('\n'),
  footnotes: ['Text[^1] and more[^n].', '', 'Para', '', '[^1]: One.', '[^n]: Two.'].join('\n'),
  'indented code with blank lines, a block quote, an HTML comment over blank lines': [
    '    code 1',
    '',
    '    code 2',
    '',
    '> quoted',
    '>',
    '> still quoted',
    '',
    '<!-- a comment',
    '',
    'still the comment -->',
    '',
    'visible',
  ].join('\n'),
  'the bench answer': markdownAnswerTokens(2_000).join(''),
};

describe('Markdown cut into blocks', () => {
  it.each(Object.entries(documents))('renders %s block by block exactly as in one piece', (_name, text) => {
    const whole = html(normalizeMathDelimiters(text));
    expect(inBlocks(text)).toBe(whole);
    expect(inPieces(text)).toBe(whole);
  });

  it('cuts at blank lines outside fences, math and HTML blocks, and keeps a list with its items', () => {
    expect(blockTexts(documents['a fence with blank lines and a heading inside'] ?? '')).toEqual([
      'Before',
      '```py\ndef f():\n\n\n# not a heading\n    return 1\n```',
      'After',
    ]);
    expect(
      splitBlocks(
        documents['a list that goes on after blank lines, with a paragraph and code in an item'] ?? '',
      ).map((block) => block.kind),
    ).toEqual(['list', 'other', 'list']);
    expect(
      blockTexts(normalizeMathDelimiters(documents['math blocks with blank lines, and inline math'] ?? '')),
    ).toEqual([
      'Inline $x^2$ and $y$.',
      '$$\na = b\n\nc = d\n$$',
      '$$\n\\frac{1}{2}\n$$',
      '$$\ne^{i\\pi}\n$$',
    ]);
    expect(blockTexts(documents['setext headings and thematic breaks'] ?? '')).toEqual([
      'Title\n=====',
      'Sub\n---',
      'para',
      '---',
      '***',
    ]);
    const html = splitBlocks(
      documents['indented code with blank lines, a block quote, an HTML comment over blank lines'] ?? '',
    );
    expect(html.map((block) => block.kind)).toEqual(['other', 'other', 'html', 'other']);
  });

  it('keeps text with footnotes whole: they are numbered over all of it', () => {
    expect(splitBlocks(documents.footnotes ?? '')).toHaveLength(1);
  });

  it('says which fence is still open', () => {
    const open = splitBlocks('Intro\n\n```ts\nconst a = 1;\n\nconst b');
    expect(open.at(-1)).toMatchObject({ kind: 'code', open: true });
    expect(splitBlocks('$$\nx').at(-1)).toMatchObject({ kind: 'math', open: true });
    expect(splitBlocks('```\nx\n```').at(-1)).toMatchObject({ kind: 'code', open: false });
    expect(splitBlocks('text\n```\nx').at(-1)).toMatchObject({ kind: 'other', open: true });
  });

  it('gathers finished blocks into units, a fenced block alone, the rest up to a size', () => {
    const text = documents['the bench answer'] ?? '';
    const units = gatherUnits(splitBlocks(text));
    const sources = units.map((unit) => text.slice(unit.from, unit.to));
    expect(sources.filter((source) => source.startsWith('```'))).toHaveLength(
      sources.filter((source) => source.includes('```')).length,
    );
    expect(sources.every((source) => source.length < UNIT_CHARS + 400)).toBe(true);
    const many = Array.from({ length: 100 }, (_, i) => `Paragraph ${i} with some words in it.`).join('\n\n');
    expect(gatherUnits(splitBlocks(many)).length).toBeLessThan(5);
  });

  it('while text streams, never re-cuts a finished piece: each one is in the final text as it was', () => {
    const text = documents['the bench answer'] ?? '';
    const final = new Map(markdownPieces(text, false).map((piece) => [piece.key, piece.source]));
    for (let length = 1; length < text.length; length += 13) {
      const pieces = markdownPieces(text.slice(0, length), true);
      const finished = pieces.filter((piece) => piece.finished);
      // The last unit of text blocks may still gather blocks; every other finished piece is final.
      for (const piece of finished.slice(0, -1)) expect(final.get(piece.key)).toBe(piece.source);
      expect(pieces.filter((piece) => !piece.finished).length).toBeLessThanOrEqual(1);
    }
  });

  it('finishes the last block once the reply ends: nothing is left closed by guesswork', () => {
    const text = 'Some **bold** and a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |';
    expect(markdownPieces(text, false).every((piece) => piece.finished)).toBe(true);
    expect(markdownPieces(text, true).at(-1)).toMatchObject({
      finished: false,
      source: '| a | b |\n|---|---|\n| 1 | 2 |',
    });
  });

  it('appends the reference definitions to the pieces that may use them, and only to those', () => {
    const far = `See [the docs][docs].\n\n${'Words. '.repeat(400)}\n\n[docs]: https://example.com/docs`;
    const pieces = markdownPieces(far, false);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces[0]?.source).toContain('[docs]: https://example.com/docs');
    expect(inPieces(far)).toBe(html(far));
    expect(html(pieces[0]?.source ?? '')).toContain('<a href="https://example.com/docs">the docs</a>');
    const plain = markdownPieces(
      `No links.\n\n[a]: https://a.test\n\n${'Words. '.repeat(400)}\n\nMore words.`,
      false,
    );
    expect(plain.at(-1)?.source).toBe('More words.');
  });

  it('shows an open math block as its TeX until it closes', () => {
    expect(markdownPieces('$$\n\\frac{1}{', true).at(-1)).toMatchObject({ finished: false, math: false });
    expect(markdownPieces('$$\n\\frac{1}{2}\n$$', true).at(-1)).toMatchObject({ finished: true, math: true });
  });
});

describe('the block being written, closed so it renders sensibly', () => {
  const close = (text: string) => {
    const block = splitBlocks(text).at(-1);
    if (!block) throw new Error('no block');
    return closeUnfinished(text.slice(block.start, block.end), block.kind, block.open);
  };

  it.each([
    ['**bold', '**bold**'],
    ['some *italic', 'some *italic*'],
    ['*it **both', '*it **both***'],
    ['__strong', '__strong__'],
    ['~~gone', '~~gone~~'],
    ['a `code', 'a `code`'],
    ['**bold `code', '**bold `code`**'],
    ['done **', 'done '],
    ['a `', 'a '],
    ['2 * 3 and snake_case_name', '2 * 3 and snake_case_name'],
    ['**closed** and *closed*', '**closed** and *closed*'],
    ['- item with **bold', '- item with **bold**'],
    ['* item', '* item'],
    ['## Step 1: configure the **cl', '## Step 1: configure the **cl**'],
    ['see [the docs](https://exa', 'see the docs'],
    ['see [the do', 'see the do'],
    ['`**` is literal', '`**` is literal'],
    ['\\*not emphasis', '\\*not emphasis'],
  ])('%j → %j', (text, closed) => {
    expect(close(text)).toBe(closed);
  });

  it('gives a table its delimiter row from its header, and completes a half delimiter row', () => {
    expect(close('| field | value |')).toBe('| field | value |\n| --- | --- |');
    expect(close('| field | value |\n|--')).toBe('| field | value |\n| --- | --- |');
    expect(close('| field | value |\n|---|---|')).toBe('| field | value |\n|---|---|');
    expect(close('| field | value |\n|---|---|\n| step | 1')).toBe(
      '| field | value |\n|---|---|\n| step | 1',
    );
    expect(html(close('| a | b | c |'))).toContain('<th>c</th>');
  });

  it('leaves an open fence as it is, without the start of its closing fence', () => {
    expect(close('```ts\nconst a = 1;\n\nconst b = 2;')).toBe('```ts\nconst a = 1;\n\nconst b = 2;');
    expect(close('```ts\nconst a = 1;\n``')).toBe('```ts\nconst a = 1;');
    expect(close('Text\n\n`')).toBe('');
    expect(html(close('```ts\nconst a = **1'))).toContain('const a = **1');
  });

  it('leaves indented code alone', () => {
    expect(close('    let a = **b')).toBe('    let a = **b');
  });
});
