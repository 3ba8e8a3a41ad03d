import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KbFileStatus, KbFileView } from '../../../shared/knowledge';
import { reasonText } from '../hub';
import { formatBytes } from '../ui/format';
import { fileParts } from './file-paths';

type Filter = 'all' | KbFileStatus;
const filters: Filter[] = ['all', 'failed', 'no-text', 'indexed'];
/** Rows shown at first and added by "Show more": a base of thousands of files stays quick to draw. */
const PAGE = 200;

function FileStatusLine({
  file,
  retrying,
  retryingThis,
  onRetry,
}: {
  file: KbFileView;
  retrying: boolean;
  /** This file's own Retry is the one under way. */
  retryingThis: boolean;
  onRetry: ((path: string) => void) | null;
}) {
  const { t } = useTranslation('knowledge');
  if (file.status === 'indexed') {
    return (
      <>
        <span className="badge badge-good">{t('file.status.indexed')}</span>
        <p className="kb-file-detail muted">
          {t('counts.chunks', { count: file.chunks })}
          {file.pages !== null ? ` · ${t('file.pages', { count: file.pages })}` : ''} ·{' '}
          {formatBytes(file.size)}
        </p>
      </>
    );
  }
  if (file.status === 'no-text') {
    return (
      <>
        <span className="badge badge-warn">{t('file.status.noText')}</span>
        <p className="kb-file-detail">{file.pages !== null ? t('file.noTextPdf') : t('file.noTextFile')}</p>
      </>
    );
  }
  return (
    <>
      <span className="badge kb-badge-failed">{t('file.status.failed')}</span>
      <div className="kb-file-detail kb-file-failure">
        <p className="kb-file-error">
          {file.error ? reasonText(file.reason, file.error) : t('file.failedUnknown')}
        </p>
        {onRetry ? (
          <button
            type="button"
            className="button kb-small-button"
            disabled={retrying}
            aria-label={t('file.retryNamed', { file: file.path })}
            onClick={() => onRetry(file.path)}
          >
            {retryingThis ? t('files.retrying') : t('file.retry')}
          </button>
        ) : null}
      </div>
    </>
  );
}

/** The files of a base with the status of each: indexed, failed with why, or without a text layer. */
export function FileList({
  files,
  roots,
  syncing,
  retrying,
  onRetry,
}: {
  files: readonly KbFileView[];
  roots: readonly string[];
  /** A sync is under way: the files show up as it reads them. */
  syncing: boolean;
  retrying: boolean;
  /** Reads a failed file again, or every failed file without a path; null while that cannot run (paused, syncing). */
  onRetry: ((path?: string) => void) | null;
}) {
  const { t } = useTranslation('knowledge');
  const ids = useId();
  const [filter, setFilter] = useState<Filter>('all');
  const [shown, setShown] = useState(PAGE);
  /** The file whose Retry was pressed last (null: Retry all), to say which one is being read again. */
  const [retried, setRetried] = useState<string | null>(null);
  const counts: Record<Filter, number> = { all: files.length, indexed: 0, failed: 0, 'no-text': 0 };
  for (const file of files) counts[file.status] += 1;
  const visible = filter === 'all' ? files : files.filter((file) => file.status === filter);

  return (
    <section className="card kb-files" aria-labelledby={`${ids}-title`}>
      <div className="kb-files-header">
        <h2 id={`${ids}-title`} className="kb-section-title">
          {t('files.title')}
        </h2>
        <fieldset className="kb-filters" aria-label={t('files.filterLabel')}>
          {filters.map((option) => (
            <button
              key={option}
              type="button"
              className="kb-filter"
              aria-pressed={filter === option}
              disabled={option !== 'all' && counts[option] === 0}
              onClick={() => {
                setFilter(option);
                setShown(PAGE);
              }}
            >
              {t(`files.filter.${option}`, { count: counts[option] })}
            </button>
          ))}
        </fieldset>
      </div>
      {files.length === 0 ? <p className="muted">{syncing ? t('files.reading') : t('files.empty')}</p> : null}
      {onRetry && counts.failed > 0 ? (
        <div className="button-row">
          <button
            type="button"
            className="button"
            disabled={retrying}
            onClick={() => {
              setRetried(null);
              onRetry();
            }}
          >
            {retrying && retried === null
              ? t('files.retrying')
              : t('files.retryAll', { count: counts.failed })}
          </button>
        </div>
      ) : null}
      <ul className="kb-file-list">
        {visible.slice(0, shown).map((file) => {
          const { name, folder } = fileParts(file.path, roots);
          return (
            <li key={file.path} className={`kb-file is-${file.status}`}>
              <p className="kb-file-name">
                <span className="kb-file-title" title={file.path}>
                  {name}
                </span>
                {folder ? <span className="kb-file-folder">{folder}</span> : null}
              </p>
              <FileStatusLine
                file={file}
                retrying={retrying}
                retryingThis={retrying && retried === file.path}
                onRetry={
                  onRetry
                    ? (path) => {
                        setRetried(path);
                        onRetry(path);
                      }
                    : null
                }
              />
            </li>
          );
        })}
      </ul>
      {visible.length > shown ? (
        <button type="button" className="button" onClick={() => setShown((count) => count + PAGE)}>
          {t('files.more', { count: Math.min(PAGE, visible.length - shown), total: visible.length - shown })}
        </button>
      ) : null}
    </section>
  );
}
