import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../src/main/base/clock';
import { HubError } from '../src/main/base/errors';
import { EventBus } from '../src/main/services/event-bus';
import { noFfmpegError } from '../src/main/services/transcription/checks';
import {
  endOfRun,
  PROGRESS_INTERVAL_MS,
  ProgressThrottle,
  uploadedBytesAt,
  uploadStateAt,
} from '../src/main/services/transcription/job-state';
import { LiveJobs } from '../src/main/services/transcription/live-jobs';
import { apiFileName, maxPartSeconds } from '../src/main/services/transcription/parts';
import { type Db, openDatabase } from '../src/main/store/database';
import { TranscriptionJobsRepo } from '../src/main/store/transcription-jobs-repo';
import type { EventName, EventPayload } from '../src/shared/contract';
import { formatBytes } from '../src/shared/sizes';
import { MAX_UPLOAD_BYTES } from '../src/shared/transcription';

/** A clock that moves only when the test says so. */
function manualClock(start = 1_000): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    setTimeout: () => ({ cancel: () => undefined }),
    advance(ms) {
      now += ms;
    },
  };
}

const wav = { kind: 'wav', apiExtension: 'wav', contentType: 'audio/wav' };
const aiff = { kind: 'aiff', apiExtension: null, contentType: 'audio/aiff' };

describe('progress throttle', () => {
  it('sends the first event, then at most one per interval; a forced one always goes and restarts it', () => {
    const clock = manualClock();
    const throttle = new ProgressThrottle(clock);
    expect(throttle.shouldSend()).toBe(true);
    clock.advance(PROGRESS_INTERVAL_MS - 1);
    expect(throttle.shouldSend()).toBe(false);
    expect(throttle.shouldSend(true)).toBe(true);
    clock.advance(PROGRESS_INTERVAL_MS - 1);
    expect(throttle.shouldSend()).toBe(false);
    clock.advance(1);
    expect(throttle.shouldSend()).toBe(true);
    expect(throttle.shouldSend()).toBe(false);
  });
});

describe('upload progress', () => {
  it('counts a part’s bytes in proportion to the request sent, never past the part', () => {
    expect(uploadedBytesAt(0, 1000, 0, 1100)).toBe(0);
    expect(uploadedBytesAt(0, 1000, 550, 1100)).toBe(500);
    expect(uploadedBytesAt(5000, 1000, 1100, 1100)).toBe(6000);
    expect(uploadedBytesAt(5000, 1000, 1200, 1100)).toBe(6000);
    expect(uploadedBytesAt(0, 3, 1, 2)).toBe(2);
  });

  it('is transcribing once the whole request is out, uploading again when an attempt restarts', () => {
    expect(uploadStateAt(10, 100)).toBe('uploading');
    expect(uploadStateAt(100, 100)).toBe('transcribing');
    expect(uploadStateAt(0, 100)).toBe('uploading');
  });
});

describe('the end of a run that did not finish', () => {
  it('closing the app interrupts it, a cancel cancels it, whatever the error', () => {
    const thrown = new DOMException('aborted', 'AbortError');
    expect(endOfRun(thrown, 'close')).toEqual({
      state: 'interrupted',
      error: {
        kind: 'cancelled',
        message: 'HubDesk was closed while this file was being transcribed. Retry to transcribe it again.',
        reason: { code: 'closedWhileRunning', values: {} },
      },
    });
    expect(endOfRun(thrown, 'cancel')).toEqual({
      state: 'cancelled',
      error: { kind: 'cancelled', message: 'Cancelled.', reason: { code: 'cancelled', values: {} } },
    });
    expect(endOfRun(new HubError({ kind: 'network', message: 'cut' }), 'cancel').state).toBe('cancelled');
  });

  it('anything else fails it with the error as a value', () => {
    const refused = new HubError({ kind: 'invalid_input', message: '“a.wav” is empty.', field: 'paths' });
    expect(endOfRun(refused, null)).toEqual({ state: 'failed', error: refused.info });
    const end = endOfRun(new Error('disk on fire'), null);
    expect(end.state).toBe('failed');
    expect(end.error).toMatchObject({ kind: 'internal', message: expect.stringContaining('disk on fire') });
  });
});

describe('what goes up', () => {
  it('keeps a name whose extension fits the content, else gives it the content’s extension', () => {
    expect(apiFileName('talk.wav', wav)).toBe('talk.wav');
    expect(apiFileName('talk.WAV', wav)).toBe('talk.WAV');
    expect(apiFileName('talk.mp3', wav)).toBe('talk.wav');
    expect(apiFileName('talk', wav)).toBe('talk.wav');
    expect(apiFileName('.hidden', wav)).toBe('.hidden.wav');
    expect(apiFileName('talk.aiff', aiff)).toBe('talk.wav');
  });

  it('cuts WAV parts short enough to fit one upload with its envelope', () => {
    expect(maxPartSeconds(MAX_UPLOAD_BYTES)).toBe(802);
    const withEnvelope = (seconds: number) => seconds * 32_000 + 44 + 512 * 1024;
    expect(withEnvelope(maxPartSeconds(MAX_UPLOAD_BYTES))).toBeLessThanOrEqual(MAX_UPLOAD_BYTES);
    expect(withEnvelope(maxPartSeconds(MAX_UPLOAD_BYTES) + 1)).toBeGreaterThan(MAX_UPLOAD_BYTES);
  });

  it('says why ffmpeg is needed: the size over the limit, or the format the API refuses', () => {
    expect(formatBytes(27 * 1024 * 1024, { zeros: 'keep' })).toBe('27.0 MB');
    expect(formatBytes(1500, { zeros: 'keep' })).toBe('1.5 KB');
    const big = noFfmpegError('huge.wav', { size: 27 * 1024 * 1024, media: wav }, MAX_UPLOAD_BYTES);
    expect(big.info).toMatchObject({ kind: 'invalid_input' });
    expect(big.message).toContain("“huge.wav” is 27.0 MB, over the API's 25.0 MB limit");
    const odd = noFfmpegError('song.aiff', { size: 1000, media: aiff }, MAX_UPLOAD_BYTES);
    expect(odd.message).toContain('“song.aiff” is AIFF audio, which the API does not accept');
    expect(odd.message).toMatch(/convert it to MP3 or WAV yourself/);
  });
});

describe('live jobs, paced by an injected clock', () => {
  let dir: string;
  let db: Db;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hubdesk-live-jobs-'));
    db = openDatabase(join(dir, 'hubdesk.sqlite'));
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores and tells each new part and state at once, progress within a state once per interval', () => {
    const jobs = new TranscriptionJobsRepo(db);
    const bus = new EventBus();
    const events: { name: EventName; payload: unknown }[] = [];
    bus.subscribe((name, payload) => events.push({ name, payload }));
    const clock = manualClock();
    const live = new LiveJobs({ jobs, bus, clock, now: () => 7 });
    const job = jobs.insertJob({
      id: 'job-1',
      fileName: 'talk.wav',
      sourcePath: '/tmp/talk.wav',
      sizeBytes: 1000,
      durationSec: null,
      options: { model: 'whisper-1', keepCopy: false },
      state: 'queued',
      createdAt: 1,
    });
    live.start(job);
    const progress = (uploadedBytes: number) => ({ uploadedBytes, totalBytes: 1000, part: 1, partCount: 1 });
    live.update(job.id, { progress: progress(0), state: 'uploading', partStart: true });
    clock.advance(10);
    live.update(job.id, { progress: progress(100), state: 'uploading', partStart: false });
    live.update(job.id, { progress: progress(200), state: 'uploading', partStart: false });
    clock.advance(PROGRESS_INTERVAL_MS);
    live.update(job.id, { progress: progress(300), state: 'uploading', partStart: false });
    // Within a state the window sees the live progress; the stored one moves only with a part or state.
    expect(jobs.requireJob(job.id).progress).toEqual(progress(0));
    expect(live.withLive(jobs.requireJob(job.id))).toMatchObject({
      state: 'uploading',
      progress: progress(300),
    });
    live.update(job.id, { progress: progress(1000), state: 'transcribing', partStart: false });

    const sent = events
      .filter((event) => event.name === 'transcription.progress')
      .map((event) => event.payload as EventPayload<'transcription.progress'>)
      .map((payload) => [payload.state, payload.uploadedBytes]);
    expect(sent).toEqual([
      ['uploading', 0],
      ['uploading', 300],
      ['transcribing', 1000],
    ]);
    const told = events
      .filter((event) => event.name === 'transcription.changed')
      .map((event) => (event.payload as EventPayload<'transcription.changed'>).job?.state);
    expect(told).toEqual(['uploading', 'transcribing']);
    expect(jobs.requireJob(job.id)).toMatchObject({
      state: 'transcribing',
      progress: progress(1000),
      updatedAt: 7,
    });
  });

  it('stores how a run ended only once it left the running set', () => {
    const jobs = new TranscriptionJobsRepo(db);
    const live = new LiveJobs({ jobs, bus: new EventBus(), clock: manualClock(), now: () => 9 });
    const job = jobs.insertJob({
      id: 'job-2',
      fileName: 'cut.wav',
      sourcePath: '/tmp/cut.wav',
      sizeBytes: 10,
      durationSec: null,
      options: { model: 'whisper-1', keepCopy: false },
      state: 'queued',
      createdAt: 2,
    });
    const running = live.start(job);
    running.end = endOfRun(null, 'cancel');
    expect(jobs.requireJob(job.id).state).toBe('queued');
    live.finish(job.id);
    expect(jobs.requireJob(job.id)).toMatchObject({ state: 'cancelled', error: { message: 'Cancelled.' } });
    expect(live.withLive(jobs.requireJob(job.id)).state).toBe('cancelled');
  });
});
