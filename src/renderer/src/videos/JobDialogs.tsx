import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import { type VideoDeleteScope, type VideoJob, videoVendorLabels } from '../../../shared/videos/job';
import { toAppError } from '../hub';
import { ErrorNote } from '../ui/errors';
import { Modal } from '../ui/Modal';
import { deleteSummary, isDownloaded, type RemoteDeleteState } from './job-status';

export function RemixDialog({
  job,
  onClose,
  onRemix,
}: {
  job: VideoJob | null;
  onClose: () => void;
  onRemix: (prompt: string) => Promise<void>;
}) {
  const { t } = useTranslation('videos');
  const ids = useId();
  const [prompt, setPrompt] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    if (job) {
      setPrompt('');
      setError(null);
    }
  }, [job]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!prompt.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await onRemix(prompt.trim());
    } catch (cause) {
      setError(toAppError(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={job !== null} labelledBy={`${ids}-title`} className="video-small-dialog" onClose={onClose}>
      {job ? (
        <form onSubmit={submit} className="stack">
          <div>
            <h2 id={`${ids}-title`}>{t('remix.title')}</h2>
            <p className="muted">{t('remix.intro', { vendor: videoVendorLabels[job.vendor] })}</p>
          </div>
          <blockquote className="video-quote">{job.prompt}</blockquote>
          <div className="field">
            <label className="field-label" htmlFor={`${ids}-prompt`}>
              {t('remix.prompt')}
            </label>
            <textarea
              id={`${ids}-prompt`}
              rows={4}
              value={prompt}
              maxLength={32_000}
              placeholder={t('remix.placeholder')}
              onChange={(event) => setPrompt(event.target.value)}
              // biome-ignore lint/a11y/noAutofocus: the dialog opened because the user pressed Remix
              autoFocus
            />
          </div>
          {error ? <ErrorNote error={error} /> : null}
          <div className="button-row dialog-actions">
            <button type="button" className="button" onClick={onClose}>
              {t('actions.cancel', { ns: 'common' })}
            </button>
            <button type="submit" className="button button-primary" disabled={busy || !prompt.trim()}>
              {busy ? t('remix.creating') : t('remix.create')}
            </button>
          </div>
        </form>
      ) : null}
    </Modal>
  );
}

export function DeleteDialog({
  job,
  remote,
  onClose,
  onDelete,
}: {
  job: VideoJob | null;
  /** Whether the vendor's copy can be deleted too, and if not, why. */
  remote: RemoteDeleteState;
  onClose: () => void;
  onDelete: (scope: VideoDeleteScope) => Promise<void>;
}) {
  const { t } = useTranslation('videos');
  const ids = useId();
  const [scope, setScope] = useState<VideoDeleteScope>('local');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    if (!job) return;
    setError(null);
    setScope(isDownloaded(job) ? 'local' : 'both');
  }, [job]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onDelete(scope);
    } catch (cause) {
      setError(toAppError(cause));
    } finally {
      setBusy(false);
    }
  };

  const vendor = job ? videoVendorLabels[job.vendor] : '';
  const remoteDelete = remote === 'available';
  const scopeLabels: Record<VideoDeleteScope, string> = {
    local: t('delete.scopes.local'),
    remote: t('delete.scopes.remote'),
    both: remoteDelete ? t('delete.scopes.both') : t('manage.removeFromLibrary'),
  };
  const descriptions: Record<VideoDeleteScope, string> = {
    local: t('delete.localHint'),
    remote: t('delete.remoteHint', { vendor }),
    both: remoteDelete ? t('delete.bothRemoteHint', { vendor }) : t('manage.removeFromLibraryHint'),
  };
  const disabled: Record<VideoDeleteScope, boolean> = {
    local: job ? !isDownloaded(job) : true,
    remote: false,
    both: false,
  };
  // Only what this vendor can do is offered; the vendor's side is left out (and the note says why) when it cannot.
  const offered: VideoDeleteScope[] = remoteDelete ? ['local', 'remote', 'both'] : ['local', 'both'];
  const remoteNote =
    remote === 'vendorCannot'
      ? t('manage.vendorCannotDelete', { vendor })
      : remote === 'gone'
        ? t('manage.remoteGone', { vendor })
        : remote === 'never'
          ? t('manage.remoteNever', { vendor })
          : null;

  return (
    <Modal open={job !== null} labelledBy={`${ids}-title`} className="video-small-dialog" onClose={onClose}>
      {job ? (
        <form onSubmit={submit} className="stack">
          <div>
            <h2 id={`${ids}-title`}>{t('delete.title')}</h2>
            <p className="muted video-clamp">{job.prompt}</p>
          </div>
          <fieldset className="video-scopes">
            <legend className="field-label">{t('delete.what')}</legend>
            {offered.map((option) => (
              <label key={option} className={`video-scope${disabled[option] ? ' is-disabled' : ''}`}>
                <input
                  type="radio"
                  aria-labelledby={`${ids}-${option}-name`}
                  aria-describedby={`${ids}-${option}-hint`}
                  name={`${ids}-scope`}
                  value={option}
                  checked={scope === option}
                  disabled={disabled[option]}
                  onChange={() => setScope(option)}
                />
                <span className="video-scope-text">
                  <span className="video-scope-name" id={`${ids}-${option}-name`}>
                    {scopeLabels[option]}
                  </span>
                  <span className="hint" id={`${ids}-${option}-hint`}>
                    {descriptions[option]}
                  </span>
                </span>
              </label>
            ))}
          </fieldset>
          {remoteNote ? <p className="hint video-delete-note">{remoteNote}</p> : null}
          <p className={`video-delete-summary${scope === 'local' ? '' : ' is-danger'}`} aria-live="polite">
            <strong>{t('delete.summaryLabel', { scope: scopeLabels[scope] })}</strong>
            {deleteSummary(scope, job)}
          </p>
          {error ? <ErrorNote error={error} /> : null}
          <div className="button-row dialog-actions">
            <button type="button" className="button" onClick={onClose}>
              {t('actions.cancel', { ns: 'common' })}
            </button>
            <button type="submit" className="button button-danger" disabled={busy}>
              {busy ? t('delete.deleting') : t('delete.delete')}
            </button>
          </div>
        </form>
      ) : null}
    </Modal>
  );
}
