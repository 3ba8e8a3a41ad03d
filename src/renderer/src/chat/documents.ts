import i18next from 'i18next';
import {
  type DocumentProblem,
  type DocumentReading,
  type DocumentRef,
  MAX_DOCUMENT_BYTES,
  MAX_DOCUMENT_CHARS,
} from '../../../shared/documents';
import { call } from '../hub';
import { formatBytes, numberFormat } from '../ui/format';

/** A document in the composer: being read by main, then ready with its text's estimate. */
export type PendingDocument = { key: string; name: string; size: number } & (
  | { state: 'reading' }
  | { state: 'ready'; document: DocumentRef }
);

/** The file's bytes as base64, encoded by the browser off the page's thread (a 25 MB file does not stall typing). */
function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(file);
  });
}

/** Hands a dropped file to main, which extracts its text; a file too big for a message is refused here already. */
export async function readDocumentFile(file: File): Promise<DocumentReading> {
  if (file.size > MAX_DOCUMENT_BYTES) return { ok: false, name: file.name, problem: 'too-big' };
  let dataBase64: string;
  try {
    dataBase64 = await base64Of(file);
  } catch (cause) {
    return { ok: false, name: file.name, problem: 'unreadable', detail: String(cause) };
  }
  return call('chat.readDocument', { name: file.name, dataBase64 });
}

/** Why a document cannot go, in the person's language, with what to do instead. */
export function documentProblemText(reading: Extract<DocumentReading, { ok: false }>): string {
  const name = reading.name;
  const messages: Record<DocumentProblem, () => string> = {
    unsupported: () => i18next.t('chat:documents.problem.unsupported', { name }),
    'too-big': () =>
      i18next.t('chat:documents.problem.tooBig', { name, max: formatBytes(MAX_DOCUMENT_BYTES) }),
    'too-much-text': () =>
      i18next.t('chat:documents.problem.tooMuchText', {
        name,
        max: numberFormat('integer').format(MAX_DOCUMENT_CHARS),
      }),
    'no-text': () => i18next.t('chat:documents.problem.noText', { name }),
    empty: () => i18next.t('chat:documents.problem.empty', { name }),
    unreadable: () => i18next.t('chat:documents.problem.unreadable', { name }),
  };
  return messages[reading.problem]();
}

/** "12 pages · about 3,400 tokens" */
export function documentDetails(document: DocumentRef): string {
  const tokens = i18next.t('chat:documents.tokens', {
    count: document.tokens,
    tokens: formatTokens(document.tokens),
  });
  return document.pages
    ? `${i18next.t('chat:documents.pages', { count: document.pages })} · ${tokens}`
    : tokens;
}

export function formatTokens(tokens: number): string {
  return numberFormat('integer').format(tokens);
}
