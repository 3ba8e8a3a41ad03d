/** `hubdesk chat --kb NAME`: the prompt goes with passages of the named bases, and the reply lists its sources. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/main/cli/run';
import { type FakeProxy, startFakeProxy } from './fake-proxy/index';
import { pdfWithPages } from './support/documents';
import { memoryKeytar } from './support/memory-keytar';

let proxy: FakeProxy;
let dataDir: string;
let docs: string;
let guides: string;
const keytar = memoryKeytar();

beforeAll(async () => {
  proxy = await startFakeProxy();
  dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-cli-chat-kb-'));
  docs = await mkdtemp(join(tmpdir(), 'hubdesk-cli-chat-kb-docs-'));
  guides = await mkdtemp(join(tmpdir(), 'hubdesk-cli-chat-kb-guides-'));
  await writeFile(
    join(docs, 'fruit.pdf'),
    await pdfWithPages([['apricots ripen slowly'], ['bananas are yellow']]),
  );
  await writeFile(join(guides, 'guide.md'), '# Guide\n\n## Setup\nInstall the quokka package.\n');
});
afterAll(async () => {
  await proxy?.close();
  for (const dir of [dataDir, docs, guides]) await rm(dir, { recursive: true, force: true });
});

async function hubdesk(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const written: string[] = [];
  const code = await runCli(args, {
    env: { HUBDESK_DATA_DIR: dataDir, HUBDESK_BASE_URL: proxy.url, HUBDESK_TOKEN: proxy.token },
    keytar,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    write: (chunk) => written.push(chunk),
  });
  return { code, stdout: written.join('') + out.join('\n'), stderr: err.join('\n') };
}

describe('hubdesk chat --kb', { timeout: 60_000 }, () => {
  it('answers from the named bases and lists the sources under the reply; --json carries them', async () => {
    const fruit = await hubdesk(['kb', 'add', 'Fruit', docs]);
    expect(fruit.code).toBe(0);
    // With a token, `kb add` returns once the chunks are embedded too, saying how far it got on stderr.
    expect(fruit.stdout).toBe('Added Fruit: 1 file, 2 chunks. Searchable by keywords and meaning.');
    expect(fruit.stderr).toContain('Fruit: embedded 2/2');
    expect((await hubdesk(['kb', 'add', 'Guide', guides])).code).toBe(0);

    const plain = await hubdesk(['chat', '--kb', 'fruit', 'What colour are bananas?']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toBe(
      `Echo: What colour are bananas? [1]\n\nSources:\n[1] fruit.pdf, page 2\n    ${join(docs, 'fruit.pdf')}`,
    );

    const json = await hubdesk(['chat', '--json', '--kb', 'Fruit', '--kb', 'Guide', 'bananas quokka']);
    expect(json.code, json.stderr).toBe(0);
    const reply = JSON.parse(json.stdout);
    expect(reply.text).toBe('Echo: bananas quokka [1][2]');
    expect(reply.sources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: join(docs, 'fruit.pdf'), page: 2, line: null }),
        expect.objectContaining({ path: join(guides, 'guide.md'), page: null, line: 3 }),
      ]),
    );

    const without = JSON.parse((await hubdesk(['chat', '--json', 'What colour are bananas?'])).stdout);
    expect(without).toMatchObject({ text: 'Echo: What colour are bananas?', sources: [] });
  });

  it('refuses a base it does not know, naming the ones there are', async () => {
    const result = await hubdesk(['chat', '--kb', 'Recipes', 'Hello']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('No knowledge base named "Recipes". Knowledge bases: Fruit, Guide.');
  });
});
