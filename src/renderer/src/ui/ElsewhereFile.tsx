import './elsewhere-file.css';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { SyncMediaFile } from '../../../shared/sync';
import { call, toAppError, useHubEvent } from '../hub';
import { ErrorNote } from './errors';
import { formatBytes } from './format';

/** The file sync knows a row names but that is not on this computer yet, kept current as syncs run. */
function useWaitingFile(owner: string, kind: SyncMediaFile['kind']): SyncMediaFile | null {
  const [file, setFile] = useState<SyncMediaFile | null>(null);
  const refresh = useCallback(() => {
    call('sync.waitingMedia', { owner })
      .then((list) => setFile(list.find((item) => item.owner === owner && item.kind === kind) ?? null))
      .catch(() => setFile(null));
  }, [owner, kind]);
  useEffect(refresh, [refresh]);
  useHubEvent('sync.changed', (status) => {
    if (!status.running) refresh();
  });
  return file;
}

/**
 * "On your other computer, not downloaded yet", with a button that fetches it now (verified, with progress): what a
 * video or kept audio synced from another computer shows until its file is here. Nothing when there is no such file.
 */
export function ElsewhereFile({
  owner,
  kind,
  onPlaced,
}: {
  owner: string;
  kind: SyncMediaFile['kind'];
  /** Told once the file is in the library, so the page reads its row again. */
  onPlaced?: () => void;
}) {
  const { t } = useTranslation('sync');
  const file = useWaitingFile(owner, kind);
  const [percent, setPercent] = useState<number | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useHubEvent('sync.mediaProgress', (progress) => {
    if (progress.sha256 === file?.sha256 && progress.total > 0)
      setPercent(Math.round((progress.got / progress.total) * 100));
  });
  if (!file) return null;
  const fetchNow = async () => {
    setError(null);
    setPercent(0);
    try {
      await call('sync.fetchMedia', { sha256: file.sha256 });
      onPlaced?.();
    } catch (cause) {
      setError(toAppError(cause));
    } finally {
      setPercent(null);
    }
  };
  return (
    <div className="elsewhere-file" role="status">
      <p>{t('elsewhere.note', { size: formatBytes(file.size) })}</p>
      <button type="button" className="button" disabled={percent !== null} onClick={() => void fetchNow()}>
        {percent !== null ? <span className="spinner" aria-hidden="true" /> : null}
        {percent !== null ? t('elsewhere.fetching', { percent }) : t('elsewhere.fetch')}
      </button>
      {error ? <ErrorNote error={error} /> : null}
    </div>
  );
}
