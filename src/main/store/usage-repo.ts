/**
 * What usage is counted from: assistant messages' usage JSON, transcripts' durations, succeeded video jobs.
 * Which profile made each item is recorded here as it happens (the other tables do not hold it). Title requests
 * (the model naming a conversation) are stored nowhere else, so their tokens are recorded here as they answer.
 */
import type { VideoVendor } from '../../shared/videos/job';
import type { Db } from './database';
import { StatementCache } from './statement-cache';

export type UsageKind = 'message' | 'transcription_job' | 'video';

/** [start, end) in epoch milliseconds; `profileId` null = every profile. */
export interface UsageWindow {
  start: number;
  end: number;
  profileId: string | null;
}

export interface TokenUsageItem {
  at: number;
  model: string;
  input: number;
  output: number;
  cached: number;
  reasoning: number;
}

/** The tokens one title request spent, as its answer reported them (docs/proxy-api.md §2.5). */
export interface TitleUsage {
  conversationId: string;
  model: string;
  profileId: string | null;
  usage: { inputTokens?: number; outputTokens?: number; cachedTokens?: number; reasoningTokens?: number };
  at: number;
}

export interface AudioUsageItem {
  at: number;
  model: string;
  seconds: number;
}

export interface VideoUsageItem {
  at: number;
  vendor: VideoVendor;
  model: string;
  /** The options the job was created with, as stored (JSON). */
  params: string;
}

export class UsageRepo {
  /** `attribute` runs as each reply starts: prepared once. */
  private readonly statements: StatementCache;

  constructor(private readonly db: Db) {
    this.statements = new StatementCache(db);
  }

  /** Remembers the profile of an item the first time it is seen; later sightings keep the first answer. */
  attribute(kind: UsageKind, itemId: string, profileId: string): void {
    this.statements
      .get('INSERT OR IGNORE INTO usage_profiles (kind, item_id, profile_id) VALUES (?, ?, ?)')
      .run(kind, itemId, profileId);
  }

  /** Assistant replies with usage. */
  tokens(window: UsageWindow): TokenUsageItem[] {
    return this.db
      .prepare(
        `SELECT m.created_at AS at, COALESCE(m.model, 'unknown') AS model,
           COALESCE(json_extract(m.usage, '$.inputTokens'), 0) AS input,
           COALESCE(json_extract(m.usage, '$.outputTokens'), 0) AS output,
           COALESCE(json_extract(m.usage, '$.cachedTokens'), 0) AS cached,
           COALESCE(json_extract(m.usage, '$.reasoningTokens'), 0) AS reasoning
         FROM messages m ${profileJoin(window, 'message', 'm.id')}
         WHERE m.role = 'assistant' AND m.usage IS NOT NULL AND json_valid(m.usage)
           AND m.created_at >= @start AND m.created_at < @end`,
      )
      .all(parameters(window)) as TokenUsageItem[];
  }

  recordTitle(title: TitleUsage): void {
    this.statements
      .get(
        `INSERT INTO title_usage (conversation_id, model, profile_id, input_tokens, output_tokens, cached_tokens,
           reasoning_tokens, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        title.conversationId,
        title.model,
        title.profileId,
        title.usage.inputTokens ?? 0,
        title.usage.outputTokens ?? 0,
        title.usage.cachedTokens ?? 0,
        title.usage.reasoningTokens ?? 0,
        title.at,
      );
  }

  /** Title requests, counted apart from replies. */
  titles(window: UsageWindow): TokenUsageItem[] {
    return this.db
      .prepare(
        `SELECT created_at AS at, model, input_tokens AS input, output_tokens AS output, cached_tokens AS cached,
           reasoning_tokens AS reasoning
         FROM title_usage
         WHERE created_at >= @start AND created_at < @end
           ${window.profileId === null ? '' : 'AND profile_id = @profileId'}`,
      )
      .all(parameters(window)) as TokenUsageItem[];
  }

  transcripts(window: UsageWindow): AudioUsageItem[] {
    return this.db
      .prepare(
        `SELECT t.created_at AS at, t.model, COALESCE(t.duration_sec, 0) AS seconds
         FROM transcripts t ${profileJoin(window, 'transcription_job', 't.job_id')}
         WHERE t.created_at >= @start AND t.created_at < @end`,
      )
      .all(parameters(window)) as AudioUsageItem[];
  }

  /** Succeeded video jobs, at the time they completed. */
  videos(window: UsageWindow): VideoUsageItem[] {
    return this.db
      .prepare(
        `SELECT COALESCE(v.completed_at, v.created_at) AS at, v.vendor, v.model, v.params
         FROM video_jobs v ${profileJoin(window, 'video', 'v.id')}
         WHERE v.status = 'succeeded' AND COALESCE(v.completed_at, v.created_at) >= @start
           AND COALESCE(v.completed_at, v.created_at) < @end`,
      )
      .all(parameters(window)) as VideoUsageItem[];
  }

  /** Items of the window made before profiles were recorded: no profile filter can place them. */
  unattributed(start: number, end: number): number {
    const row = this.db
      .prepare(
        `SELECT
           (SELECT COUNT(*) FROM messages m WHERE m.role = 'assistant' AND m.usage IS NOT NULL
              AND m.created_at >= @start AND m.created_at < @end
              AND NOT EXISTS (SELECT 1 FROM usage_profiles p WHERE p.kind = 'message' AND p.item_id = m.id))
         + (SELECT COUNT(*) FROM transcripts t WHERE t.created_at >= @start AND t.created_at < @end
              AND NOT EXISTS (SELECT 1 FROM usage_profiles p
                              WHERE p.kind = 'transcription_job' AND p.item_id = t.job_id))
         + (SELECT COUNT(*) FROM title_usage u WHERE u.profile_id IS NULL
              AND u.created_at >= @start AND u.created_at < @end)
         + (SELECT COUNT(*) FROM video_jobs v WHERE v.status = 'succeeded'
              AND COALESCE(v.completed_at, v.created_at) >= @start AND COALESCE(v.completed_at, v.created_at) < @end
              AND NOT EXISTS (SELECT 1 FROM usage_profiles p WHERE p.kind = 'video' AND p.item_id = v.id))
         AS count`,
      )
      .get({ start, end }) as { count: number };
    return row.count;
  }
}

function profileJoin(window: UsageWindow, kind: UsageKind, column: string): string {
  return window.profileId === null
    ? ''
    : `JOIN usage_profiles p ON p.kind = '${kind}' AND p.item_id = ${column} AND p.profile_id = @profileId`;
}

function parameters(window: UsageWindow): Record<string, number | string> {
  return {
    start: window.start,
    end: window.end,
    ...(window.profileId === null ? {} : { profileId: window.profileId }),
  };
}
