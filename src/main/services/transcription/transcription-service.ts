import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { AppError } from '../../../shared/errors';
import { formatBytes } from '../../../shared/sizes';
import {
  AUDIO_EXTENSIONS,
  type JobProgress,
  type JobState,
  MAX_UPLOAD_BYTES,
  type Transcript,
  type TranscriptExportFormat,
  type TranscriptionCapabilities,
  type TranscriptionJob,
  type TranscriptionOptions,
  type TranscriptSearchHit,
  type TranscriptSegment,
} from '../../../shared/transcription';
import { type ParsedSegment, transcribeFile } from '../../api/transcription';
import { HubError, toAppError } from '../../base/errors';
import { type FfmpegTools, findFfmpeg } from '../../files/ffmpeg';
import { resolveInside } from '../../files/library';
import { type NewSegment, TranscriptsRepo } from '../../store/transcripts-repo';
import type { ServiceDeps } from '../service-deps';
import { type ExportedFile, exportTranscript } from './export';
import {
  type AudioPart,
  convertToWav,
  describeContent,
  detectMedia,
  detectSilences,
  type MediaKind,
  PART_BYTES_PER_SECOND,
  planCuts,
  probeAudio,
  readHead,
  splitWav,
  WAV_HEADER_BYTES,
} from './media';
import { modelCapabilities } from './models';

export interface TranscriptionServiceOptions {
  /** Which ffmpeg to use; default: the packaged one, else PATH. Tests return null to act as if none runs. */
  findTools?: () => Promise<FfmpegTools | null>;
  /** Jobs running at once. Default 2. */
  concurrency?: number;
  /** The API's limit per upload. Default 25 MB. */
  maxUploadBytes?: number;
}

/** Media a folder contributes (by extension; each file is still checked by its first bytes). */
const FOLDER_EXTENSIONS = new Set<string>([
  ...AUDIO_EXTENSIONS,
  'oga',
  'opus',
  'aac',
  'aiff',
  'aif',
  'amr',
  'wma',
  'mkv',
  'mov',
  'avi',
  '3gp',
]);
/** The extensions the API accepts for each container it takes. */
const NAMES_FOR_KIND: Record<string, string[]> = {
  mp3: ['mp3', 'mpga', 'mpeg'],
  mp4: ['mp4', 'm4a'],
  m4a: ['m4a', 'mp4'],
  ogg: ['ogg', 'oga'],
  webm: ['webm'],
  wav: ['wav'],
  flac: ['flac'],
  mpeg: ['mpeg', 'mpga'],
};
const PROGRESS_INTERVAL_MS = 100;
const PARTS_FOLDER = '.transcription-parts';
const COPIES_FOLDER = 'transcripts';
/** Room for the multipart envelope and rounding under the API's limit. */
const UPLOAD_MARGIN_BYTES = 512 * 1024;

interface Running {
  controller: AbortController;
  /** Why it was aborted: the user's cancel, or the app closing (the job is then interrupted). */
  reason: 'cancel' | 'close' | null;
  state: JobState;
  progress: JobProgress;
  lastProgressAt: number;
  done: Promise<void>;
}

interface CheckedFile {
  size: number;
  media: MediaKind;
}

function inputError(message: string, field = 'paths'): HubError {
  return new HubError({ kind: 'invalid_input', message, field });
}

/** The name the API sees: the file's own when its extension fits the content, else the content's extension. */
function apiFileName(fileName: string, media: MediaKind): string {
  const extension = extname(fileName).slice(1).toLowerCase();
  const accepted = NAMES_FOR_KIND[media.kind] ?? [];
  if (accepted.includes(extension)) return fileName;
  const stem = fileName.slice(0, fileName.length - extname(fileName).length) || 'audio';
  return `${stem}.${media.apiExtension ?? 'wav'}`;
}

/**
 * Transcription jobs: a queue (two at a time), per-job state in SQLite, uploads streamed with progress,
 * long files split at silences and stitched back, transcripts that can be edited, searched and exported.
 */
export class TranscriptionService {
  private readonly repo: TranscriptsRepo;
  private readonly running = new Map<string, Running>();
  private readonly findTools: () => Promise<FfmpegTools | null>;
  private readonly concurrency: number;
  private readonly maxUploadBytes: number;
  private closing = false;

  constructor(
    readonly deps: ServiceDeps,
    options: TranscriptionServiceOptions = {},
  ) {
    this.repo = new TranscriptsRepo(deps.db);
    this.findTools = options.findTools ?? (() => findFfmpeg());
    this.concurrency = options.concurrency ?? 2;
    this.maxUploadBytes = options.maxUploadBytes ?? MAX_UPLOAD_BYTES;
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** Start-up: jobs a previous run left queued or running become interrupted (retry restarts them). */
  recover(): number {
    const ids = this.repo.markActiveInterrupted(
      {
        kind: 'cancelled',
        message: 'HubDesk was closed before this file was transcribed. Retry to transcribe it again.',
      },
      this.now(),
    );
    rmSync(join(this.deps.libraryDir, PARTS_FOLDER), { recursive: true, force: true });
    if (ids.length > 0) this.deps.log?.(`marked ${ids.length} transcription job(s) interrupted`);
    return ids.length;
  }

  /** Stops running jobs (they become interrupted) and waits for them. */
  async close(): Promise<void> {
    this.closing = true;
    for (const running of this.running.values()) {
      running.reason = 'close';
      running.controller.abort();
    }
    await Promise.allSettled([...this.running.values()].map((running) => running.done));
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
        const inside = await this.mediaFilesIn(path);
        if (inside.length === 0)
          throw inputError(`The folder “${basename(path)}” has no audio or video files.`);
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
      let error: AppError | null = null;
      try {
        size = (await this.checkFile(file)).size;
      } catch (failure) {
        error = toAppError(failure);
        size = (await stat(file).catch(() => null))?.size ?? 0;
      }
      const job = this.repo.insertJob({
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
      this.emitChanged(job);
      jobs.push(job);
    }
    this.pump();
    return jobs;
  }

  private async mediaFilesIn(folder: string): Promise<string[]> {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && FOLDER_EXTENSIONS.has(extname(entry.name).slice(1).toLowerCase()))
      .map((entry) => join(entry.parentPath ?? folder, entry.name))
      .sort();
  }

  /** Missing, unreadable, empty, or not audio/video by its first bytes: a readable error, nothing uploaded. */
  private async checkFile(path: string): Promise<CheckedFile> {
    const name = basename(path);
    let size: number;
    try {
      const info = await stat(path);
      if (!info.isFile()) throw inputError(`“${name}” is not a file.`);
      size = info.size;
    } catch (error) {
      if (error instanceof HubError) throw error;
      const code = (error as { code?: string }).code;
      throw inputError(
        code === 'ENOENT'
          ? `“${name}” was not found at ${path}.`
          : `“${name}” cannot be read (${code ?? 'error'}).`,
      );
    }
    if (size === 0) throw inputError(`“${name}” is empty (0 bytes): there is nothing to transcribe.`);
    let head: Buffer;
    try {
      head = await readHead(path);
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw inputError(
        code === 'EACCES' || code === 'EPERM'
          ? `“${name}” cannot be read: permission denied.`
          : `“${name}” cannot be read (${code ?? 'error'}).`,
      );
    }
    const media = detectMedia(head);
    if (!media) {
      throw inputError(
        `“${name}” is not an audio or video file (its content is ${describeContent(head)}), so it was not uploaded.`,
      );
    }
    return { size, media };
  }

  list(): TranscriptionJob[] {
    return this.repo.listJobs().map((job) => this.withLiveProgress(job));
  }

  getJob(id: string): TranscriptionJob {
    const job = this.repo.getJob(id);
    if (!job) throw new HubError({ kind: 'not_found', message: 'This transcription job no longer exists.' });
    return this.withLiveProgress(job);
  }

  private withLiveProgress(job: TranscriptionJob): TranscriptionJob {
    const running = this.running.get(job.id);
    return running ? { ...job, state: running.state, progress: running.progress } : job;
  }

  async cancel(id: string): Promise<TranscriptionJob> {
    const job = this.getJob(id);
    const running = this.running.get(id);
    if (running) {
      running.reason = 'cancel';
      running.controller.abort();
      await running.done;
    } else if (job.state === 'queued') {
      this.setState(id, 'cancelled', { kind: 'cancelled', message: 'Cancelled before it started.' });
    }
    return this.getJob(id);
  }

  retry(id: string): TranscriptionJob {
    const job = this.getJob(id);
    if (job.state === 'done') {
      throw new HubError({ kind: 'invalid_input', message: 'This file is already transcribed.' });
    }
    if (job.state !== 'failed' && job.state !== 'cancelled' && job.state !== 'interrupted') return job;
    const queued = this.repo.updateJob(
      id,
      { state: 'queued', error: null, progress: { uploadedBytes: 0, totalBytes: 0, part: 0, partCount: 0 } },
      this.now(),
    );
    this.emitChanged(queued);
    this.pump();
    return this.getJob(id);
  }

  async remove(id: string): Promise<{ id: string }> {
    const job = this.getJob(id);
    const running = this.running.get(id);
    if (running) {
      running.reason = 'cancel';
      running.controller.abort();
      await running.done;
    }
    const transcript = job.transcriptId ? this.repo.getTranscript(job.transcriptId) : null;
    this.repo.deleteJob(id);
    if (transcript?.audioPath) await this.deleteCopy(transcript.audioPath);
    this.deps.bus.emit('transcription.changed', { id, job: null });
    return { id };
  }

  private setState(id: string, state: JobState, error: AppError | null = null): TranscriptionJob {
    const running = this.running.get(id);
    if (running) running.state = state;
    const job = this.repo.updateJob(
      id,
      { state, error, ...(running ? { progress: running.progress } : {}) },
      this.now(),
    );
    this.emitChanged(job);
    return job;
  }

  private emitChanged(job: TranscriptionJob): void {
    this.deps.bus.emit('transcription.changed', { id: job.id, job: this.withLiveProgress(job) });
  }

  private emitProgress(id: string, force = false): void {
    const running = this.running.get(id);
    if (!running) return;
    const now = performance.now();
    if (!force && now - running.lastProgressAt < PROGRESS_INTERVAL_MS) return;
    running.lastProgressAt = now;
    this.deps.bus.emit('transcription.progress', { jobId: id, state: running.state, ...running.progress });
  }

  /** Starts queued jobs, oldest first, while fewer than `concurrency` run. */
  private pump(): void {
    if (this.closing) return;
    const queued = this.repo
      .listJobs()
      .filter((job) => job.state === 'queued' && !this.running.has(job.id))
      .reverse();
    for (const job of queued) {
      if (this.running.size >= this.concurrency) break;
      const running: Running = {
        controller: new AbortController(),
        reason: null,
        state: 'queued',
        progress: { uploadedBytes: 0, totalBytes: job.sizeBytes, part: 0, partCount: 0 },
        lastProgressAt: 0,
        done: Promise.resolve(),
      };
      this.running.set(job.id, running);
      running.done = this.runJob(job, running).finally(() => {
        this.running.delete(job.id);
        this.pump();
      });
    }
  }

  private async runJob(job: TranscriptionJob, running: Running): Promise<void> {
    const signal = running.controller.signal;
    const partsFolder = join(this.deps.libraryDir, PARTS_FOLDER, job.id);
    let copied: string | null = null;
    let outcome: { state: JobState; error: AppError } | null = null;
    try {
      const checked = await this.checkFile(job.sourcePath);
      const tools = await this.findTools();
      const probe = tools ? await probeAudio(tools, job.sourcePath, signal) : null;
      if (probe && !probe.hasAudio) {
        throw inputError(`“${job.fileName}” has no audio track, so there is nothing to transcribe.`);
      }
      const needsConversion = checked.size > this.maxUploadBytes || checked.media.apiExtension === null;
      if (needsConversion && !tools) throw this.noFfmpegError(job.fileName, checked);
      const parts: (AudioPart & { fileName: string; contentType: string })[] = [];
      if (!needsConversion || !tools) {
        parts.push({
          path: job.sourcePath,
          size: checked.size,
          offsetSec: 0,
          durationSec: probe?.durationSec ?? 0,
          fileName: apiFileName(job.fileName, checked.media),
          contentType: checked.media.contentType,
        });
      } else {
        for (const part of await this.prepareParts(tools, job.sourcePath, partsFolder, signal)) {
          parts.push({ ...part, fileName: basename(part.path), contentType: 'audio/wav' });
        }
      }
      const partsSeconds = parts.reduce((sum, part) => sum + part.durationSec, 0);
      const durationSec = probe?.durationSec ?? (partsSeconds > 0 ? partsSeconds : null);
      const totalBytes = parts.reduce((sum, part) => sum + part.size, 0);
      const segments: NewSegment[] = [];
      let language: string | null = job.options.language ?? null;
      let timestamps = true;
      let uploadedBefore = 0;
      for (const [index, part] of parts.entries()) {
        running.progress = {
          uploadedBytes: uploadedBefore,
          totalBytes,
          part: index + 1,
          partCount: parts.length,
        };
        this.setState(job.id, 'uploading');
        this.emitProgress(job.id, true);
        const result = await transcribeFile(this.deps.client(), {
          path: part.path,
          fileName: part.fileName,
          contentType: part.contentType,
          size: part.size,
          model: job.options.model,
          language: job.options.language,
          prompt: job.options.prompt,
          temperature: job.options.temperature,
          signal,
          onProgress: (sent, total) => {
            running.progress = {
              ...running.progress,
              uploadedBytes: uploadedBefore + Math.min(part.size, Math.round((sent / total) * part.size)),
            };
            // A retried attempt (after a network error) uploads again from the start.
            const state = sent >= total ? 'transcribing' : 'uploading';
            if (state !== running.state) {
              this.setState(job.id, state);
              this.emitProgress(job.id, true);
            } else this.emitProgress(job.id);
          },
        });
        uploadedBefore += part.size;
        language ??= result.language;
        if (!result.timestamps) timestamps = false;
        segments.push(...placeSegments(result.segments, part, result.timestamps));
      }
      if (signal.aborted) throw new HubError({ kind: 'cancelled', message: 'Cancelled.' });
      const transcriptId = randomUUID();
      if (job.options.keepCopy)
        copied = await this.copyIntoLibrary(job.sourcePath, transcriptId, checked.media);
      running.progress = { ...running.progress, uploadedBytes: totalBytes };
      this.repo.completeJob(
        {
          id: transcriptId,
          jobId: job.id,
          fileName: job.fileName,
          sourcePath: job.sourcePath,
          audioPath: copied,
          sizeBytes: checked.size,
          durationSec,
          model: job.options.model,
          language,
          timestamps,
          segments,
          createdAt: this.now(),
        },
        running.progress,
      );
      copied = null;
      running.state = 'done';
      this.emitChanged(this.repo.requireJob(job.id));
      this.deps.notify?.({ kind: 'transcript-ready', fileName: job.fileName });
    } catch (error) {
      if (copied) await this.deleteCopy(copied);
      if (signal.aborted && running.reason === 'close') {
        outcome = {
          state: 'interrupted',
          error: {
            kind: 'cancelled',
            message:
              'HubDesk was closed while this file was being transcribed. Retry to transcribe it again.',
          },
        };
      } else if (signal.aborted) {
        outcome = { state: 'cancelled', error: { kind: 'cancelled', message: 'Cancelled.' } };
      } else {
        const info = toAppError(error);
        this.deps.log?.(`transcription of ${job.fileName} failed: ${info.kind}: ${info.message}`);
        outcome = { state: 'failed', error: info };
        this.deps.notify?.({ kind: 'transcript-failed', fileName: job.fileName, error: info.message });
      }
    } finally {
      await rm(partsFolder, { recursive: true, force: true }).catch(() => undefined);
    }
    // Written only once the job has left the running set, so that a retry right after sees it as it is.
    this.running.delete(job.id);
    if (outcome) {
      const ended = this.repo.updateJob(
        job.id,
        { state: outcome.state, error: outcome.error, progress: running.progress },
        this.now(),
      );
      this.emitChanged(ended);
    }
  }

  private noFfmpegError(fileName: string, checked: CheckedFile): HubError {
    const limit = formatBytes(this.maxUploadBytes, { zeros: 'keep' });
    return new HubError({
      kind: 'invalid_input',
      message:
        checked.size > this.maxUploadBytes
          ? `“${fileName}” is ${formatBytes(checked.size, { zeros: 'keep' })}, over the API's ${limit} limit, and ffmpeg (needed to split it) does not run on this computer. Nothing was uploaded. Reinstall HubDesk or install ffmpeg on your PATH, or split the file into pieces under ${limit} yourself.`
          : `“${fileName}” is ${checked.media.kind.toUpperCase()} audio, which the API does not accept, and ffmpeg (needed to convert it) does not run on this computer. Nothing was uploaded. Reinstall HubDesk or install ffmpeg on your PATH, or convert it to MP3 or WAV yourself.`,
    });
  }

  /** 16 kHz mono WAV, cut near silences into parts that each fit one upload. */
  private async prepareParts(
    tools: FfmpegTools,
    source: string,
    folder: string,
    signal: AbortSignal,
  ): Promise<AudioPart[]> {
    await mkdir(folder, { recursive: true });
    const wav = join(folder, 'full.wav');
    const seconds = await convertToWav(tools, source, wav, signal);
    const maxPartSec = Math.floor(
      (this.maxUploadBytes - UPLOAD_MARGIN_BYTES - WAV_HEADER_BYTES) / PART_BYTES_PER_SECOND,
    );
    if (seconds <= maxPartSec) return splitWav(tools, wav, [], folder, signal);
    const silences = await detectSilences(tools, wav, signal);
    const parts = await splitWav(tools, wav, planCuts(seconds, maxPartSec, silences), folder, signal);
    await rm(wav, { force: true });
    return parts;
  }

  // ── Transcripts ───────────────────────────────────────────────────────────────────────────────────────

  getTranscript(id: string): Transcript {
    const transcript = this.repo.getTranscript(id);
    if (!transcript) throw new HubError({ kind: 'not_found', message: 'This transcript no longer exists.' });
    return transcript;
  }

  updateSegment(id: string, segmentIndex: number, text: string): TranscriptSegment {
    this.getTranscript(id);
    const segment = this.repo.updateSegmentText(id, segmentIndex, text, this.now());
    if (!segment) {
      throw new HubError({
        kind: 'invalid_input',
        message: `This transcript has no segment ${segmentIndex}.`,
        field: 'segmentIndex',
      });
    }
    return segment;
  }

  export(id: string, format: TranscriptExportFormat): ExportedFile {
    return exportTranscript(this.getTranscript(id), format);
  }

  search(query: string, limit: number): TranscriptSearchHit[] {
    return this.repo.search(query, limit);
  }

  /** Copies the audio into the library folder (once); the transcript then refers to the copy. */
  async keepCopy(id: string): Promise<Transcript> {
    const transcript = this.getTranscript(id);
    if (transcript.audioPath) return transcript;
    let media: MediaKind;
    try {
      media = (await this.checkFile(transcript.sourcePath)).media;
    } catch (error) {
      const info = toAppError(error);
      throw new HubError({ ...info, message: `The original file cannot be copied: ${info.message}` });
    }
    const relative = await this.copyIntoLibrary(transcript.sourcePath, id, media);
    this.repo.setAudioPath(id, relative, this.now());
    return this.getTranscript(id);
  }

  /** The audio file a transcript plays from: its kept copy, else the original; null when neither exists. */
  async audioFileOf(id: string): Promise<string | null> {
    const transcript = this.getTranscript(id);
    const file = transcript.audioPath
      ? resolveInside(this.deps.libraryDir, transcript.audioPath)
      : transcript.sourcePath;
    if (!file) return null;
    return (await stat(file).catch(() => null))?.isFile() ? file : null;
  }

  private async copyIntoLibrary(source: string, transcriptId: string, media: MediaKind): Promise<string> {
    const extension = extname(source).slice(1).toLowerCase() || media.apiExtension || media.kind;
    const relative = `${COPIES_FOLDER}/${transcriptId}.${extension.replace(/[^a-z0-9]/g, '') || 'audio'}`;
    const target = resolveInside(this.deps.libraryDir, relative);
    if (!target)
      throw new HubError({ kind: 'invalid_input', message: 'The library folder cannot hold this file.' });
    await mkdir(join(this.deps.libraryDir, COPIES_FOLDER), { recursive: true });
    await copyFile(source, `${target}.part`);
    await rename(`${target}.part`, target);
    return relative;
  }

  private async deleteCopy(relative: string): Promise<void> {
    const file = resolveInside(this.deps.libraryDir, relative);
    if (file) await rm(file, { force: true }).catch(() => undefined);
  }
}

/**
 * A part's segments moved to the whole file's time line and kept inside the part. Without timestamps the
 * part becomes one segment spanning it.
 */
export function placeSegments(segments: ParsedSegment[], part: AudioPart, timed: boolean): NewSegment[] {
  // Without ffprobe the length of a single, unsplit file is unknown: only the start is bounded.
  const end = part.durationSec > 0 ? part.offsetSec + part.durationSec : Number.POSITIVE_INFINITY;
  const clamp = (seconds: number) => Math.min(end, Math.max(part.offsetSec, part.offsetSec + seconds));
  if (!timed) {
    const text = segments
      .map((segment) => segment.text)
      .join(' ')
      .trim();
    const last = Number.isFinite(end) ? end : part.offsetSec;
    return text ? [{ start: part.offsetSec, end: last, text, words: [] }] : [];
  }
  return segments.map((segment) => ({
    start: round3(clamp(segment.start)),
    end: round3(clamp(segment.end)),
    text: segment.text,
    words: segment.words.map((word) => ({
      word: word.word,
      start: round3(clamp(word.start)),
      end: round3(clamp(word.end)),
    })),
  }));
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
