import './usage.css';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CostSum } from '../../../shared/costs';
import type { UsageSummary } from '../../../shared/desktop';
import type { AppError } from '../../../shared/errors';
import { videoVendorLabels } from '../../../shared/videos/job';
import { useProfiles } from '../hooks';
import { call, toAppError, useHubEvent } from '../hub';
import { ErrorNote } from '../ui/errors';
import { DateField } from './DateField';
import { UsageChart } from './UsageChart';
import { type UsageColumn, UsageTableCard } from './UsageTableCard';
import {
  chartSeries,
  compactNumber,
  costByModel,
  costSumText,
  dayLabel,
  daysBetween,
  lastDays,
  type Metric,
  minutesNumber as minutes,
  totalCost,
  totalsOf,
  wholeNumber as whole,
} from './usage-data';

const ranges = [7, 30, 90] as const;
const metrics: Metric[] = ['tokens', 'audio', 'video'];

/** Tokens per model per day, audio minutes, video seconds, summed from what this computer stored. */
export function UsageScreen() {
  const { t } = useTranslation('usage');
  const profiles = useProfiles();
  const [range, setRange] = useState(() => lastDays(30));
  const [profileId, setProfileId] = useState('');
  const [metric, setMetric] = useState<Metric>('tokens');
  const [summary, setSummary] = useState<UsageSummary | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(true);
  const [refresh, setRefresh] = useState(0);

  useEffect(() => {
    let live = true;
    setLoading(true);
    // `refresh` changes when new usage arrives; reading it here makes the effect run again.
    void refresh;
    call('usage.summary', { ...range, ...(profileId ? { profileId } : {}) })
      .then((value) => {
        if (!live) return;
        setSummary(value);
        setError(null);
      })
      .catch((cause: unknown) => live && setError(toAppError(cause)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [range, profileId, refresh]);

  const reload = useCallback(() => setRefresh((value) => value + 1), []);
  const dayColumn: UsageColumn<{ day: string }> = {
    header: t('columns.day'),
    cell: (row) => dayLabel(row.day),
  };
  const modelColumn: UsageColumn<{ model: string }> = {
    header: t('columns.model'),
    cell: (row) => <code>{row.model}</code>,
  };
  const costColumn: UsageColumn<{ cost: CostSum }> = {
    header: t('columns.cost'),
    cell: (row) => costSumText(row.cost),
  };
  useHubEvent('chat.end', reload);
  useHubEvent('data.reopen', reload);
  useHubEvent('prices.changed', reload);
  // A model's title arrives after its reply, with the tokens it spent.
  useHubEvent('conversations.changed', reload);

  const days = useMemo(() => daysBetween(range.from, range.to), [range]);
  const totals = summary ? totalsOf(summary) : null;
  const costs = summary ? costByModel(summary) : [];
  const titleTokens = summary
    ? summary.titles.reduce((sum, row) => sum + row.inputTokens + row.outputTokens, 0)
    : 0;
  const series = summary ? chartSeries(summary, metric, days) : [];

  return (
    <section className="screen usage-screen" aria-labelledby="usage-title">
      <header className="screen-header">
        <h1 id="usage-title">{t('title')}</h1>
        <p className="muted">{t('description')}</p>
      </header>

      <div className="card usage-filters">
        <label className="field">
          <span className="label">{t('filters.profile')}</span>
          <select value={profileId} onChange={(event) => setProfileId(event.target.value)}>
            <option value="">{t('filters.allProfiles')}</option>
            {(profiles.value?.profiles ?? []).map((profile) => (
              <option key={profile.id} value={profile.id}>
                {profile.name}
              </option>
            ))}
          </select>
        </label>
        <DateField
          label={t('filters.from')}
          value={range.from}
          max={range.to}
          onChange={(from) => setRange({ ...range, from })}
        />
        <DateField
          label={t('filters.to')}
          value={range.to}
          min={range.from}
          onChange={(to) => setRange({ ...range, to })}
        />
        <fieldset className="usage-quick">
          <legend className="label">{t('filters.last')}</legend>
          {ranges.map((count) => {
            const quick = lastDays(count);
            const active = quick.from === range.from && quick.to === range.to;
            return (
              <button
                key={count}
                type="button"
                className={active ? 'button button-primary' : 'button'}
                aria-pressed={active}
                onClick={() => setRange(quick)}
              >
                {t('filters.days', { count })}
              </button>
            );
          })}
        </fieldset>
      </div>

      {error ? (
        <div className="card">
          <ErrorNote error={error} />
        </div>
      ) : null}

      {summary && profileId && summary.unattributed > 0 ? (
        <p className="notice notice-info">{t('unattributed', { count: summary.unattributed })}</p>
      ) : null}

      {totals ? (
        <dl className="usage-tiles" aria-busy={loading}>
          {summary ? (
            <Tile
              label={t('tiles.cost')}
              value={costSumText(totalCost(summary))}
              testId="usage-total-cost"
              wide
            />
          ) : null}
          <Tile label={t('tiles.tokensIn')} value={whole(totals.inputTokens)} />
          <Tile label={t('tiles.tokensOut')} value={whole(totals.outputTokens)} />
          <Tile label={t('tiles.cachedTokens')} value={whole(totals.cachedTokens)} />
          <Tile label={t('tiles.reasoningTokens')} value={whole(totals.reasoningTokens)} />
          <Tile label={t('tiles.audioMinutes')} value={minutes(totals.audioMinutes)} />
          <Tile label={t('tiles.videoSeconds')} value={whole(totals.videoSeconds)} />
          <Tile label={t('tiles.titleTokens')} value={whole(titleTokens)} />
        </dl>
      ) : loading ? (
        <p className="muted">{t('adding')}</p>
      ) : null}

      {summary ? (
        <>
          <div className="card">
            <div className="usage-chart-header">
              <h2>{t('chart.title')}</h2>
              <fieldset className="usage-metrics" aria-label={t('chart.shows')}>
                {metrics.map((item) => (
                  <button
                    key={item}
                    type="button"
                    className={item === metric ? 'button button-primary' : 'button'}
                    aria-pressed={item === metric}
                    onClick={() => setMetric(item)}
                  >
                    {t(`chart.metrics.${item}`)}
                  </button>
                ))}
              </fieldset>
            </div>
            <UsageChart days={days} series={series} metric={metric} />
          </div>

          <UsageTableCard
            title={t('tokens.title')}
            empty={t('tokens.empty')}
            rows={[...summary.tokens].reverse()}
            rowKey={(row) => `${row.day} ${row.model}`}
            columns={[
              dayColumn,
              modelColumn,
              { header: t('columns.replies'), cell: (row) => whole(row.messages) },
              { header: t('columns.in'), cell: (row) => whole(row.inputTokens) },
              { header: t('columns.out'), cell: (row) => whole(row.outputTokens) },
              { header: t('columns.cached'), cell: (row) => whole(row.cachedTokens) },
              { header: t('columns.reasoning'), cell: (row) => whole(row.reasoningTokens) },
              costColumn,
            ]}
          />

          <UsageTableCard
            title={t('cost.title')}
            description={t('cost.description')}
            empty={t('cost.empty')}
            testId="usage-cost-by-model"
            rows={costs}
            rowKey={(item) => `${item.kind} ${item.name}`}
            columns={[
              {
                header: t('columns.model'),
                cell: (item) => (item.kind === 'video' ? item.name : <code>{item.name}</code>),
              },
              { header: t('columns.kind'), cell: (item) => t(`cost.kinds.${item.kind}`) },
              { header: t('columns.cost'), cell: (item) => costSumText(item.cost) },
            ]}
          />

          <UsageTableCard
            title={t('titles.title')}
            description={t('titles.description')}
            empty={t('titles.empty')}
            rows={[...summary.titles].reverse()}
            rowKey={(row) => `${row.day} ${row.model}`}
            columns={[
              dayColumn,
              modelColumn,
              { header: t('columns.titles'), cell: (row) => whole(row.messages) },
              { header: t('columns.in'), cell: (row) => whole(row.inputTokens) },
              { header: t('columns.out'), cell: (row) => whole(row.outputTokens) },
              costColumn,
            ]}
          />

          <div className="usage-pair">
            <UsageTableCard
              title={t('audio.title')}
              empty={t('audio.empty')}
              rows={[...summary.audio].reverse()}
              rowKey={(row) => `${row.day} ${row.model}`}
              columns={[
                dayColumn,
                modelColumn,
                { header: t('columns.files'), cell: (row) => whole(row.transcripts) },
                { header: t('columns.minutes'), cell: (row) => minutes(row.minutes) },
                costColumn,
              ]}
            />
            <UsageTableCard
              title={t('video.title')}
              empty={t('video.empty')}
              rows={[...summary.video].reverse()}
              rowKey={(row) => `${row.day} ${row.vendor}`}
              columns={[
                dayColumn,
                { header: t('columns.vendor'), cell: (row) => videoVendorLabels[row.vendor] },
                { header: t('columns.videos'), cell: (row) => whole(row.videos) },
                { header: t('columns.seconds'), cell: (row) => compactNumber(row.seconds) },
                costColumn,
              ]}
            />
          </div>
        </>
      ) : null}
    </section>
  );
}

function Tile({
  label,
  value,
  testId,
  wide,
}: {
  label: string;
  value: string;
  testId?: string;
  wide?: boolean;
}) {
  return (
    <div className={wide ? 'usage-tile usage-tile-wide' : 'usage-tile'} data-testid={testId}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
