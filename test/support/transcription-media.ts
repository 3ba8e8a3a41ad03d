import { execFile } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Core } from '../../src/main/core';
import { requireFfmpeg } from '../../src/main/files/ffmpeg';
import type { JobState, TranscriptionJob } from '../../src/shared/transcription';

const run = promisify(execFile);
const fixtures = join(import.meta.dirname, '../fixtures');

/** A copy of the spoken fixture (speech.wav or speech.mp3) under a name of the test's choosing. */
export async function speechFile(folder: string, name: string, kind: 'wav' | 'mp3' = 'wav'): Promise<string> {
  const path = join(folder, name);
  await copyFile(join(fixtures, `speech.${kind}`), path);
  return path;
}

/** Runs the ffmpeg that installs with the app (from the npm registry), so tests need no system ffmpeg. */
export async function ffmpeg(args: string[]): Promise<void> {
  const tools = await requireFfmpeg();
  await run(tools.ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { timeout: 60_000 });
}

/** Waits until the job is in one of `states` (default: any finished state) and returns it. */
export async function waitForJob(
  core: Core,
  id: string,
  states: JobState[] = ['done', 'failed', 'cancelled', 'interrupted'],
  timeoutMs = 15_000,
): Promise<TranscriptionJob> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = core.transcription.getJob(id);
    if (states.includes(job.state)) return job;
    if (Date.now() > until)
      throw new Error(`job ${job.fileName} stayed ${job.state}, wanted ${states.join('|')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
