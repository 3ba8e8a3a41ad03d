import { randomUUID } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type DocumentReading,
  type DocumentRef,
  type DocumentUpload,
  estimateTokens,
  MAX_DOCUMENT_BYTES,
  MAX_DOCUMENT_CHARS,
} from '../../../shared/documents';
import { HubError } from '../../base/errors';
import { resolveInside } from '../../files/library';
import {
  type ExtractedDocument,
  extractDocument,
  hasNoText,
  isSupportedFile,
} from '../knowledge/extract-document';

const DOCUMENTS_DIR = 'attachments/documents';

/** A PDF's pages marked, so the model (and a reader of its answer) can point at a page. */
function textOf(document: ExtractedDocument): string {
  if (document.layout !== 'pages') return document.text.trim();
  return document.pages
    .map((page, index) => `[Page ${index + 1}]\n${page}`)
    .join('\n\n')
    .trim();
}

/**
 * Reads a document dropped into the composer with the knowledge bases' extractors and keeps its text in
 * `attachments/documents/` of the library folder, where the message that sends it will point. A file that cannot
 * go is a reading with the reason, never an exception: the window shows it on that file alone.
 */
export async function readDocument(libraryDir: string, upload: DocumentUpload): Promise<DocumentReading> {
  const refuse = (
    problem: Exclude<DocumentReading, { ok: true }>['problem'],
    detail?: string,
  ): DocumentReading => ({
    ok: false,
    name: upload.name,
    problem,
    ...(detail ? { detail } : {}),
  });
  if (!isSupportedFile(upload.name)) return refuse('unsupported');
  const bytes = Buffer.from(upload.dataBase64, 'base64');
  if (bytes.length > MAX_DOCUMENT_BYTES) return refuse('too-big');
  let document: ExtractedDocument;
  try {
    document = await extractDocument(upload.name, bytes);
  } catch (cause) {
    return refuse('unreadable', cause instanceof Error ? cause.message : String(cause));
  }
  if (hasNoText(document)) return refuse(document.layout === 'pages' ? 'no-text' : 'empty');
  const text = textOf(document);
  if (text.length > MAX_DOCUMENT_CHARS) return refuse('too-much-text');

  await mkdir(join(libraryDir, DOCUMENTS_DIR), { recursive: true });
  const path = `${DOCUMENTS_DIR}/${randomUUID()}.txt`;
  await writeFile(join(libraryDir, path), text, 'utf8');
  return {
    ok: true,
    document: {
      path,
      name: upload.name,
      size: bytes.length,
      pages: document.layout === 'pages' ? document.pages.length : null,
      chars: text.length,
      tokens: estimateTokens(text),
    },
  };
}

/** Refuses a send that names a document whose text is not in the library (read by `readDocument` first). */
export async function requireDocuments(libraryDir: string, documents: DocumentRef[]): Promise<void> {
  for (const document of documents) {
    const file = resolveInside(libraryDir, document.path);
    const found = file ? await stat(file).catch(() => null) : null;
    if (!found?.isFile()) {
      throw new HubError({
        kind: 'invalid_input',
        message: `The text of ${document.name} is no longer there. Remove it and add the file again.`,
        field: 'documents',
        reason: { code: 'chatDocumentGone', values: { name: document.name } },
      });
    }
  }
}

/** Each document as the text part the model reads: a header naming the file, then its text. */
export async function documentParts(libraryDir: string, documents: DocumentRef[]): Promise<string[]> {
  return Promise.all(
    documents.map(async (document) => {
      const file = resolveInside(libraryDir, document.path);
      const text = file ? await readFile(file, 'utf8').catch(() => null) : null;
      if (text === null) {
        throw new HubError({
          kind: 'not_found',
          message: `The document ${document.name} is missing from the library.`,
          reason: { code: 'chatDocumentMissing', values: { name: document.name } },
        });
      }
      const pages = document.pages ? `, ${document.pages} ${document.pages === 1 ? 'page' : 'pages'}` : '';
      return `Document: ${document.name}${pages}\n\n${text}\n\n(End of ${document.name})`;
    }),
  );
}
