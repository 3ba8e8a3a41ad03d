import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliAgainstFakeProxy } from './support/cli-run';
import { fixtureVideo, sha256 } from './video-harness';

const cli = cliAgainstFakeProxy('hubdesk-cli-video-', {
  proxy: { speed: 50 },
  env: { HUBDESK_VIDEO_POLL_MS: '20' },
});
const hubdesk = (args: string[]) => cli.hubdesk(['video', ...args]);

interface JobLine {
  id: string;
  vendor: string;
  remoteId: string | null;
  status: string;
  progress: number | null;
  error: { message: string } | null;
  localPath: string | null;
  download: string;
}

describe('hubdesk video', () => {
  let soraJob: JobLine;

  it('create --wait polls to the end and downloads; --json prints the normalized job', async () => {
    const result = await hubdesk([
      'create',
      '--vendor',
      'sora',
      '--model',
      'sora-2',
      '--prompt',
      'CLI cat',
      '--seconds',
      '8',
      '--size',
      '1280x720',
      '--wait',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    soraJob = JSON.parse(result.stdout) as JobLine;
    expect(soraJob).toMatchObject({
      vendor: 'sora',
      status: 'succeeded',
      progress: 100,
      error: null,
      download: 'done',
    });
    expect(soraJob.remoteId).toMatch(/^video_/);
    expect(await sha256(soraJob.localPath ?? '')).toBe(await sha256(fixtureVideo));
    expect(
      cli.proxy.requests.find((r) => r.method === 'POST' && r.path === '/v1/videos')?.json,
    ).toMatchObject({
      seconds: '8',
      size: '1280x720',
    });
  });

  it('create without --wait returns at once with the queued job; status asks the vendor', async () => {
    const created = await hubdesk([
      'create',
      '--vendor',
      'kling',
      '--model',
      'kling-v1',
      '--prompt',
      'CLI rabbit',
      '--seconds',
      '10',
      '--ratio',
      '9:16',
      '--json',
    ]);
    expect(created.code).toBe(0);
    const job = JSON.parse(created.stdout) as JobLine;
    expect(job.status).toBe('queued');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const status = await hubdesk(['status', job.id, '--json']);
    expect(['running', 'succeeded']).toContain((JSON.parse(status.stdout) as JobLine).status);
    expect(cli.proxy.requests.find((r) => r.path === '/kling/v1/videos/text2video')?.json).toMatchObject({
      duration: '10',
      aspect_ratio: '9:16',
    });
  });

  it('a failed job exits 1 with its error', async () => {
    const result = await hubdesk([
      'create',
      '--vendor',
      'veo',
      '--model',
      'veo-3.0-generate-001',
      '--prompt',
      'no [fail]',
      '--wait',
      '--json',
    ]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: 'failed',
      error: { message: expect.stringContaining('failed') },
    });
  });

  it('invalid options are refused before anything is sent', async () => {
    const before = cli.proxy.requests.length;
    const result = await hubdesk([
      'create',
      '--vendor',
      'seedance',
      '--model',
      'doubao-seedance-1-0-pro-250528',
      '--prompt',
      'x',
      '--seconds',
      '30',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'hubdesk: invalid_input: Seedance makes videos of at most 12 seconds; you asked for 30.\n',
    );
    expect(cli.proxy.requests.length).toBe(before);
  });

  it('says what is wrong as a person would: the allowed values, what was asked, and no schema words', async () => {
    const before = cli.proxy.requests.length;
    const kling = await hubdesk([
      'create',
      '--vendor',
      'kling',
      '--model',
      'kling-v2-1',
      '--prompt',
      'boat',
      '--seconds',
      '7',
    ]);
    expect(kling.code).toBe(1);
    expect(kling.stderr).toBe(
      'hubdesk: invalid_input: Kling makes videos of 5 or 10 seconds; you asked for 7.\n',
    );

    const noModel = await hubdesk(['create', '--vendor', 'seedance', '--prompt', 'boat']);
    expect(noModel.stderr).toMatch(
      /^hubdesk: invalid_input: Give the Seedance model with --model \(doubao-seedance-1-5-pro-251215, .*\)\.\n$/,
    );
    const noPrompt = await hubdesk(['create', '--vendor', 'sora', '--model', 'sora-2']);
    expect(noPrompt.stderr).toBe('hubdesk: invalid_input: Give the prompt with --prompt TEXT.\n');
    const veo = await hubdesk([
      'create',
      '--vendor',
      'veo',
      '--model',
      'veo-3.0-generate-001',
      '--prompt',
      'boat',
      '--seconds',
      'ten',
    ]);
    expect(veo.stderr).toBe(
      'hubdesk: invalid_input: --seconds takes a whole number of seconds; you asked for ten.\n',
    );
    for (const result of [kling, noModel, noPrompt, veo]) {
      expect(result.stderr).not.toMatch(/Too small|Invalid option|expected|Some of the input is not valid/);
    }
    expect(cli.proxy.requests.length).toBe(before);
  });

  it('list, remix and delete work on the same library', async () => {
    const list = await hubdesk(['list', '--vendor', 'sora', '--json']);
    expect((JSON.parse(list.stdout) as JobLine[]).map((job) => job.id)).toContain(soraJob.id);
    const remix = await hubdesk(['remix', soraJob.id, '--prompt', 'CLI cat in the rain', '--wait', '--json']);
    expect(remix.code).toBe(0);
    expect(JSON.parse(remix.stdout)).toMatchObject({ parentId: soraJob.id, status: 'succeeded' });
    const removed = await hubdesk(['delete', soraJob.id, '--json']);
    expect(removed.code).toBe(0);
    expect(JSON.parse(removed.stdout)).toMatchObject({ localPath: null, download: 'none' });
    expect(existsSync(soraJob.localPath ?? '')).toBe(false);
    const text = await hubdesk(['list']);
    expect(text.stdout).toContain('CLI cat in the rain');
  });

  it('sync imports account videos, then finds nothing new', async () => {
    await fetch(`${cli.proxy.url}/v1/videos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cli.proxy.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sora-2', prompt: 'made elsewhere' }),
    });
    const first = JSON.parse((await hubdesk(['sync', '--json'])).stdout) as { imported: JobLine[] };
    expect(first.imported.map((job) => (job as unknown as { prompt: string }).prompt)).toEqual([
      'made elsewhere',
    ]);
    const second = JSON.parse((await hubdesk(['sync', '--json'])).stdout) as { imported: JobLine[] };
    expect(second.imported).toEqual([]);
  });
});
