import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';

/** Offline: one banner that can be dismissed; it comes back the next time the network goes. */
export function OfflineBanner({ online }: { online: boolean }) {
  const { t } = useTranslation('chat');
  const [dismissed, setDismissed] = useState(false);
  useEffect(() => {
    if (online) setDismissed(false);
  }, [online]);
  if (online || dismissed) return null;
  return (
    <div className="offline-banner" role="status">
      <span className="offline-dot" aria-hidden="true" />
      <p>
        <Trans t={t} i18nKey="page.offlineBanner" components={{ strong: <strong /> }} />
      </p>
      <button type="button" className="text-button" onClick={() => setDismissed(true)}>
        {t('page.dismiss')}
      </button>
    </div>
  );
}
