import './sources.css';
import { type ComponentProps, createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type KbSource, sourceFileName } from '../../../shared/chat-knowledge';
import { call, messageFor, toAppError } from '../hub';

interface SourcesOfReply {
  sources: readonly KbSource[];
  open: (n: number) => void;
}

const SourcesContext = createContext<SourcesOfReply | null>(null);

/** `page 3` or `line 12` in the UI language; empty for a file without either. */
function useWhere(): (source: KbSource) => string {
  const { t } = useTranslation('chat');
  return (source) =>
    source.page !== null
      ? t('knowledge.page', { page: source.page })
      : source.line !== null
        ? t('knowledge.line', { line: source.line })
        : '';
}

/** The reply's sources for its citations and its Sources block; opening one asks main (the stored path only). */
export function SourcesProvider({
  messageId,
  sources,
  children,
}: {
  messageId: string;
  sources: readonly KbSource[];
  children: ReactNode;
}) {
  const { t } = useTranslation('chat');
  const [note, setNote] = useState<string | null>(null);
  const value = useMemo<SourcesOfReply>(
    () => ({
      sources,
      open: (n) => {
        setNote(null);
        call('chat.openSource', { messageId, n })
          .then((result) => {
            if (!result.opened) setNote(t('knowledge.notOpened'));
          })
          .catch((cause: unknown) => setNote(messageFor(toAppError(cause))));
      },
    }),
    [messageId, sources, t],
  );
  return (
    <SourcesContext.Provider value={value}>
      {children}
      {note ? (
        <p className="source-note" role="status">
          {note}
        </p>
      ) : null}
    </SourcesContext.Provider>
  );
}

/** A `[n]` of a reply: a button that opens source n when the reply has it, else the text as written. */
export function Citation({ children, ...props }: ComponentProps<'cite'>) {
  const { t } = useTranslation('chat');
  const where = useWhere();
  const reply = useContext(SourcesContext);
  const n = Number((props as Record<string, unknown>)['data-source']);
  const source = reply?.sources.find((candidate) => candidate.n === n);
  if (!reply || !source) return <>{children}</>;
  const place = where(source);
  const file = sourceFileName(source.path);
  return (
    <button
      type="button"
      className="citation"
      data-testid="citation"
      title={`${file}${place ? ` · ${place}` : ''}\n${source.snippet}`}
      aria-label={t('knowledge.cite', { n, file, where: place || file })}
      onClick={() => reply.open(n)}
    >
      {n}
    </button>
  );
}

/** Under a reply: each source with its file name and page or line (opens it), and its passage when expanded. */
export function SourcesBlock() {
  const { t } = useTranslation('chat');
  const where = useWhere();
  const reply = useContext(SourcesContext);
  if (!reply || reply.sources.length === 0) return null;
  return (
    <section className="sources" data-testid="sources" aria-label={t('knowledge.sources')}>
      <h4 className="sources-title">{t('knowledge.sources')}</h4>
      <ol>
        {reply.sources.map((source) => {
          const file = sourceFileName(source.path);
          const place = where(source);
          return (
            <li key={source.n} className="source" data-testid="source">
              <span className="source-n" aria-hidden="true">
                {source.n}
              </span>
              <div className="source-body">
                <button
                  type="button"
                  className="source-open"
                  title={source.path}
                  aria-label={t('knowledge.open', { file, where: place || file })}
                  onClick={() => reply.open(source.n)}
                >
                  {file}
                </button>
                {place ? <span className="muted"> · {place}</span> : null}
                {source.heading ? <span className="muted"> · {source.heading}</span> : null}
                <details className="source-snippet">
                  <summary>{t('knowledge.passage')}</summary>
                  <p>{source.snippet}</p>
                </details>
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
