/**
 * Knowledge bases that follow the disk while HubDesk runs (folder watches on real folders, a manual clock for the
 * debounce), and that can be paused, resumed and retried.
 */
import { mkdir, mkdtemp, rename, rm, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/main/core';
import type { EventBus } from '../src/main/services/event-bus';
import { KnowledgeService } from '../src/main/services/knowledge/knowledge-service';
import { KnowledgeRepo } from '../src/main/store/knowledge-repo';
import type { KbProgress } from '../src/shared/knowledge';
import { pdfWithPages } from './support/documents';
import { ManualClock } from './support/manual-clock';
import { memoryKeytar } from './support/memory-keytar';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function openCore(dataDir: string): Core {
  const core = createCore({ dataDir, env: {}, keytar: memoryKeytar(), keychainService: 'HubDesk-test' });
  let closed = false;
  const close = core.close.bind(core);
  core.close = async () => {
    if (closed) return;
    closed = true;
    await close();
  };
  cleanups.push(() => core.close());
  return core;
}

/** A service on the core's database whose watch timers run on a manual clock. */
function watchedService(core: Core, clock: ManualClock): KnowledgeService {
  const service = new KnowledgeService({
    knowledge: new KnowledgeRepo(core.db),
    search: core.knowledgeSearch,
    bus: core.bus,
    clock,
    watchDebounceMs: 200,
  });
  cleanups.push(() => service.close());
  return service;
}

/** Resolves at the first `kb.changed` after which `ready` holds (a sync may take a change in more than one go). */
function changedUntil(bus: EventBus, ready: () => Promise<boolean> | boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = bus.subscribe((event) => {
      if (event !== 'kb.changed') return;
      Promise.resolve(ready()).then((yes) => {
        if (!yes) return;
        stop();
        resolve();
      }, reject);
    });
  });
}

/**
 * Waits for the promise while the manual clock moves on (so the watch's debounce and root look-ups fall due once
 * the file system has told it something); the test's own timeout bounds the wait.
 */
async function pumping<T>(clock: ManualClock, promise: Promise<T>): Promise<T> {
  let settled = false;
  void promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  while (!settled) {
    clock.advance(1_000);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return promise;
}

async function paths(service: KnowledgeService, name: string, query: string): Promise<string[]> {
  return (await service.search(name, query)).map((hit) => hit.path);
}

describe('knowledge bases while HubDesk runs', { timeout: 120_000 }, () => {
  it('picks up files added, changed, moved and deleted while watching, and stops watching on remove and close', async () => {
    const dataDir = await tempDir('hubdesk-kbw-data-');
    const docs = await tempDir('hubdesk-kbw-docs-');
    await writeFile(join(docs, 'first.md'), '# First\nThe heron waits.\n');
    const core = openCore(dataDir);
    const clock = new ManualClock();
    const service = watchedService(core, clock);
    await service.addBase('Docs', [docs]);
    expect(service.list()[0]).toMatchObject({ watching: false, paused: false });
    service.startWatching();
    expect(service.list()[0]).toMatchObject({ watching: true });

    let added = changedUntil(core.bus, async () => (await paths(service, 'Docs', 'otter')).length === 1);
    await writeFile(join(docs, 'second.txt'), 'An otter swims by.');
    await pumping(clock, added);
    expect(await paths(service, 'Docs', 'otter')).toEqual([join(docs, 'second.txt')]);

    const changed = changedUntil(
      core.bus,
      async () => (await paths(service, 'Docs', 'kingfisher')).length === 1,
    );
    await writeFile(join(docs, 'first.md'), '# First\nThe kingfisher dives.\n');
    await pumping(clock, changed);
    expect(await paths(service, 'Docs', 'heron')).toEqual([]);

    const moved = changedUntil(
      core.bus,
      async () => (await paths(service, 'Docs', 'otter')).join() === join(docs, 'river', 'second.txt'),
    );
    await mkdir(join(docs, 'river'));
    await rename(join(docs, 'second.txt'), join(docs, 'river', 'second.txt'));
    await pumping(clock, moved);
    expect(await paths(service, 'Docs', 'otter')).toEqual([join(docs, 'river', 'second.txt')]);

    added = changedUntil(core.bus, async () => (await paths(service, 'Docs', 'beaver')).length === 1);
    await mkdir(join(docs, 'lake', 'north'), { recursive: true });
    await writeFile(join(docs, 'lake', 'north', 'dam.md'), 'A beaver builds.');
    await pumping(clock, added);

    const deleted = changedUntil(core.bus, async () => (await paths(service, 'Docs', 'otter')).length === 0);
    await rm(join(docs, 'river'), { recursive: true });
    await pumping(clock, deleted);
    expect(service.list()[0]).toMatchObject({ files: 2, watching: true });

    // Files in hidden folders are not the user's documents: a change there syncs nothing.
    await mkdir(join(docs, '.git'));
    await writeFile(join(docs, '.git', 'notes.md'), 'gitword');

    await service.removeBase('Docs');
    expect(service.list()).toEqual([]);
    const events: string[] = [];
    core.bus.subscribe((event) => {
      events.push(event);
    });
    await writeFile(join(docs, 'after-remove.md'), 'Nobody hears the wren.');
    await new Promise((resolve) => setTimeout(resolve, 100));
    clock.advance(10_000);
    expect(clock.pending()).toBe(0);
    expect(events).toEqual([]);

    await service.addBase('Again', [docs]);
    expect(service.list()[0]).toMatchObject({ watching: true, files: 3 });
    await service.close();
    expect(service.list()[0]).toMatchObject({ watching: false });
    expect(clock.pending()).toBe(0);
  });
});
