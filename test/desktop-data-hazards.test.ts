/**
 * The data folder against what attacks it or cannot hold it: hostile archives, planted markers, symlinks into the
 * folder, places that cannot be written.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../src/main/paths';
import { writeArchive } from '../src/main/services/desktop/archive';
import { DatabaseCopies } from '../src/main/store/database-copies';
import { dataFoldersPerTest, invoke, movableDesktop, titles } from './support/data-folders';

const data = dataFoldersPerTest();
const { open, close, populated } = data;

describe('moving the data folder to places that cannot hold it', () => {
  it.runIf(process.platform === 'linux')(
    'a folder under /proc is refused with a clear error, and the next data operation runs',
    async () => {
      const dataDir = join(data.root, 'data');
      const { core } = await populated(dataDir);
      const desktop = movableDesktop(core, join(data.root, 'config', 'data-location.json'));
      for (const target of [`/proc/hubdesk-${process.pid}`, `/proc/hubdesk-${process.pid}/deeper/HubDesk`]) {
        await expect(desktop.move(target)).rejects.toThrow(/cannot be written|may not write/);
      }
      const archive = join(data.root, 'after.hubdesk-backup');
      expect((await desktop.backup(archive)).path).toBe(archive);
      expect(existsSync(join(data.root, 'config', 'data-location.json'))).toBe(false);
    },
  );
});

describe('hostile archives and planted markers', () => {
  it('a restore takes only the database and the library; markers that steer a start are never taken from an archive', async () => {
    const env = { XDG_CONFIG_HOME: join(data.root, 'config') };
    const home = join(data.root, 'home');
    // The platform folder: a data-location file planted in it would send the next start elsewhere.
    const dataDir = defaultDataDir(env, 'linux', home);
    const { core } = await populated(dataDir);
    const victim = join(data.root, 'victim');
    await mkdir(join(victim, 'precious'), { recursive: true });
    await writeFile(join(victim, 'precious', 'thesis.txt'), 'years of work');
    await writeFile(join(victim, 'hubdesk.sqlite'), 'not HubDesk’s');

    // The archive's database: this one with a conversation more.
    const extra = core.chat.createConversation({ model: 'gpt-4o' });
    core.chat.updateConversation(extra.id, { title: 'From the archive' });
    const databaseFile = join(data.root, 'archive-database.sqlite');
    await new DatabaseCopies(core.db).copyTo(databaseFile);
    core.chat.deleteConversation(extra.id);
    const planted = join(data.root, 'planted');
    await mkdir(planted);
    const file = async (name: string, content: string | Buffer) => {
      await writeFile(join(planted, name), content);
      return join(planted, name);
    };
    const archive = join(data.root, 'hostile.hubdesk-backup');
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
          file: await file('location', JSON.stringify({ dataDir: join(data.root, 'elsewhere') })),
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
      locationFile: join(data.root, 'none.json'),
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
    const env = { XDG_CONFIG_HOME: join(data.root, 'config') };
    const home = join(data.root, 'home');
    const dataDir = defaultDataDir(env, 'linux', home);
    const { core, video } = await populated(dataDir);
    const before = titles(core);
    const desktop = movableDesktop(core, join(dataDir, 'data-location.json'));
    await mkdir(join(dataDir, 'library', 'inner'));
    await symlink(join(dataDir, 'library', 'inner'), join(data.root, 'link-inside'));
    await symlink(dataDir, join(data.root, 'link-to-itself'));
    await symlink(join(data.root, 'link-to-itself'), join(data.root, 'link-to-link'));
    for (const target of [
      'link-inside',
      'link-to-itself',
      'link-to-itself/sub',
      'link-to-link/library/new',
    ]) {
      await expect(desktop.move(join(data.root, target))).rejects.toThrow(
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
    const env = { XDG_CONFIG_HOME: join(data.root, 'config') };
    const home = join(data.root, 'home');
    const oldDir = defaultDataDir(env, 'linux', home);
    const { core, video } = await populated(oldDir);
    const before = titles(core);
    const desktop = movableDesktop(core, join(oldDir, 'data-location.json'));
    const target = join(data.root, 'new-place');
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
