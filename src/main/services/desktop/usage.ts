import type { AudioUsageRow, TokenUsageRow, UsageSummary, VideoUsageRow } from '../../../shared/desktop';
import type { VideoVendor } from '../../../shared/videos/job';
import type { Db } from '../../store/database';

export type UsageKind = 'message' | 'transcription_job' | 'video';

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

/**
 * Usage sums from what is stored: assistant messages' usage JSON, transcripts' durations, succeeded video jobs.
 * Which profile made each item is recorded here as it happens (the other tables do not hold it).
 */
export class UsageStore {
  constructor(private readonly db: Db) {}

  /** Remembers the profile of an item the first time it is seen; later sightings keep the first answer. */
  attribute(kind: UsageKind, itemId: string, profileId: string): void {
    this.db
      .prepare('INSERT OR IGNORE INTO usage_profiles (kind, item_id, profile_id) VALUES (?, ?, ?)')
      .run(kind, itemId, profileId);
  }

  summary(from: string, to: string, profileId: string | null): UsageSummary {
    const [start, end] = dayRange(from, to);
    const join = (kind: UsageKind, column: string) =>
      profileId === null
        ? ''
        : `JOIN usage_profiles p ON p.kind = '${kind}' AND p.item_id = ${column} AND p.profile_id = @profileId`;
    const params = { start, end, ...(profileId === null ? {} : { profileId }) };

    const messageRows = this.db
      .prepare(
        `SELECT m.created_at AS at, COALESCE(m.model, 'unknown') AS model,
           COALESCE(json_extract(m.usage, '$.inputTokens'), 0) AS input,
           COALESCE(json_extract(m.usage, '$.outputTokens'), 0) AS output,
           COALESCE(json_extract(m.usage, '$.cachedTokens'), 0) AS cached,
           COALESCE(json_extract(m.usage, '$.reasoningTokens'), 0) AS reasoning
         FROM messages m ${join('message', 'm.id')}
         WHERE m.role = 'assistant' AND m.usage IS NOT NULL AND json_valid(m.usage)
           AND m.created_at >= @start AND m.created_at < @end`,
      )
      .all(params) as {
      at: number;
      model: string;
      input: number;
      output: number;
      cached: number;
      reasoning: number;
    }[];
    const tokens = new Map<string, TokenUsageRow>();
    for (const row of messageRows) {
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

    const transcriptRows = this.db
      .prepare(
        `SELECT t.created_at AS at, t.model, COALESCE(t.duration_sec, 0) AS seconds
         FROM transcripts t ${join('transcription_job', 't.job_id')}
         WHERE t.created_at >= @start AND t.created_at < @end`,
      )
      .all(params) as { at: number; model: string; seconds: number }[];
    const audio = new Map<string, AudioUsageRow>();
    for (const row of transcriptRows) {
      const day = localDay(row.at);
      const key = `${day}\u0000${row.model}`;
      const sum = audio.get(key) ?? { day, model: row.model, transcripts: 0, minutes: 0 };
      sum.transcripts += 1;
      sum.minutes += row.seconds / 60;
      audio.set(key, sum);
    }

    const videoRows = this.db
      .prepare(
        `SELECT COALESCE(v.completed_at, v.created_at) AS at, v.vendor, v.params
         FROM video_jobs v ${join('video', 'v.id')}
         WHERE v.status = 'succeeded' AND COALESCE(v.completed_at, v.created_at) >= @start
           AND COALESCE(v.completed_at, v.created_at) < @end`,
      )
      .all(params) as { at: number; vendor: VideoVendor; params: string }[];
    const video = new Map<string, VideoUsageRow>();
    for (const row of videoRows) {
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
      unattributed: profileId === null ? 0 : this.unattributed(start, end),
    };
  }

  private unattributed(start: number, end: number): number {
    const row = this.db
      .prepare(
        `SELECT
           (SELECT COUNT(*) FROM messages m WHERE m.role = 'assistant' AND m.usage IS NOT NULL
              AND m.created_at >= @start AND m.created_at < @end
              AND NOT EXISTS (SELECT 1 FROM usage_profiles p WHERE p.kind = 'message' AND p.item_id = m.id))
         + (SELECT COUNT(*) FROM transcripts t WHERE t.created_at >= @start AND t.created_at < @end
              AND NOT EXISTS (SELECT 1 FROM usage_profiles p
                              WHERE p.kind = 'transcription_job' AND p.item_id = t.job_id))
         + (SELECT COUNT(*) FROM video_jobs v WHERE v.status = 'succeeded'
              AND COALESCE(v.completed_at, v.created_at) >= @start AND COALESCE(v.completed_at, v.created_at) < @end
              AND NOT EXISTS (SELECT 1 FROM usage_profiles p WHERE p.kind = 'video' AND p.item_id = v.id))
         AS count`,
      )
      .get({ start, end }) as { count: number };
    return row.count;
  }
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
