import { extname } from 'node:path';

/** What reader a file goes to, by its extension. */
export type DocumentKind = 'pdf' | 'docx' | 'markdown' | 'html' | 'text';

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

/** The reader for this file, or null when a knowledge base passes it over. */
export function documentKind(path: string): DocumentKind | null {
  const extension = extname(path).slice(1).toLowerCase();
  if (extension === 'pdf') return 'pdf';
  if (extension === 'docx') return 'docx';
  if (markdownExtensions.has(extension)) return 'markdown';
  if (htmlExtensions.has(extension)) return 'html';
  if (textExtensions.has(extension) || codeExtensions.has(extension)) return 'text';
  return null;
}
