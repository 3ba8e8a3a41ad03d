/** Usage sums per day and model (or vendor), from the items the usage repository reads, priced by `prices`. */
import {
  addCost,
  audioCost,
  emptyCostSum,
  type PriceBook,
  tokenCost,
  videoJobCost,
  videoSecondsOf,
} from '../../../shared/costs';
import type { AudioUsageRow, TokenUsageRow, UsageSummary, VideoUsageRow } from '../../../shared/desktop';
import type { TokenUsageItem, UsageRepo } from '../../store/usage-repo';

/** `YYYY-MM-DD` (local) → [start, end) in epoch milliseconds covering `from` through `to`. */
export function dayRange(from: string, to: string): [number, number] {
  const start = localMidnight(from, 0);
  const end = localMidnight(to, 1);
  return [start, end];
}

function localMidnight(day: string, plusDays: number): number {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  return new Date(year, month - 1, date + plusDays).getTime();
}

export function localDay(ms: number): string {
  const date = new Date(ms);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function usageSummary(
  usage: UsageRepo,
  prices: PriceBook,
  from: string,
  to: string,
  profileId: string | null,
): UsageSummary {
  const [start, end] = dayRange(from, to);
  const window = { start, end, profileId };

  return {
    from,
    to,
    profileId,
    tokens: tokenRows(usage.tokens(window), prices),
    titles: tokenRows(usage.titles(window), prices),
    audio: sumPerDay(
      usage.transcripts(window),
      (item) => item.model,
      (day, item): AudioUsageRow => ({
        day,
        model: item.model,
        transcripts: 0,
        minutes: 0,
        cost: emptyCostSum(),
      }),
      (sum, item) => {
        sum.transcripts += 1;
        sum.minutes += item.seconds / 60;
        addCost(sum.cost, audioCost(prices.audio(item.model), item.seconds));
      },
    ),
    video: sumPerDay(
      usage.videos(window),
      (item) => item.vendor,
      (day, item): VideoUsageRow => ({
        day,
        vendor: item.vendor,
        videos: 0,
        seconds: 0,
        cost: emptyCostSum(),
      }),
      (sum, item) => {
        const params = parseParams(item.params);
        sum.videos += 1;
        sum.seconds += videoSecondsOf(item.vendor, params);
        addCost(sum.cost, videoJobCost(prices, item.vendor, item.model, params));
      },
    ),
    unattributed: profileId === null ? 0 : usage.unattributed(start, end),
  };
}

function tokenRows(items: readonly TokenUsageItem[], prices: PriceBook): TokenUsageRow[] {
  return sumPerDay(
    items,
    (item) => item.model,
    (day, item): TokenUsageRow => ({
      day,
      model: item.model,
      messages: 0,
      inputTokens: 0,
      outputTokens: 0,
      cachedTokens: 0,
      reasoningTokens: 0,
      cost: emptyCostSum(),
    }),
    (sum, item) => {
      const counts = {
        inputTokens: Number(item.input) || 0,
        outputTokens: Number(item.output) || 0,
        cachedTokens: Number(item.cached) || 0,
      };
      sum.messages += 1;
      sum.inputTokens += counts.inputTokens;
      sum.outputTokens += counts.outputTokens;
      sum.cachedTokens += counts.cachedTokens;
      sum.reasoningTokens += Number(item.reasoning) || 0;
      addCost(sum.cost, tokenCost(prices.tokens(item.model), counts));
    },
  );
}

/** One row per local day and name (model or vendor), summed by `add`; by day, then name. */
function sumPerDay<Item extends { at: number }, Row>(
  items: readonly Item[],
  name: (item: Item) => string,
  empty: (day: string, item: Item) => Row,
  add: (sum: Row, item: Item) => void,
): Row[] {
  const sums = new Map<string, { day: string; name: string; row: Row }>();
  for (const item of items) {
    const day = localDay(item.at);
    const key = `${day}\u0000${name(item)}`;
    let sum = sums.get(key);
    if (!sum) {
      sum = { day, name: name(item), row: empty(day, item) };
      sums.set(key, sum);
    }
    add(sum.row, item);
  }
  return [...sums.values()]
    .sort((a, b) => a.day.localeCompare(b.day) || a.name.localeCompare(b.name))
    .map((sum) => sum.row);
}

function parseParams(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
