import { documentKind } from './document-kinds';
import type { ExtractedDocument } from './extract-document';
import { extractDocxText } from './extract-docx';
import { htmlToLines } from './extract-html';
import { extractPdfPages } from './extract-pdf';

/** Said when a file meant as text holds binary data (knowledge-sync knows it by these words). */
export const NOT_TEXT_MESSAGE = 'The file is not text (it holds binary data).';

/**
 * A file's text, read on the calling thread: what the extraction worker runs (extract-worker.ts). The app calls
 * `extractDocument`, which sends the file to the worker instead of blocking the main thread.
 */
export async function extractInThread(path: string, bytes: Buffer): Promise<ExtractedDocument> {
  const kind = documentKind(path);
  if (kind === 'pdf') return { layout: 'pages', pages: await extractPdfPages(bytes) };
  if (kind === 'docx') return { layout: 'sections', text: await extractDocxText(bytes), lines: false };
  const text = bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n');
  if (text.includes('\u0000')) throw new Error(NOT_TEXT_MESSAGE);
  if (kind === 'markdown') return { layout: 'sections', text, lines: true };
  if (kind === 'html') return { layout: 'sections', ...htmlToLines(text), lines: true };
  return { layout: 'lines', text };
}
