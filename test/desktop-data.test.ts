import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  truncate,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/main/core';
import { dataPaths, defaultDataDir } from '../src/main/paths';
import { readManifest, writeArchive } from '../src/main/services/desktop/archive';
import { DesktopService } from '../src/main/services/desktop/desktop-service';
import { lockDataFolder } from '../src/main/store/data-lock';
import { openDatabase } from '../src/main/store/database';
import { DatabaseCopies } from '../src/main/store/database-copies';
import { migrations } from '../src/main/store/migrations';
import { UsageRepo } from '../src/main/store/usage-repo';
import type { EventPayload } from '../src/shared/contract';
import { memoryKeytar } from './support/memory-keytar';

let root: string;
const cores: Core[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hubdesk-data-'));
});
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  await rm(root, { recursive: true, force: true });
});

function open(dataDir: string): Core {
  const core = createCore({ dataDir, env: {}, keytar: memoryKeytar(), keychainService: 'HubDesk-test' });
  cores.push(core);
  return core;
}

async function close(core: Core): Promise<void> {
  cores.splice(cores.indexOf(core), 1);
  await core.close();
}

/** A data folder with two conversations and a video in the library. */
async function populated(dataDir: string): Promise<{ core: Core; video: Buffer }> {
  const core = open(dataDir);
  for (const title of ['Lighthouse notes', 'Trip to Hanoi']) {
    const conversation = core.chat.createConversation({ model: 'gpt-4o' });
    core.chat.updateConversation(conversation.id, { title });
  }
  const video = randomBytes(300_000);
  await mkdir(join(core.paths.libraryDir, 'videos'), { recursive: true });
  await writeFile(join(core.paths.libraryDir, 'videos', 'clip.mp4'), video);
  return { core, video };
}

const titles = (core: Core) =>
  core.chat
    .listConversations()
    .map((conversation) => conversation.title)
    .sort();

async function invoke(core: Core, channel: string, request: unknown) {
  return core.router.dispatch(channel, request);
}

describe('backup and restore', () => {
  it('refuses a corrupt or cut-off archive and leaves the current data as it was', async () => {
    const dataDir = join(root, 'data');
    const { core, video } = await populated(dataDir);
    const archive = join(root, 'everything.hubdesk-backup');
    const backedUp = await invoke(core, 'data.backup', { target: archive });
    expect(backedUp).toMatchObject({ ok: true, value: { path: archive, files: 2 } });

    // Change the data after the backup, so a restore would be visible.
    core.chat.createConversation({ model: 'gpt-4o' });
    const before = titles(core);

    const bytes = await readFile(archive);
    const corrupt = join(root, 'corrupt.hubdesk-backup');
    const flipped = Buffer.from(bytes);
    const inVideo = bytes.length - 50_000; // the video is the last file, 300 kB long
    flipped[inVideo] = (flipped[inVideo] ?? 0) ^ 0xff;
    await writeFile(corrupt, flipped);
    const cut = join(root, 'cut.hubdesk-backup');
    await writeFile(cut, bytes);
    await truncate(cut, bytes.length - 5000);
    const notOne = join(root, 'notes.txt');
    await writeFile(notOne, 'just some text that is long enough to have a header and a footer '.repeat(5));

    for (const source of [corrupt, cut, notOne]) {
      const result = await invoke(core, 'data.restore', { source });
      expect(result).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
      expect(result.ok ? '' : result.error.message).toMatch(
        /not a usable HubDesk backup.*Nothing was changed/,
      );
    }
    const corruptMessage = await invoke(core, 'data.restore', { source: corrupt });
    expect(corruptMessage.ok ? '' : corruptMessage.error.message).toMatch(
      /library\/videos\/clip\.mp4 does not match/,
    );

    expect(titles(core)).toEqual(before);
    expect((await readFile(join(core.paths.libraryDir, 'videos', 'clip.mp4'))).equals(video)).toBe(true);
    expect((await readdir(dataDir)).filter((name) => name.startsWith('.hubdesk-'))).toEqual([]);
  });

  it('restores a whole archive over changed data, and the reopened app shows the backup', async () => {
    const dataDir = join(root, 'data');
    const { core, video } = await populated(dataDir);
    const archive = join(root, 'everything.hubdesk-backup');
    expect((await invoke(core, 'data.backup', { target: archive })).ok).toBe(true);
    const backedUpTitles = titles(core);

    core.chat.updateConversation(core.chat.listConversations()[0]?.id ?? '', {
      title: 'Renamed after backup',
    });
    await rm(join(core.paths.libraryDir, 'videos', 'clip.mp4'));
    await writeFile(join(core.paths.libraryDir, 'later.txt'), 'made after the backup');

    const progress: EventPayload<'data.progress'>[] = [];
    const reopen: EventPayload<'data.reopen'>[] = [];
    core.bus.subscribe((event, payload) => {
      if (event === 'data.progress') progress.push(payload as EventPayload<'data.progress'>);
      if (event === 'data.reopen') reopen.push(payload as EventPayload<'data.reopen'>);
    });
    const restored = await invoke(core, 'data.restore', { source: archive });
    expect(restored.ok ? restored : restored.error.message).toMatchObject({ ok: true, value: { files: 2 } });
    expect(reopen).toEqual([{ reason: 'restored', dataDir }]);
    expect(progress.at(-1)).toMatchObject({ operation: 'restore', step: 'done' });
    expect(progress.map((event) => event.step)).toContain('checkFiles');

    // The running app already reads the restored database; the old data waits aside until the next start.
    expect(titles(core)).toEqual(backedUpTitles);
    expect(existsSync(join(dataDir, '.hubdesk-restore-previous', 'library', 'later.txt'))).toBe(true);
    await close(core);

    const reopened = open(dataDir);
    expect(titles(reopened)).toEqual(backedUpTitles);
    expect((await readFile(join(reopened.paths.libraryDir, 'videos', 'clip.mp4'))).equals(video)).toBe(true);
    expect(existsSync(join(reopened.paths.libraryDir, 'later.txt'))).toBe(false);
    await close(reopened); // waits for the start-up clean-up
    expect(existsSync(join(dataDir, '.hubdesk-restore-previous'))).toBe(false);
  });

  it('the database copy a backup writes is private (0600) while it exists, and a stale one goes at the next start', async () => {
    const dataDir = join(root, 'data');
    const { core } = await populated(dataDir);
    const archive = join(root, 'private.hubdesk-backup');
    const modes: number[] = [];
    const parts = () =>
      [root, dataDir]
        .flatMap((dir) => readdirSync(dir).map((name) => join(dir, name)))
        .filter((file) => file.endsWith('.database.part'));
    core.bus.subscribe((event, payload) => {
      // Events are sent synchronously: the copy is there, whole, when the archive starts.
      if (event === 'data.progress' && (payload as EventPayload<'data.progress'>).step === 'writeArchive') {
        for (const file of parts()) modes.push(statSync(file).mode & 0o777);
      }
    });
    expect((await invoke(core, 'data.backup', { target: archive })).ok).toBe(true);
    expect(modes).toEqual([0o600]);
    expect(parts()).toEqual([]);
    expect((await stat(archive)).mode & 0o777).toBe(0o600);

    // A crash left a copy behind (as an earlier HubDesk wrote it, readable by others): the next start removes it.
    await close(core);
    const stale = join(dataDir, '.hubdesk-backup.database.part');
    await writeFile(stale, 'SQLite format 3\0 left by a crash', { mode: 0o644 });
    await writeFile(`${stale}-journal`, 'journal', { mode: 0o644 });
    await close(open(dataDir));
    expect(parts()).toEqual([]);
    expect(existsSync(`${stale}-journal`)).toBe(false);
  });

  it('a restore while another process moves or restores the folder is refused in words, and runs after', async () => {
    const dataDir = join(root, 'data');
    const { core } = await populated(dataDir);
    const archive = join(root, 'everything.hubdesk-backup');
    expect((await invoke(core, 'data.backup', { target: archive })).ok).toBe(true);
    const other = lockDataFolder(dataDir, 0);
    try {
      const refused = await invoke(core, 'data.restore', { source: archive });
      expect(refused).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
      expect(refused.ok ? '' : refused.error.message).toMatch(
        /in another window or command.*Nothing was changed/,
      );
    } finally {
      other.release();
    }
    expect((await invoke(core, 'data.restore', { source: archive })).ok).toBe(true);
  });

  it('will not write a backup inside the data folder or over a folder', async () => {
    const dataDir = join(root, 'data');
    const { core } = await populated(dataDir);
    const inside = await invoke(core, 'data.backup', {
      target: join(dataDir, 'library', 'b.hubdesk-backup'),
    });
    expect(inside).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'target' } });
    // A name that merely starts with two dots is still inside.
    const dotted = await invoke(core, 'data.backup', { target: join(dataDir, '..b.hubdesk-backup') });
    expect(dotted).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'target' } });
    expect(existsSync(join(dataDir, '..b.hubdesk-backup'))).toBe(false);
    const folder = await invoke(core, 'data.backup', { target: root });
    expect(folder).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'target' } });
    // A file already there is kept, unless the request says to overwrite it (a save dialog asked first).
    const existing = join(root, 'existing.hubdesk-backup');
    await writeFile(existing, 'keep me');
    const refused = await invoke(core, 'data.backup', { target: existing });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'target' } });
    expect(refused.ok ? '' : refused.error.message).toMatch(/already holds a file/);
    expect(await readFile(existing, 'utf8')).toBe('keep me');
    expect(await invoke(core, 'data.backup', { target: existing, overwrite: true })).toMatchObject({
      ok: true,
      value: { path: existing, files: 2 },
    });
    expect((await readManifest(existing)).files).toHaveLength(2);
    const relative = await invoke(core, 'data.backup', { target: 'backup.file' });
    expect(relative).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'target' } });
  });
});

describe('moving the data folder', () => {
  it('copies database and library to the new folder, which the app then opens, and removes the old one', async () => {
    const env = { XDG_CONFIG_HOME: join(root, 'config') };
    const home = join(root, 'home');
    const oldDir = defaultDataDir(env, 'linux', home);
    expect(oldDir).toBe(join(root, 'config', 'HubDesk'));
    const { core, video } = await populated(oldDir);
    const before = titles(core);
    const location = await invoke(core, 'data.location', {});
    expect(location).toMatchObject({ ok: true, value: { dataDir: oldDir, movable: false } });
    if (location.ok) expect((location.value as { libraryBytes: number }).libraryBytes).toBe(300_000);

    // The app's own service knows the platform folder's data-location file; this one is told where it is.
    const locationFile = join(root, 'config', 'HubDesk', 'data-location.json');
    const desktop = new DesktopService(
      {
        usage: new UsageRepo(core.db),
        profiles: core.profiles,
        database: new DatabaseCopies(core.db),
        bus: core.bus,
      },
      dataPaths(oldDir, locationFile),
    );
    const progress: EventPayload<'data.progress'>[] = [];
    core.bus.subscribe((event, payload) => {
      if (event === 'data.progress') progress.push(payload as EventPayload<'data.progress'>);
    });

    const target = join(root, 'other-disk', 'HubDesk');
    await expect(desktop.move(join(oldDir, 'library', 'x'))).rejects.toThrow(
      /outside the current data folder/,
    );
    await expect(desktop.move(join(oldDir, '..moved'))).rejects.toThrow(/outside the current data folder/);
    await mkdir(join(root, 'busy'), { recursive: true });
    await writeFile(join(root, 'busy', 'something'), 'x');
    await expect(desktop.move(join(root, 'busy'))).rejects.toThrow(/not empty/);

    expect(await desktop.move(target)).toEqual({ dataDir: target });
    expect(progress.map((event) => event.step)).toEqual(
      expect.arrayContaining(['copyDatabase', 'copyLibrary', 'openCopy', 'done']),
    );
    expect(progress.at(-1)?.bytesDone).toBe(progress.at(-1)?.bytesTotal);
    // Until the new folder has been opened, the old one stays whole.
    expect(existsSync(join(oldDir, 'hubdesk.sqlite'))).toBe(true);
    expect(defaultDataDir(env, 'linux', home)).toBe(target);
    expect(defaultDataDir({ ...env, HUBDESK_DATA_DIR: join(root, 'elsewhere') }, 'linux', home)).toBe(
      join(root, 'elsewhere'),
    );
    await close(core);

    const moved = open(defaultDataDir(env, 'linux', home));
    expect(moved.paths.dataDir).toBe(target);
    expect(titles(moved)).toEqual(before);
    expect((await readFile(join(moved.paths.libraryDir, 'videos', 'clip.mp4'))).equals(video)).toBe(true);
    await close(moved);
    expect(existsSync(join(oldDir, 'hubdesk.sqlite'))).toBe(false);
    expect(existsSync(join(oldDir, 'library'))).toBe(false);
    // The platform folder keeps only the note of where the data went.
    expect(await readdir(oldDir)).toEqual(['data-location.json']);
    expect((await stat(join(target, 'hubdesk.sqlite'))).isFile()).toBe(true);
    expect(existsSync(join(target, '.hubdesk-moved-from.json'))).toBe(false);
  });
});

/** A desktop service over `core` that may move its folder (the app's own one is told the platform folder's file). */
function movableDesktop(core: Core, locationFile: string): DesktopService {
  return new DesktopService(
    {
      usage: new UsageRepo(core.db),
      profiles: core.profiles,
      database: new DatabaseCopies(core.db),
      bus: core.bus,
    },
    dataPaths(core.paths.dataDir, locationFile),
  );
}

describe('moving the data folder to places that cannot hold it', () => {
  it.runIf(process.platform === 'linux')(
    'a folder under /proc is refused with a clear error, and the next data operation runs',
    async () => {
      const dataDir = join(root, 'data');
      const { core } = await populated(dataDir);
      const desktop = movableDesktop(core, join(root, 'config', 'data-location.json'));
      for (const target of [`/proc/hubdesk-${process.pid}`, `/proc/hubdesk-${process.pid}/deeper/HubDesk`]) {
        await expect(desktop.move(target)).rejects.toThrow(/cannot be written|may not write/);
      }
      const archive = join(root, 'after.hubdesk-backup');
      expect((await desktop.backup(archive)).path).toBe(archive);
      expect(existsSync(join(root, 'config', 'data-location.json'))).toBe(false);
    },
  );
});

describe('hostile archives and planted markers', () => {
  it('a restore takes only the database and the library; markers that steer a start are never taken from an archive', async () => {
    const env = { XDG_CONFIG_HOME: join(root, 'config') };
    const home = join(root, 'home');
    // The platform folder: a data-location file planted in it would send the next start elsewhere.
    const dataDir = defaultDataDir(env, 'linux', home);
    const { core } = await populated(dataDir);
    const victim = join(root, 'victim');
    await mkdir(join(victim, 'precious'), { recursive: true });
    await writeFile(join(victim, 'precious', 'thesis.txt'), 'years of work');
    await writeFile(join(victim, 'hubdesk.sqlite'), 'not HubDesk’s');

    // The archive's database: this one with a conversation more.
    const extra = core.chat.createConversation({ model: 'gpt-4o' });
    core.chat.updateConversation(extra.id, { title: 'From the archive' });
    const databaseFile = join(root, 'archive-database.sqlite');
    await new DatabaseCopies(core.db).copyTo(databaseFile);
    core.chat.deleteConversation(extra.id);
    const planted = join(root, 'planted');
    await mkdir(planted);
    const file = async (name: string, content: string | Buffer) => {
      await writeFile(join(planted, name), content);
      return join(planted, name);
    };
    const archive = join(root, 'hostile.hubdesk-backup');
    await writeArchive(
      archive,
      [
        { path: 'hubdesk.sqlite', file: databaseFile },
        {
          path: '.hubdesk-moved-from.json',
          file: await file('moved', JSON.stringify({ from: victim, topLevel: ['precious'] })),
        },
        {
          path: 'data-location.json',
          file: await file('location', JSON.stringify({ dataDir: join(root, 'elsewhere') })),
        },
        { path: 'hubdesk.sqlite-wal', file: await file('wal', randomBytes(4096)) },
        {
          path: '.hubdesk-restore.json',
          file: await file('journal', '{"state":"replacing","hadLibrary":true}'),
        },
        { path: 'notes.txt', file: await file('notes', 'another program’s file') },
        { path: 'library/videos/from-archive.mp4', file: await file('video', randomBytes(1000)) },
      ],
      () => {},
    );
    const restored = await invoke(core, 'data.restore', { source: archive });
    expect(restored.ok ? restored : restored.error.message).toMatchObject({ ok: true, value: { files: 2 } });
    for (const name of ['.hubdesk-moved-from.json', 'data-location.json', 'notes.txt']) {
      expect(existsSync(join(dataDir, name))).toBe(false);
    }
    expect(titles(core)).toContain('From the archive');
    await close(core);

    expect(defaultDataDir(env, 'linux', home)).toBe(dataDir);
    const reopened = open(dataDir);
    expect(titles(reopened)).toContain('From the archive');
    expect(existsSync(join(reopened.paths.libraryDir, 'videos', 'from-archive.mp4'))).toBe(true);
    await close(reopened); // waits for the start-up clean-up
    expect(await readFile(join(victim, 'precious', 'thesis.txt'), 'utf8')).toBe('years of work');
    expect(existsSync(join(victim, 'hubdesk.sqlite'))).toBe(true);
    expect((await readdir(dataDir)).filter((name) => name.startsWith('.hubdesk-'))).toEqual([]);

    // A marker put in the data folder by hand: the folder it names is no folder that moved here, and stays.
    await writeFile(
      join(dataDir, '.hubdesk-moved-from.json'),
      JSON.stringify({ from: victim, topLevel: ['precious'] }),
    );
    await close(open(dataDir));
    expect(await readFile(join(victim, 'precious', 'thesis.txt'), 'utf8')).toBe('years of work');
    expect(existsSync(join(victim, 'hubdesk.sqlite'))).toBe(true);
    expect(existsSync(join(dataDir, '.hubdesk-moved-from.json'))).toBe(false);

    // A move journal put there by hand: the folder it names holds no copy of this one, and stays.
    const journal = {
      target: victim,
      createdTarget: true,
      locationFile: join(root, 'none.json'),
      topLevel: ['precious'],
    };
    await writeFile(join(dataDir, '.hubdesk-move.json'), JSON.stringify(journal));
    await close(open(dataDir));
    expect(await readFile(join(victim, 'precious', 'thesis.txt'), 'utf8')).toBe('years of work');
    expect(existsSync(join(dataDir, '.hubdesk-move.json'))).toBe(false);
  });
});

describe('moving the data folder into a symlink', () => {
  it('a target that leads into the data folder (or is it) is refused, and nothing is deleted', async () => {
    const env = { XDG_CONFIG_HOME: join(root, 'config') };
    const home = join(root, 'home');
    const dataDir = defaultDataDir(env, 'linux', home);
    const { core, video } = await populated(dataDir);
    const before = titles(core);
    const desktop = movableDesktop(core, join(dataDir, 'data-location.json'));
    await mkdir(join(dataDir, 'library', 'inner'));
    await symlink(join(dataDir, 'library', 'inner'), join(root, 'link-inside'));
    await symlink(dataDir, join(root, 'link-to-itself'));
    await symlink(join(root, 'link-to-itself'), join(root, 'link-to-link'));
    for (const target of [
      'link-inside',
      'link-to-itself',
      'link-to-itself/sub',
      'link-to-link/library/new',
    ]) {
      await expect(desktop.move(join(root, target))).rejects.toThrow(
        /outside the current data folder|not empty/,
      );
    }
    await close(core);
    const reopened = open(defaultDataDir(env, 'linux', home));
    expect(reopened.paths.dataDir).toBe(dataDir);
    expect(titles(reopened)).toEqual(before);
    expect((await readFile(join(dataDir, 'library', 'videos', 'clip.mp4'))).equals(video)).toBe(true);
  });

  it('before removing the old folder, a start compares where both really lead: overlapping, nothing is removed', async () => {
    const env = { XDG_CONFIG_HOME: join(root, 'config') };
    const home = join(root, 'home');
    const oldDir = defaultDataDir(env, 'linux', home);
    const { core, video } = await populated(oldDir);
    const before = titles(core);
    const desktop = movableDesktop(core, join(oldDir, 'data-location.json'));
    const target = join(root, 'new-place');
    expect(await desktop.move(target)).toEqual({ dataDir: target });
    await close(core);
    // Before the restart, the new folder comes to lie inside the old one, reached through a symlink.
    await rename(target, join(oldDir, 'library', 'moved-here'));
    await symlink(join(oldDir, 'library', 'moved-here'), target);

    const moved = open(defaultDataDir(env, 'linux', home));
    expect(moved.paths.dataDir).toBe(target);
    await close(moved); // waits for the start-up clean-up
    const again = open(target);
    expect(titles(again)).toEqual(before);
    expect((await readFile(join(target, 'library', 'videos', 'clip.mp4'))).equals(video)).toBe(true);
    expect(existsSync(join(oldDir, 'hubdesk.sqlite'))).toBe(true);
  });
});

describe('copies taken before updates', () => {
  /** A data folder whose database an earlier HubDesk wrote (schema version 5), with one conversation. */
  function earlierDataFolder(dataDir: string): void {
    const db = openDatabase(join(dataDir, 'hubdesk.sqlite'), { migrations: migrations.slice(0, 5) });
    db.exec(`INSERT INTO conversations (id, title, model, api, created_at, updated_at)
      VALUES ('c1', 'Before the update', 'gpt-4o', 'openai-chat', 1, 1)`);
    db.close();
  }

  it('the window is told once where the copy is, and Settings lists it', async () => {
    const dataDir = join(root, 'data');
    earlierDataFolder(dataDir);
    const core = open(dataDir);
    expect(titles(core)).toEqual(['Before the update']);
    const copyPath = core.databaseUpdate?.copyPath ?? '';
    expect(copyPath.startsWith(join(dataDir, 'backups', 'hubdesk-v5-before-v7-'))).toBe(true);

    expect(await invoke(core, 'data.updateNotice', {})).toEqual({
      ok: true,
      value: { fromVersion: 5, toVersion: 7, copyPath, resumed: false },
    });
    const location = await invoke(core, 'data.location', {});
    expect(location.ok && (location.value as { updateCopies: unknown[] }).updateCopies).toEqual([
      {
        path: copyPath,
        fromVersion: 5,
        toVersion: 7,
        createdAt: expect.any(Number),
        bytes: expect.any(Number),
      },
    ]);
    expect(await invoke(core, 'data.dismissUpdateNotice', {})).toEqual({ ok: true, value: {} });
    expect(await invoke(core, 'data.updateNotice', {})).toEqual({ ok: true, value: null });
    await close(core);

    // The next start updates nothing: no notice.
    const again = open(dataDir);
    expect(await invoke(again, 'data.updateNotice', {})).toEqual({ ok: true, value: null });
  });

  it('a backup archive leaves them out, a restore leaves them in place, a move carries them along', async () => {
    const env = { XDG_CONFIG_HOME: join(root, 'config') };
    const home = join(root, 'home');
    const dataDir = defaultDataDir(env, 'linux', home);
    earlierDataFolder(dataDir);
    const core = open(dataDir);
    const copyPath = core.databaseUpdate?.copyPath ?? '';
    const copyBytes = await readFile(copyPath);

    const archive = join(root, 'everything.hubdesk-backup');
    expect((await invoke(core, 'data.backup', { target: archive })).ok).toBe(true);
    expect((await readManifest(archive)).files.map((entry) => entry.path)).toEqual(['hubdesk.sqlite']);

    const restored = await invoke(core, 'data.restore', { source: archive });
    expect(restored.ok ? restored : restored.error.message).toMatchObject({ ok: true });
    expect((await readFile(copyPath)).equals(copyBytes)).toBe(true);
    await close(core);

    const reopened = open(dataDir);
    await close(reopened); // its start-up clean-up removes the data set aside by the restore, not the copies
    expect((await readdir(join(dataDir, 'backups'))).sort()).toEqual([basename(copyPath), 'update.lock']);

    const current = open(dataDir);
    const desktop = new DesktopService(
      {
        usage: new UsageRepo(current.db),
        profiles: current.profiles,
        database: new DatabaseCopies(current.db),
        bus: current.bus,
      },
      dataPaths(dataDir, join(root, 'config', 'HubDesk', 'data-location.json')),
    );
    const target = join(root, 'other-disk', 'HubDesk');
    expect(await desktop.move(target)).toEqual({ dataDir: target });
    const moved = join(target, 'backups', basename(copyPath));
    expect((await readFile(moved)).equals(copyBytes)).toBe(true);
    expect((await stat(moved)).mode & 0o777).toBe(0o600);
  });
});
