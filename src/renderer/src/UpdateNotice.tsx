import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { DatabaseUpdateNotice } from '../../shared/desktop';
import { call } from './hub';

/**
 * Shown once after a start that updated the database: the versions and where the copy taken before the update is.
 * Main keeps it until the window dismisses it; Settings → Data folder lists every such copy.
 */
export function UpdateNotice() {
  const { t } = useTranslation();
  const [notice, setNotice] = useState<DatabaseUpdateNotice | null>(null);

  useEffect(() => {
    let live = true;
    call('data.updateNotice', {})
      .then((value) => live && setNotice(value))
      // Only a notice: without an answer there is nothing to show.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  if (!notice) return null;
  const dismiss = () => {
    setNotice(null);
    call('data.dismissUpdateNotice', {}).catch(() => undefined);
  };
  return (
    <div className="notice notice-info app-notice" role="status">
      <p>
        <Trans
          t={t}
          i18nKey="updateNotice.text"
          values={{ from: notice.fromVersion, to: notice.toVersion, path: notice.copyPath }}
          components={{ strong: <strong />, code: <code className="path" /> }}
        />
      </p>
      {notice.resumed ? <p>{t('updateNotice.resumed')}</p> : null}
      <p className="muted">{t('updateNotice.where')}</p>
      <div className="button-row">
        <button type="button" className="button" onClick={dismiss}>
          {t('updateNotice.dismiss')}
        </button>
      </div>
    </div>
  );
}
