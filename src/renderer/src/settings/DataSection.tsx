import '../usage/data-section.css';
import { useCallback, useEffect, useState } from 'react';
import type { DataLocation, DataOperation, DataProgress } from '../../../shared/desktop';
import type { AppError } from '../../../shared/errors';
import { useAppInfo, useColorScheme } from '../hooks';
import { call, toAppError, useHubEvent } from '../hub';
import { ErrorNote, FieldError, fieldMessage } from './errors';

const platformNames: Record<string, string> = { darwin: 'macOS', win32: 'Windows', linux: 'Linux' };

/** `linux x64` → `Linux x64`. */
function platformLabel(platform: string): string {
  const [os = '', ...rest] = platform.split(' ');
  return [platformNames[os] ?? os, ...rest].join(' ');
}

function megabytes(bytes: number): string {
  if (bytes === 0) return 'empty';
  if (bytes < 1024 * 1024) return `${Math.max(bytes / 1024, 0.1).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** A suggested archive path next to the data folder, e.g. `/home/ann/.config/HubDesk-2026-11-23.hubdesk-backup`. */
function suggestedBackupPath(dataDir: string): string {
  const today = new Date();
  const pad = (value: number) => String(value).padStart(2, '0');
  const stamp = `${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`;
  return `${dataDir.replace(/[\\/]+$/, '')}-${stamp}.hubdesk-backup`;
}

type Outcome = { operation: DataOperation; ok: string } | { operation: DataOperation; error: AppError };

/** Where HubDesk keeps its data, how big it is, and moving, backing up and restoring it. */
export function DataSection() {
  const info = useAppInfo();
  const scheme = useColorScheme();
  const [location, setLocation] = useState<DataLocation | null>(null);
  const [locationError, setLocationError] = useState<AppError | null>(null);
  const [running, setRunning] = useState<DataOperation | null>(null);
  const [progress, setProgress] = useState<DataProgress | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [reopen, setReopen] = useState<'moved' | 'restored' | null>(null);
  const [moveTarget, setMoveTarget] = useState('');
  const [backupTarget, setBackupTarget] = useState('');
  const [restoreSource, setRestoreSource] = useState('');
  const [confirming, setConfirming] = useState<'move' | 'restore' | null>(null);

  const readLocation = useCallback(() => {
    call('data.location', {})
      .then((value) => {
        setLocation(value);
        setLocationError(null);
        setBackupTarget((current) => current || suggestedBackupPath(value.dataDir));
      })
      .catch((cause: unknown) => setLocationError(toAppError(cause)));
  }, []);
  useEffect(readLocation, [readLocation]);

  useHubEvent('data.progress', (event) => {
    if (event.operation === running) setProgress(event);
  });
  useHubEvent('data.reopen', (event) => setReopen(event.reason));

  async function run(operation: DataOperation, action: () => Promise<string>) {
    setConfirming(null);
    setOutcome(null);
    setProgress(null);
    setRunning(operation);
    try {
      setOutcome({ operation, ok: await action() });
    } catch (cause) {
      setOutcome({ operation, error: toAppError(cause) });
    } finally {
      setRunning(null);
      setProgress(null);
      readLocation();
    }
  }

  const backUp = () =>
    run('backup', async () => {
      const result = await call('data.backup', { target: backupTarget });
      return `Backed up ${result.files} file${result.files === 1 ? '' : 's'} (${megabytes(result.bytes)}) to ${result.path}.`;
    });
  const restore = () =>
    run('restore', async () => {
      const result = await call('data.restore', { source: restoreSource });
      return `Restored ${result.files} file${result.files === 1 ? '' : 's'} (${megabytes(result.bytes)}) from the backup.`;
    });
  const move = () =>
    run('move', async () => {
      const result = await call('data.move', { target: moveTarget });
      return `Copied everything to ${result.dataDir}. The old folder is removed once HubDesk has opened the new one.`;
    });

  const errorOf = (operation: DataOperation) =>
    outcome && 'error' in outcome && outcome.operation === operation ? outcome.error : null;
  const okOf = (operation: DataOperation) =>
    outcome && 'ok' in outcome && outcome.operation === operation ? outcome.ok : null;
  const busy = running !== null || reopen !== null;

  function feedback(operation: DataOperation, field: string, label: string) {
    const error = errorOf(operation);
    const ok = okOf(operation);
    const inline = fieldMessage(error, field, label);
    return (
      <>
        {running === operation ? <ProgressLine progress={progress} /> : null}
        {error && !inline ? <ErrorNote error={error} /> : null}
        {ok ? (
          <p className="data-result" role="status">
            {ok}
          </p>
        ) : null}
      </>
    );
  }

  return (
    <section className="card" aria-labelledby="data-title">
      <div className="card-header">
        <h2 id="data-title">Data folder</h2>
        <p className="muted">
          History, the video library and settings live here. Tokens are not stored in it.
        </p>
      </div>
      {info.error ? <ErrorNote error={info.error} /> : null}
      {info.loading ? <p className="muted">Reading…</p> : null}
      {info.value ? (
        <dl className="facts">
          <dt>Data folder</dt>
          <dd>
            <code className="path">{info.value.dataDir}</code>
          </dd>
          <dt>Database</dt>
          <dd>
            <code className="path">{info.value.databasePath}</code>
            {location ? <span className="muted"> · {megabytes(location.databaseBytes)}</span> : null}
          </dd>
          <dt>Library</dt>
          <dd>
            <code className="path">{info.value.libraryDir}</code>
            {location ? <span className="muted"> · {megabytes(location.libraryBytes)}</span> : null}
          </dd>
          <dt>Platform</dt>
          <dd>{platformLabel(info.value.platform)}</dd>
          <dt>Version</dt>
          <dd>HubDesk {info.value.version}</dd>
          <dt>Theme</dt>
          <dd>Follows the system (now {scheme})</dd>
        </dl>
      ) : null}
      {locationError ? <ErrorNote error={locationError} /> : null}

      {reopen ? (
        <div className="notice notice-info" role="status">
          <p>
            <strong>{reopen === 'moved' ? 'The data folder moved.' : 'The backup was restored.'}</strong>{' '}
            HubDesk restarts to open it. If this window stays, reload it.
          </p>
          <div className="button-row">
            <button type="button" className="button" onClick={() => window.location.reload()}>
              Reload
            </button>
          </div>
        </div>
      ) : null}

      <div className="data-actions">
        <form
          className="data-action stack"
          onSubmit={(event) => {
            event.preventDefault();
            void backUp();
          }}
        >
          <div>
            <h3>Back up everything</h3>
            <p className="muted">One archive file with the database and the library, checked file by file.</p>
          </div>
          <label className="field">
            <span className="label">Backup file</span>
            <input
              value={backupTarget}
              onChange={(event) => setBackupTarget(event.target.value)}
              aria-invalid={fieldMessage(errorOf('backup'), 'target', 'Backup file') ? true : undefined}
              aria-describedby="backup-target-error"
              spellCheck={false}
            />
          </label>
          <FieldError
            id="backup-target-error"
            message={fieldMessage(errorOf('backup'), 'target', 'Backup file')}
          />
          <div className="button-row">
            <button type="submit" className="button button-primary" disabled={busy || !backupTarget.trim()}>
              {running === 'backup' ? <span className="spinner" aria-hidden="true" /> : null}
              Back up everything
            </button>
          </div>
          {feedback('backup', 'target', 'Backup file')}
        </form>

        <form
          className="data-action stack"
          onSubmit={(event) => {
            event.preventDefault();
            setConfirming('restore');
          }}
        >
          <div>
            <h3>Restore</h3>
            <p className="muted">
              Replaces all conversations, transcripts, videos and settings with the backup’s. A damaged backup
              is refused and nothing changes.
            </p>
          </div>
          <label className="field">
            <span className="label">Backup file to restore</span>
            <input
              value={restoreSource}
              onChange={(event) => setRestoreSource(event.target.value)}
              placeholder="/path/to/HubDesk.hubdesk-backup"
              aria-invalid={fieldMessage(errorOf('restore'), 'source', 'Backup file') ? true : undefined}
              aria-describedby="restore-source-error"
              spellCheck={false}
            />
          </label>
          <FieldError
            id="restore-source-error"
            message={fieldMessage(errorOf('restore'), 'source', 'Backup file')}
          />
          {confirming === 'restore' ? (
            <div className="confirm" role="alertdialog" aria-label="Confirm restore">
              <p>
                Replace the current data with this backup? The current data is kept aside until HubDesk
                restarts.
              </p>
              <div className="button-row">
                <button type="button" className="button button-danger" onClick={() => void restore()}>
                  Replace with backup
                </button>
                <button type="button" className="button" onClick={() => setConfirming(null)}>
                  Cancel
                </button>
              </div>
            </div>
          ) : (
            <div className="button-row">
              <button type="submit" className="button" disabled={busy || !restoreSource.trim()}>
                {running === 'restore' ? <span className="spinner" aria-hidden="true" /> : null}
                Restore…
              </button>
            </div>
          )}
          {feedback('restore', 'source', 'Backup file')}
        </form>

        <form
          className="data-action stack"
          onSubmit={(event) => {
            event.preventDefault();
            setConfirming('move');
          }}
        >
          <div>
            <h3>Move to another folder</h3>
            <p className="muted">
              Copies the database and library to an empty folder (another disk is fine), checks the copy, then
              HubDesk restarts from there and removes the old folder.
            </p>
          </div>
          {location && !location.movable ? <p className="hint">{location.notMovableReason}</p> : null}
          <label className="field">
            <span className="label">New folder</span>
            <input
              value={moveTarget}
              onChange={(event) => setMoveTarget(event.target.value)}
              placeholder="/media/disk/HubDesk"
              disabled={location?.movable === false}
              aria-invalid={fieldMessage(errorOf('move'), 'target', 'New folder') ? true : undefined}
              aria-describedby="move-target-error"
              spellCheck={false}
            />
          </label>
          <FieldError
            id="move-target-error"
            message={fieldMessage(errorOf('move'), 'target', 'New folder')}
          />
          {confirming === 'move' ? (
            <div className="confirm" role="alertdialog" aria-label="Confirm move">
              <p>
                Copy {location ? megabytes(location.databaseBytes + location.libraryBytes) : 'everything'} to{' '}
                <code className="path">{moveTarget}</code> and restart HubDesk from there?
              </p>
              <div className="button-row">
                <button type="button" className="button button-primary" onClick={() => void move()}>
                  Move
                </button>
                <button type="button" className="button" onClick={() => setConfirming(null)}>
                  Cancel
                </button>
              </div>
            </div>
          ) : (
            <div className="button-row">
              <button
                type="submit"
                className="button"
                disabled={busy || !moveTarget.trim() || location?.movable === false}
              >
                {running === 'move' ? <span className="spinner" aria-hidden="true" /> : null}
                Move…
              </button>
            </div>
          )}
          {feedback('move', 'target', 'New folder')}
        </form>
      </div>
    </section>
  );
}

function ProgressLine({ progress }: { progress: DataProgress | null }) {
  const total = progress?.bytesTotal ?? 0;
  return (
    <div className="stack" role="status">
      <progress
        className="data-progress"
        max={total || 1}
        value={total ? (progress?.bytesDone ?? 0) : undefined}
        aria-label={progress?.step ?? 'Working'}
      />
      <p className="muted">
        {progress?.step ?? 'Starting…'}
        {total ? ` · ${megabytes(progress?.bytesDone ?? 0)} of ${megabytes(total)}` : ''}
      </p>
    </div>
  );
}
