/**
 * Knowledge bases that follow the disk while HubDesk runs (folder watches on real folders, a manual clock for the
 * debounce), and that can be paused, resumed and retried.
 */
import {
  mkdir,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  unlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Core } from '../src/main/core';
import type { EventBus } from '../src/main/services/event-bus';
import { FolderWatch } from '../src/main/services/knowledge/folder-watch';
import { KnowledgeService } from '../src/main/services/knowledge/knowledge-service';
import { KnowledgeRepo } from '../src/main/store/knowledge-repo';
import type { KbProgress } from '../src/shared/knowledge';
import { pdfWithPages } from './support/documents';
import { ManualClock } from './support/manual-clock';
import { tempCoresPerTest } from './support/temp-cores';

const { tempDir, openCore, defer } = tempCoresPerTest();

/** A service on the core's database whose watch timers run on a manual clock. */
function watchedService(core: Core, clock: ManualClock): KnowledgeService {
  const service = new KnowledgeService({
    knowledge: new KnowledgeRepo(core.db),
    search: core.knowledgeSearch,
    bus: core.bus,
    clock,
    watchDebounceMs: 200,
  });
  defer(() => service.close());
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
 * the file system has told it something); the test's own timeout (its signal) ends the wait.
 */
async function pumping<T>(clock: ManualClock, promise: Promise<T>, signal: AbortSignal): Promise<T> {
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
    signal.throwIfAborted();
    clock.advance(1_000);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return promise;
}

/** A manual clock that counts the timers set: a folder watch sets one per event it is told of. */
class CountingClock extends ManualClock {
  timersSet = 0;

  override setTimeout(fn: () => void, ms: number): { cancel(): void } {
    this.timersSet++;
    return super.setTimeout(fn, ms);
  }
}

/** Yields until the watch has been told of at least `events` events (the test's timeout ends the wait). */
async function eventsSeen(clock: CountingClock, events: number, signal: AbortSignal): Promise<void> {
  while (clock.timersSet < events) {
    signal.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The inotify watches this process holds (Linux: one line per watch in the fdinfo of its inotify descriptors). */
async function inotifyWatches(): Promise<number> {
  let count = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(join('/proc/self/fd', fd)).catch(() => '');
    if (!target.includes('inotify')) continue;
    const info = await readFile(join('/proc/self/fdinfo', fd), 'utf8').catch(() => '');
    count += info.split('\n').filter((line) => line.startsWith('inotify wd:')).length;
  }
  return count;
}

async function paths(service: KnowledgeService, name: string, query: string): Promise<string[]> {
  return (await service.search(name, query)).map((hit) => hit.path);
}

describe('knowledge bases while HubDesk runs', { timeout: 120_000 }, () => {
  it('picks up files added, changed, moved and deleted while watching, and stops watching on remove and close', async ({
    signal,
  }) => {
    const dataDir = await tempDir('hubdesk-kbw-data-');
    const docs = await tempDir('hubdesk-kbw-docs-');
    await writeFile(join(docs, 'first.md'), '# First\nThe heron waits.\n');
    await mkdir(join(docs, 'river-old'));
    await writeFile(join(docs, 'river-old', 'keep.md'), 'An old pike.');
    const core = openCore(dataDir);
    const clock = new ManualClock();
    const service = watchedService(core, clock);
    await service.addBase('Docs', [docs]);
    expect(service.list()[0]).toMatchObject({ watching: false, paused: false });
    service.startWatching();
    expect(service.list()[0]).toMatchObject({ watching: true });

    let added = changedUntil(core.bus, async () => (await paths(service, 'Docs', 'otter')).length === 1);
    await writeFile(join(docs, 'second.txt'), 'An otter swims by.');
    await pumping(clock, added, signal);
    expect(await paths(service, 'Docs', 'otter')).toEqual([join(docs, 'second.txt')]);

    const changed = changedUntil(
      core.bus,
      async () => (await paths(service, 'Docs', 'kingfisher')).length === 1,
    );
    await writeFile(join(docs, 'first.md'), '# First\nThe kingfisher dives.\n');
    await pumping(clock, changed, signal);
    expect(await paths(service, 'Docs', 'heron')).toEqual([]);

    const moved = changedUntil(
      core.bus,
      async () => (await paths(service, 'Docs', 'otter')).join() === join(docs, 'river', 'second.txt'),
    );
    await mkdir(join(docs, 'river'));
    await rename(join(docs, 'second.txt'), join(docs, 'river', 'second.txt'));
    await pumping(clock, moved, signal);
    expect(await paths(service, 'Docs', 'otter')).toEqual([join(docs, 'river', 'second.txt')]);

    added = changedUntil(core.bus, async () => (await paths(service, 'Docs', 'beaver')).length === 1);
    await mkdir(join(docs, 'lake', 'north'), { recursive: true });
    await writeFile(join(docs, 'lake', 'north', 'dam.md'), 'A beaver builds.');
    await pumping(clock, added, signal);

    const deleted = changedUntil(core.bus, async () => (await paths(service, 'Docs', 'otter')).length === 0);
    await rm(join(docs, 'river'), { recursive: true });
    await pumping(clock, deleted, signal);
    expect(await paths(service, 'Docs', 'pike')).toEqual([join(docs, 'river-old', 'keep.md')]);
    expect(service.list()[0]).toMatchObject({ files: 3, watching: true });

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
    expect(service.list()[0]).toMatchObject({ watching: true, files: 4 });
    await service.close();
    expect(service.list()[0]).toMatchObject({ watching: false });
    expect(clock.pending()).toBe(0);
  });

  it('keeps the files of a folder that went away, and picks up what changed in it once it is back', async ({
    signal,
  }) => {
    const dataDir = await tempDir('hubdesk-kbw-data-');
    const parent = await tempDir('hubdesk-kbw-drive-');
    const docs = join(parent, 'docs');
    const single = join(parent, 'single.md');
    await mkdir(docs);
    await writeFile(join(docs, 'a.md'), 'The ibis stays.');
    await writeFile(single, 'A lone puffin.');
    const core = openCore(dataDir);
    const clock = new ManualClock();
    const service = watchedService(core, clock);
    await service.addBase('Drive', [docs, single]);
    service.startWatching();

    await rename(docs, join(parent, 'unplugged'));
    await writeFile(join(parent, 'unplugged', 'b.md'), 'A stork written while away.');
    await rename(join(parent, 'unplugged'), docs);
    const back = changedUntil(core.bus, async () => (await paths(service, 'Drive', 'stork')).length === 1);
    await pumping(clock, back, signal);
    expect(await paths(service, 'Drive', 'ibis')).toEqual([join(docs, 'a.md')]);

    await rm(docs, { recursive: true });
    await mkdir(docs);
    await writeFile(join(docs, 'c.md'), 'A crane in the new folder.');
    const recreated = changedUntil(
      core.bus,
      async () =>
        (await paths(service, 'Drive', 'crane')).length === 1 &&
        (await paths(service, 'Drive', 'stork')).length === 0,
    );
    await pumping(clock, recreated, signal);

    // A file root saved the way editors save: a new file renamed over it.
    const saved = changedUntil(core.bus, async () => (await paths(service, 'Drive', 'gannet')).length === 1);
    await writeFile(`${single}.tmp`, 'A gannet instead.');
    await rename(`${single}.tmp`, single);
    await pumping(clock, saved, signal);
    expect(await paths(service, 'Drive', 'puffin')).toEqual([]);
    expect(service.list()[0]).toMatchObject({ files: 2, watching: true });
  });
});

describe('pausing, resuming and retrying a knowledge base', { timeout: 180_000 }, () => {
  it('pauses a sync of 2,000 files part-way, stays paused after a restart, and resume finishes it', async () => {
    const dataDir = await tempDir('hubdesk-kbw-data-');
    const docs = await tempDir('hubdesk-kbw-many-');
    for (let folder = 0; folder < 20; folder++) {
      await mkdir(join(docs, `part-${folder}`));
      await Promise.all(
        Array.from({ length: 100 }, (_, index) => {
          const n = folder * 100 + index;
          return writeFile(
            join(docs, `part-${folder}`, `note-${n}.txt`),
            `Note ${n}: the word is gecko${n}.`,
          );
        }),
      );
    }
    const core = openCore(dataDir);
    const progress: KbProgress[] = [];
    const changes: string[] = [];
    let paused: Promise<void> | undefined;
    core.bus.subscribe((event, payload) => {
      if (event === 'kb.changed') changes.push((payload as { baseId: string }).baseId);
      if (event !== 'kb.progress') return;
      progress.push(payload as KbProgress);
      if (!paused && (payload as KbProgress).done >= 100) paused = core.knowledge.pause('Many');
    });
    await expect(core.knowledge.addBase('Many', [docs])).rejects.toThrow(
      'The knowledge base "Many" is paused: resume it to sync.',
    );
    await paused;
    const [base] = core.knowledge.list();
    if (!base) throw new Error('the base was not stored');
    expect(base.paused).toBe(true);
    expect(base.files).toBeGreaterThanOrEqual(100);
    expect(base.files).toBeLessThan(2000);
    expect(changes).toContain(base.id);
    expect(progress.every((step) => !step.finished)).toBe(true);
    expect(core.knowledge.status('Many').progress).toBeNull();
    await expect(core.knowledge.sync('Many')).rejects.toThrow(/is paused/);
    await expect(core.knowledge.retry('Many')).rejects.toThrow(/is paused/);
    await core.close();

    const reopened = openCore(dataDir);
    expect(reopened.knowledge.list()[0]).toMatchObject({ paused: true, files: base.files });
    await reopened.knowledge.syncAll();
    reopened.knowledge.startWatching();
    expect(reopened.knowledge.list()[0]).toMatchObject({ paused: true, watching: false, files: base.files });

    const report = await reopened.knowledge.resume('Many');
    expect(report.added).toBe(2000 - base.files);
    expect(reopened.knowledge.list()[0]).toMatchObject({ paused: false, watching: true, files: 2000 });
    expect((await reopened.knowledge.search('Many', 'gecko1999'))[0]?.path).toBe(
      join(docs, 'part-19', 'note-1999.txt'),
    );
  });

  it('retries a file that failed, once it is fixed, even when its size and time look unchanged', async () => {
    const dataDir = await tempDir('hubdesk-kbw-data-');
    const docs = await tempDir('hubdesk-kbw-docs-');
    const good = await pdfWithPages([['the manual of the tapir']]);
    const broken = Buffer.alloc(good.length, 0x25);
    broken.write('%PDF-1.7\nnot really a PDF');
    const pdf = join(docs, 'manual.pdf');
    await writeFile(pdf, broken);
    await writeFile(join(docs, 'ok.md'), 'Fine.');
    const core = openCore(dataDir);
    const progress: KbProgress[] = [];
    core.bus.subscribe((event, payload) => {
      if (event === 'kb.progress') progress.push(payload as KbProgress);
    });
    const { report } = await core.knowledge.addBase('Manuals', [docs]);
    expect(report).toMatchObject({ added: 1, failed: 1 });
    expect(progress.at(-1)).toMatchObject({ finished: true, failed: 1 });
    const failed = core.knowledge.status('Manuals').files.find((file) => file.path === pdf);
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed?.error).toMatch(/^The text could not be read/);

    // Fixed in place: same size, same modification time.
    const before = await stat(pdf);
    await writeFile(pdf, good);
    await utimes(pdf, before.atime, before.mtime);
    expect(await core.knowledge.retry('Manuals', pdf)).toMatchObject({ changed: 1, failed: 0, unchanged: 0 });
    expect(await paths(core.knowledge, 'Manuals', 'tapir')).toEqual([pdf]);
    expect(core.knowledge.list()[0]).toMatchObject({ failed: 0, files: 2 });

    expect(await core.knowledge.retry('Manuals')).toEqual({
      added: 0,
      changed: 0,
      moved: 0,
      deleted: 0,
      unchanged: 0,
      failed: 0,
      noText: 0,
    });
    await expect(core.knowledge.retry('Manuals', join(docs, 'other.md'))).rejects.toThrow(
      `The knowledge base "Manuals" has no file ${join(docs, 'other.md')}.`,
    );

    await writeFile(pdf, broken);
    await utimes(pdf, before.atime, before.mtime);
    expect(await core.knowledge.retry('Manuals', pdf)).toMatchObject({ failed: 1 });
    await writeFile(pdf, good);
    await utimes(pdf, before.atime, before.mtime);
    await unlink(join(docs, 'ok.md'));
    expect(await core.knowledge.retry('Manuals')).toMatchObject({ changed: 1, deleted: 0 });
    expect(core.knowledge.list()[0]).toMatchObject({ failed: 0, files: 2 });
  });
});

describe('a folder watch', { timeout: 60_000 }, () => {
  it('reports a new folder once, not each file in it, and anything-may-have-changed when too much changed', async ({
    signal,
  }) => {
    const root = await tempDir('hubdesk-kbw-watch-');
    const clock = new CountingClock();
    const reports: (readonly string[] | null)[] = [];
    const watch = new FolderWatch({
      roots: [root],
      clock,
      debounceMs: 200,
      maxPaths: 5,
      onChange: (paths) => reports.push(paths),
    });
    defer(async () => watch.close());

    await mkdir(join(root, 'batch'));
    await Promise.all([1, 2, 3].map((n) => writeFile(join(root, 'batch', `${n}.md`), `file ${n}`)));
    await eventsSeen(clock, 4, signal);
    expect(reports).toEqual([]);
    clock.advance(199);
    expect(reports).toEqual([]);
    clock.advance(1);
    expect(reports[0]).toEqual([join(root, 'batch')]);

    reports.length = 0;
    clock.advance(10_000);
    const seen = clock.timersSet;
    await Promise.all(Array.from({ length: 30 }, (_, n) => writeFile(join(root, `many-${n}.txt`), 'x')));
    await eventsSeen(clock, seen + 20, signal);
    clock.advance(200);
    expect(reports).toContain(null);

    watch.close();
    expect(clock.pending()).toBe(0);
  });
  it.runIf(process.platform === 'linux')(
    'watches no hidden folder or dependency tree, however many folders they hold',
    async () => {
      const root = await tempDir('hubdesk-kbw-tree-');
      for (let n = 0; n < 30; n++) {
        await mkdir(join(root, '.git', 'objects', `${n}`), { recursive: true });
        await mkdir(join(root, 'node_modules', `lib-${n}`), { recursive: true });
      }
      await mkdir(join(root, 'notes', 'old'), { recursive: true });
      await mkdir(join(root, 'papers'));
      const before = await inotifyWatches();
      const watch = new FolderWatch({ roots: [root], clock: new ManualClock(), onChange: () => {} });
      defer(async () => watch.close());
      expect((await inotifyWatches()) - before).toBe(4);
      watch.close();
      expect(await inotifyWatches()).toBe(before);
    },
  );
});
