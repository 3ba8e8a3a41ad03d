import { availableParallelism } from 'node:os';
import { documentKind } from './document-kinds';
import { type ExtractOptions, ExtractorPool } from './extractor-pool';

/** How a file's text is laid out, which decides how it is cut and what a chunk points at. */
export type ExtractedDocument =
  /** PDF: one text per page; chunks point at their page. */
  | { layout: 'pages'; pages: string[] }
  /**
   * Markdown, DOCX, HTML: `#` headings give each chunk its section; `lines` says whether line numbers mean anything,
   * `sourceLines` (HTML) the file's line of each line of `text` when the text is not the file's own.
   */
  | { layout: 'sections'; text: string; lines: boolean; sourceLines?: number[] }
  /** Plain text and code: chunks point at their first line. */
  | { layout: 'lines'; text: string };

/** Whether a knowledge base reads this file (by its extension); others under a folder are passed over. */
export function isSupportedFile(path: string): boolean {
  return documentKind(path) !== null;
}

/** One or two workers (one core stays for the main thread); warm for half a minute after the last file. */
const extractors = new ExtractorPool({
  size: Math.max(1, Math.min(2, availableParallelism() - 1)),
  idleMs: 30_000,
  maxHeapMb: 2048,
});

/**
 * A file's text, read on a worker thread (extractor-pool.ts) so that the main thread's event loop keeps turning:
 * unpdf per PDF page, mammoth for DOCX, HTML reduced to text, other files as UTF-8 (refused when binary).
 */
export function extractDocument(
  path: string,
  bytes: Buffer,
  options?: ExtractOptions,
): Promise<ExtractedDocument> {
  return extractors.extract(path, bytes, options);
}

/** Ends the extraction workers (they also end by themselves when idle and never keep the process alive). */
export function closeDocumentExtraction(): Promise<void> {
  return extractors.close();
}

/** True when the document holds no text at all (a scanned PDF, an empty file). */
export function hasNoText(document: ExtractedDocument): boolean {
  return document.layout === 'pages'
    ? document.pages.every((page) => page.trim() === '')
    : document.text.trim() === '';
}
