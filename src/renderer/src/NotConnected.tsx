import { useTranslation } from 'react-i18next';

/** The whole window for a page opened in a browser without the harness's secret: one notice, not an error per panel. */
export function NotConnected() {
  const { t } = useTranslation();
  return (
    <main className="not-connected">
      <h1>{t('notConnected.title')}</h1>
      <p>{t('errors.notConnected')}</p>
    </main>
  );
}
