import './search.css';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { MeaningReason, MessageHit } from '../../../shared/search';
import { call, toAppError } from '../hub';
import { navigate } from '../navigation';
import { ErrorNote } from '../ui/errors';
import { conversationTitle, shortDate } from '../ui/format';
import { SearchGlyph } from '../ui/glyphs';
import { meaningReason } from './palette/hits';
import { Snippet } from './snippet';

const LIMIT = 5;

type Answer = { hits: MessageHit[]; reason: MeaningReason | null };

/** "Related" under a message: the closest messages in other conversations, each opening where it is. */
export function RelatedConversations({ messageId, onClose }: { messageId: string; onClose: () => void }) {
  const { t } = useTranslation('search');
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const section = useRef<HTMLElement>(null);

  useEffect(() => {
    let live = true;
    call('search.related', { messageId, limit: LIMIT })
      .then((found) => {
        if (!live) return;
        const reason = found.meaningUsed ? null : (found.meaningUnavailable ?? null);
        setAnswer({ hits: found.hits, reason });
      })
      .catch((cause: unknown) => live && setError(toAppError(cause)));
    return () => {
      live = false;
    };
  }, [messageId]);

  // Opened under a message near the bottom, it would grow below the fold: it is scrolled to as it opens, and again
  // each time it grows (an answer, a longer language) while its head is on screen (not after the user scrolled away).
  useEffect(() => {
    const element = section.current;
    if (!element) return;
    let opening = true;
    const observer = new ResizeObserver(() => {
      const { top } = element.getBoundingClientRect();
      if (opening || (top >= 0 && top < window.innerHeight)) element.scrollIntoView({ block: 'nearest' });
      opening = false;
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  return (
    <section className="related" aria-label={t('related.label')} ref={section}>
      <header className="related-head">
        <SearchGlyph />
        <span>{t('related.label')}</span>
        <button type="button" className="text-button related-close" onClick={onClose}>
          {t('related.hide')}
        </button>
      </header>
      {error ? <ErrorNote error={error} /> : null}
      {!answer && !error ? <p className="related-note">{t('related.looking')}</p> : null}
      {answer && answer.hits.length === 0 ? (
        <p className="related-note">{answer.reason ? meaningReason(answer.reason) : t('related.none')}</p>
      ) : null}
      {answer && answer.hits.length > 0 ? (
        <ul className="related-list">
          {answer.hits.map((hit) => (
            <li key={hit.id}>
              <button
                type="button"
                className="related-hit"
                onClick={() =>
                  navigate('chat', {
                    conversationId: hit.target.conversationId,
                    messageId: hit.target.messageId,
                  })
                }
              >
                <span className="related-hit-head">
                  <span className="related-hit-title">{conversationTitle(hit.title)}</span>
                  <span className="related-hit-date">{shortDate(hit.date)}</span>
                </span>
                <span className="related-hit-snippet">
                  <Snippet text={hit.snippet} />
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
