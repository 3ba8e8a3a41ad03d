/** Usage sums per day and model (or vendor), from the items the usage repository reads. */
import type { AudioUsageRow, TokenUsageRow, UsageSummary, VideoUsageRow } from '../../../shared/desktop';
import type { VideoVendor } from '../../../shared/videos/job';
import type { UsageRepo } from '../../store/usage-repo';

/** Seconds a vendor makes when the request named none (docs/proxy-api.md §5). */
const DEFAULT_VIDEO_SECONDS: Record<VideoVendor, number> = { sora: 4, seedance: 5, kling: 5, veo: 8 };
const SECONDS_PARAM: Record<VideoVendor, string> = {
  sora: 'seconds',
  seedance: 'duration',
  kling: 'duration',
  veo: 'durationSeconds',
};

/** The seconds a succeeded job generated, from the options it was created with. */
export function videoSeconds(vendor: VideoVendor, params: Record<string, unknown>): number {
  const value = Number(params[SECONDS_PARAM[vendor]]);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_VIDEO_SECONDS[vendor];
}

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
    tokens: sumPerDay(
      usage.tokens(window),
      (item) => item.model,
      (day, item): TokenUsageRow => ({
        day,
        model: item.model,
        messages: 0,
        inputTokens: 0,
        outputTokens: 0,
        cachedTokens: 0,
        reasoningTokens: 0,
      }),
      (sum, item) => {
        sum.messages += 1;
        sum.inputTokens += Number(item.input) || 0;
        sum.outputTokens += Number(item.output) || 0;
        sum.cachedTokens += Number(item.cached) || 0;
        sum.reasoningTokens += Number(item.reasoning) || 0;
      },
    ),
    audio: sumPerDay(
      usage.transcripts(window),
      (item) => item.model,
      (day, item): AudioUsageRow => ({ day, model: item.model, transcripts: 0, minutes: 0 }),
      (sum, item) => {
        sum.transcripts += 1;
        sum.minutes += item.seconds / 60;
      },
    ),
    video: sumPerDay(
      usage.videos(window),
      (item) => item.vendor,
      (day, item): VideoUsageRow => ({ day, vendor: item.vendor, videos: 0, seconds: 0 }),
      (sum, item) => {
        sum.videos += 1;
        sum.seconds += videoSeconds(item.vendor, parseParams(item.params));
      },
    ),
    unattributed: profileId === null ? 0 : usage.unattributed(start, end),
  };
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
