import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/main/cli/io';
import { searchCommand } from '../src/main/cli/search-command';
import type { IndexStatus, SearchResult } from '../src/shared/search';
import {
  addConversation,
  addTranscript,
  addVideo,
  type SearchHarness,
  startSearchHarness,
} from './search-fixtures';

let h: SearchHarness;

beforeAll(async () => {
  h = await startSearchHarness();
  addConversation(h.core, 'Bread', ['How long should sourdough dough proof overnight in the fridge?']);
  addTranscript(h.core, 'bakery.wav', ['Our sourdough starter is fed twice a day', 'and the oven runs hot']);
  addVideo(h.core, 'Slow motion flour dust over a loaf of sourdough');
});
afterAll(async () => {
  await h?.close();
});

/** Runs `hubdesk search|index …` against the harness's core, as run.ts does, capturing its output. */
async function hubdesk(verb: 'search' | 'index', args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    env: {},
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    write: (chunk) => out.push(chunk),
  };
  const code = await searchCommand(h.core, verb, args, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('hubdesk index', () => {
  it('status counts what waits; run indexes it with progress on stderr and exits', async () => {
    const before = await hubdesk('index', ['status', '--json']);
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout)).toMatchObject({
      indexed: 0,
      total: 4,
      model: 'text-embedding-3-small',
    });

    const run = await hubdesk('index', ['run']);
    expect(run.code).toBe(0);
    expect(run.stderr.split('\n')[0]).toBe('indexing: 0 / 4 items, 0 tokens');
    expect(run.stderr).toMatch(/indexing: 4 \/ 4 items, \d+ tokens$/);
    expect(run.stdout).toContain('Indexed: 4 / 4');
    expect(run.stdout).toContain('Vector search: sqlite-vec');

    const text = await hubdesk('index', ['status']);
    expect(text.stdout).toMatch(/messages\s+1 \/ 1/);
    expect(text.stdout).toMatch(/segments\s+2 \/ 2/);
  });

  it('rebuild with another model indexes everything again with it', async () => {
    const result = await hubdesk('index', ['rebuild', '--model', 'text-embedding-3-large', '--json']);
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout) as IndexStatus;
    expect(status).toMatchObject({ model: 'text-embedding-3-large', indexed: 4, total: 4 });
    await expect(
      hubdesk('index', ['rebuild', '--model', 'text-embedding-ada-002', '--dimensions', '64']),
    ).rejects.toThrow(/dimensions/);
    expect(h.search.getSettings().model).toBe('text-embedding-3-large');
  });

  it('an unknown sub-command prints the usage', async () => {
    const result = await hubdesk('index', ['explode']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: hubdesk index');
  });
});

describe('hubdesk search', () => {
  it('finds every kind by words and meaning, with where to jump', async () => {
    const result = await hubdesk('search', ['sourdough', 'starter']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\[transcript\] bakery\.wav \(\d{4}-\d\d-\d\d, both\)/);
    expect(result.stdout).toContain('*sourdough* *starter*');
    expect(result.stdout).toMatch(/transcript tr-\d+ at 0:00/);
    expect(result.stdout).toMatch(/\[video\] Sora · sora-2 \(.*, meaning\)/);
    const everyKind = await hubdesk('search', ['sourdough']);
    expect(everyKind.stdout).toMatch(
      /\[chat\] Bread \(.*, both\)\n.*\n {4}conversation conv-\d+ message msg-\d+/,
    );
  });

  it('--kind and --limit narrow it; --json gives the contract result', async () => {
    const result = await hubdesk('search', [
      'sourdough',
      '--kind',
      'video',
      '--kind',
      'chat',
      '--limit',
      '1',
      '--json',
    ]);
    const parsed = JSON.parse(result.stdout) as SearchResult;
    expect(parsed.meaningUsed).toBe(true);
    expect(parsed.hits).toHaveLength(1);
    expect(['video', 'message']).toContain(parsed.hits[0]?.kind);
    await expect(hubdesk('search', ['x', '--kind', 'podcast'])).rejects.toThrow(
      /--kind must be chat, transcript or video/,
    );
    await expect(hubdesk('search', ['x', '--limit', '0'])).rejects.toMatchObject({
      info: { field: 'limit' },
    });
  });

  it('offline it answers with keyword hits and says why on stderr', async () => {
    h.proxy.addFault({ match: '/v1/embeddings', times: 1_000_000, fault: { type: 'reset' } });
    try {
      const result = await hubdesk('search', ['oven', 'hot']);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/needs the network/);
      expect(result.stdout).toContain('[transcript] bakery.wav');
      expect(result.stdout).toContain('keyword)');
    } finally {
      h.proxy.clearFaults();
    }
  });
});
