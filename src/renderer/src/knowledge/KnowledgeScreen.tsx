import './knowledge.css';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KbBaseSummary, KbProgress } from '../../../shared/knowledge';
import { ErrorNote } from '../ui/errors';
import { BaseDetail } from './BaseDetail';
import { CreateBaseDialog } from './CreateBaseDialog';
import { SyncProgress } from './SyncProgress';
import { useKnowledgeBases } from './useKnowledgeBases';

function BaseListItem({
  base,
  progress,
  selected,
  onSelect,
}: {
  base: KbBaseSummary;
  progress: KbProgress | undefined;
  selected: boolean;
  onSelect: () => void;
}) {
  const { t } = useTranslation('knowledge');
  return (
    <li>
      <button
        type="button"
        className="kb-base-button"
        aria-current={selected ? 'true' : undefined}
        onClick={onSelect}
      >
        <span className="kb-base-name">{base.name}</span>
        <span className="kb-base-counts">
          {t('counts.files', { count: base.files })} · {t('counts.chunks', { count: base.chunks })}
        </span>
        {base.paused || base.failed > 0 || base.noText > 0 ? (
          <span className="kb-base-badges">
            {base.paused ? <span className="badge badge-neutral">{t('badge.paused')}</span> : null}
            {base.failed > 0 ? (
              <span className="badge kb-badge-failed">{t('counts.failed', { count: base.failed })}</span>
            ) : null}
            {base.noText > 0 ? (
              <span className="badge badge-warn">{t('counts.noText', { count: base.noText })}</span>
            ) : null}
          </span>
        ) : null}
        {progress && !base.paused ? <SyncProgress progress={progress} compact /> : null}
      </button>
    </li>
  );
}

/** The Knowledge page: the user's knowledge bases on the left, the one chosen on the right. */
export function KnowledgeScreen() {
  const { t } = useTranslation('knowledge');
  const knowledge = useKnowledgeBases();
  const { bases, progress, revisions, reload } = knowledge;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [wanted, setWanted] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  // A base just created is chosen once the list has it; otherwise the first one, or none when it is gone.
  useEffect(() => {
    if (!bases) return;
    const asked = wanted ? bases.find((base) => base.name.toLowerCase() === wanted.toLowerCase()) : undefined;
    if (asked) {
      setSelectedId(asked.id);
      setWanted(null);
      return;
    }
    if (selectedId === null || !bases.some((base) => base.id === selectedId))
      setSelectedId(bases[0]?.id ?? null);
  }, [bases, wanted, selectedId]);

  const selected = bases?.find((base) => base.id === selectedId) ?? null;

  return (
    <div className="kb-page">
      <header className="screen-header kb-header">
        <div>
          <h1>{t('title')}</h1>
          <p className="muted">{t('intro')}</p>
        </div>
        <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
          {t('create.open')}
        </button>
      </header>
      {knowledge.error ? <ErrorNote error={knowledge.error} /> : null}
      {bases === null && !knowledge.error ? (
        <p className="loading" role="status">
          {t('loading')}
        </p>
      ) : null}
      {bases !== null && bases.length === 0 ? (
        <div className="card kb-empty">
          <h2>{t('empty.title')}</h2>
          <p className="muted">{t('empty.body')}</p>
        </div>
      ) : null}
      {bases !== null && bases.length > 0 ? (
        <div className="kb-layout">
          <nav className="kb-bases" aria-label={t('list.label')}>
            <ul>
              {bases.map((base) => (
                <BaseListItem
                  key={base.id}
                  base={base}
                  progress={progress.get(base.id)}
                  selected={base.id === selectedId}
                  onSelect={() => setSelectedId(base.id)}
                />
              ))}
            </ul>
          </nav>
          {selected ? (
            <BaseDetail
              key={selected.id}
              base={selected}
              progress={progress.get(selected.id) ?? null}
              revision={revisions.get(selected.id) ?? 0}
              onChanged={reload}
            />
          ) : null}
        </div>
      ) : null}
      <CreateBaseDialog
        open={creating}
        existing={bases ?? []}
        onClose={() => setCreating(false)}
        onStarted={(name) => {
          setWanted(name);
          setCreating(false);
          void reload();
        }}
      />
    </div>
  );
}
