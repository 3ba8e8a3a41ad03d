import './videos.css';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import {
  type VideoDeleteScope,
  type VideoJob,
  type VideoStatus,
  type VideoVendor,
  videoStatuses,
  videoVendorLabels,
} from '../../../shared/videos/job';
import { call, messageFor, toAppError } from '../hub';
import { onPendingTarget, takePendingVideo } from '../navigation';
import { ErrorNote } from '../ui/errors';
import { useOnline } from '../ui/useOnline';
import { CreateVideoDialog } from './CreateVideoDialog';
import { DeleteDialog, RemixDialog } from './JobDialogs';
import { isGenerating, remoteDeleteState, videoStatusLabel } from './job-status';
import { filterJobs, type LibraryFilter } from './library';
import type { ToastWords } from './toast-words';
import { useFileShell, useLineage, useVendorSpecs, useVideoLibrary } from './useVideoLibrary';
import { VideoDetail } from './VideoDetail';
import { VideoGrid } from './VideoGrid';

type Toast = { id: number; words: ToastWords; tone: 'info' | 'error'; undoId?: string };

const TOAST_MS = 6000;
const UNDO_TOAST_MS = 12_000;
const NO_FILTER: LibraryFilter = { vendor: '', status: '', query: '' };

function Glyph({ d }: { d: string }) {
  return (
    <svg viewBox="0 0 24 24" className="glyph" aria-hidden="true" focusable="false">
      <path d={d} />
    </svg>
  );
}

export function VideosScreen() {
  const { t } = useTranslation('videos');
  const library = useVideoLibrary();
  const specs = useVendorSpecs();
  const online = useOnline();
  const [filter, setFilter] = useState<LibraryFilter>(NO_FILTER);
  // A video asked for by another page (the search palette) opens its details.
  const [selectedId, setSelectedId] = useState<string | null>(takePendingVideo);
  const [creating, setCreating] = useState(false);
  // "Reuse prompt" opens the create form filled from this job.
  const [reuseFrom, setReuseFrom] = useState<VideoJob | null>(null);
  const fileShell = useFileShell();
  const [remixFor, setRemixFor] = useState<VideoJob | null>(null);
  const [deleteFor, setDeleteFor] = useState<VideoJob | null>(null);
  const [toast, setToast] = useState<Toast | null>(null);
  const [syncing, setSyncing] = useState(false);
  const [pageError, setPageError] = useState<AppError | null>(null);
  const { jobs, upsert } = library;
  const modalOpen = creating || remixFor !== null || deleteFor !== null;

  const visible = useMemo(() => filterJobs(jobs.values(), filter), [jobs, filter]);
  const all = useMemo(() => filterJobs(jobs.values(), NO_FILTER), [jobs]);
  const running = all.filter(isGenerating).length;
  const selected = selectedId ? (jobs.get(selectedId) ?? null) : null;
  const selectedVendor = specs.find((spec) => spec.vendor === selected?.vendor);
  const lineage = useLineage(selected, jobs);
  const filtered = filter.vendor !== '' || filter.status !== '' || filter.query.trim() !== '';

  // A job opened from the lineage may be outside the list (in the trash): ask main for it.
  useEffect(() => {
    if (selectedId === null || jobs.has(selectedId)) return;
    let live = true;
    call('videos.get', { id: selectedId })
      .then((job) => live && upsert(job))
      .catch(() => live && setSelectedId(null));
    return () => {
      live = false;
    };
  }, [selectedId, jobs, upsert]);

  useEffect(
    () =>
      onPendingTarget(() => {
        const id = takePendingVideo();
        if (id) setSelectedId(id);
      }),
    [],
  );

  // A job that left the library (deleted with its files) closes its details.
  useEffect(() => {
    if (selected?.deletedAt != null) setSelectedId(null);
  }, [selected]);

  useEffect(() => {
    if (!toast) return;
    const timer = window.setTimeout(() => setToast(null), toast.undoId ? UNDO_TOAST_MS : TOAST_MS);
    return () => window.clearTimeout(timer);
  }, [toast]);

  const say = useCallback((words: ToastWords, tone: Toast['tone'] = 'info', undoId?: string) => {
    setToast({ id: Date.now(), words, tone, ...(undoId ? { undoId } : {}) });
  }, []);

  const sync = async () => {
    setSyncing(true);
    setPageError(null);
    try {
      const result = await call('videos.sync', {});
      for (const job of result.imported) upsert(job);
      say((t) =>
        result.imported.length === 0
          ? t('toast.syncNothing', { seen: result.seen })
          : t('toast.syncImported', { count: result.imported.length, seen: result.seen }),
      );
    } catch (cause) {
      setPageError(toAppError(cause));
    } finally {
      setSyncing(false);
    }
  };

  const remix = async (prompt: string) => {
    if (!remixFor) return;
    const job = await call('videos.remix', { id: remixFor.id, prompt });
    upsert(job);
    setRemixFor(null);
    setSelectedId(job.id);
  };

  const remove = async (scope: VideoDeleteScope) => {
    if (!deleteFor) return;
    const target = deleteFor;
    const { job, undoUntil } = await call('videos.delete', { id: target.id, scope });
    upsert(job);
    setDeleteFor(null);
    const vendor = videoVendorLabels[target.vendor];
    const words: ToastWords = (t) =>
      scope === 'local'
        ? t('toast.localDeleted')
        : scope === 'remote'
          ? t('toast.remoteDeleted', { vendor })
          : t('toast.deleted');
    say(words, 'info', undoUntil !== null && undoUntil > Date.now() ? target.id : undefined);
  };

  const undo = async (id: string) => {
    setToast(null);
    try {
      const job = await call('videos.undoDelete', { id });
      upsert(job);
      setSelectedId(job.id);
      say((t) => t('toast.restored'));
    } catch (cause) {
      const error = toAppError(cause);
      say((t) => t('toast.undoFailed', { message: messageFor(error) }), 'error');
    }
  };

  const statusCounts = useMemo(() => {
    const counts = new Map<VideoStatus, number>();
    for (const job of all) counts.set(job.status, (counts.get(job.status) ?? 0) + 1);
    return counts;
  }, [all]);

  const summary =
    all.length === 0
      ? t('page.intro')
      : `${t('page.count', { count: all.length })}${running > 0 ? ` · ${t('page.inProgress', { count: running })}` : ''}`;

  return (
    <div className={`video-page${selected ? ' has-detail' : ''}`}>
      {/* Outside an open modal the page is inert; saying so also keeps its buttons out of the dialog's way. */}
      <div className="video-main" aria-hidden={modalOpen ? true : undefined}>
        <header className="video-header">
          <div className="video-heading">
            <h1>{t('page.title')}</h1>
            <p className="muted">{summary}</p>
          </div>
          <div className="video-header-actions">
            {online ? null : (
              <span className="video-offline" title={t('page.offlineHint')}>
                <span className="video-dot tone-warn" aria-hidden="true" />
                {t('page.offline')}
              </span>
            )}
            <button type="button" className="button" onClick={sync} disabled={syncing}>
              {syncing ? (
                <span className="spinner" aria-hidden="true" />
              ) : (
                <Glyph d="M20 11a8 8 0 0 0-14.6-4.5M4 4v3h3M4 13a8 8 0 0 0 14.6 4.5M20 20v-3h-3" />
              )}
              {t('page.sync')}
            </button>
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              <Glyph d="M12 5v14M5 12h14" />
              {t('page.newVideo')}
            </button>
          </div>
        </header>

        <div className="video-toolbar">
          <div className="video-search">
            <Glyph d="m20 20-4.2-4.2M11 18a7 7 0 1 1 0-14 7 7 0 0 1 0 14z" />
            <input
              type="search"
              aria-label={t('filters.search')}
              placeholder={t('filters.search')}
              value={filter.query}
              onChange={(event) => setFilter((current) => ({ ...current, query: event.target.value }))}
            />
          </div>
          <select
            aria-label={t('filters.vendor')}
            value={filter.vendor}
            onChange={(event) =>
              setFilter((current) => ({ ...current, vendor: event.target.value as VideoVendor | '' }))
            }
          >
            <option value="">{t('filters.allVendors')}</option>
            {specs.map((spec) => (
              <option key={spec.vendor} value={spec.vendor}>
                {spec.label}
              </option>
            ))}
          </select>
          <select
            aria-label={t('filters.status')}
            value={filter.status}
            onChange={(event) =>
              setFilter((current) => ({ ...current, status: event.target.value as VideoStatus | '' }))
            }
          >
            <option value="">{t('filters.allStatuses')}</option>
            {videoStatuses.map((status) => {
              const count = statusCounts.get(status);
              return (
                <option key={status} value={status}>
                  {count
                    ? t('filters.statusCount', { status: videoStatusLabel(status), count })
                    : videoStatusLabel(status)}
                </option>
              );
            })}
          </select>
          {filtered ? (
            <button type="button" className="text-button" onClick={() => setFilter(NO_FILTER)}>
              {t('filters.clear')}
            </button>
          ) : null}
        </div>

        {pageError ? <ErrorNote error={pageError} /> : null}

        <div className="video-body">
          <div className="video-library">
            {library.error && all.length === 0 ? (
              <div className="stack">
                <ErrorNote error={library.error} />
                <button type="button" className="button align-start" onClick={library.reload}>
                  {t('library.tryAgain')}
                </button>
              </div>
            ) : null}
            {library.loading && all.length === 0 ? (
              <p className="muted" role="status">
                {t('library.loading')}
              </p>
            ) : null}
            {!library.loading && !library.error && all.length === 0 ? (
              <div className="video-empty">
                <svg viewBox="0 0 24 24" className="video-empty-glyph" aria-hidden="true" focusable="false">
                  <rect x="3" y="5" width="14" height="14" rx="2.5" />
                  <path d="m17 10 4-2.5v9L17 14" />
                </svg>
                <h2>{t('library.emptyTitle')}</h2>
                <p className="muted">
                  <Trans t={t} i18nKey="library.emptyText" components={{ strong: <strong /> }} />
                </p>
              </div>
            ) : null}
            {all.length > 0 && visible.length === 0 ? (
              <div className="video-empty is-small">
                <h2>{t('library.noMatchTitle')}</h2>
                <p className="muted">{t('library.noMatchText')}</p>
                <button type="button" className="button" onClick={() => setFilter(NO_FILTER)}>
                  {t('library.showAll')}
                </button>
              </div>
            ) : null}
            {visible.length > 0 || all.length > 0 ? (
              <VideoGrid jobs={visible} selectedId={selectedId} onOpen={setSelectedId} />
            ) : null}
          </div>

          {selected ? (
            <VideoDetail
              key={selected.id}
              job={selected}
              vendor={selectedVendor}
              lineage={lineage}
              onOpen={setSelectedId}
              onClose={() => setSelectedId(null)}
              onRemix={() => setRemixFor(selected)}
              onDelete={() => setDeleteFor(selected)}
              onReuse={() => {
                setReuseFrom(selected);
                setCreating(true);
              }}
              onRetried={(job) => {
                upsert(job);
                setSelectedId(job.id);
                say((t) => t('manage.retried'));
              }}
              onSay={say}
              fileShell={fileShell}
              parent={
                selected.parentId
                  ? (jobs.get(selected.parentId) ??
                    lineage.find((member) => member.id === selected.parentId) ??
                    null)
                  : null
              }
              onChanged={upsert}
            />
          ) : null}
        </div>
      </div>

      <CreateVideoDialog
        open={creating}
        specs={specs}
        seed={reuseFrom}
        onClose={() => {
          setCreating(false);
          setReuseFrom(null);
        }}
        onCreated={upsert}
        onFailed={(error) => say(() => messageFor(error), 'error')}
      />
      <RemixDialog job={remixFor} onClose={() => setRemixFor(null)} onRemix={remix} />
      <DeleteDialog
        job={deleteFor}
        remote={
          deleteFor
            ? remoteDeleteState(
                deleteFor,
                specs.find((s) => s.vendor === deleteFor.vendor),
              )
            : 'vendorCannot'
        }
        onClose={() => setDeleteFor(null)}
        onDelete={remove}
      />

      <div className="video-toast-region" role="status" aria-live="polite">
        {toast ? (
          <div className={`video-toast${toast.tone === 'error' ? ' is-error' : ''}`} key={toast.id}>
            <span>{toast.words(t)}</span>
            {toast.undoId ? (
              <button
                type="button"
                className="text-button"
                onClick={() => toast.undoId && undo(toast.undoId)}
              >
                {t('toast.undo')}
              </button>
            ) : null}
            <button
              type="button"
              className="text-button"
              aria-label={t('toast.dismiss')}
              onClick={() => setToast(null)}
            >
              ✕
            </button>
          </div>
        ) : null}
      </div>
    </div>
  );
}
