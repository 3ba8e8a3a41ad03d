import { useTranslation } from 'react-i18next';
import type { KbProgress } from '../../../shared/knowledge';
import { baseName } from './file-paths';

/** A sync under way: files done out of those to read, and the one being read now. */
export function SyncProgress({ progress, compact = false }: { progress: KbProgress; compact?: boolean }) {
  const { t } = useTranslation('knowledge');
  const counted = progress.total > 0;
  const label = counted
    ? t('progress.files', { done: progress.done, total: progress.total })
    : t('progress.looking');
  return (
    <span
      className={compact ? 'kb-progress is-compact' : 'kb-progress'}
      role={compact ? undefined : 'status'}
    >
      <progress
        max={counted ? progress.total : 1}
        value={counted ? progress.done : undefined}
        aria-label={t('progress.label', { name: progress.name })}
      />
      <span className="kb-progress-text">
        {label}
        {progress.failed > 0 ? ` · ${t('counts.failed', { count: progress.failed })}` : ''}
        {!compact && progress.current ? (
          <>
            {' · '}
            <span title={progress.current}>
              {t('progress.reading', { file: baseName(progress.current) })}
            </span>
          </>
        ) : null}
      </span>
    </span>
  );
}
