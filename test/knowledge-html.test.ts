/** An HTML file in a knowledge base: read as a browser would, each passage pointing at its line in the file. */
import { describe, expect, it } from 'vitest';
import { documentChunks } from '../src/main/services/knowledge/document-chunks';
import { extractDocument } from '../src/main/services/knowledge/extract-document';
import { htmlToLines } from '../src/main/services/knowledge/extract-html';

const page = `<!doctype html>
<html>
<head><title>Harbour</title><script>const secret = "<h1>not text</h1>";</script></head>
<body>
<h1>Ports</h1>
<p>The harbour
opens at six &hellip; daily &mdash; <b>even on Sundays</b>.</p>
<ul><li>Ferries<li>Tugs</ul>
<table><tr><th>Fee<td>Ten euros</table>
<h2>Night &amp; fog</h2>
<p>Lights stay on<br>until dawn.</p>
</body></html>`;

describe('HTML in a knowledge base', () => {
  it('keeps the text and headings a reader sees, with every entity and unclosed tag as a browser reads them', () => {
    const { text } = htmlToLines(page);
    expect(text).toBe(
      [
        '# Ports',
        '',
        'The harbour opens at six … daily — even on Sundays.',
        '',
        'Ferries',
        'Tugs',
        'Fee\tTen euros',
        '',
        '## Night & fog',
        '',
        'Lights stay on',
        'until dawn.',
      ].join('\n'),
    );
    expect(text).not.toContain('secret');
    expect(text).not.toContain('Harbour');
  });

  it('gives each passage its section and the line of the file it starts on (its heading’s)', async () => {
    const chunks = documentChunks(await extractDocument('/docs/harbour.html', Buffer.from(page)));
    expect(chunks.map((chunk) => [chunk.heading, chunk.startLine, chunk.text.split('\n')[0]])).toEqual([
      ['Ports', 5, '# Ports'],
      ['Ports > Night & fog', 10, '## Night & fog'],
    ]);
  });
});
