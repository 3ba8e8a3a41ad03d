import './data-section.css';
import i18next from 'i18next';
import { useCallback, useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { BACKUP_TARGET_EXISTS, type DataLocation, type DataOperation } from '../../../shared/desktop';
import type { AppError } from '../../../shared/errors';
import { useAppInfo } from '../hooks';
import { call, toAppError } from '../hub';
import { ErrorNote, FieldError, fieldMessage } from '../ui/errors';
import { DataFacts } from './DataFacts';
import { DataProgressLine } from './DataProgress';
import { folderSize, suggestedBackupPath } from './data-format';
import { useDataOperations } from './useDataOperations';

/** Where HubDesk keeps its data, how big it is, and moving, backing up and restoring it. */
export function DataSection() {
  const { t } = useTranslation('settings');
  const info = useAppInfo();
  const [location, setLocation] = useState<DataLocation | null>(null);
  const [locationError, setLocationError] = useState<AppError | null>(null);
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

  const { running, progress, reopen, run, errorOf, okOf, dismiss, busy } = useDataOperations(readLocation);

  const start: typeof run = (operation, action) => {
    setConfirming(null);
    return run(operation, action);
  };
  // A file already at the backup's place is a question (replace it?), not a field error.
  const backupExists = errorOf('backup')?.code === BACKUP_TARGET_EXISTS;
  const backupFieldError = backupExists
    ? null
    : fieldMessage(errorOf('backup'), 'target', t('data.backup.file'));
  const backUp = (overwrite = false) =>
    start('backup', async () => {
      const result = await call('data.backup', { target: backupTarget, ...(overwrite ? { overwrite } : {}) });
      return () =>
        i18next.t('settings:data.backup.done', {
          count: result.files,
          size: folderSize(result.bytes),
          path: result.path,
        });
    });
  const restore = () =>
    start('restore', async () => {
      const result = await call('data.restore', { source: restoreSource });
      return () =>
        i18next.t('settings:data.restore.done', { count: result.files, size: folderSize(result.bytes) });
    });
  const move = () =>
    start('move', async () => {
      const result = await call('data.move', { target: moveTarget });
      return () => i18next.t('settings:data.move.done', { dir: result.dataDir });
    });

  function feedback(operation: DataOperation, field: string, label: string) {
    const error = errorOf(operation);
    const ok = okOf(operation);
    const inline = fieldMessage(error, field, label);
    return (
      <>
        {running === operation ? <DataProgressLine progress={progress} /> : null}
        {error && !inline ? <ErrorNote error={error} /> : null}
        {ok ? (
          <p className="data-result" role="status">
            {ok()}
          </p>
        ) : null}
      </>
    );
  }

  return (
    <section className="card" aria-labelledby="data-title">
      <div className="card-header">
        <h2 id="data-title">{t('data.title')}</h2>
        <p className="muted">{t('data.description')}</p>
      </div>
      {info.error ? <ErrorNote error={info.error} /> : null}
      {info.loading ? <p className="muted">{t('data.reading')}</p> : null}
      {info.value ? <DataFacts info={info.value} location={location} /> : null}
      {locationError ? <ErrorNote error={locationError} /> : null}

      {reopen ? (
        <div className="notice notice-info" role="status">
          <p>
            <Trans
              t={t}
              i18nKey={reopen === 'moved' ? 'data.moved' : 'data.restored'}
              components={{ strong: <strong /> }}
            />
          </p>
          <div className="button-row">
            <button type="button" className="button" onClick={() => window.location.reload()}>
              {t('data.reload')}
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
            <h3>{t('data.backup.title')}</h3>
            <p className="muted">{t('data.backup.description')}</p>
          </div>
          <label className="field">
            <span className="label">{t('data.backup.file')}</span>
            <input
              id="backup-target"
              value={backupTarget}
              onChange={(event) => setBackupTarget(event.target.value)}
              aria-invalid={backupFieldError ? true : undefined}
              aria-describedby="backup-target-error"
              spellCheck={false}
            />
          </label>
          <FieldError id="backup-target-error" message={backupFieldError} />
          {backupExists && !busy ? (
            <div className="confirm" role="alertdialog" aria-label={t('data.backup.replaceLabel')}>
              <p>{t('data.backup.replaceConfirm')}</p>
              <div className="button-row">
                <button type="button" className="button button-danger" onClick={() => void backUp(true)}>
                  {t('data.backup.replace')}
                </button>
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    dismiss();
                    document.getElementById('backup-target')?.focus();
                  }}
                >
                  {t('data.backup.otherName')}
                </button>
              </div>
            </div>
          ) : (
            <div className="button-row">
              <button type="submit" className="button button-primary" disabled={busy || !backupTarget.trim()}>
                {running === 'backup' ? <span className="spinner" aria-hidden="true" /> : null}
                {t('data.backup.button')}
              </button>
            </div>
          )}
          {feedback('backup', 'target', t('data.backup.file'))}
        </form>

        <form
          className="data-action stack"
          onSubmit={(event) => {
            event.preventDefault();
            setConfirming('restore');
          }}
        >
          <div>
            <h3>{t('data.restore.title')}</h3>
            <p className="muted">{t('data.restore.description')}</p>
          </div>
          <label className="field">
            <span className="label">{t('data.restore.file')}</span>
            <input
              value={restoreSource}
              onChange={(event) => setRestoreSource(event.target.value)}
              // i18n-ignore: an example path
              placeholder="/path/to/HubDesk.hubdesk-backup"
              aria-invalid={
                fieldMessage(errorOf('restore'), 'source', t('data.restore.fieldName')) ? true : undefined
              }
              aria-describedby="restore-source-error"
              spellCheck={false}
            />
          </label>
          <FieldError
            id="restore-source-error"
            message={fieldMessage(errorOf('restore'), 'source', t('data.restore.fieldName'))}
          />
          {confirming === 'restore' ? (
            <div className="confirm" role="alertdialog" aria-label={t('data.restore.confirmLabel')}>
              <p>{t('data.restore.confirm')}</p>
              <div className="button-row">
                <button type="button" className="button button-danger" onClick={() => void restore()}>
                  {t('data.restore.replace')}
                </button>
                <button type="button" className="button" onClick={() => setConfirming(null)}>
                  {t('actions.cancel', { ns: 'common' })}
                </button>
              </div>
            </div>
          ) : (
            <div className="button-row">
              <button type="submit" className="button" disabled={busy || !restoreSource.trim()}>
                {running === 'restore' ? <span className="spinner" aria-hidden="true" /> : null}
                {t('data.restore.button')}
              </button>
            </div>
          )}
          {feedback('restore', 'source', t('data.restore.fieldName'))}
        </form>

        <form
          className="data-action stack"
          onSubmit={(event) => {
            event.preventDefault();
            setConfirming('move');
          }}
        >
          <div>
            <h3>{t('data.move.title')}</h3>
            <p className="muted">{t('data.move.description')}</p>
          </div>
          {location && !location.movable ? <p className="hint">{t('data.notMovable')}</p> : null}
          <label className="field">
            <span className="label">{t('data.move.folder')}</span>
            <input
              value={moveTarget}
              onChange={(event) => setMoveTarget(event.target.value)}
              // i18n-ignore: an example path
              placeholder="/media/disk/HubDesk"
              disabled={location?.movable === false}
              aria-invalid={fieldMessage(errorOf('move'), 'target', t('data.move.folder')) ? true : undefined}
              aria-describedby="move-target-error"
              spellCheck={false}
            />
          </label>
          <FieldError
            id="move-target-error"
            message={fieldMessage(errorOf('move'), 'target', t('data.move.folder'))}
          />
          {confirming === 'move' ? (
            <div className="confirm" role="alertdialog" aria-label={t('data.move.confirmLabel')}>
              <p>
                {location ? (
                  <Trans
                    t={t}
                    i18nKey="data.move.confirm"
                    values={{
                      size: folderSize(location.databaseBytes + location.libraryBytes),
                      target: moveTarget,
                    }}
                    components={{ code: <code className="path" /> }}
                  />
                ) : (
                  <Trans
                    t={t}
                    i18nKey="data.move.confirmAll"
                    values={{ target: moveTarget }}
                    components={{ code: <code className="path" /> }}
                  />
                )}
              </p>
              <div className="button-row">
                <button type="button" className="button button-primary" onClick={() => void move()}>
                  {t('data.move.move')}
                </button>
                <button type="button" className="button" onClick={() => setConfirming(null)}>
                  {t('actions.cancel', { ns: 'common' })}
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
                {t('data.move.button')}
              </button>
            </div>
          )}
          {feedback('move', 'target', t('data.move.folder'))}
        </form>
      </div>
    </section>
  );
}
