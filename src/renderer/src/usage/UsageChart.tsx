import { useTranslation } from 'react-i18next';
import {
  type ChartSeries,
  compactNumber,
  dayLabel,
  type Metric,
  niceCeiling,
  shortDayLabel,
} from './usage-data';

const WIDTH = 720;
const HEIGHT = 220;
const LEFT = 48;
const BOTTOM = 24;
const TOP = 8;
const PALETTE_SIZE = 6;

/** A stacked bar per day, one colour per series (the first five series, the rest as "Other"). */
export function UsageChart({
  days,
  series,
  metric,
}: {
  days: string[];
  series: ChartSeries[];
  metric: Metric;
}) {
  const { t } = useTranslation('usage');
  const amount = (value: number) => t(`chart.units.${metric}`, { value: compactNumber(value) });
  const shown = series.slice(0, PALETTE_SIZE - 1);
  const rest = series.slice(PALETTE_SIZE - 1);
  if (rest.length > 0) {
    shown.push({
      name: t('chart.other'),
      values: days.map((_, i) => rest.reduce((sum, item) => sum + (item.values[i] ?? 0), 0)),
    });
  }
  const totals = days.map((_, i) => shown.reduce((sum, item) => sum + (item.values[i] ?? 0), 0));
  const ceiling = niceCeiling(Math.max(0, ...totals));
  const plotWidth = WIDTH - LEFT - 8;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = plotWidth / Math.max(days.length, 1);
  const barWidth = Math.max(2, Math.min(28, slot * 0.7));
  const y = (value: number) => TOP + plotHeight - (value / ceiling) * plotHeight;
  const labelEvery = Math.max(1, Math.ceil(days.length / 8));
  const summaryText = t('chart.summary', {
    label: t(`chart.metrics.${metric}`),
    amount: amount(totals.reduce((sum, value) => sum + value, 0)),
    count: days.length,
  });

  return (
    <figure className="usage-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summaryText}>
        {[0, 0.5, 1].map((fraction) => (
          <g key={fraction}>
            <line
              className="usage-grid"
              x1={LEFT}
              x2={WIDTH - 8}
              y1={y(ceiling * fraction)}
              y2={y(ceiling * fraction)}
            />
            <text className="usage-axis" x={LEFT - 6} y={y(ceiling * fraction) + 4} textAnchor="end">
              {compactNumber(ceiling * fraction)}
            </text>
          </g>
        ))}
        {days.map((day, i) => {
          const x = LEFT + slot * i + (slot - barWidth) / 2;
          let base = 0;
          return (
            <g key={day}>
              {shown.map((item, s) => {
                const value = item.values[i] ?? 0;
                if (value <= 0) return null;
                const top = y(base + value);
                const height = y(base) - top;
                base += value;
                return (
                  <rect
                    key={item.name}
                    className={`usage-bar usage-color-${s}`}
                    x={x}
                    y={top}
                    width={barWidth}
                    height={Math.max(height, 1)}
                    rx={Math.min(3, barWidth / 4)}
                  >
                    <title>
                      {t('chart.bar', { day: dayLabel(day), name: item.name, amount: amount(value) })}
                    </title>
                  </rect>
                );
              })}
              {i % labelEvery === 0 ? (
                <text
                  className="usage-axis"
                  x={LEFT + slot * i + slot / 2}
                  y={HEIGHT - 6}
                  textAnchor="middle"
                >
                  {shortDayLabel(day)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      {shown.length > 0 ? (
        <figcaption className="usage-legend">
          {shown.map((item, s) => (
            <span key={item.name} className="usage-legend-item">
              <span className={`usage-swatch usage-color-${s}`} aria-hidden="true" />
              {item.name}
            </span>
          ))}
        </figcaption>
      ) : (
        <figcaption className="muted">{t('chart.empty')}</figcaption>
      )}
    </figure>
  );
}
