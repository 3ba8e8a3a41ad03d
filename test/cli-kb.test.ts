/** `hubdesk kb …` through the real binary, on a folder of real documents. */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/main/cli/run';
import { pdfWithPages } from './support/documents';
import { memoryKeytar } from './support/memory-keytar';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../bin/hubdesk.js');

let dataDir: string;
let docs: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-cli-kb-'));
  docs = await mkdtemp(join(tmpdir(), 'hubdesk-cli-kb-docs-'));
  await writeFile(join(docs, 'fruit.pdf'), await pdfWithPages([['apricots'], ['bananas are yellow']]));
  await writeFile(join(docs, 'guide.md'), '# Guide\n\n## Setup\nInstall the quokka package.\n');
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(docs, { recursive: true, force: true });
});

async function hubdesk(args: string[]) {
  const env = { PATH: process.env.PATH ?? '', HOME: dataDir, HUBDESK_DATA_DIR: dataDir };
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// Each command is a fresh process (tsx compiles on start): on a busy machine one test takes a minute.
describe('hubdesk kb', { timeout: 240_000 }, () => {
  it('adds a folder, lists, searches, syncs and removes it; --json everywhere', async () => {
    const added = await hubdesk(['kb', 'add', 'Notes', docs, '--json']);
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({
      base: { name: 'Notes', files: 2, roots: [docs] },
      report: { added: 2 },
    });
    const progress = added.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(progress.filter((line) => 'done' in line).at(-1)).toMatchObject({
      name: 'Notes',
      done: 2,
      total: 2,
      finished: true,
    });
    // No token here: the keywords stand alone, and the last line says why meaning search waits.
    expect(progress.at(-1)).toEqual({
      name: 'Notes',
      notEmbedded: expect.stringContaining('No API token is set'),
    });

    const list = await hubdesk(['kb', 'list']);
    expect(list.stdout).toContain('Notes: 2 files');

    const found = await hubdesk(['kb', 'search', 'Notes', 'bananas', '--json']);
    expect(JSON.parse(found.stdout)).toEqual([
      expect.objectContaining({ path: join(docs, 'fruit.pdf'), page: 2 }),
    ]);
    const text = await hubdesk(['kb', 'search', 'notes', 'quokka']);
    expect(text.stdout).toContain(`1. ${join(docs, 'guide.md')}:3 — Guide > Setup`);

    await writeFile(join(docs, 'todo.txt'), 'Feed the wombat.');
    const synced = await hubdesk(['kb', 'sync', 'Notes']);
    expect(synced.stdout).toContain(
      'Synced Notes: 1 added, 0 changed, 0 moved, 0 deleted, 2 unchanged. 0 of 4 chunks embedded for meaning search.',
    );
    expect(synced.stderr).toContain(
      'Notes: searchable by keywords; not yet by meaning (No API token is set). Run `hubdesk index run` when you can.',
    );
    const status = await hubdesk(['kb', 'status', 'Notes', '--json']);
    expect(JSON.parse(status.stdout).files).toHaveLength(3);
    // Nothing is embedded until `hubdesk index run` (or the app's background indexer) has run.
    expect(JSON.parse(status.stdout).embedded).toEqual({ embedded: 0, total: 4 });
    expect((await hubdesk(['kb', 'status', 'Notes'])).stdout).toContain('embedded 0 of 4 chunks');

    const missing = await hubdesk(['kb', 'search', 'Nope', 'wombat']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No knowledge base named "Nope".');

    const removed = await hubdesk(['kb', 'remove', 'Notes']);
    expect(removed.code).toBe(0);
    expect((await hubdesk(['kb', 'list'])).stdout).toContain('No knowledge bases.');
  });
});

describe('hubdesk kb, interrupted', { timeout: 120_000 }, () => {
  it('Ctrl+C stops an add part-way, keeps what was indexed, and the next sync indexes the rest', async () => {
    const folder = join(dataDir, 'many');
    await mkdir(folder);
    for (let n = 0; n < 300; n++)
      await writeFile(join(folder, `note-${n}.md`), `Note ${n} mentions okapi${n}.`);
    const interrupt = new AbortController();
    const keytar = memoryKeytar();
    const errors: string[] = [];
    const out: string[] = [];
    const io = (signal?: AbortSignal) => ({
      env: { HUBDESK_DATA_DIR: join(dataDir, 'data-interrupted') },
      keytar,
      out: (line: string) => out.push(line),
      err: (line: string) => {
        errors.push(line);
        // Once some files are in: Ctrl+C stops the file being read too, so it comes after at least one.
        const done = /^Many: (\d+)\//.exec(line)?.[1];
        if (done !== undefined && Number(done) > 0 && !interrupt.signal.aborted) interrupt.abort();
      },
      write: () => {},
      ...(signal ? { signal } : {}),
    });
    expect(await runCli(['kb', 'add', 'Many', folder], io(interrupt.signal))).toBe(1);
    expect(errors.at(-1)).toContain('The sync of the knowledge base was stopped.');

    out.length = 0;
    expect(await runCli(['kb', 'sync', 'Many', '--json'], io())).toBe(0);
    const report = JSON.parse(out.join(''));
    expect(report.added).toBeGreaterThan(0);
    expect(report.unchanged).toBeGreaterThan(0);
    expect(report.added + report.unchanged).toBe(300);
    out.length = 0;
    expect(await runCli(['kb', 'search', 'Many', 'okapi299', '--json'], io())).toBe(0);
    expect(JSON.parse(out.join(''))).toHaveLength(1);
  });
});

describe('hubdesk kb pause, resume and retry', { timeout: 120_000 }, () => {
  it('pauses a base (list and status say so, sync refuses), resumes it with what changed, retries a fixed file', async () => {
    const folder = join(dataDir, 'pausable');
    await mkdir(folder);
    const good = await pdfWithPages([['the tale of the axolotl']]);
    const broken = join(folder, 'tale.pdf');
    await writeFile(broken, '%PDF-1.7\nbroken');
    await writeFile(join(folder, 'a.md'), 'The narwhal sings.');
    const keytar = memoryKeytar();
    const out: string[] = [];
    const errors: string[] = [];
    const cli = (args: string[]) => {
      out.length = 0;
      errors.length = 0;
      return runCli(args, {
        env: { HUBDESK_DATA_DIR: join(dataDir, 'data-paused') },
        keytar,
        out: (line: string) => out.push(line),
        err: (line: string) => errors.push(line),
        write: () => {},
      });
    };
    const json = () => JSON.parse(out.join(''));

    expect(await cli(['kb', 'add', 'Tales', folder])).toBe(0);
    // A file that failed is named where to look: the status lists it with why.
    expect(out.join('\n')).toMatch(/^Added Tales: 2 files, 1 chunk \(1 failed\)\./);
    expect(out.join('\n')).toMatch(/\nSee which files and why: hubdesk kb status "Tales"$/);
    expect(await cli(['kb', 'status', 'Tales'])).toBe(0);
    expect(out.join('\n')).toContain(`failed: ${broken}: `);
    expect(await cli(['kb', 'pause', 'Tales', '--json'])).toBe(0);
    expect(json()).toEqual({ ok: true });
    expect(await cli(['kb', 'list'])).toBe(0);
    expect(out.join('\n')).toContain(
      'Tales: 2 files, 1 chunk (1 failed) — paused (hubdesk kb resume to go on)',
    );
    expect(await cli(['kb', 'list', '--json'])).toBe(0);
    expect(json()[0]).toMatchObject({ name: 'Tales', paused: true, watching: false });
    expect(await cli(['kb', 'status', 'Tales'])).toBe(0);
    expect(out.join('\n')).toContain('— paused');
    expect(await cli(['kb', 'sync', 'Tales'])).toBe(1);
    expect(errors.join('\n')).toContain('The knowledge base "Tales" is paused: resume it to sync.');

    await writeFile(join(folder, 'b.md'), 'A written-while-paused quetzal.');
    expect(await cli(['kb', 'resume', 'Tales'])).toBe(0);
    expect(out.join('\n')).toBe(
      'Resumed Tales: 1 added, 0 changed, 0 moved, 0 deleted, 1 unchanged, 1 failed.\nSee which files and why: hubdesk kb status "Tales"',
    );
    expect(await cli(['kb', 'list', '--json'])).toBe(0);
    expect(json()[0]).toMatchObject({ paused: false, files: 3 });

    await writeFile(broken, good);
    expect(await cli(['kb', 'retry', 'Tales', broken, '--json'])).toBe(0);
    expect(json()).toMatchObject({ changed: 1, failed: 0 });
    expect(await cli(['kb', 'search', 'Tales', 'axolotl', '--json'])).toBe(0);
    expect(json()).toEqual([expect.objectContaining({ path: broken, page: 1 })]);
    expect(await cli(['kb', 'retry', 'Tales'])).toBe(0);
    expect(out.join('\n')).toBe(
      'Retried the failed files of Tales: 0 added, 0 changed, 0 moved, 0 deleted, 0 unchanged.',
    );
    expect(await cli(['kb', 'retry', 'Tales', join(folder, 'nope.md')])).toBe(1);
    expect(errors.join('\n')).toContain(`The knowledge base "Tales" has no file ${join(folder, 'nope.md')}.`);
  });
});
