import './transcribe.css';
import './queue.css';
import './viewer.css';
import './segments.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { TranscriptionJob } from '../../../shared/transcription';
import { getBridge } from '../bridge';
import { call, toAppError } from '../hub';
import { onPendingTarget, type SegmentTarget, takePendingSegment } from '../navigation';
import { ErrorNote, PageError } from '../ui/errors';
import { DropZone } from './DropZone';
import { Glyph, icons } from './Glyph';
import { type JobActions, JobList } from './JobList';
import { OptionsPanel } from './OptionsPanel';
import { languageProblem, loadDraft, type OptionsDraft, saveDraft, toRequestOptions } from './options';
import { wordedError } from './reasons';
import { focusSegment } from './segment-focus';
import { TranscriptLibrary } from './TranscriptLibrary';
import { TranscriptViewer } from './TranscriptViewer';
import { useCapabilities, useJobs } from './useTranscription';
import { useTranscriptLibrary } from './useTranscriptLibrary';

const OPEN_KEY = 'hubdesk.transcribe.open';

function readOpen(): string | null {
  try {
    return localStorage.getItem(OPEN_KEY);
  } catch {
    return null;
  }
}

function storeOpen(id: string | null): void {
  try {
    if (id) localStorage.setItem(OPEN_KEY, id);
    else localStorage.removeItem(OPEN_KEY);
  } catch {
    // Remembering the open transcript is only a convenience.
  }
}

function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/** The Transcribe page: a queue of files on the left, the open transcript on the right. */
export function TranscribeScreen() {
  const { t } = useTranslation('transcribe');
  const { jobs, retrying, error: listError, merge, change } = useJobs();
  const capabilities = useCapabilities();
  const [draft, setDraft] = useState<OptionsDraft>(loadDraft);
  // A segment asked for by another page (the search palette): its transcript opens and the segment is shown.
  const [seekTarget, setSeekTarget] = useState<SegmentTarget | null>(takePendingSegment);
  const [openId, setOpenId] = useState<string | null>(() => {
    if (seekTarget) storeOpen(seekTarget.transcriptId);
    return seekTarget?.transcriptId ?? readOpen();
  });
  // Opening another transcript reads the list again: it shows the edits made to the one that was open.
  const library = useTranscriptLibrary(openId);
  const mainPane = useRef<HTMLDivElement>(null);
  const [dragging, setDragging] = useState(false);
  const [adding, setAdding] = useState(0);
  const [busyIds, setBusyIds] = useState<ReadonlySet<string>>(new Set());
  const [pageError, setPageError] = useState<AppError | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const addedHere = useRef(new Set<string>());

  useEffect(() => saveDraft(draft), [draft]);

  const open = useCallback((transcriptId: string | null) => {
    setOpenId(transcriptId);
    storeOpen(transcriptId);
  }, []);

  useEffect(
    () =>
      onPendingTarget(() => {
        const target = takePendingSegment();
        if (!target) return;
        open(target.transcriptId);
        setSeekTarget(target);
      }),
    [open],
  );

  useEffect(() => {
    const root = mainPane.current;
    if (!seekTarget || !root) return;
    if (openId !== seekTarget.transcriptId) {
      setSeekTarget(null);
      return;
    }
    return focusSegment(root, seekTarget);
  }, [seekTarget, openId]);

  // A file added on this page opens by itself when it is done, unless another transcript is being read.
  useEffect(() => {
    if (!jobs || openId) return;
    const finished = jobs.find(
      (job) => job.state === 'done' && job.transcriptId && addedHere.current.has(job.id),
    );
    if (finished?.transcriptId) open(finished.transcriptId);
  }, [jobs, openId, open]);

  const addFiles = useCallback(
    async (files: File[]) => {
      setPageError(null);
      const problem = languageProblem(draft.language);
      if (problem) {
        setPageError({
          kind: 'invalid_input',
          message: t('page.languageProblem', { problem }),
          field: 'language',
        });
        return;
      }
      setAdding(files.length);
      try {
        const bridge = getBridge();
        const settled = await Promise.allSettled(files.map((file) => bridge.pathForFile(file)));
        const paths = settled.flatMap((result) =>
          result.status === 'fulfilled' && result.value ? [result.value] : [],
        );
        const refused = files.filter((_, index) => {
          const result = settled[index];
          return !result || result.status === 'rejected' || !result.value;
        });
        if (paths.length > 0) {
          const { jobs: added } = await call('transcription.add', {
            paths,
            options: toRequestOptions(draft),
          });
          for (const job of added) addedHere.current.add(job.id);
          merge(added);
        }
        if (refused.length > 0) {
          const names = refused.map((file) => file.name || t('page.aFile')).join(t('page.separator'));
          setPageError({ kind: 'invalid_input', message: t('page.unreadable', { names }) });
        }
      } catch (cause) {
        setPageError(wordedError(toAppError(cause)));
      } finally {
        setAdding(0);
      }
    },
    [draft, merge, t],
  );

  // Files can be dropped anywhere on the window while this page is shown.
  const latestAdd = useRef(addFiles);
  latestAdd.current = addFiles;
  useEffect(() => {
    let depth = 0;
    const onEnter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth += 1;
      setDragging(true);
    };
    const onOver = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onDrop = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth = 0;
      setDragging(false);
      const files = Array.from(event.dataTransfer?.files ?? []);
      if (files.length > 0) void latestAdd.current(files);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, []);

  // Ctrl/Cmd+O: choose files.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'o') {
        event.preventDefault();
        fileInput.current?.click();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const runOnJob = useCallback(async (job: TranscriptionJob, work: () => Promise<void>) => {
    setPageError(null);
    setBusyIds((ids) => new Set(ids).add(job.id));
    try {
      await work();
    } catch (cause) {
      setPageError(wordedError(toAppError(cause)));
    } finally {
      setBusyIds((ids) => {
        const next = new Set(ids);
        next.delete(job.id);
        return next;
      });
    }
  }, []);

  const actions = useMemo<JobActions>(
    () => ({
      open: (job) => job.transcriptId && open(job.transcriptId),
      cancel: (job) =>
        void runOnJob(job, async () => {
          const updated = await call('transcription.cancel', { id: job.id });
          change(updated.id, updated);
        }),
      retry: (job) =>
        void runOnJob(job, async () => {
          const updated = await call('transcription.retry', { id: job.id });
          addedHere.current.add(updated.id);
          change(updated.id, updated);
        }),
      remove: (job) =>
        void runOnJob(job, async () => {
          await call('transcription.remove', { id: job.id });
          change(job.id, null);
          if (job.transcriptId && job.transcriptId === openId) open(null);
        }),
    }),
    [open, openId, runOnJob, change],
  );

  const openJobId = jobs?.find((job) => job.transcriptId !== null && job.transcriptId === openId)?.id ?? null;
  const running =
    jobs?.filter((job) => job.state === 'uploading' || job.state === 'transcribing').length ?? 0;
  const waiting = jobs?.filter((job) => job.state === 'queued').length ?? 0;

  return (
    <div className={`tx-page${dragging ? ' is-dragging' : ''}`}>
      <div className="tx-side">
        <div className="tx-side-head">
          <h1 className="tx-title">{t('page.title')}</h1>
          <button
            type="button"
            className="button button-primary tx-add"
            title={t('page.addFilesTitle')}
            onClick={() => fileInput.current?.click()}
          >
            <Glyph>{icons.plus}</Glyph>
            {t('page.addFiles')}
          </button>
        </div>
        <div className="tx-side-scroll">
          <DropZone
            dragging={dragging}
            adding={adding}
            capabilities={capabilities.value}
            inputRef={fileInput}
            onFiles={(files) => void addFiles(files)}
          />
          <OptionsPanel draft={draft} capabilities={capabilities.value} onChange={setDraft} />
          {capabilities.error ? <ErrorNote error={capabilities.error} /> : null}
          {pageError ? (
            <PageError
              className="tx-page-error"
              error={pageError}
              dismissLabel={t('page.dismiss')}
              onDismiss={() => setPageError(null)}
            />
          ) : null}

          <div className="tx-queue-head">
            <h2 className="tx-section-title">{t('page.queue')}</h2>
            {jobs && jobs.length > 0 ? (
              <span className="tx-queue-count">
                {running > 0 ? t('page.running', { count: running }) : null}
                {running > 0 && waiting > 0 ? ' · ' : null}
                {waiting > 0 ? t('page.waiting', { count: waiting }) : null}
                {running === 0 && waiting === 0 ? t('page.files', { count: jobs.length }) : null}
              </span>
            ) : null}
          </div>
          {listError ? <ErrorNote error={listError} /> : null}
          {jobs === null && !listError ? <p className="tx-quiet">{t('page.loading')}</p> : null}
          {jobs !== null && jobs.length === 0 ? <p className="tx-quiet">{t('page.emptyQueue')}</p> : null}
          {jobs && jobs.length > 0 ? (
            <JobList
              jobs={jobs}
              openJobId={openJobId}
              busyIds={busyIds}
              retrying={retrying}
              actions={actions}
            />
          ) : null}

          <TranscriptLibrary
            transcripts={library.transcripts}
            error={library.error}
            openId={openId}
            onOpen={open}
          />
        </div>
      </div>

      <div className="tx-main" ref={mainPane}>
        {openId ? (
          <TranscriptViewer key={openId} transcriptId={openId} onClose={() => open(null)} />
        ) : (
          <section className="tx-viewer" aria-label={t('viewer.region')}>
            <div className="tx-welcome">
              <span className="tx-welcome-icon" aria-hidden="true">
                <Glyph>{icons.wave}</Glyph>
              </span>
              <h2>{t('welcome.title')}</h2>
              <p className="muted">{t('welcome.body')}</p>
              <ul className="tx-welcome-tips">
                <li>
                  <Trans t={t} i18nKey="welcome.addFiles" components={{ kbd: <kbd /> }} />
                </li>
                <li>
                  <Trans t={t} i18nKey="welcome.find" components={{ kbd: <kbd /> }} />
                </li>
                <li>{t('welcome.drop')}</li>
              </ul>
            </div>
          </section>
        )}
      </div>

      {dragging ? (
        <div className="tx-drop-overlay" aria-hidden="true">
          <div className="tx-drop-overlay-card">
            <Glyph>{icons.wave}</Glyph>
            <p>{t('overlay.title')}</p>
            <span>{t('overlay.hint')}</span>
          </div>
        </div>
      ) : null}
    </div>
  );
}
