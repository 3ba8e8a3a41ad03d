/** Text out of real PDF, DOCX, HTML, Markdown and code files, and the chunks a knowledge base cuts it into. */
import { describe, expect, it } from 'vitest';
import { documentChunks, KB_CHUNK_CHARS } from '../src/main/services/knowledge/document-chunks';
import { extractDocument, hasNoText } from '../src/main/services/knowledge/extract-document';
import { htmlToText } from '../src/main/services/knowledge/extract-html';
import { docxWith, pdfWithoutText, pdfWithPages } from './support/documents';

describe('extraction', () => {
  it('reads a PDF page by page, and each chunk knows its page', async () => {
    const pdf = await pdfWithPages([
      ['Alpha page about apricots'],
      ['Second page about bananas'],
      ['Third page about cherries'],
    ]);
    const document = await extractDocument('/docs/fruit.pdf', pdf);
    expect(document.layout).toBe('pages');
    if (document.layout !== 'pages') return;
    expect(document.pages).toHaveLength(3);
    expect(document.pages[1]).toContain('bananas');
    expect(hasNoText(document)).toBe(false);
    const chunks = documentChunks(document);
    expect(chunks.find((chunk) => chunk.text.includes('cherries'))?.page).toBe(3);
    expect(chunks.find((chunk) => chunk.text.includes('apricots'))?.page).toBe(1);
  });

  it('says a PDF with only a drawing has no text', async () => {
    const document = await extractDocument('/docs/scan.pdf', await pdfWithoutText());
    expect(hasNoText(document)).toBe(true);
    expect(documentChunks(document)).toEqual([]);
  });

  it('reads a DOCX with its headings as sections', async () => {
    const docx = await docxWith([
      { heading: 1, text: 'Travel policy' },
      { text: 'Trains are booked in second class.' },
      { heading: 2, text: 'Hotels' },
      { text: 'Rooms cost at most 150 euros & breakfast is included.' },
    ]);
    const document = await extractDocument('/docs/policy.docx', docx);
    expect(document.layout).toBe('sections');
    const chunks = documentChunks(document);
    const hotel = chunks.find((chunk) => chunk.text.includes('150 euros & breakfast'));
    expect(hotel?.heading).toBe('Travel policy > Hotels');
    expect(chunks.find((chunk) => chunk.text.includes('second class'))?.heading).toBe('Travel policy');
  });

  it('reduces HTML to its text, headings kept and scripts dropped', () => {
    const text = htmlToText(
      '<html><head><style>p{}</style><script>var secret = 1;</script></head><body><h2>Intro &amp; aims</h2><p>Hello&nbsp;world &#x263A;</p></body></html>',
    );
    expect(text).toBe('## Intro & aims\n\nHello world ☺');
  });

  it('refuses a binary file that has a text extension', async () => {
    await expect(extractDocument('/docs/data.txt', Buffer.from([0, 1, 2, 0]))).rejects.toThrow(/not text/);
  });
});

describe('chunks', () => {
  it('cuts Markdown at its headings, with the heading path and the start line (not inside code fences)', async () => {
    const markdown = [
      '# Guide',
      'Intro line.',
      '',
      '## Install',
      'Run the installer.',
      '```sh',
      '# not a heading',
      'make install',
      '```',
      '### Linux',
      'Use the AppImage.',
    ].join('\n');
    const chunks = documentChunks(await extractDocument('/docs/guide.md', Buffer.from(markdown)));
    expect(chunks.map((chunk) => [chunk.heading, chunk.startLine])).toEqual([
      ['Guide', 1],
      ['Guide > Install', 4],
      ['Guide > Install > Linux', 10],
    ]);
    expect(chunks[1]?.text).toContain('# not a heading');
  });

  it('cuts a long source file into overlapping chunks that start on the right line', async () => {
    const lines = Array.from(
      { length: 400 },
      (_, index) => `const value${index + 1} = ${index + 1}; // line ${index + 1}`,
    );
    const chunks = documentChunks(await extractDocument('/src/values.ts', Buffer.from(lines.join('\n'))));
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(KB_CHUNK_CHARS);
      const line = chunk.startLine ?? 0;
      expect(lines[line - 1]?.includes(chunk.text.split('\n')[0] ?? '?')).toBe(true);
    }
    // Overlap: the end of one chunk reappears at the start of the next.
    const first = chunks[0]?.text ?? '';
    expect(first.includes(chunks[1]?.text.split('\n')[0] ?? '?')).toBe(true);
  });
});
