import './documents.css';
import { useTranslation } from 'react-i18next';
import { contextFit, type DocumentRef } from '../../../shared/documents';
import { modelLabel } from '../../../shared/model-names';
import type { ModelInfo } from '../../../shared/models';
import { documentDetails, formatTokens, type PendingDocument } from './documents';

function DocumentGlyph() {
  return (
    <svg viewBox="0 0 24 24" className="glyph document-glyph" aria-hidden="true" focusable="false">
      <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" />
      <path d="M14 3v5h5M9 13h6M9 17h6" />
    </svg>
  );
}

/** A file's name on a chip: a long one is cut in its middle, so its extension (the kind of file) stays in view. */
function ChipName({ name }: { name: string }) {
  const dot = name.lastIndexOf('.');
  const cut = dot > 0 && name.length - dot <= 8 ? dot : name.length;
  return (
    <span className="document-chip-name" title={name}>
      <span className="document-chip-stem">{name.slice(0, cut)}</span>
      {cut < name.length ? <span className="document-chip-extension">{name.slice(cut)}</span> : null}
    </span>
  );
}

/** The composer's documents as chips: name, pages and estimate (or "Reading…"), and a remove button each. */
export function ComposerDocuments({
  documents,
  onRemove,
}: {
  documents: PendingDocument[];
  onRemove: (key: string) => void;
}) {
  const { t } = useTranslation('chat');
  if (documents.length === 0) return null;
  return (
    <ul className="document-chips" aria-label={t('documents.attached')}>
      {documents.map((item) => (
        <li key={item.key} className="document-chip" data-state={item.state}>
          <DocumentGlyph />
          <span className="document-chip-text">
            <ChipName name={item.name} />
            <span className="document-chip-details">
              {item.state === 'ready' ? (
                documentDetails(item.document)
              ) : (
                <>
                  <span className="spinner" aria-hidden="true" /> {t('documents.reading')}
                </>
              )}
            </span>
          </span>
          <button
            type="button"
            className="document-chip-remove"
            aria-label={t('documents.remove', { name: item.name })}
            title={t('documents.remove', { name: item.name })}
            onClick={() => onRemove(item.key)}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

/**
 * The estimate of the message with its documents, against the model's context window when the catalogue knows it.
 * Over the window it warns and says what to do; sending stays possible, since the figure is an estimate.
 */
export function ContextEstimate({
  tokens,
  conversation,
  model,
}: {
  tokens: number;
  /** What the conversation so far adds to the request (its last reply's usage). */
  conversation: number;
  model: ModelInfo;
}) {
  const { t } = useTranslation('chat');
  const fit = contextFit(tokens + conversation, model.contextWindow);
  const name = modelLabel(model.id);
  const window = formatTokens(model.contextWindow ?? 0);
  if (fit === 'over') {
    return (
      <div className="context-warning" role="alert" data-testid="context-warning">
        <p className="context-warning-title">
          {t('documents.overTitle', { model: name, tokens: formatTokens(tokens + conversation), window })}
        </p>
        <p>{t(conversation > 0 ? 'documents.overAdviceChat' : 'documents.overAdvice')}</p>
      </div>
    );
  }
  return (
    <p className="context-estimate" data-testid="context-estimate">
      {fit === 'unknown'
        ? t('documents.estimate', { tokens: formatTokens(tokens) })
        : conversation > 0
          ? t('documents.estimateWithChat', {
              tokens: formatTokens(tokens),
              total: formatTokens(tokens + conversation),
              window,
              model: name,
            })
          : t('documents.estimateOf', { tokens: formatTokens(tokens), window, model: name })}
    </p>
  );
}

/** The documents a sent message carried, under its text. */
export function MessageDocuments({ documents }: { documents: DocumentRef[] }) {
  const { t } = useTranslation('chat');
  return (
    <ul className="document-chips message-documents" aria-label={t('documents.sent')}>
      {documents.map((document) => (
        <li key={document.path} className="document-chip">
          <DocumentGlyph />
          <span className="document-chip-text">
            <ChipName name={document.name} />
            <span className="document-chip-details">{documentDetails(document)}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}
