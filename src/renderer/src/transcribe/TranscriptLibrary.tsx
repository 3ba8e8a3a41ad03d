import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { TranscriptSummary } from '../../../shared/transcription';
import { ErrorNote } from '../ui/errors';
import { fullDate, shortDate } from '../ui/format';
import { Glyph, icons } from './Glyph';
import { formatDuration } from './time';

/** A language as the transcript stores it (a code, or a name the model detected), in the UI language when known. */
function languageName(
  language: string,
  t: (key: string, options: { defaultValue: string }) => string,
): string {
  return t(`languages.${language}`, { defaultValue: language });
}

/**
 * Every transcript the library holds, newest first: those made here and those another computer synced, whether or
 * not a job still refers to them. Each row opens its transcript.
 */
export function TranscriptLibrary({
  transcripts,
  error,
  openId,
  onOpen,
}: {
  transcripts: readonly TranscriptSummary[] | null;
  error: AppError | null;
  openId: string | null;
  onOpen: (id: string) => void;
}) {
  const { t } = useTranslation('transcribe');
  return (
    <div className="tx-library">
      <div className="tx-queue-head">
        <h2 className="tx-section-title">{t('library.title')}</h2>
        {transcripts && transcripts.length > 0 ? (
          <span className="tx-queue-count">{t('library.count', { count: transcripts.length })}</span>
        ) : null}
      </div>
      {error ? <ErrorNote error={error} /> : null}
      {transcripts === null && !error ? <p className="tx-quiet">{t('page.loading')}</p> : null}
      {transcripts !== null && transcripts.length === 0 ? (
        <p className="tx-quiet">{t('library.empty')}</p>
      ) : null}
      {transcripts && transcripts.length > 0 ? (
        // biome-ignore lint/a11y/noRedundantRoles: list-style: none drops the implicit role in WebKit
        <ul className="tx-library-list" role="list" aria-label={t('library.label')}>
          {transcripts.map((transcript) => {
            const facts = [
              formatDuration(transcript.durationSec),
              transcript.language ? languageName(transcript.language, t) : null,
            ].filter((fact): fact is string => fact !== null);
            const open = transcript.id === openId;
            return (
              <li key={transcript.id} data-transcript-id={transcript.id}>
                <button
                  type="button"
                  className={`tx-library-item${open ? ' is-open' : ''}`}
                  aria-current={open ? 'true' : undefined}
                  onClick={() => onOpen(transcript.id)}
                >
                  <span className="tx-job-icon tx-state-done" aria-hidden="true">
                    <Glyph>{icons.file}</Glyph>
                  </span>
                  <span className="tx-job-title">
                    <span className="tx-job-name">{transcript.fileName}</span>
                    <span className="tx-job-facts">
                      <time
                        dateTime={new Date(transcript.createdAt).toISOString()}
                        title={fullDate(transcript.createdAt)}
                      >
                        {shortDate(transcript.createdAt)}
                      </time>
                      {facts.map((fact) => ` · ${fact}`).join('')}
                    </span>
                  </span>
                  {transcript.edited ? (
                    <span className="tx-badge tx-state-idle">{t('library.edited')}</span>
                  ) : null}
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
