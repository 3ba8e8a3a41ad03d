import i18next from 'i18next';
import { addCostSums, type CostSum, emptyCostSum, formatUsd } from '../../../shared/costs';
import type { UsageSummary } from '../../../shared/desktop';
import { videoVendorLabels } from '../../../shared/videos/job';
import { currentLanguage } from '../i18n';

export type Metric = 'tokens' | 'audio' | 'video';

/** `YYYY-MM-DD` of a date in local time. */
export function dayOf(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The last `days` days up to today, inclusive. */
export function lastDays(days: number, today: Date = new Date()): { from: string; to: string } {
  const from = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1));
  return { from: dayOf(from), to: dayOf(today) };
}

/** Every day from `from` to `to` inclusive; for a very long range only the last 400, so it stays drawable. */
export function daysBetween(from: string, to: string): string[] {
  const [y = 0, m = 1, d = 1] = to.split('-').map(Number);
  const days: string[] = [];
  for (let i = 0; i < 400; i += 1) {
    const day = dayOf(new Date(y, m - 1, d - i));
    if (day < from) break;
    days.push(day);
  }
  return days.reverse();
}

export interface Totals {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  messages: number;
  audioMinutes: number;
  videoSeconds: number;
}

export function totalsOf(summary: UsageSummary): Totals {
  const totals: Totals = {
    inputTokens: 0,
    outputTokens: 0,
    cachedTokens: 0,
    reasoningTokens: 0,
    messages: 0,
    audioMinutes: 0,
    videoSeconds: 0,
  };
  for (const row of summary.tokens) {
    totals.inputTokens += row.inputTokens;
    totals.outputTokens += row.outputTokens;
    totals.cachedTokens += row.cachedTokens;
    totals.reasoningTokens += row.reasoningTokens;
    totals.messages += row.messages;
  }
  for (const row of summary.audio) totals.audioMinutes += row.minutes;
  for (const row of summary.video) totals.videoSeconds += row.seconds;
  return totals;
}

export interface ChartSeries {
  /** Model or vendor. */
  name: string;
  /** One value per day of the range. */
  values: number[];
}

/** Per-day values of the metric, one series per model (tokens in + out, audio minutes) or vendor (video seconds). */
export function chartSeries(summary: UsageSummary, metric: Metric, days: string[]): ChartSeries[] {
  const index = new Map(days.map((day, i) => [day, i]));
  const series = new Map<string, number[]>();
  const add = (name: string, day: string, value: number) => {
    const at = index.get(day);
    if (at === undefined) return;
    const values = series.get(name) ?? days.map(() => 0);
    values[at] = (values[at] ?? 0) + value;
    series.set(name, values);
  };
  if (metric === 'tokens') {
    for (const row of summary.tokens) add(row.model, row.day, row.inputTokens + row.outputTokens);
  } else if (metric === 'audio') {
    for (const row of summary.audio) add(row.model, row.day, row.minutes);
  } else {
    for (const row of summary.video) add(row.vendor, row.day, row.seconds);
  }
  const total = (values: number[]) => values.reduce((sum, value) => sum + value, 0);
  return [...series.entries()]
    .map(([name, values]) => ({ name, values }))
    .sort((a, b) => total(b.values) - total(a.values) || a.name.localeCompare(b.name));
}

/** `value` with exactly `digits` decimals in the UI language, like toFixed ("12.3"; "12,3" in Vietnamese). */
function fixed(value: number, digits: number): string {
  return value.toLocaleString(currentLanguage(), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: false,
  });
}

/** A whole number in the UI language: 1234.4 → "1,234" (English), "1.234" (Vietnamese). */
export function wholeNumber(value: number): string {
  return Math.round(value).toLocaleString(currentLanguage());
}

/** Minutes with at most one decimal in the UI language: 12.25 → "12.3". */
export function minutesNumber(value: number): string {
  return value.toLocaleString(currentLanguage(), { maximumFractionDigits: 1 });
}

/** 1234567 → "1.2M", 12345 → "12.3k", 999 → "999" (in English; the suffixes and separators follow the UI language). */
export function compactNumber(value: number): string {
  if (value >= 1_000_000)
    return i18next.t('usage:format.millions', {
      value: fixed(value / 1_000_000, value >= 10_000_000 ? 0 : 1),
    });
  if (value >= 10_000)
    return i18next.t('usage:format.thousands', { value: fixed(value / 1000, value >= 100_000 ? 0 : 1) });
  return Number.isInteger(value) ? value.toLocaleString(currentLanguage()) : fixed(value, 1);
}

/** A `YYYY-MM-DD` day as the UI language writes it ("2026-11-23" in English). */
export function dayLabel(day: string): string {
  const [year = '', month = '', date = ''] = day.split('-');
  return i18next.t('usage:format.day', { year, month, day: date });
}

/** A `YYYY-MM-DD` day without its year, for the chart's axis ("11-23" in English). */
export function shortDayLabel(day: string): string {
  const [, month = '', date = ''] = day.split('-');
  return i18next.t('usage:format.shortDay', { month, day: date });
}

/** A round upper bound for a chart axis: 1, 2 or 5 × 10^n at or above `max`. */
export function niceCeiling(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

export type CostKind = 'replies' | 'titles' | 'audio' | 'video';

export interface ModelCost {
  kind: CostKind;
  /** Model, or the vendor's name for video. */
  name: string;
  cost: CostSum;
}

/** The range's cost per model (replies and titles apart), transcription model and video vendor; dearest first. */
export function costByModel(summary: UsageSummary): ModelCost[] {
  const sums = new Map<string, ModelCost>();
  const add = (kind: CostKind, name: string, cost: CostSum) => {
    const key = `${kind}\u0000${name}`;
    const sum = sums.get(key) ?? { kind, name, cost: emptyCostSum() };
    addCostSums(sum.cost, cost);
    sums.set(key, sum);
  };
  for (const row of summary.tokens) add('replies', row.model, row.cost);
  for (const row of summary.titles) add('titles', row.model, row.cost);
  for (const row of summary.audio) add('audio', row.model, row.cost);
  for (const row of summary.video) add('video', videoVendorLabels[row.vendor], row.cost);
  return [...sums.values()].sort((a, b) => b.cost.amount - a.cost.amount || a.name.localeCompare(b.name));
}

export function totalCost(summary: UsageSummary): CostSum {
  const total = emptyCostSum();
  for (const item of costByModel(summary)) addCostSums(total, item.cost);
  return total;
}

/** "$1.23", "$1.23 + 4 without a price", or "no price set" when nothing in it has a price. */
export function costSumText(sum: CostSum): string {
  if (sum.priced === 0)
    return sum.unpriced > 0 ? i18next.t('usage:cost.noPrice') : formatUsd(0, currentLanguage());
  const amount = formatUsd(sum.amount, currentLanguage());
  return sum.unpriced > 0 ? i18next.t('usage:cost.partly', { amount, count: sum.unpriced }) : amount;
}
