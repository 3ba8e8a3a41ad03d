import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataPaths, defaultDataDir } from '../src/main/paths';
import { readManifest } from '../src/main/services/desktop/archive';
import { DesktopService } from '../src/main/services/desktop/desktop-service';
import { lockDataFolder } from '../src/main/store/data-lock';
import { openDatabase } from '../src/main/store/database';
import { DatabaseCopies } from '../src/main/store/database-copies';
import { migrations } from '../src/main/store/migrations';
import { UsageRepo } from '../src/main/store/usage-repo';
import type { EventPayload } from '../src/shared/contract';
import { dataFoldersPerTest, invoke, titles } from './support/data-folders';

const NEWEST = migrations.at(-1)?.version ?? 0;

const data = dataFoldersPerTest();
const { open, close, populated } = data;

describe('backup and restore', () => {
  it('refuses a corrupt or cut-off archive and leaves the current data as it was', async () => {
    const dataDir = join(data.root, 'data');
    const { core, video } = await populated(dataDir);
    const archive = join(data.root, 'everything.hubdesk-backup');
    const backedUp = await invoke(core, 'data.backup', { target: archive });
    expect(backedUp).toMatchObject({ ok: true, value: { path: archive, files: 2 } });

    // Change the data after the backup, so a restore would be visible.
    core.chat.createConversation({ model: 'gpt-4o' });
    const before = titles(core);

    const bytes = await readFile(archive);
    const corrupt = join(data.root, 'corrupt.hubdesk-backup');
    const flipped = Buffer.from(bytes);
    const inVideo = bytes.length - 50_000; // the video is the last file, 300 kB long
    flipped[inVideo] = (flipped[inVideo] ?? 0) ^ 0xff;
    await writeFile(corrupt, flipped);
    const cut = join(data.root, 'cut.hubdesk-backup');
    await writeFile(cut, bytes);
    await truncate(cut, bytes.length - 5000);
    const notOne = join(data.root, 'notes.txt');
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
    const dataDir = join(data.root, 'data');
    const { core, video } = await populated(dataDir);
    const archive = join(data.root, 'everything.hubdesk-backup');
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
    const dataDir = join(data.root, 'data');
    const { core } = await populated(dataDir);
    const archive = join(data.root, 'private.hubdesk-backup');
    const modes: number[] = [];
    const parts = () =>
      [data.root, dataDir]
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
    const dataDir = join(data.root, 'data');
    const { core } = await populated(dataDir);
    const archive = join(data.root, 'everything.hubdesk-backup');
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
    const dataDir = join(data.root, 'data');
    const { core } = await populated(dataDir);
    const inside = await invoke(core, 'data.backup', {
      target: join(dataDir, 'library', 'b.hubdesk-backup'),
    });
    expect(inside).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'target' } });
    // A name that merely starts with two dots is still inside.
    const dotted = await invoke(core, 'data.backup', { target: join(dataDir, '..b.hubdesk-backup') });
    expect(dotted).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'target' } });
    expect(existsSync(join(dataDir, '..b.hubdesk-backup'))).toBe(false);
    // So is a place reached through a symlink into the data folder.
    await symlink(join(dataDir, 'library'), join(data.root, 'library-link'));
    const linked = await invoke(core, 'data.backup', {
      target: join(data.root, 'library-link', 'b.hubdesk-backup'),
    });
    expect(linked).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'target' } });
    const folder = await invoke(core, 'data.backup', { target: data.root });
    expect(folder).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'target' } });
    // A file already there is kept, unless the request says to overwrite it (a save dialog asked first).
    const existing = join(data.root, 'existing.hubdesk-backup');
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
    const env = { XDG_CONFIG_HOME: join(data.root, 'config') };
    const home = join(data.root, 'home');
    const oldDir = defaultDataDir(env, 'linux', home);
    expect(oldDir).toBe(join(data.root, 'config', 'HubDesk'));
    const { core, video } = await populated(oldDir);
    const before = titles(core);
    const location = await invoke(core, 'data.location', {});
    expect(location).toMatchObject({ ok: true, value: { dataDir: oldDir, movable: false } });
    if (location.ok) expect((location.value as { libraryBytes: number }).libraryBytes).toBe(300_000);

    // The app's own service knows the platform folder's data-location file; this one is told where it is.
    const locationFile = join(data.root, 'config', 'HubDesk', 'data-location.json');
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

    const target = join(data.root, 'other-disk', 'HubDesk');
    await expect(desktop.move(join(oldDir, 'library', 'x'))).rejects.toThrow(
      /outside the current data folder/,
    );
    await expect(desktop.move(join(oldDir, '..moved'))).rejects.toThrow(/outside the current data folder/);
    await mkdir(join(data.root, 'busy'), { recursive: true });
    await writeFile(join(data.root, 'busy', 'something'), 'x');
    await expect(desktop.move(join(data.root, 'busy'))).rejects.toThrow(/not empty/);

    expect(await desktop.move(target)).toEqual({ dataDir: target });
    expect(progress.map((event) => event.step)).toEqual(
      expect.arrayContaining(['copyDatabase', 'copyLibrary', 'openCopy', 'done']),
    );
    expect(progress.at(-1)?.bytesDone).toBe(progress.at(-1)?.bytesTotal);
    // Until the new folder has been opened, the old one stays whole.
    expect(existsSync(join(oldDir, 'hubdesk.sqlite'))).toBe(true);
    expect(defaultDataDir(env, 'linux', home)).toBe(target);
    expect(defaultDataDir({ ...env, HUBDESK_DATA_DIR: join(data.root, 'elsewhere') }, 'linux', home)).toBe(
      join(data.root, 'elsewhere'),
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

describe('copies taken before updates', () => {
  /** A data folder whose database an earlier HubDesk wrote (schema version 5), with one conversation. */
  function earlierDataFolder(dataDir: string): void {
    const db = openDatabase(join(dataDir, 'hubdesk.sqlite'), { migrations: migrations.slice(0, 5) });
    db.exec(`INSERT INTO conversations (id, title, model, api, created_at, updated_at)
      VALUES ('c1', 'Before the update', 'gpt-4o', 'openai-chat', 1, 1)`);
    db.close();
  }

  it('the window is told once where the copy is, and Settings lists it', async () => {
    const dataDir = join(data.root, 'data');
    earlierDataFolder(dataDir);
    const core = open(dataDir);
    expect(titles(core)).toEqual(['Before the update']);
    const copyPath = core.databaseUpdate?.copyPath ?? '';
    expect(copyPath.startsWith(join(dataDir, 'backups', `hubdesk-v5-before-v${NEWEST}-`))).toBe(true);

    expect(await invoke(core, 'data.updateNotice', {})).toEqual({
      ok: true,
      value: { fromVersion: 5, toVersion: NEWEST, copyPath, resumed: false },
    });
    const location = await invoke(core, 'data.location', {});
    expect(location.ok && (location.value as { updateCopies: unknown[] }).updateCopies).toEqual([
      {
        path: copyPath,
        fromVersion: 5,
        toVersion: NEWEST,
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
    const env = { XDG_CONFIG_HOME: join(data.root, 'config') };
    const home = join(data.root, 'home');
    const dataDir = defaultDataDir(env, 'linux', home);
    earlierDataFolder(dataDir);
    const core = open(dataDir);
    const copyPath = core.databaseUpdate?.copyPath ?? '';
    const copyBytes = await readFile(copyPath);

    const archive = join(data.root, 'everything.hubdesk-backup');
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
      dataPaths(dataDir, join(data.root, 'config', 'HubDesk', 'data-location.json')),
    );
    const target = join(data.root, 'other-disk', 'HubDesk');
    expect(await desktop.move(target)).toEqual({ dataDir: target });
    const moved = join(target, 'backups', basename(copyPath));
    expect((await readFile(moved)).equals(copyBytes)).toBe(true);
    expect((await stat(moved)).mode & 0o777).toBe(0o600);
  });
});
