/** Parts of the video details: the remix tree, the remix source, the file's actions, how times and images read. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { VideoJob } from '../../../shared/videos/job';
import { videoFileName } from '../../../shared/videos/reuse';
import { call, toAppError } from '../hub';
import { currentLanguage } from '../i18n';
import { libraryUrl } from '../media';
import { jobTone, statusLine } from './job-status';
import type { LineageNode } from './library';
import type { ToastWords } from './toast-words';
import type { FileShell } from './useVideoLibrary';
import { VideoPoster } from './VideoGrid';

export function LineageTree({
  nodes,
  currentId,
  onOpen,
}: {
  nodes: LineageNode[];
  currentId: string;
  onOpen: (id: string) => void;
}) {
  return (
    <ul className="video-lineage-list">
      {nodes.map((node) => (
        <li key={node.job.id}>
          <button
            type="button"
            className="video-lineage-node"
            aria-current={node.job.id === currentId ? 'true' : undefined}
            title={node.job.prompt}
            onClick={() => onOpen(node.job.id)}
          >
            <span className={`video-dot tone-${jobTone(node.job)}`} aria-hidden="true" />
            <span className="video-lineage-prompt">{node.job.prompt}</span>
            <span className="video-lineage-status">{statusLine(node.job)}</span>
          </button>
          {node.children.length > 0 ? (
            <LineageTree nodes={node.children} currentId={currentId} onOpen={onOpen} />
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** The names of the images a job was made from (their paths and the remix source are not parameters to show). */
export function imageParams(params: Record<string, unknown>): Record<string, unknown> {
  return { image: params.image, imageTail: params.imageTail };
}

export function relativeTime(at: number, now: number): string {
  const minutes = Math.round((at - now) / 60_000);
  const format = new Intl.RelativeTimeFormat(currentLanguage(), { numeric: 'auto' });
  if (Math.abs(minutes) < 60) return format.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 48) return format.format(hours, 'hour');
  return format.format(Math.round(hours / 24), 'day');
}

/** The video this remix was made from, as a link that opens it, or a note when it is gone. */
export function RemixSource({ parent, onOpen }: { parent: VideoJob | null; onOpen: (id: string) => void }) {
  const { t } = useTranslation('videos');
  if (!parent || parent.deletedAt !== null) {
    return <span className="muted">{t('manage.originalDeleted')}</span>;
  }
  return (
    <button
      type="button"
      className="video-remix-source"
      aria-label={t('manage.openOriginal', { prompt: parent.prompt })}
      title={parent.prompt}
      onClick={() => onOpen(parent.id)}
    >
      <span className="video-remix-source-media">
        <VideoPoster job={parent} />
      </span>
      <span className="video-remix-source-prompt">{parent.prompt}</span>
    </button>
  );
}

/**
 * Save as… (the OS save dialog through main; in the browser harness a download of the file) and Show in folder
 * (only where there is an OS shell).
 */
export function FileActions({
  job,
  localFile,
  shell,
  onSay,
  onError,
}: {
  job: VideoJob;
  localFile: string;
  shell: FileShell;
  onSay: (words: ToastWords) => void;
  onError: (error: AppError | null) => void;
}) {
  const { t } = useTranslation('videos');
  const [saving, setSaving] = useState(false);
  const saveAs = async () => {
    setSaving(true);
    onError(null);
    try {
      const { path } = await call('videos.saveAs', { id: job.id });
      if (path) onSay((t) => t('manage.saved', { path }));
    } catch (cause) {
      onError(toAppError(cause));
    } finally {
      setSaving(false);
    }
  };
  return (
    <>
      {shell.saveDialog ? (
        <button type="button" className="button" disabled={saving} onClick={saveAs}>
          {t('manage.saveAs')}
        </button>
      ) : (
        <a className="button" href={libraryUrl(localFile)} download={videoFileName(job)}>
          {t('manage.saveAs')}
        </a>
      )}
      {shell.showInFolder ? (
        <button
          type="button"
          className="button"
          onClick={() =>
            call('videos.showInFolder', { id: job.id }).catch((cause) => onError(toAppError(cause)))
          }
        >
          {t('manage.showInFolder')}
        </button>
      ) : null}
    </>
  );
}
