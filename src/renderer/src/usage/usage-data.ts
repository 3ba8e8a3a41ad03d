import type { UsageSummary } from '../../../shared/desktop';

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

/** 1234567 → "1.2M", 12345 → "12.3k", 999 → "999". */
export function compactNumber(value: number): string {
  if (value >= 1_000_000) return `${(value / 1_000_000).toFixed(value >= 10_000_000 ? 0 : 1)}M`;
  if (value >= 10_000) return `${(value / 1000).toFixed(value >= 100_000 ? 0 : 1)}k`;
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(1);
}

/** A round upper bound for a chart axis: 1, 2 or 5 × 10^n at or above `max`. */
export function niceCeiling(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}
