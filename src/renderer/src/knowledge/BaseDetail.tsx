import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { KbBaseSummary, KbProgress, KbSyncReport } from '../../../shared/knowledge';
import type { KbStatusView } from '../../../shared/knowledge-channels';
import { call, toAppError } from '../hub';
import { ErrorNote } from '../ui/errors';
import { BaseSearch } from './BaseSearch';
import { FileList } from './FileList';
import { MeaningIndexNote } from './MeaningIndexNote';
import { RemoveBaseDialog } from './RemoveBaseDialog';
import { SyncProgress } from './SyncProgress';
import { useMeaning } from './useMeaning';

/** The files of a base and its sync under way, read again whenever `revision` grows. */
function useBaseStatus(name: string, revision: number) {
  const [status, setStatus] = useState<KbStatusView | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [asked, setAsked] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new revision or a reload asks again
  useEffect(() => {
    let live = true;
    call('kb.status', { name })
      .then((answer) => {
        if (!live) return;
        setStatus(answer);
        setError(null);
      })
      .catch((cause: unknown) => live && setError(toAppError(cause)));
    return () => {
      live = false;
    };
  }, [name, revision, asked]);
  const reload = useCallback(() => setAsked((count) => count + 1), []);
  return { status, error, reload };
}

/** Whether a finished sync found anything to say beyond "nothing changed on disk". */
function reportChanged(report: KbSyncReport): boolean {
  return report.added + report.changed + report.moved + report.deleted + report.failed + report.noText > 0;
}

/** One knowledge base: where it reads from, Sync now and Remove, its sync under way, a search, its files. */
export function BaseDetail({
  base,
  progress,
  revision,
  onChanged,
}: {
  base: KbBaseSummary;
  progress: KbProgress | null;
  revision: number;
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation('knowledge');
  const ids = useId();
  const { status, error, reload } = useBaseStatus(base.name, revision);
  const meaning = useMeaning(base.name, revision);
  const [busy, setBusy] = useState<'sync' | 'pause' | 'resume' | 'retry' | null>(null);
  const [report, setReport] = useState<KbSyncReport | null>(null);
  const [actionError, setActionError] = useState<AppError | null>(null);
  const [removing, setRemoving] = useState(false);
  const running = base.paused ? null : (progress ?? status?.progress ?? null);

  /** Runs one action on the base; a sync stopped by a pause is no error (the page says it is paused). */
  const act = async (action: NonNullable<typeof busy>, run: () => Promise<KbSyncReport | null>) => {
    setBusy(action);
    setReport(null);
    setActionError(null);
    try {
      setReport(await run());
    } catch (cause) {
      const failure = toAppError(cause);
      if (failure.kind !== 'cancelled') setActionError(failure);
    } finally {
      setBusy(null);
      reload();
      void onChanged();
    }
  };
  const name = base.name;
  const syncNow = () => act('sync', () => call('kb.sync', { name }));
  const pause = () =>
    act('pause', async () => {
      await call('kb.pause', { name });
      return null;
    });
  const resume = () => act('resume', () => call('kb.resume', { name }));
  const retry = (path?: string) =>
    act('retry', () => call('kb.retry', path === undefined ? { name } : { name, path }));

  return (
    <section className="kb-detail" aria-labelledby={`${ids}-name`}>
      <div className="card">
        <div className="kb-detail-header">
          <div className="card-header">
            <h2 id={`${ids}-name`}>{base.name}</h2>
            <p className="muted">
              {t('counts.files', { count: base.files })} · {t('counts.chunks', { count: base.chunks })}
              {base.failed > 0 ? ` · ${t('counts.failed', { count: base.failed })}` : ''}
              {base.noText > 0 ? ` · ${t('counts.noText', { count: base.noText })}` : ''}
              {meaning && meaning.total > 0
                ? ` · ${meaning.embedded >= meaning.total ? t('counts.meaningAll') : t('counts.meaningSome', meaning)}`
                : ''}
            </p>
          </div>
          <div className="button-row">
            {base.paused ? (
              <button
                type="button"
                className="button button-primary"
                onClick={() => void resume()}
                disabled={busy !== null}
              >
                {t('actions.resume')}
              </button>
            ) : (
              <>
                <button
                  type="button"
                  className="button"
                  onClick={() => void syncNow()}
                  disabled={busy !== null || running !== null}
                >
                  {busy === 'sync' || running ? t('actions.syncing') : t('actions.sync')}
                </button>
                <button
                  type="button"
                  className="button"
                  onClick={() => void pause()}
                  disabled={busy === 'pause'}
                >
                  {t('actions.pause')}
                </button>
              </>
            )}
            <button type="button" className="button button-quiet-danger" onClick={() => setRemoving(true)}>
              {t('actions.remove')}
            </button>
          </div>
        </div>
        {base.paused ? (
          <p className="notice notice-warn" role="status">
            {t('paused')}
          </p>
        ) : null}
        {base.watching && !base.paused ? <p className="hint">{t('watching')}</p> : null}
        <MeaningIndexNote />
        <div className="kb-roots">
          <span className="muted">{t('roots.label', { count: base.roots.length })}</span>
          <ul>
            {base.roots.map((root) => (
              <li key={root}>
                <code className="path">{root}</code>
              </li>
            ))}
          </ul>
        </div>
        {running ? <SyncProgress progress={running} /> : null}
        {report && !running ? (
          <p className="saved-note" role="status">
            {reportChanged(report)
              ? t('report.done', {
                  added: report.added,
                  changed: report.changed,
                  moved: report.moved,
                  deleted: report.deleted,
                  failed: report.failed,
                  noText: report.noText,
                })
              : t('report.nothing')}
          </p>
        ) : null}
        {actionError ? <ErrorNote error={actionError} /> : null}
      </div>
      <BaseSearch name={base.name} roots={base.roots} />
      {error ? <ErrorNote error={error} /> : null}
      {status ? (
        <FileList
          files={status.files}
          roots={base.roots}
          syncing={running !== null}
          retrying={busy === 'retry'}
          onRetry={base.paused || running !== null ? null : (path) => void retry(path)}
        />
      ) : null}
      <RemoveBaseDialog
        name={removing ? base.name : null}
        onClose={() => setRemoving(false)}
        onRemoved={() => {
          setRemoving(false);
          void onChanged();
        }}
      />
    </section>
  );
}
