import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { channels, type EventPayload } from '../../shared/contract';
import { audioCost } from '../../shared/costs';
import { type AppError, terminalAdvice } from '../../shared/errors';
import {
  exportFormatSchema,
  finishedJobStates,
  type TranscriptExportFormat,
  type TranscriptionJob,
} from '../../shared/transcription';
import { HubError, invalidInput } from '../base/errors';
import type { Core } from '../core';
import type { CliIo } from './io';
import { retryNotice } from './retry-notice';

export const transcribeUsage = `Usage: hubdesk transcribe FILE|FOLDER... [options]

Transcribes audio and video files (a folder: the media files inside it). A progress line per file goes to
stderr; each transcript is written to --out, by default next to its audio file, named like it with the
format's extension (talk.mp3 -> talk.txt). Exits with 1 if any file failed.

Options:
  --model ID          whisper-1 (default, timestamps), gpt-4o-transcribe, gpt-4o-mini-transcribe
  --language xx       ISO-639-1 code of the audio's language (default: detect)
  --prompt TEXT       words or style to expect
  --temperature N     0-1
  --format F          txt (default), srt, vtt or json
  --out DIR           write the transcripts here instead of next to each file
  --keep-copy         also copy the audio into HubDesk's library
  --json              one JSON line per file on stdout instead of the paths written`;

function percent(job: Pick<TranscriptionJob, 'progress'>): number {
  const { uploadedBytes, totalBytes } = job.progress;
  return totalBytes > 0 ? Math.floor((uploadedBytes / totalBytes) * 100) : 0;
}

function describe(job: TranscriptionJob, uploadPercent: number): string {
  const part = job.progress.partCount > 1 ? ` (part ${job.progress.part} of ${job.progress.partCount})` : '';
  switch (job.state) {
    case 'uploading':
      return `uploading ${uploadPercent}%${part}`;
    case 'transcribing':
      return `transcribing${part}`;
    case 'failed':
      return `failed: ${job.error?.message ?? 'unknown error'}`;
    default:
      return job.state;
  }
}

/** `hubdesk transcribe FILE... [--model] [--language] [--format] [--out]`. */
export async function transcribeCommand(core: Core, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      language: { type: 'string' },
      prompt: { type: 'string' },
      temperature: { type: 'string' },
      format: { type: 'string', default: 'txt' },
      out: { type: 'string' },
      'keep-copy': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(transcribeUsage);
    return 0;
  }
  if (positionals.length === 0) {
    io.err(transcribeUsage);
    return 2;
  }
  const format = exportFormatSchema.safeParse(values.format);
  if (!format.success) {
    throw new HubError({
      kind: 'invalid_input',
      message: '--format must be txt, srt, vtt or json.',
      field: 'format',
    });
  }
  const input = {
    paths: positionals.map((path) => resolve(path)),
    options: {
      ...(values.model ? { model: values.model } : {}),
      ...(values.language ? { language: values.language } : {}),
      ...(values.prompt ? { prompt: values.prompt } : {}),
      ...(values.temperature !== undefined ? { temperature: Number(values.temperature) } : {}),
      keepCopy: values['keep-copy'] ?? false,
    },
  };
  const request = channels['transcription.add'].request.safeParse(input);
  if (!request.success)
    throw new HubError(
      invalidInput(request.error.issues, input, {
        'options.model': '--model',
        'options.language': '--language',
        'options.prompt': '--prompt',
        'options.temperature': '--temperature',
      }),
    );

  const service = core.transcription;
  const lastLine = new Map<string, string>();
  const ids = new Set<string>();
  let resolveAll: () => void = () => undefined;
  const allFinished = new Promise<void>((done) => {
    resolveAll = done;
  });
  const report = (job: TranscriptionJob, uploadPercent = percent(job)) => {
    const stepped = job.state === 'uploading' ? Math.floor(uploadPercent / 25) * 25 : uploadPercent;
    const line = `${job.fileName}: ${describe(job, stepped)}`;
    if (lastLine.get(job.id) === line) return;
    lastLine.set(job.id, line);
    io.err(line);
  };
  const settled = () =>
    [...ids].every((id) => finishedJobStates.includes(service.getJob(id).state)) ? resolveAll() : undefined;
  const unsubscribe = core.bus.subscribe((event, payload) => {
    if (event === 'transcription.progress') {
      const progress = payload as { jobId: string; uploadedBytes: number; totalBytes: number };
      if (!ids.has(progress.jobId)) return;
      const job = service.getJob(progress.jobId);
      report(
        job,
        progress.totalBytes > 0 ? Math.floor((progress.uploadedBytes / progress.totalBytes) * 100) : 0,
      );
    } else if (event === 'transcription.retrying') {
      const retrying = payload as EventPayload<'transcription.retrying'>;
      if (!ids.has(retrying.jobId)) return;
      io.err(`${service.getJob(retrying.jobId).fileName}: ${retryNotice(retrying)}`);
    } else if (event === 'transcription.changed') {
      const { id, job } = payload as { id: string; job: TranscriptionJob | null };
      if (!ids.has(id) || !job) return;
      report(job);
      if (finishedJobStates.includes(job.state)) settled();
    }
  });
  const onInterrupt = () => {
    for (const id of ids) void service.cancel(id);
  };
  io.signal?.addEventListener('abort', onInterrupt, { once: true });
  let failed = 0;
  try {
    // Events of jobs that fail at once arrive before their ids are known; they are reported below.
    const jobs = await service.add(request.data.paths, request.data.options);
    for (const job of jobs) {
      ids.add(job.id);
      if (job.state !== 'queued') report(service.getJob(job.id));
    }
    settled();
    await allFinished;
    const written = new Set<string>();
    for (const job of jobs.map((added) => service.getJob(added.id))) {
      if (job.state !== 'done' || !job.transcriptId) {
        failed++;
        const error: AppError = job.error ?? { kind: 'cancelled', message: 'Cancelled.' };
        if (values.json) io.out(JSON.stringify({ file: job.sourcePath, state: job.state, error }));
        else if (job.state === 'failed' && terminalAdvice(error)) io.err(`  ${terminalAdvice(error)}`);
        continue;
      }
      const output = await writeTranscript(core, job, format.data, values.out, written);
      if (values.json) {
        io.out(
          JSON.stringify({
            file: job.sourcePath,
            state: job.state,
            output,
            transcriptId: job.transcriptId,
            costUsd: audioCost(core.costs.book().audio(job.options.model), job.durationSec ?? 0),
          }),
        );
      } else io.out(output);
    }
  } finally {
    unsubscribe();
    io.signal?.removeEventListener('abort', onInterrupt);
  }
  return failed > 0 ? 1 : 0;
}

async function writeTranscript(
  core: Core,
  job: TranscriptionJob,
  format: TranscriptExportFormat,
  outDir: string | undefined,
  written: Set<string>,
): Promise<string> {
  const exported = core.transcription.export(job.transcriptId ?? '', format);
  const folder = outDir ? resolve(outDir) : dirname(job.sourcePath);
  await mkdir(folder, { recursive: true });
  let path = join(folder, exported.fileName);
  const stem = exported.fileName.slice(0, exported.fileName.length - extname(exported.fileName).length);
  for (let n = 2; written.has(path); n++) path = join(folder, `${stem} (${n}).${format}`);
  written.add(path);
  await writeFile(path, exported.content);
  return path;
}
