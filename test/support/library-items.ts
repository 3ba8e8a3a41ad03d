/** Library items as the app stores them, with the dates, vendors and states a test needs. */
import type { Core } from '../../src/main/core';
import { TranscriptsRepo } from '../../src/main/store/transcripts-repo';

/** The conversation a message belongs to. */
export function conversationOf(core: Core, messageId: string): string {
  const row = core.db.prepare('SELECT conversation_id FROM messages WHERE id = ?').get(messageId) as {
    conversation_id: string;
  };
  return row.conversation_id;
}

let added = 0;

/** A finished transcript, 10 s per segment, created at `createdAt` (a model without timestamps when false). */
export function addTimedTranscript(
  core: Core,
  fileName: string,
  texts: string[],
  createdAt: number,
  timestamps = true,
): string {
  const id = `tool-tr-${++added}`;
  new TranscriptsRepo(core.db).completeJob(
    {
      id,
      jobId: null,
      fileName,
      sourcePath: `/media/${fileName}`,
      audioPath: null,
      sizeBytes: 1000,
      durationSec: texts.length * 10,
      model: timestamps ? 'whisper-1' : 'gpt-4o-transcribe',
      language: 'en',
      timestamps,
      createdAt,
      segments: texts.map((text, index) => ({ start: index * 10, end: index * 10 + 10, text, words: [] })),
    },
    { uploadedBytes: 1000, totalBytes: 1000, part: 1, partCount: 1 },
  );
  return id;
}

/** A video job in any state, created at `createdAt`. */
export function addVideoWith(
  core: Core,
  video: {
    vendor: string;
    model: string;
    prompt: string;
    status: string;
    progress?: number;
    error?: { message: string };
    createdAt: number;
  },
): string {
  const id = `tool-vid-${++added}`;
  const { createdAt } = video;
  core.db
    .prepare(
      `INSERT INTO video_jobs (id, vendor, model, prompt, status, progress, error, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      video.vendor,
      video.model,
      video.prompt,
      video.status,
      video.progress ?? null,
      video.error ? JSON.stringify(video.error) : null,
      createdAt,
      createdAt,
    );
  return id;
}
