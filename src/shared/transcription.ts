/**
 * The transcription domain (issue 4): jobs, transcripts and their segments, and the contract channels and
 * events that carry them. Spread into contract.ts.
 */
import { z } from 'zod';
import type { ChannelMap, EventMap } from './channel-map';
import { transcriptionReasonCodes } from './error-reasons';
import { type AppError, appErrorKinds, appErrorSchema } from './errors';

/**
 * The API's upload limit per request (docs/proxy-api.md §4.2). Larger files are split into parts under it.
 */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
/**
 * What the API accepts, by extension (docs/proxy-api.md §4.2); the app checks the first bytes, not the name.
 */
export const AUDIO_EXTENSIONS = ['flac', 'mp3', 'mp4', 'mpeg', 'mpga', 'm4a', 'ogg', 'wav', 'webm'] as const;

export const transcriptionModels = ['whisper-1', 'gpt-4o-transcribe', 'gpt-4o-mini-transcribe'] as const;
export const transcriptionModelSchema = z.enum(transcriptionModels);
export type TranscriptionModel = z.infer<typeof transcriptionModelSchema>;

/**
 * queued → uploading → transcribing → done; or failed / cancelled on the way. `interrupted`: the app quit while
 * the job was running; it can be retried.
 */
export const jobStateSchema = z.enum([
  'queued',
  'uploading',
  'transcribing',
  'done',
  'failed',
  'cancelled',
  'interrupted',
]);
export type JobState = z.infer<typeof jobStateSchema>;
/** States in which a job will not move again by itself. */
export const finishedJobStates: readonly JobState[] = ['done', 'failed', 'cancelled', 'interrupted'];

export const transcriptionOptionsSchema = z
  .object({
    model: transcriptionModelSchema.default('whisper-1'),
    /** ISO-639-1 code such as `en`; absent = detect. */
    language: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z]{2}$/, 'must be a two-letter ISO-639-1 code such as en')
      .optional(),
    /** Words or style to expect, in the audio's language. */
    prompt: z.string().max(2000).optional(),
    /** 0–1; 0 lets the model choose. */
    temperature: z.number().min(0).max(1).optional(),
    /** Copy the audio into the library folder; otherwise the transcript refers to the file where it is. */
    keepCopy: z.boolean().default(false),
  })
  .strict();
export type TranscriptionOptions = z.output<typeof transcriptionOptionsSchema>;
export type TranscriptionOptionsInput = z.input<typeof transcriptionOptionsSchema>;

/** Upload progress of a job. A file over the limit is sent in `partCount` parts; `part` counts from 1. */
export const jobProgressSchema = z.object({
  uploadedBytes: z.number(),
  totalBytes: z.number(),
  part: z.number().int(),
  partCount: z.number().int(),
});
export type JobProgress = z.infer<typeof jobProgressSchema>;

/** What a file that is not audio holds (by its first bytes), as the window words it. */
export const contentKinds = ['empty', 'png', 'jpeg', 'pdf', 'zip', 'text', 'unknown'] as const;
export type ContentKind = (typeof contentKinds)[number];

/**
 * Why transcription refused a file or stopped, as a code and values: main also says it in English (`message`, for
 * the CLI and the log), the window words it in its language (`transcribe:reasons.<code>`; the codes: error-reasons.ts).
 */
export type TranscriptionReasonCode = (typeof transcriptionReasonCodes)[number];

export const transcriptionReasonSchema = z.object({
  code: z.enum(transcriptionReasonCodes),
  values: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type TranscriptionReason = z.infer<typeof transcriptionReasonSchema>;

/** An AppError that transcription made itself carries its reason (one of transcription's codes). */
export const transcriptionErrorSchema = appErrorSchema;
export type TranscriptionError = AppError;

export const transcriptionJobSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  /** Absolute path of the file as the user chose it. */
  sourcePath: z.string(),
  sizeBytes: z.number(),
  durationSec: z.number().nullable(),
  options: z.object({
    model: transcriptionModelSchema,
    language: z.string().optional(),
    prompt: z.string().optional(),
    temperature: z.number().optional(),
    keepCopy: z.boolean(),
  }),
  state: jobStateSchema,
  /** Why it failed (or was interrupted), in words a person can read, with the reason's code when transcription made it. */
  error: transcriptionErrorSchema.nullable(),
  progress: jobProgressSchema,
  /** Set when done. */
  transcriptId: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type TranscriptionJob = z.infer<typeof transcriptionJobSchema>;

export const transcriptWordSchema = z.object({ word: z.string(), start: z.number(), end: z.number() });
export type TranscriptWord = z.infer<typeof transcriptWordSchema>;

export const transcriptSegmentSchema = z.object({
  /** Position in the transcript, from 0. */
  index: z.number().int(),
  /** Seconds from the start of the whole file (offsets of split parts already added). */
  start: z.number(),
  end: z.number(),
  /** The text as shown and exported: the user's edit when there is one. */
  text: z.string(),
  /** True when the user changed the text; `words` still hold the model's original words. */
  edited: z.boolean(),
  /** Word timestamps (whisper-1 only); empty otherwise. */
  words: z.array(transcriptWordSchema),
});
export type TranscriptSegment = z.infer<typeof transcriptSegmentSchema>;

export const transcriptSchema = z.object({
  id: z.string(),
  jobId: z.string().nullable(),
  fileName: z.string(),
  sourcePath: z.string(),
  /** The kept copy, relative to the library folder (play it as app://library/<path>); null = not copied. */
  audioPath: z.string().nullable(),
  sizeBytes: z.number(),
  durationSec: z.number().nullable(),
  model: transcriptionModelSchema,
  /** As given, or as the model detected it (whisper-1); null when unknown. */
  language: z.string().nullable(),
  /**
   * False for models without timestamps (gpt-4o-*): then each segment is a whole file or a whole part of a split
   * file, and its start/end are those of the part.
   */
  timestamps: z.boolean(),
  segments: z.array(transcriptSegmentSchema),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Transcript = z.infer<typeof transcriptSchema>;

/** Where a transcript's audio plays from (`app://transcript-audio/<id>`): the kept copy or the original file. */
export const audioSourceSchema = z.enum(['copy', 'original']);
export type AudioSource = z.infer<typeof audioSourceSchema>;

/** A transcript as the library's list shows it: no segments, their count, and whether any was edited. */
export const transcriptSummarySchema = z.object({
  id: z.string(),
  fileName: z.string(),
  durationSec: z.number().nullable(),
  language: z.string().nullable(),
  createdAt: z.number(),
  segmentCount: z.number().int(),
  edited: z.boolean(),
});
export type TranscriptSummary = z.infer<typeof transcriptSummarySchema>;

export const transcriptSearchHitSchema = z.object({
  transcriptId: z.string(),
  fileName: z.string(),
  segmentIndex: z.number().int(),
  start: z.number(),
  end: z.number(),
  /** The matching passage; matches wrapped in \u0002 … \u0003 like chat search (SNIPPET_MATCH_START/END). */
  snippet: z.string(),
  createdAt: z.number(),
});
export type TranscriptSearchHit = z.infer<typeof transcriptSearchHitSchema>;

export const exportFormatSchema = z.enum(['txt', 'srt', 'vtt', 'json']);
export type TranscriptExportFormat = z.infer<typeof exportFormatSchema>;

export const modelCapabilitySchema = z.object({
  id: transcriptionModelSchema,
  label: z.string(),
  /** The response format the app asks this model for. */
  responseFormat: z.enum(['verbose_json', 'json']),
  wordTimestamps: z.boolean(),
  segmentTimestamps: z.boolean(),
  detectsLanguage: z.boolean(),
  /** What choosing this model gives up (the window words each in its language, transcribe:givesUp.*). */
  givesUp: z.array(z.enum(['timestamps', 'subtitles', 'language', 'accuracy'])),
});
export type ModelCapability = z.infer<typeof modelCapabilitySchema>;

export const transcriptionCapabilitiesSchema = z.object({
  models: z.array(modelCapabilitySchema),
  defaultModel: transcriptionModelSchema,
  /** ffmpeg splits files over the limit and reads durations; without it large files are refused. */
  ffmpeg: z.object({ available: z.boolean(), source: z.enum(['package', 'path']).nullable() }),
  maxUploadBytes: z.number(),
  extensions: z.array(z.string()),
  exportFormats: z.array(exportFormatSchema),
});
export type TranscriptionCapabilities = z.infer<typeof transcriptionCapabilitiesSchema>;

/** A correction of a segment that lost to another computer's concurrent correction, kept here until used or dismissed. */
export const segmentAlternativeSchema = z.object({
  segmentIndex: z.number().int().min(0),
  /** The version of the correction that lost; names the alternative when it is used or dismissed. */
  version: z.string(),
  text: z.string(),
  keptAt: z.number(),
});
export type SegmentAlternative = z.infer<typeof segmentAlternativeSchema>;

const id = z.string().trim().min(1).max(100);

export const transcriptionChannels = {
  /** Models (with what each gives up), whether ffmpeg runs, the upload limit, accepted extensions. */
  'transcription.capabilities': { request: z.object({}).strict(), response: transcriptionCapabilitiesSchema },
  /**
   * Queues one job per file (a folder adds the audio/video files inside it). Cheap checks (missing, unreadable,
   * empty, not audio by its first bytes) fail the job at once with a readable error; nothing is uploaded.
   */
  'transcription.add': {
    request: z
      .object({
        paths: z.array(z.string().min(1).max(4096)).min(1).max(500),
        options: transcriptionOptionsSchema.default({ model: 'whisper-1', keepCopy: false }),
      })
      .strict(),
    response: z.object({ jobs: z.array(transcriptionJobSchema) }),
  },
  /** Every job, newest first. */
  'transcription.list': { request: z.object({}).strict(), response: z.array(transcriptionJobSchema) },
  /** Stops a queued or running job (an upload is aborted at once); it ends `cancelled`. */
  'transcription.cancel': { request: z.object({ id }).strict(), response: transcriptionJobSchema },
  /** Queues a failed, cancelled or interrupted job again; a finished retry never adds a second transcript. */
  'transcription.retry': { request: z.object({ id }).strict(), response: transcriptionJobSchema },
  /** Removes a job (cancelling it first) and its transcript, with the kept copy of the audio if any. */
  'transcription.remove': { request: z.object({ id }).strict(), response: z.object({ id: z.string() }) },

  /**
   * Every transcript the library holds, newest first, with or without a job (one synced from another computer, or
   * whose job was cleared).
   */
  'transcripts.list': {
    request: z.object({ limit: z.number().int().min(1).max(5000).default(1000) }).strict(),
    response: z.array(transcriptSummarySchema),
  },
  /** A transcript with all its segments, by transcript id (a done job's `transcriptId`). */
  'transcripts.get': { request: z.object({ id }).strict(), response: transcriptSchema },
  /** Replaces one segment's text (the user's edit); export and search use the edited text. */
  'transcripts.updateSegment': {
    request: z.object({ id, segmentIndex: z.number().int().min(0), text: z.string().max(100_000) }).strict(),
    response: transcriptSegmentSchema,
  },
  /** The corrections of this transcript's segments that lost to a concurrent correction on another computer. */
  'transcripts.alternatives': {
    request: z.object({ id }).strict(),
    response: z.array(segmentAlternativeSchema),
  },
  /**
   * Uses a kept alternative as the segment's text (a normal edit, synced as one) or dismisses it; either way it is
   * no longer kept. Returns the segment as it is now.
   */
  'transcripts.resolveAlternative': {
    request: z
      .object({
        id,
        segmentIndex: z.number().int().min(0),
        version: z.string().min(1).max(200),
        use: z.boolean(),
      })
      .strict(),
    response: transcriptSegmentSchema,
  },
  /** The transcript as a file's content (from the edited text); the renderer saves or copies it. */
  'transcripts.export': {
    request: z.object({ id, format: exportFormatSchema }).strict(),
    response: z.object({ fileName: z.string(), mimeType: z.string(), content: z.string() }),
  },
  /** Keyword search over every transcript's segments (substring, any language). */
  'transcripts.search': {
    request: z
      .object({
        query: z.string().trim().min(1).max(500),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    response: z.array(transcriptSearchHitSchema),
  },
  /**
   * Whether the transcript's audio can play, and from where: its kept copy, else the original file where it is;
   * null when neither is there any more (moved or deleted).
   */
  'transcripts.audio': {
    request: z.object({ id }).strict(),
    response: z.object({ from: audioSourceSchema.nullable() }),
  },
  /** Copies the audio into the library folder so the transcript keeps playing if the original moves. */
  'transcripts.keepCopy': { request: z.object({ id }).strict(), response: transcriptSchema },
} as const satisfies ChannelMap;

export const transcriptionProgressSchema = jobProgressSchema.extend({
  jobId: z.string(),
  state: jobStateSchema,
});
export type TranscriptionProgress = z.infer<typeof transcriptionProgressSchema>;

/**
 * A job's upload failed (rate limited, a server error) and is sent again after `waitMs`; the job's next progress or
 * change ends the wait.
 */
export const transcriptionRetryingSchema = z.object({
  jobId: z.string(),
  /** 1 for the first retry. */
  attempt: z.number().int().min(1),
  maxAttempts: z.number().int().min(1),
  waitMs: z.number().min(0),
  /** The kind of the failure that is retried (`rate_limited`, `server`, …). */
  reason: z.enum(appErrorKinds),
});
export type TranscriptionRetrying = z.infer<typeof transcriptionRetryingSchema>;

export const transcriptionEvents = {
  /** Upload progress of a running job, at most a few per second per job. */
  'transcription.progress': transcriptionProgressSchema,
  /** An upload is sent again after a wait (a 429 or a server error). */
  'transcription.retrying': transcriptionRetryingSchema,
  /** A job was added, changed state, or was removed (`job: null`). */
  'transcription.changed': z.object({ id: z.string(), job: transcriptionJobSchema.nullable() }),
} as const satisfies EventMap;
