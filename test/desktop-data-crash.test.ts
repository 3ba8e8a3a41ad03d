/**
 * A restore and a move are atomic: the process is killed (SIGKILL) at each step (test/support/data-child.ts), and
 * the next start finds the data from before the operation (cut off before its commit point) or after it (cut off
 * after it), whole: database and library together, never one of each.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/main/core';
import { dataPaths, defaultDataDir } from '../src/main/paths';
import { memoryKeytar } from './support/memory-keytar';

const repoRoot = join(import.meta.dirname, '..');
const childScript = join(import.meta.dirname, 'support', 'data-child.ts');
let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hubdesk-data-crash-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function open(dataDir: string): Core {
  return createCore({ dataDir, env: {}, keytar: memoryKeytar(), keychainService: 'HubDesk-test' });
}

const titles = (core: Core) =>
  core.chat
    .listConversations()
    .map((conversation) => conversation.title)
    .sort();

function runChild(...args: string[]): void {
  const result = spawnSync(process.execPath, ['--import', 'tsx', childScript, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  expect(result.signal, result.stderr).toBe('SIGKILL');
}

/** What the next start sees: titles, library files, and whether HubDesk's work files are all gone once it ran. */
async function state(dataDir: string) {
  const core = open(dataDir);
  const seen = {
    titles: titles(core),
    library: readdirSync(core.paths.libraryDir, { recursive: true }).sort(),
  };
  await core.close(); // waits for the start-up clean-up
  const work = readdirSync(dataDir).filter((name) => name.startsWith('.hubdesk-'));
  return { ...seen, work };
}

describe('a restore killed at each step', () => {
  const steps = [
    ['restore:staged', 'before'],
    ['restore:previous', 'before'],
    ['restore:libraryAside', 'before'],
    ['restore:libraryIn', 'before'],
    ['restore:database', 'before'],
    ['restore:committed', 'after'],
  ] as const;

  it.each(steps)('killed at %s: the next start has the data from %s the restore', async (step, expected) => {
    const dataDir = join(root, 'data');
    const archive = join(root, 'everything.hubdesk-backup');
    const core = open(dataDir);
    core.chat.updateConversation(core.chat.createConversation({ model: 'gpt-4o' }).id, {
      title: 'In the backup',
    });
    await mkdir(join(core.paths.libraryDir, 'videos'), { recursive: true });
    await writeFile(join(core.paths.libraryDir, 'videos', 'clip.mp4'), randomBytes(200_000));
    expect((await core.router.dispatch('data.backup', { target: archive })).ok).toBe(true);
    const backedUp = {
      titles: titles(core),
      library: readdirSync(core.paths.libraryDir, { recursive: true }).sort(),
    };
    // Changed after the backup: what a restore replaces.
    core.chat.updateConversation(core.chat.listConversations()[0]?.id ?? '', { title: 'Renamed later' });
    await rm(join(core.paths.libraryDir, 'videos'), { recursive: true });
    await writeFile(join(core.paths.libraryDir, 'later.txt'), 'made after the backup');
    const current = {
      titles: titles(core),
      library: readdirSync(core.paths.libraryDir, { recursive: true }).sort(),
    };
    await core.close();

    runChild('restore', dataDir, archive, step);

    const after = await state(dataDir);
    expect({ titles: after.titles, library: after.library }).toEqual(
      expected === 'after' ? backedUp : current,
    );
    expect(after.work).toEqual([]);
  });
});

describe('a move killed at each step', () => {
  const steps = [
    ['move:journal', 'before'],
    ['move:database', 'before'],
    ['move:library', 'before'],
    ['move:checked', 'before'],
    ['move:committed', 'after'],
  ] as const;

  it.each(steps)('killed at %s: the next start opens the folder from %s the move', async (step, expected) => {
    const env = { XDG_CONFIG_HOME: join(root, 'config') };
    const home = join(root, 'home');
    const oldDir = defaultDataDir(env, 'linux', home);
    const locationFile = join(root, 'config', 'HubDesk', 'data-location.json');
    const target = join(root, 'other-disk', 'HubDesk');
    const core = open(oldDir);
    core.chat.updateConversation(core.chat.createConversation({ model: 'gpt-4o' }).id, { title: 'Moving' });
    const video = randomBytes(200_000);
    await mkdir(join(core.paths.libraryDir, 'videos'), { recursive: true });
    await writeFile(join(core.paths.libraryDir, 'videos', 'clip.mp4'), video);
    const before = titles(core);
    await core.close();

    runChild('move', oldDir, target, locationFile, step);

    const dataDir = defaultDataDir(env, 'linux', home);
    expect(dataDir).toBe(expected === 'after' ? target : oldDir);
    const after = await state(dataDir);
    expect(after.titles).toEqual(before);
    expect((await readFile(join(dataPaths(dataDir).libraryDir, 'videos', 'clip.mp4'))).equals(video)).toBe(
      true,
    );
    expect(after.work).toEqual([]);
    if (expected === 'after') {
      // The old folder (the platform folder) keeps only the note of where the data went.
      expect(readdirSync(oldDir)).toEqual(['data-location.json']);
    } else {
      expect(existsSync(target)).toBe(false);
    }
  });
});
