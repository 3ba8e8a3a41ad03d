import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type DocumentRef, estimateTokens, MAX_DOCUMENTS_PER_MESSAGE } from '../../../shared/documents';
import { messageFor, toAppError } from '../hub';
import { documentProblemText, type PendingDocument, readDocumentFile } from './documents';

let keyCounter = 0;

/**
 * The documents of the message being written: each file is read by main (its text extracted there), shown as a
 * chip while it is read and then with its estimate; a file that cannot go gives a sentence of its own.
 */
export function useComposerDocuments(onProblems: (problems: string[]) => void) {
  const { t } = useTranslation('chat');
  const [documents, setDocuments] = useState<PendingDocument[]>([]);
  const count = useRef(0);
  count.current = documents.length;

  const add = useCallback(
    async (files: File[]) => {
      const room = Math.max(0, MAX_DOCUMENTS_PER_MESSAGE - count.current);
      const problems: string[] = [];
      if (files.length > room) problems.push(t('documents.tooMany', { max: MAX_DOCUMENTS_PER_MESSAGE }));
      const taken = files.slice(0, room).map((file) => {
        keyCounter += 1;
        return { file, key: `doc-${keyCounter}` };
      });
      count.current += taken.length;
      setDocuments((current) => [
        ...current,
        ...taken.map(({ file, key }) => ({
          key,
          name: file.name,
          size: file.size,
          state: 'reading' as const,
        })),
      ]);
      await Promise.all(
        taken.map(async ({ file, key }) => {
          const reading = await readDocumentFile(file).catch((cause: unknown) => ({
            ok: false as const,
            name: file.name,
            problem: 'unreadable' as const,
            detail: messageFor(toAppError(cause)),
          }));
          if (!reading.ok) problems.push(documentProblemText(reading));
          setDocuments((current) =>
            reading.ok
              ? current.map((item) =>
                  item.key === key ? { ...item, state: 'ready' as const, document: reading.document } : item,
                )
              : current.filter((item) => item.key !== key),
          );
        }),
      );
      if (problems.length > 0) onProblems(problems);
    },
    [onProblems, t],
  );

  const remove = useCallback((key: string) => {
    setDocuments((current) => current.filter((item) => item.key !== key));
  }, []);

  const clear = useCallback(() => setDocuments([]), []);

  const ready: DocumentRef[] = documents.flatMap((item) => (item.state === 'ready' ? [item.document] : []));
  const reading = documents.some((item) => item.state === 'reading');
  return { documents, ready, reading, add, remove, clear };
}

/** The message's estimate: its text and every document that goes with it (src/shared/documents.ts). */
export function messageTokens(text: string, documents: DocumentRef[]): number {
  return documents.reduce((sum, document) => sum + document.tokens, estimateTokens(text));
}
