import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { TranscriptionJob } from '../../../shared/transcription';
import type { HttpClient } from '../../api/http-client';
import { HubError } from '../../base/errors';
import type { FfmpegTools } from '../../files/ffmpeg';
import type { TranscriptionJobsRepo } from '../../store/transcription-jobs-repo';
import type { TranscriptsRepo } from '../../store/transcripts-repo';
import type { Notice } from '../notices';
import { checkFile, noAudioError } from './checks';
import { endOfRun, type JobEnd, type StopReason } from './job-state';
import { copyIntoLibrary, deleteCopy } from './library-copy';
import type { LiveJob, LiveJobs } from './live-jobs';
import { probeAudio } from './media';
import { partsFolderOf, partsToUpload } from './parts';
import { uploadParts } from './upload-parts';

export interface JobRunnerDeps {
  jobs: TranscriptionJobsRepo;
  transcripts: TranscriptsRepo;
  live: LiveJobs;
  libraryDir: string;
  client: () => HttpClient;
  findTools: () => Promise<FfmpegTools | null>;
  maxUploadBytes: number;
  now: () => number;
  /** Asked only once the run was aborted. */
  stopReason: () => StopReason;
  log?: (line: string) => void;
  notify?: (notice: Notice) => void;
}

/**
 * One run of a job: check the file, probe it, split it when needed, upload the parts, store the transcript
 * (and the kept copy), and clean up. Returns how the run ended when it did not finish (null when done).
 */
export async function runJob(
  job: TranscriptionJob,
  live: LiveJob,
  signal: AbortSignal,
  deps: JobRunnerDeps,
): Promise<JobEnd | null> {
  const partsFolder = partsFolderOf(deps.libraryDir, job.id);
  let copied: string | null = null;
  try {
    // Cancelled between leaving the queue and starting.
    signal.throwIfAborted();
    const checked = await checkFile(job.sourcePath);
    const tools = await deps.findTools();
    const probe = tools ? await probeAudio(tools, job.sourcePath, signal) : null;
    if (probe && !probe.hasAudio) throw noAudioError(job.fileName);
    const parts = await partsToUpload({
      source: job.sourcePath,
      fileName: job.fileName,
      checked,
      tools,
      durationSec: probe?.durationSec ?? null,
      maxUploadBytes: deps.maxUploadBytes,
      folder: partsFolder,
      signal,
    });
    const partsSeconds = parts.reduce((sum, part) => sum + part.durationSec, 0);
    const durationSec = probe?.durationSec ?? (partsSeconds > 0 ? partsSeconds : null);
    const totalBytes = parts.reduce((sum, part) => sum + part.size, 0);
    const uploaded = await uploadParts(
      deps.client(),
      job,
      parts,
      signal,
      (update) => deps.live.update(job.id, update),
      (notice) => deps.live.retrying(job.id, notice),
    );
    if (signal.aborted) {
      throw new HubError({
        kind: 'cancelled',
        message: 'Cancelled.',
        reason: { code: 'cancelled', values: {} },
      });
    }
    const transcriptId = randomUUID();
    if (job.options.keepCopy)
      copied = await copyIntoLibrary(deps.libraryDir, job.sourcePath, transcriptId, checked.media);
    live.progress = { ...live.progress, uploadedBytes: totalBytes };
    deps.transcripts.completeJob(
      {
        id: transcriptId,
        jobId: job.id,
        fileName: job.fileName,
        sourcePath: job.sourcePath,
        audioPath: copied,
        sizeBytes: checked.size,
        durationSec,
        model: job.options.model,
        language: uploaded.language,
        timestamps: uploaded.timestamps,
        segments: uploaded.segments,
        createdAt: deps.now(),
      },
      live.progress,
    );
    copied = null;
    live.state = 'done';
    deps.live.changed(deps.jobs.requireJob(job.id));
    deps.notify?.({ kind: 'transcript-ready', fileName: job.fileName });
    return null;
  } catch (error) {
    if (copied) await deleteCopy(deps.libraryDir, copied);
    const end = endOfRun(error, signal.aborted ? deps.stopReason() : null);
    if (end.state === 'failed') {
      deps.log?.(`transcription of ${job.fileName} failed: ${end.error.kind}: ${end.error.message}`);
      deps.notify?.({
        kind: 'transcript-failed',
        fileName: job.fileName,
        error: end.error.message,
        ...(end.error.reason ? { reason: end.error.reason } : {}),
      });
    }
    return end;
  } finally {
    await rm(partsFolder, { recursive: true, force: true }).catch(() => undefined);
  }
}
