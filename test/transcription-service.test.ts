import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TranscriptionService } from '../src/main/services/transcription/transcription-service';
import { SegmentAlternativesRepo } from '../src/main/store/segment-alternatives-repo';
import { TranscriptionJobsRepo } from '../src/main/store/transcription-jobs-repo';
import { TranscriptsRepo } from '../src/main/store/transcripts-repo';
import { SNIPPET_MATCH_END, SNIPPET_MATCH_START } from '../src/shared/chat';
import type { EventPayload, ResponseOf } from '../src/shared/contract';
import type { TranscriptionJob, TranscriptionProgress } from '../src/shared/transcription';
import { type ChatHarness, startChatHarness } from './support/chat-core';
import { addTimedTranscript } from './support/library-items';
import { ffmpeg, speechFile, waitForJob } from './support/transcription-media';

let harness: ChatHarness;
let folder: string;

beforeAll(async () => {
  harness = await startChatHarness();
  folder = await mkdtemp(join(tmpdir(), 'hubdesk-transcribe-'));
});
afterAll(async () => {
  await harness?.close();
  await rm(folder, { recursive: true, force: true });
});
beforeEach(() => {
  harness.proxy.clearFaults();
  harness.proxy.requests.length = 0;
});

const uploads = () =>
  harness.proxy.requests.filter((request) => request.path.startsWith('/v1/audio/transcriptions'));

/** The multipart text fields of a recorded upload. */
async function formFields(index = 0): Promise<[string, string][]> {
  const request = uploads()[index];
  if (!request) throw new Error('no upload recorded');
  const form = await new Response(new Uint8Array(request.body), {
    headers: { 'content-type': request.headers['content-type'] ?? '' },
  }).formData();
  return [...form.entries()].filter((entry): entry is [string, string] => typeof entry[1] === 'string');
}

function transcriptCount(jobId: string): number {
  return (
    harness.core.db.prepare('SELECT COUNT(*) AS n FROM transcripts WHERE job_id = ?').get(jobId) as {
      n: number;
    }
  ).n;
}

describe('transcription against the fake proxy', () => {
  it('whisper-1: verbose_json with word and segment timestamps, progress, and a searchable transcript', async () => {
    const file = await speechFile(folder, 'greeting.wav');
    const core = harness.core;
    const [added] = await core.transcription.add([file], {
      model: 'whisper-1',
      language: 'en',
      prompt: 'HubDesk',
      temperature: 0.2,
      keepCopy: false,
    });
    const job = await waitForJob(core, added?.id ?? '');
    expect(job.state).toBe('done');
    expect(job.durationSec).toBeGreaterThan(1);
    const fields = await formFields();
    expect(fields).toEqual(
      expect.arrayContaining([
        ['model', 'whisper-1'],
        ['response_format', 'verbose_json'],
        ['timestamp_granularities[]', 'word'],
        ['timestamp_granularities[]', 'segment'],
        ['language', 'en'],
        ['prompt', 'HubDesk'],
        ['temperature', '0.2'],
      ]),
    );
    const transcript = core.transcription.getTranscript(job.transcriptId ?? '');
    expect(transcript).toMatchObject({
      fileName: 'greeting.wav',
      model: 'whisper-1',
      language: 'en',
      timestamps: true,
    });
    expect(transcript.segments[0]?.text).toBe('Transcript of greeting.wav.');
    expect(transcript.segments[0]?.words.map((word) => word.word)).toEqual([
      'Transcript',
      'of',
      'greeting.wav.',
    ]);

    const progress = harness
      .eventsOf('transcription.progress')
      .filter((p: TranscriptionProgress) => p.jobId === job.id);
    const sent = progress.map((p) => p.uploadedBytes);
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ uploadedBytes: job.sizeBytes, totalBytes: job.sizeBytes });
    const states = harness
      .eventsOf('transcription.changed')
      .filter((event) => event.id === job.id)
      .map((event) => event.job?.state);
    expect(states).toEqual(['queued', 'uploading', 'transcribing', 'done']);

    const hits = core.transcription.search('greeting', 10);
    expect(hits[0]).toMatchObject({ transcriptId: transcript.id, segmentIndex: 0 });
    expect(hits[0]?.snippet).toContain(`${SNIPPET_MATCH_START}greeting${SNIPPET_MATCH_END}`);

    const edited = core.transcription.updateSegment(transcript.id, 0, 'Welcome, listeners.');
    expect(edited).toMatchObject({ text: 'Welcome, listeners.', edited: true });
    expect(core.transcription.search('greeting', 10)).toEqual([]);
    expect(core.transcription.search('listeners', 10)).toHaveLength(1);
    expect(core.transcription.export(transcript.id, 'srt').content).toMatch(
      /^1\n00:00:00,000 --> .*\nWelcome, listeners\.\n/,
    );
  });

  it.each(['gpt-4o-transcribe', 'gpt-4o-mini-transcribe'] as const)(
    '%s: json only, one untimed segment spanning the file',
    async (model) => {
      const file = await speechFile(folder, `${model}.mp3`, 'mp3');
      const [added] = await harness.core.transcription.add([file], { model, keepCopy: false });
      const job = await waitForJob(harness.core, added?.id ?? '');
      expect(job.state).toBe('done');
      const fields = await formFields();
      expect(fields).toContainEqual(['response_format', 'json']);
      expect(fields.map(([name]) => name)).not.toContain('timestamp_granularities[]');
      const transcript = harness.core.transcription.getTranscript(job.transcriptId ?? '');
      expect(transcript.timestamps).toBe(false);
      expect(transcript.segments).toHaveLength(1);
      expect(transcript.segments[0]).toMatchObject({
        start: 0,
        text: expect.stringContaining(`Transcript of ${model}.mp3.`),
      });
      expect(transcript.segments[0]?.end).toBeCloseTo(job.durationSec ?? 0, 1);
    },
  );

  it('refuses a non-audio file renamed .mp3, an empty file and a missing one, uploading nothing', async () => {
    const text = join(folder, 'notes.mp3');
    await writeFile(text, 'Dear diary, this is not audio at all.\n'.repeat(20));
    const empty = join(folder, 'empty.wav');
    await writeFile(empty, '');
    const jobs = await harness.core.transcription.add([text, empty, join(folder, 'missing.wav')], {
      model: 'whisper-1',
      keepCopy: false,
    });
    expect(jobs.map((job) => job.state)).toEqual(['failed', 'failed', 'failed']);
    expect(jobs[0]?.error?.message).toBe(
      '“notes.mp3” is not an audio or video file (its content is text), so it was not uploaded.',
    );
    expect(jobs[1]?.error?.message).toMatch(/“empty\.wav” is empty/);
    expect(jobs[2]?.error?.message).toMatch(/“missing\.wav” was not found/);
    expect(jobs.every((job) => job.error?.kind === 'invalid_input')).toBe(true);
    // The window words each from its code and values, in its own language.
    expect(jobs.map((job) => job.error?.reason)).toEqual([
      { code: 'notAudio', values: { name: 'notes.mp3', content: 'text' } },
      { code: 'empty', values: { name: 'empty.wav' } },
      { code: 'notFound', values: { name: 'missing.wav', path: join(folder, 'missing.wav') } },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(uploads()).toHaveLength(0);
  });

  it('refuses a video without an audio track (ffprobe) before uploading', async () => {
    const video = join(folder, 'silent.mp4');
    await ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'testsrc=duration=1:size=160x120:rate=10',
      '-pix_fmt',
      'yuv420p',
      video,
    ]);
    const [added] = await harness.core.transcription.add([video], { model: 'whisper-1', keepCopy: false });
    const job = await waitForJob(harness.core, added?.id ?? '');
    expect(job.state).toBe('failed');
    expect(job.error?.message).toMatch(/has no audio track/);
    expect(uploads()).toHaveLength(0);
  });

  it('fails on a network cut mid-upload with no transcript, and a retry succeeds without a duplicate', async () => {
    harness.proxy.addFault({ match: '/v1/audio/transcriptions', fault: { type: 'reset' }, times: 100 });
    const file = await speechFile(folder, 'cut.wav');
    const [added] = await harness.core.transcription.add([file], { model: 'whisper-1', keepCopy: false });
    const failed = await waitForJob(harness.core, added?.id ?? '');
    expect(failed.state).toBe('failed');
    expect(failed.error?.kind).toBe('network');
    expect(failed.transcriptId).toBeNull();
    expect(transcriptCount(failed.id)).toBe(0);
    // The HTTP core retried the upload twice before giving up.
    expect(uploads()).toHaveLength(3);

    harness.proxy.clearFaults();
    harness.core.transcription.retry(failed.id);
    const done = await waitForJob(harness.core, failed.id);
    expect(done.error).toBeNull();
    expect(done.state).toBe('done');
    expect(() => harness.core.transcription.retry(failed.id)).toThrow(/already transcribed/);
    expect(transcriptCount(failed.id)).toBe(1);
    expect(harness.core.transcription.list().filter((job) => job.id === failed.id)).toHaveLength(1);
  });

  it('runs a job again when its own failed event asks for a retry', async () => {
    harness.proxy.addFault({
      match: '/v1/audio/transcriptions',
      fault: { type: 'status', status: 400, message: 'Unsupported file.' },
      times: 1,
    });
    const file = await speechFile(folder, 'again.wav');
    const core = harness.core;
    let retried: TranscriptionJob | null = null;
    const unsubscribe = core.bus.subscribe((name, payload) => {
      if (name !== 'transcription.changed' || retried) return;
      const { job } = payload as EventPayload<'transcription.changed'>;
      if (job?.fileName === 'again.wav' && job.state === 'failed') retried = core.transcription.retry(job.id);
    });
    try {
      const [added] = await core.transcription.add([file], { model: 'whisper-1', keepCopy: false });
      const done = await waitForJob(core, added?.id ?? '', ['done']);
      expect(retried).toMatchObject({ id: done.id, state: 'queued', error: null });
      expect(done.error).toBeNull();
      expect(uploads()).toHaveLength(2);
      expect(transcriptCount(done.id)).toBe(1);
    } finally {
      unsubscribe();
    }
  });

  it('says before each retry of a rate-limited upload how long it waits, which retry of how many, and why', async () => {
    harness.proxy.addFault({
      match: '/v1/audio/transcriptions',
      fault: { type: 'status', status: 429, retryAfter: '1' },
      times: 1,
    });
    const file = await speechFile(folder, 'throttled.wav');
    const [added] = await harness.core.transcription.add([file], { model: 'whisper-1', keepCopy: false });
    const done = await waitForJob(harness.core, added?.id ?? '');
    expect(done.state).toBe('done');
    expect(uploads()).toHaveLength(2);
    expect(harness.eventsOf('transcription.retrying').filter((event) => event.jobId === done.id)).toEqual([
      { jobId: done.id, attempt: 1, maxAttempts: 2, waitMs: 1000, reason: 'rate_limited' },
    ]);
  });

  it('lists every transcript of the library newest first, with or without a job, and whether it was edited', async () => {
    const core = harness.core;
    const list = async () => {
      const result = await core.router.dispatch('transcripts.list', {});
      if (!result.ok) throw new Error(result.error.message);
      return result.value as ResponseOf<'transcripts.list'>;
    };
    const synced = addTimedTranscript(
      core,
      'from-the-laptop.wav',
      ['Hello from the laptop.'],
      Date.now() + 60_000,
    );
    const file = await speechFile(folder, 'made-here.wav');
    const [added] = await core.transcription.add([file], { model: 'whisper-1', keepCopy: false });
    const done = await waitForJob(core, added?.id ?? '');
    const madeHere = done.transcriptId ?? '';
    core.transcription.updateSegment(madeHere, 0, 'Corrected by hand.');

    const listed = await list();
    expect(listed[0]).toMatchObject({
      id: synced,
      fileName: 'from-the-laptop.wav',
      durationSec: 10,
      language: 'en',
      segmentCount: 1,
      edited: false,
    });
    expect(listed.find((item) => item.id === madeHere)).toMatchObject({
      fileName: 'made-here.wav',
      edited: true,
    });
    const times = listed.map((item) => item.createdAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));

    // Clearing the job takes its transcript; the one that came without a job stays listed.
    await core.transcription.remove(done.id);
    const after = (await list()).map((item) => item.id);
    expect(after).toContain(synced);
    expect(after).not.toContain(madeHere);
  });

  it('cancels mid-upload at once and keeps nothing', async () => {
    // A server that accepts the upload and does not read it: the upload stalls part-way.
    const received: { request: import('node:http').IncomingMessage; bytes: number }[] = [];
    const stalled: Server = createServer((request) => {
      request.pause();
      received.push({ request, bytes: 0 });
    });
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    const profile = harness.core.settings.activeProfile();
    harness.core.settings.updateProfile(profile.id, {
      baseUrl: `http://127.0.0.1:${(stalled.address() as AddressInfo).port}`,
    });
    try {
      const big = join(folder, 'long.wav');
      await ffmpeg([
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=300:sample_rate=16000:duration=700',
        '-ac',
        '1',
        big,
      ]);
      const [added] = await harness.core.transcription.add([big], { model: 'whisper-1', keepCopy: false });
      const id = added?.id ?? '';
      await waitForJob(harness.core, id, ['uploading']);
      // Mid-upload: some megabytes are on their way, the rest is still on disk.
      while (harness.core.transcription.getJob(id).progress.uploadedBytes < 1_000_000) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(harness.core.transcription.getJob(id)).toMatchObject({
        state: 'uploading',
        progress: { totalBytes: expect.any(Number) },
      });
      const cancelled = await harness.core.transcription.cancel(id);
      // Cancel did not wait for the upload: the server, not reading, still has not received the whole body.
      expect(received[0]?.request.complete).toBe(false);
      expect(cancelled.state).toBe('cancelled');
      expect(cancelled.progress.uploadedBytes).toBeLessThan(cancelled.progress.totalBytes);
      expect(transcriptCount(id)).toBe(0);
      // The server, reading now, gets a body cut short: the connection was closed, the upload really stopped.
      const [upload] = received;
      if (!upload) throw new Error('the upload never reached the server');
      upload.request.on('data', (chunk: Buffer) => {
        upload.bytes += chunk.length;
      });
      const ended = new Promise((resolve) => upload.request.once('close', resolve));
      upload.request.resume();
      await ended;
      expect(upload.bytes).toBeLessThan(cancelled.progress.totalBytes);
      expect(received).toHaveLength(1);
    } finally {
      harness.core.settings.updateProfile(profile.id, { baseUrl: harness.proxy.url });
      stalled.closeAllConnections();
      await new Promise((resolve) => stalled.close(resolve));
    }
  });

  it('shows a job running at quit as interrupted at the next start, and retries it', async () => {
    harness.proxy.addFault({ match: '/v1/audio/transcriptions', fault: { type: 'hang' } });
    const file = await speechFile(folder, 'quit.wav');
    const [added] = await harness.core.transcription.add([file], { model: 'whisper-1', keepCopy: false });
    const id = added?.id ?? '';
    await waitForJob(harness.core, id, ['transcribing']);
    // Quitting stops the upload and marks the job interrupted.
    let core = await harness.reopen();
    expect(core.transcription.getJob(id)).toMatchObject({
      state: 'interrupted',
      error: { message: expect.stringMatching(/HubDesk was closed while this file was being transcribed/) },
    });
    // A crash leaves the row as it was; a new core over the same data folder repairs it at start.
    core.db.prepare("UPDATE transcription_jobs SET state = 'uploading' WHERE id = ?").run(id);
    core = await harness.reopen();
    const job = core.transcription.getJob(id);
    expect(job.state).toBe('interrupted');
    expect(job.error?.message).toMatch(/closed before this file was transcribed/);
    core.transcription.retry(id);
    expect((await waitForJob(core, id)).state).toBe('done');
    expect(transcriptCount(id)).toBe(1);
  });

  it('keeps a copy of the audio in the library when asked, and removes it with the job', async () => {
    const file = await speechFile(folder, 'keep.mp3', 'mp3');
    const core = harness.core;
    const [added] = await core.transcription.add([file], { model: 'whisper-1', keepCopy: true });
    const job = await waitForJob(core, added?.id ?? '');
    const transcript = core.transcription.getTranscript(job.transcriptId ?? '');
    expect(transcript.audioPath).toBe(`transcripts/${transcript.id}.mp3`);
    const copy = join(core.paths.libraryDir, transcript.audioPath ?? '');
    expect(existsSync(copy)).toBe(true);
    expect(await core.transcription.audioFileOf(transcript.id)).toBe(copy);
    await core.transcription.remove(job.id);
    expect(existsSync(copy)).toBe(false);
    expect(() => core.transcription.getTranscript(transcript.id)).toThrow(/no longer exists/);

    // Referenced by default; "keep a copy" later copies it.
    const [second] = await core.transcription.add([file], { model: 'whisper-1', keepCopy: false });
    const done = await waitForJob(core, second?.id ?? '');
    expect(core.transcription.getTranscript(done.transcriptId ?? '').audioPath).toBeNull();
    const kept = await core.transcription.keepCopy(done.transcriptId ?? '');
    expect(existsSync(join(core.paths.libraryDir, kept.audioPath ?? 'missing'))).toBe(true);
  });

  it('plays a transcript from the original file where it is, and says when it is gone', async () => {
    const file = await speechFile(folder, 'where-it-is.wav');
    const core = harness.core;
    const [added] = await core.transcription.add([file], { model: 'whisper-1', keepCopy: false });
    const id = (await waitForJob(core, added?.id ?? '')).transcriptId ?? '';
    expect(await core.transcription.audioSource(id)).toEqual({ from: 'original', file });

    const moved = join(folder, 'moved-away.wav');
    await rename(file, moved);
    expect(await core.transcription.audioSource(id)).toBeNull();
    expect(await core.transcription.audioFileOf(id)).toBeNull();

    await rename(moved, file);
    const kept = await core.transcription.keepCopy(id);
    const copy = join(core.paths.libraryDir, kept.audioPath ?? '');
    expect(await core.transcription.audioSource(id)).toEqual({ from: 'copy', file: copy });
    // A lost copy falls back to the original.
    await rm(copy);
    expect(await core.transcription.audioSource(id)).toEqual({ from: 'original', file });
  });

  it('refuses a file over 25 MB before uploading when no ffmpeg runs, naming the size, the limit and what to do', async () => {
    const big = join(folder, 'huge.wav');
    const header = Buffer.alloc(44);
    header.write('RIFF', 0, 'latin1');
    header.write('WAVEfmt ', 8, 'latin1');
    await writeFile(big, header);
    await truncate(big, 27 * 1024 * 1024);
    const service = new TranscriptionService(
      {
        jobs: new TranscriptionJobsRepo(harness.core.db),
        transcripts: new TranscriptsRepo(harness.core.db),
        alternatives: new SegmentAlternativesRepo(harness.core.db),
        bus: harness.core.bus,
        libraryDir: harness.core.paths.libraryDir,
        client: () => harness.core.settings.activeClient(),
      },
      { findTools: async () => null },
    );
    const capabilities = await service.capabilities();
    expect(capabilities.ffmpeg).toEqual({ available: false, source: null });
    const [added] = await service.add([big], { model: 'whisper-1', keepCopy: false });
    const job = await waitForJob({ transcription: service } as never, added?.id ?? '');
    expect(job.state).toBe('failed');
    expect(job.error?.message).toContain("“huge.wav” is 27.0 MB, over the API's 25.0 MB limit");
    expect(job.error?.message).toMatch(/install ffmpeg/);
    expect(uploads()).toHaveLength(0);
    await service.close();
  });
});
