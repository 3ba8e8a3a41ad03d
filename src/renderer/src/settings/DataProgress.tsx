import { useTranslation } from 'react-i18next';
import type { DataProgress } from '../../../shared/desktop';
import { folderSize } from './data-format';

/** A backup, restore or move under way: its step and how many bytes are done. */
export function DataProgressLine({ progress }: { progress: DataProgress | null }) {
  const { t } = useTranslation('settings');
  const total = progress?.bytesTotal ?? 0;
  const step = progress ? t(`data.steps.${progress.step}`) : null;
  return (
    <div className="stack" role="status">
      <progress
        className="data-progress"
        max={total || 1}
        value={total ? (progress?.bytesDone ?? 0) : undefined}
        aria-label={step ?? t('data.working')}
      />
      <p className="muted">
        {step ?? t('data.starting')}
        {total
          ? ` · ${t('data.progressBytes', { done: folderSize(progress?.bytesDone ?? 0), total: folderSize(total) })}`
          : ''}
      </p>
    </div>
  );
}
