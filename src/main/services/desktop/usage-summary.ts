/** Usage sums per day and model (or vendor), from the items the usage repository reads. */
import type { AudioUsageRow, TokenUsageRow, UsageSummary, VideoUsageRow } from '../../../shared/desktop';
import type { VideoVendor } from '../../../shared/videos';
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

  const tokens = new Map<string, TokenUsageRow>();
  for (const row of usage.tokens(window)) {
    const day = localDay(row.at);
    const key = `${day}\u0000${row.model}`;
    const sum = tokens.get(key) ?? {
      day,
      model: row.model,
      messages: 0,
      inputTokens: 0,
      outputTokens: 0,
      cachedTokens: 0,
      reasoningTokens: 0,
    };
    sum.messages += 1;
    sum.inputTokens += Number(row.input) || 0;
    sum.outputTokens += Number(row.output) || 0;
    sum.cachedTokens += Number(row.cached) || 0;
    sum.reasoningTokens += Number(row.reasoning) || 0;
    tokens.set(key, sum);
  }

  const audio = new Map<string, AudioUsageRow>();
  for (const row of usage.transcripts(window)) {
    const day = localDay(row.at);
    const key = `${day}\u0000${row.model}`;
    const sum = audio.get(key) ?? { day, model: row.model, transcripts: 0, minutes: 0 };
    sum.transcripts += 1;
    sum.minutes += row.seconds / 60;
    audio.set(key, sum);
  }

  const video = new Map<string, VideoUsageRow>();
  for (const row of usage.videos(window)) {
    const day = localDay(row.at);
    const key = `${day}\u0000${row.vendor}`;
    const sum = video.get(key) ?? { day, vendor: row.vendor, videos: 0, seconds: 0 };
    sum.videos += 1;
    sum.seconds += videoSeconds(row.vendor, parseParams(row.params));
    video.set(key, sum);
  }

  return {
    from,
    to,
    profileId,
    tokens: sorted(tokens, (row) => row.model),
    audio: sorted(audio, (row) => row.model),
    video: sorted(video, (row) => row.vendor),
    unattributed: profileId === null ? 0 : usage.unattributed(start, end),
  };
}

function parseParams(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function sorted<T extends { day: string }>(rows: Map<string, T>, name: (row: T) => string): T[] {
  return [...rows.values()].sort((a, b) => a.day.localeCompare(b.day) || name(a).localeCompare(name(b)));
}
