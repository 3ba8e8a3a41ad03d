import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliAgainstFakeProxy } from './support/cli-run';
import { speechFile } from './support/transcription-media';

const cli = cliAgainstFakeProxy('hubdesk-cli-transcribe-', { dataFolder: 'data' });
const hubdesk = (args: string[]) => cli.hubdesk(args);
/** Audio and video files the tests make, next to the data folder. */
const media = () => join(cli.home, 'media');

beforeAll(async () => {
  await mkdir(media());
});

describe('hubdesk transcribe', () => {
  it('transcribes a folder to SRT files in --out, with a progress line per file on stderr', async () => {
    await speechFile(media(), 'one.wav');
    await speechFile(media(), 'two.mp3', 'mp3');
    await writeFile(join(media(), 'readme.txt'), 'not media: ignored in a folder');
    const out = join(cli.home, 'out');
    const result = await hubdesk(['transcribe', media(), '--format', 'srt', '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([join(out, 'one.srt'), join(out, 'two.srt')]);
    for (const name of ['one.wav', 'two.mp3']) {
      expect(result.stderr).toContain(`${name}: uploading`);
      expect(result.stderr).toContain(`${name}: done`);
    }
    const srt = await readFile(join(out, 'one.srt'), 'utf8');
    expect(srt).toMatch(/^1\n00:00:00,000 --> 00:00:0\d,\d{3}\nTranscript of one\.wav\.\n/);
  });

  it('writes next to each file by default, reports failures per file and exits 1', async () => {
    const good = await speechFile(media(), 'three.wav');
    const bad = join(media(), 'fake.mp3');
    await writeFile(bad, 'just text');
    const result = await hubdesk(['transcribe', good, bad, '--model', 'gpt-4o-mini-transcribe', '--json']);
    expect(result.code).toBe(1);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { file: string; state: string; output?: string });
    expect(lines).toEqual([
      expect.objectContaining({ file: good, state: 'done', output: join(media(), 'three.txt') }),
      expect.objectContaining({ file: bad, state: 'failed' }),
    ]);
    expect(await readFile(join(media(), 'three.txt'), 'utf8')).toMatch(/^Transcript of three\.wav\. .+\n$/);
    expect(result.stderr).toContain('fake.mp3: failed: “fake.mp3” is not an audio or video file');
  });

  it('says on stderr that a rate-limited upload is retried, and in how long', async () => {
    const file = await speechFile(media(), 'four.wav');
    cli.proxy.addFault({
      match: '/v1/audio/transcriptions',
      fault: { type: 'status', status: 429, retryAfterMs: 100 },
    });
    const result = await hubdesk(['transcribe', file, '--out', join(cli.home, 'out-retry')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('four.wav: rate limited; retrying in 1 s (1 of ');
    expect(result.stdout.trim()).toBe(join(cli.home, 'out-retry', 'four.txt'));
  });

  it('rejects a bad option before doing anything', async () => {
    const result = await hubdesk(['transcribe', join(media(), 'one.wav'), '--format', 'docx']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--format must be txt, srt, vtt or json/);
    const language = await hubdesk(['transcribe', join(media(), 'one.wav'), '--language', 'english']);
    expect(language.stderr).toMatch(/two-letter ISO-639-1 code/);
  });
});
