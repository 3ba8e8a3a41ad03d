import type { JobProgress, TranscriptionJob } from '../../../shared/transcription';
import type { HttpClient } from '../../api/http-client';
import type { RetryNotice } from '../../api/retry';
import { transcribeFile } from '../../api/transcription';
import type { NewSegment } from '../../store/transcripts-repo';
import { uploadedBytesAt, uploadStateAt } from './job-state';
import type { UploadPart } from './parts';
import { placeSegments } from './stitch';

export interface UploadUpdate {
  progress: JobProgress;
  state: 'uploading' | 'transcribing';
  /** A part begins: told even when the state stays the same. */
  partStart: boolean;
}

export interface UploadedTranscript {
  segments: NewSegment[];
  language: string | null;
  /** False when any part came back without timestamps. */
  timestamps: boolean;
}

/** Sends the parts one after another, telling each step, and stitches their segments onto the file's time line. */
export async function uploadParts(
  client: HttpClient,
  job: TranscriptionJob,
  parts: UploadPart[],
  signal: AbortSignal,
  onUpdate: (update: UploadUpdate) => void,
  onRetry: (notice: RetryNotice) => void,
): Promise<UploadedTranscript> {
  const totalBytes = parts.reduce((sum, part) => sum + part.size, 0);
  const segments: NewSegment[] = [];
  let language: string | null = job.options.language ?? null;
  let timestamps = true;
  let uploadedBefore = 0;
  for (const [index, part] of parts.entries()) {
    let progress: JobProgress = {
      uploadedBytes: uploadedBefore,
      totalBytes,
      part: index + 1,
      partCount: parts.length,
    };
    onUpdate({ progress, state: 'uploading', partStart: true });
    const result = await transcribeFile(client, {
      path: part.path,
      fileName: part.fileName,
      contentType: part.contentType,
      size: part.size,
      model: job.options.model,
      language: job.options.language,
      prompt: job.options.prompt,
      temperature: job.options.temperature,
      signal,
      onRetry,
      onProgress: (sent, total) => {
        progress = { ...progress, uploadedBytes: uploadedBytesAt(uploadedBefore, part.size, sent, total) };
        onUpdate({ progress, state: uploadStateAt(sent, total), partStart: false });
      },
    });
    uploadedBefore += part.size;
    language ??= result.language;
    if (!result.timestamps) timestamps = false;
    segments.push(...placeSegments(result.segments, part, result.timestamps));
  }
  return { segments, language, timestamps };
}
