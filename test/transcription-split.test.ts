import { mkdtemp, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../src/main/api/http-client';
import { transcribeFile } from '../src/main/api/transcription';
import { MAX_UPLOAD_BYTES } from '../src/shared/transcription';
import { type ChatHarness, startChatHarness } from './support/chat-core';
import { ffmpeg, waitForJob } from './support/transcription-media';

let harness: ChatHarness;
let folder: string;

beforeAll(async () => {
  harness = await startChatHarness();
  folder = await mkdtemp(join(tmpdir(), 'hubdesk-split-'));
});
afterAll(async () => {
  await harness?.close();
  await rm(folder, { recursive: true, force: true });
});

describe('files over the 25 MB limit', () => {
  it('are split near silences into parts under the limit and stitched with corrected, monotonic offsets', async () => {
    // 15 min of 16 kHz mono PCM (28.8 MB): a tone with 2 s of silence every 20 s (at 18–20 s, 38–40 s, …).
    const long = join(folder, 'lecture.wav');
    await ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:sample_rate=16000:duration=900',
      '-af',
      "volume='if(lt(mod(t,20),18),1,0)':eval=frame",
      '-ac',
      '1',
      '-c:a',
      'pcm_s16le',
      long,
    ]);
    expect((await stat(long)).size).toBeGreaterThan(MAX_UPLOAD_BYTES);

    const [added] = await harness.core.transcription.add([long], { model: 'whisper-1', keepCopy: false });
    const job = await waitForJob(harness.core, added?.id ?? '', undefined, 40_000);
    expect(job.error).toBeNull();
    expect(job.state).toBe('done');
    expect(job.progress.partCount).toBe(2);

    const uploads = harness.proxy.requests.filter((r) => r.path.startsWith('/v1/audio/transcriptions'));
    expect(uploads).toHaveLength(2);
    for (const upload of uploads) expect(upload.body.length).toBeLessThan(MAX_UPLOAD_BYTES);

    const transcript = harness.core.transcription.getTranscript(job.transcriptId ?? '');
    expect(transcript.durationSec).toBeCloseTo(900, 0);
    const segments = transcript.segments;
    for (const [i, segment] of segments.entries()) {
      expect(segment.end).toBeGreaterThanOrEqual(segment.start);
      if (i > 0) expect(segment.start).toBeGreaterThanOrEqual(segments[i - 1]?.end ?? 0);
    }
    // Each part's first segment names the part; the second part starts where the first was cut: in a silence.
    expect(segments[0]).toMatchObject({ start: 0, text: 'Transcript of part-000.wav.' });
    const second = segments.find((segment) => segment.text === 'Transcript of part-001.wav.');
    if (!second) throw new Error('the second part is missing from the transcript');
    expect(second.start).toBeGreaterThan(600);
    expect(second.start % 20).toBeGreaterThanOrEqual(17.9);
    expect(second.start % 20).toBeLessThanOrEqual(20);
    expect(segments.at(-1)?.end).toBeCloseTo(900, 0);
    expect(second.words[0]?.start).toBeCloseTo(second.start, 2);
  }, 45_000);
});

describe('uploads', () => {
  let sink: Server;
  let received = 0;

  beforeAll(async () => {
    // Counts and drops the body, so that only the sender's memory is measured.
    sink = createServer((request, response) => {
      request.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"text":"ok"}');
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => sink.close(resolve));
  });

  it('stream from disk: memory does not grow with the file size, and progress reaches the total', async () => {
    const size = 300 * 1024 * 1024;
    const file = join(folder, 'big.wav');
    await writeFile(file, Buffer.from('RIFF\0\0\0\0WAVE', 'latin1'));
    await truncate(file, size);
    const client = new HttpClient({
      target: () => ({
        baseUrl: `http://127.0.0.1:${(sink.address() as AddressInfo).port}`,
        proxyUrl: null,
        endpointOverrides: {},
      }),
      token: async () => 'sk-test-token',
      env: {},
    });
    const progress: number[] = [];
    const before = process.memoryUsage().rss;
    let peak = before;
    const result = await transcribeFile(client, {
      path: file,
      fileName: 'big.wav',
      contentType: 'audio/wav',
      size,
      model: 'gpt-4o-transcribe',
      onProgress: (sent) => {
        progress.push(sent);
        peak = Math.max(peak, process.memoryUsage().rss);
      },
    });
    await client.close();
    expect(result.text).toBe('ok');
    expect(received).toBeGreaterThan(size);
    expect(progress.at(-1)).toBe(received);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    // Loose: a buffered upload would add at least the file's 300 MB.
    expect(peak - before).toBeLessThan(size / 3);
  }, 30_000);
});
