import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  AUDIO_EXTENSIONS,
  type AudioSource,
  MAX_UPLOAD_BYTES,
  type SegmentAlternative,
  type Transcript,
  type TranscriptExportFormat,
  type TranscriptionCapabilities,
  type TranscriptionError,
  type TranscriptionJob,
  type TranscriptionOptions,
  type TranscriptSearchHit,
  type TranscriptSegment,
  type TranscriptSummary,
} from '../../../shared/transcription';
import { type Clock, systemClock } from '../../base/clock';
import { HubError, toAppError } from '../../base/errors';
import { WorkQueue } from '../../base/work-queue';
import { type FfmpegTools, findFfmpeg } from '../../files/ffmpeg';
import { resolveInside } from '../../files/library';
import type { SegmentAlternativesRepo } from '../../store/segment-alternatives-repo';
import type { TranscriptionJobsRepo } from '../../store/transcription-jobs-repo';
import type { TranscriptsRepo } from '../../store/transcripts-repo';
import type { ServiceDeps } from '../service-deps';
import { checkFile, inputError, mediaFilesIn } from './checks';
import { type ExportedFile, exportTranscript } from './export';
import { type JobRunnerDeps, runJob } from './job-runner';
import { startProgress } from './job-state';
import { copyIntoLibrary, deleteCopy } from './library-copy';
import { LiveJobs } from './live-jobs';
import type { MediaKind } from './media';
import { modelCapabilities } from './models';
import { PARTS_FOLDER } from './parts';

export interface TranscriptionDeps extends ServiceDeps {
  jobs: TranscriptionJobsRepo;
  transcripts: TranscriptsRepo;
  /** Segment corrections that lost to another computer's concurrent one (sync keeps them). */
  alternatives: SegmentAlternativesRepo;
}

export interface TranscriptionServiceOptions {
  /** Which ffmpeg to use; default: the packaged one, else PATH. Tests return null to act as if none runs. */
  findTools?: () => Promise<FfmpegTools | null>;
  /** Jobs running at once. Default 2. */
  concurrency?: number;
  /** The API's limit per upload. Default 25 MB. */
  maxUploadBytes?: number;
  /** Paces progress events. Default: the system clock. */
  clock?: Clock;
}

/**
 * Transcription jobs: a queue (two at a time), per-job state in SQLite, uploads streamed with progress,
 * long files split at silences and stitched back, transcripts that can be edited, searched and exported.
 */
export class TranscriptionService {
  private readonly jobs: TranscriptionJobsRepo;
  private readonly transcripts: TranscriptsRepo;
  private readonly live: LiveJobs;
  private readonly queue: WorkQueue<string>;
  private readonly jobRunnerDeps: JobRunnerDeps;
  private readonly findTools: () => Promise<FfmpegTools | null>;
  private readonly maxUploadBytes: number;
  private closing = false;

  constructor(
    private readonly deps: TranscriptionDeps,
    options: TranscriptionServiceOptions = {},
  ) {
    this.jobs = deps.jobs;
    this.transcripts = deps.transcripts;
    this.findTools = options.findTools ?? (() => findFfmpeg());
    this.maxUploadBytes = options.maxUploadBytes ?? MAX_UPLOAD_BYTES;
    const now = () => this.now();
    this.live = new LiveJobs({ jobs: this.jobs, bus: deps.bus, clock: options.clock ?? systemClock, now });
    this.queue = new WorkQueue<string>({
      concurrency: options.concurrency ?? 2,
      onSettled: (id) => this.live.finish(id),
      onError: (id, error) => deps.log?.(`transcription job ${id} stopped: ${toAppError(error).message}`),
    });
    this.jobRunnerDeps = {
      jobs: this.jobs,
      transcripts: this.transcripts,
      live: this.live,
      libraryDir: deps.libraryDir,
      client: deps.client,
      findTools: this.findTools,
      maxUploadBytes: this.maxUploadBytes,
      now,
      stopReason: () => (this.closing ? 'close' : 'cancel'),
      ...(deps.log ? { log: deps.log } : {}),
      ...(deps.notify ? { notify: deps.notify } : {}),
    };
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** Start-up: jobs a previous run left queued or running become interrupted (retry restarts them). */
  recover(): number {
    const closed: TranscriptionError = {
      kind: 'cancelled',
      message: 'HubDesk was closed before this file was transcribed. Retry to transcribe it again.',
      reason: { code: 'closedBeforeDone', values: {} },
    };
    const ids = this.jobs.markActiveInterrupted(closed, this.now());
    rmSync(join(this.deps.libraryDir, PARTS_FOLDER), { recursive: true, force: true });
    if (ids.length > 0) this.deps.log?.(`marked ${ids.length} transcription job(s) interrupted`);
    return ids.length;
  }

  /** Stops running jobs (they become interrupted) and waits for them. */
  async close(): Promise<void> {
    this.closing = true;
    await this.queue.close();
  }

  async capabilities(): Promise<TranscriptionCapabilities> {
    const tools = await this.findTools();
    return {
      models: modelCapabilities,
      defaultModel: 'whisper-1',
      ffmpeg: { available: tools !== null, source: tools?.source ?? null },
      maxUploadBytes: this.maxUploadBytes,
      extensions: [...AUDIO_EXTENSIONS],
      exportFormats: ['txt', 'srt', 'vtt', 'json'],
    };
  }

  // ── Jobs ──────────────────────────────────────────────────────────────────────────────────────────────

  /** One job per file (folders: the media files inside, recursively). Files that fail the cheap checks fail at once. */
  async add(paths: string[], options: TranscriptionOptions): Promise<TranscriptionJob[]> {
    const files: string[] = [];
    for (const raw of paths) {
      const path = resolve(raw);
      const info = await stat(path).catch(() => null);
      if (info?.isDirectory()) {
        const inside = await mediaFilesIn(path);
        if (inside.length === 0) {
          const name = basename(path);
          throw inputError(`The folder “${name}” has no audio or video files.`, {
            code: 'folderHasNoMedia',
            values: { name },
          });
        }
        files.push(...inside);
      } else files.push(path);
    }
    const jobOptions: TranscriptionJob['options'] = { model: options.model, keepCopy: options.keepCopy };
    if (options.language) jobOptions.language = options.language;
    if (options.prompt) jobOptions.prompt = options.prompt;
    if (options.temperature !== undefined) jobOptions.temperature = options.temperature;
    const jobs: TranscriptionJob[] = [];
    for (const file of files) {
      let size = 0;
      let error: TranscriptionError | null = null;
      try {
        size = (await checkFile(file)).size;
      } catch (failure) {
        error = toAppError(failure);
        size = (await stat(file).catch(() => null))?.size ?? 0;
      }
      const job = this.jobs.insertJob({
        id: randomUUID(),
        fileName: basename(file),
        sourcePath: file,
        sizeBytes: size,
        durationSec: null,
        options: jobOptions,
        state: error ? 'failed' : 'queued',
        error,
        createdAt: this.now(),
      });
      this.live.changed(job);
      jobs.push(job);
    }
    for (const job of jobs) if (job.state === 'queued') this.enqueue(job.id);
    return jobs;
  }

  list(): TranscriptionJob[] {
    return this.jobs.listJobs().map((job) => this.live.withLive(job));
  }

  getJob(id: string): TranscriptionJob {
    const job = this.jobs.getJob(id);
    if (!job) {
      throw failure({
        kind: 'not_found',
        message: 'This transcription job no longer exists.',
        reason: { code: 'jobGone', values: {} },
      });
    }
    return this.live.withLive(job);
  }

  async cancel(id: string): Promise<TranscriptionJob> {
    const job = this.getJob(id);
    const wasRunning = this.queue.isRunning(id);
    await this.queue.cancel(id);
    if (!wasRunning && job.state === 'queued') {
      const cancelled: TranscriptionError = {
        kind: 'cancelled',
        message: 'Cancelled before it started.',
        reason: { code: 'cancelledBeforeStart', values: {} },
      };
      this.live.setState(id, 'cancelled', cancelled);
    }
    return this.getJob(id);
  }

  retry(id: string): TranscriptionJob {
    const job = this.getJob(id);
    if (job.state === 'done') {
      throw failure({
        kind: 'invalid_input',
        message: 'This file is already transcribed.',
        reason: { code: 'alreadyTranscribed', values: { name: job.fileName } },
      });
    }
    if (job.state !== 'failed' && job.state !== 'cancelled' && job.state !== 'interrupted') return job;
    const queued = this.jobs.updateJob(
      id,
      { state: 'queued', error: null, progress: startProgress(0) },
      this.now(),
    );
    this.live.changed(queued);
    this.enqueue(id);
    return this.getJob(id);
  }

  async remove(id: string): Promise<{ id: string }> {
    const job = this.getJob(id);
    await this.queue.cancel(id);
    const transcript = job.transcriptId ? this.transcripts.getTranscript(job.transcriptId) : null;
    this.jobs.deleteJob(id);
    if (transcript?.audioPath) await deleteCopy(this.deps.libraryDir, transcript.audioPath);
    this.live.removed(id);
    return { id };
  }

  /** Queued jobs run in the order they were queued, `concurrency` at a time. */
  private enqueue(id: string): void {
    this.queue.add(id, async ({ signal }) => {
      const job = this.jobs.getJob(id);
      if (job?.state !== 'queued') return;
      const live = this.live.start(job);
      live.end = await runJob(job, live, signal, this.jobRunnerDeps);
    });
  }

  // ── Transcripts ───────────────────────────────────────────────────────────────────────────────────────

  /** Every transcript in the library, newest first, whether or not a job still refers to it. */
  listTranscripts(limit: number): TranscriptSummary[] {
    return this.transcripts.list({ limit });
  }

  getTranscript(id: string): Transcript {
    const transcript = this.transcripts.getTranscript(id);
    if (!transcript) {
      throw failure({
        kind: 'not_found',
        message: 'This transcript no longer exists.',
        reason: { code: 'transcriptGone', values: {} },
      });
    }
    return transcript;
  }

  updateSegment(id: string, segmentIndex: number, text: string): TranscriptSegment {
    this.getTranscript(id);
    const segment = this.transcripts.updateSegmentText(id, segmentIndex, text, this.now());
    if (!segment) {
      throw failure({
        kind: 'invalid_input',
        message: `This transcript has no segment ${segmentIndex}.`,
        field: 'segmentIndex',
        reason: { code: 'noSegment', values: { segment: segmentIndex } },
      });
    }
    return segment;
  }

  alternatives(id: string): SegmentAlternative[] {
    this.getTranscript(id);
    return this.deps.alternatives.list(id);
  }

  /** Uses a kept alternative as the segment's text (an edit like the person's own) or dismisses it. */
  resolveAlternative(id: string, segmentIndex: number, version: string, use: boolean): TranscriptSegment {
    const transcript = this.getTranscript(id);
    const alternative = this.deps.alternatives.get(id, segmentIndex, version);
    const segment = transcript.segments.find((candidate) => candidate.index === segmentIndex);
    if (!alternative || !segment) {
      throw failure({
        kind: 'not_found',
        message: 'This other correction is no longer kept.',
        reason: { code: 'alternativeGone', values: {} },
      });
    }
    const resolved = use ? this.updateSegment(id, segmentIndex, alternative.text) : segment;
    this.deps.alternatives.remove(id, segmentIndex, version);
    return resolved;
  }

  export(id: string, format: TranscriptExportFormat): ExportedFile {
    return exportTranscript(this.getTranscript(id), format);
  }

  search(query: string, limit: number): TranscriptSearchHit[] {
    return this.transcripts.search(query, limit);
  }

  /** Copies the audio into the library folder (once); the transcript then refers to the copy. */
  async keepCopy(id: string): Promise<Transcript> {
    const transcript = this.getTranscript(id);
    if (transcript.audioPath) return transcript;
    let media: MediaKind;
    try {
      media = (await checkFile(transcript.sourcePath)).media;
    } catch (error) {
      const info = toAppError(error);
      // The window words why the original cannot be read (it names the file); the CLI reads it after this prefix.
      throw new HubError({
        ...info,
        message: `The original file cannot be copied: ${info.message}`,
        reason: info.reason ?? { code: 'internal', values: { detail: info.message } },
      });
    }
    const relative = await copyIntoLibrary(this.deps.libraryDir, transcript.sourcePath, id, media);
    this.transcripts.setAudioPath(id, relative, this.now());
    return this.getTranscript(id);
  }

  /** Where a transcript's audio plays from: its kept copy, else the original file where it is; null when neither is there. */
  async audioSource(id: string): Promise<{ from: AudioSource; file: string } | null> {
    const transcript = this.getTranscript(id);
    const copy = transcript.audioPath ? resolveInside(this.deps.libraryDir, transcript.audioPath) : null;
    if (copy && (await isFile(copy))) return { from: 'copy', file: copy };
    if (await isFile(transcript.sourcePath)) return { from: 'original', file: transcript.sourcePath };
    return null;
  }

  /** The file the player gets for a transcript (only the paths recorded for it); null when neither exists. */
  async audioFileOf(id: string): Promise<string | null> {
    return (await this.audioSource(id))?.file ?? null;
  }
}

/** A transcription error with its reason (a typed value, so the reason is checked against the codes). */
function failure(info: TranscriptionError): HubError {
  return new HubError(info);
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}
