import { useTranslation } from 'react-i18next';
import { useLiveStatus } from '../hooks';

/**
 * Passages are embedded by the search index (shared with Search): when it waits offline or is paused, the base is
 * searched by its words alone meanwhile, and the page says so.
 */
export function MeaningIndexNote() {
  const { t } = useTranslation('knowledge');
  const { status } = useLiveStatus('index.status', 'index.progress');
  if (status?.paused)
    return (
      <p className="notice kb-meaning-note" role="status">
        {t('meaning.paused')}
      </p>
    );
  if (status?.offline)
    return (
      <p className="notice notice-warn kb-meaning-note" role="status">
        {t('meaning.offline')}
      </p>
    );
  return null;
}
