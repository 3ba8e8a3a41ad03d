import { extname } from 'node:path';
import { extractDocxText } from './extract-docx';
import { htmlToText } from './extract-html';
import { extractPdfPages } from './extract-pdf';

/** How a file's text is laid out, which decides how it is cut and what a chunk points at. */
export type ExtractedDocument =
  /** PDF: one text per page; chunks point at their page. */
  | { layout: 'pages'; pages: string[] }
  /** Markdown, DOCX, HTML: `#` headings give each chunk its section; `lines` says whether line numbers mean anything. */
  | { layout: 'sections'; text: string; lines: boolean }
  /** Plain text and code: chunks point at their first line. */
  | { layout: 'lines'; text: string };

const codeExtensions = new Set([
  'c',
  'h',
  'cc',
  'cpp',
  'cxx',
  'hpp',
  'cs',
  'go',
  'rs',
  'java',
  'kt',
  'kts',
  'scala',
  'swift',
  'm',
  'mm',
  'js',
  'mjs',
  'cjs',
  'jsx',
  'ts',
  'mts',
  'cts',
  'tsx',
  'vue',
  'svelte',
  'py',
  'rb',
  'php',
  'pl',
  'lua',
  'r',
  'jl',
  'dart',
  'ex',
  'exs',
  'erl',
  'hs',
  'clj',
  'sql',
  'sh',
  'bash',
  'zsh',
  'fish',
  'ps1',
  'bat',
  'css',
  'scss',
  'less',
  'json',
  'yaml',
  'yml',
  'toml',
  'ini',
  'cfg',
  'conf',
  'xml',
  'proto',
  'graphql',
  'gradle',
  'cmake',
  'tf',
  'nix',
  'zig',
  'nim',
  'ml',
  'fs',
  'elm',
  'sol',
  'asm',
  's',
]);
const textExtensions = new Set(['txt', 'text', 'log', 'csv', 'tsv', 'rst', 'adoc', 'org', 'tex']);
const markdownExtensions = new Set(['md', 'markdown', 'mdx']);
const htmlExtensions = new Set(['html', 'htm', 'xhtml']);

function extensionOf(path: string): string {
  return extname(path).slice(1).toLowerCase();
}

/** Whether a knowledge base reads this file (by its extension); others under a folder are passed over. */
export function isSupportedFile(path: string): boolean {
  const extension = extensionOf(path);
  return (
    extension === 'pdf' ||
    extension === 'docx' ||
    markdownExtensions.has(extension) ||
    htmlExtensions.has(extension) ||
    textExtensions.has(extension) ||
    codeExtensions.has(extension)
  );
}

export async function extractDocument(path: string, bytes: Buffer): Promise<ExtractedDocument> {
  const extension = extensionOf(path);
  if (extension === 'pdf') return { layout: 'pages', pages: await extractPdfPages(bytes) };
  if (extension === 'docx') return { layout: 'sections', text: await extractDocxText(bytes), lines: false };
  const text = bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n');
  if (text.includes('\u0000')) throw new Error('The file is not text (it holds binary data).');
  if (markdownExtensions.has(extension)) return { layout: 'sections', text, lines: true };
  if (htmlExtensions.has(extension)) return { layout: 'sections', text: htmlToText(text), lines: false };
  return { layout: 'lines', text };
}

/** True when the document holds no text at all (a scanned PDF, an empty file). */
export function hasNoText(document: ExtractedDocument): boolean {
  return document.layout === 'pages'
    ? document.pages.every((page) => page.trim() === '')
    : document.text.trim() === '';
}
