import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FolderRemote } from '../src/main/remotes/folder-remote';
import { removeTempFolders, tempFolder } from './support/sync-computers';

afterEach(removeTempFolders);

describe('FolderRemote', () => {
  it('writes whole objects, lists them in key order under a prefix, reads and deletes them', async () => {
    const root = await tempFolder('folder-remote');
    const remote = new FolderRemote(root);
    expect(await remote.test()).toMatchObject({ ok: true });
    await remote.put('c/bb', Buffer.from('two'));
    await remote.put('c/aa', Buffer.from('one'));
    await remote.put('h/aa', Buffer.from('head'));
    await remote.put('c/aa', Buffer.from('one again'));
    expect(await remote.list('c/')).toEqual([
      { key: 'c/aa', size: 9 },
      { key: 'c/bb', size: 3 },
    ]);
    expect(Buffer.from((await remote.get('c/aa')) ?? []).toString()).toBe('one again');
    expect(await remote.get('c/zz')).toBeNull();
    await remote.delete('c/aa');
    await remote.delete('c/aa');
    expect((await remote.list('')).map((object) => object.key)).toEqual(['c/bb', 'h/aa']);
    // No temporary file is left beside the objects.
    expect(await readdir(join(root, 'c'))).toEqual(['bb']);
  });

  it('refuses a key that could leave the folder, and says when the folder is not there', async () => {
    const root = await tempFolder('folder-remote');
    const remote = new FolderRemote(root);
    await expect(remote.put('../outside', Buffer.from('x'))).rejects.toThrow(/not a valid sync object key/);
    await expect(remote.get('c/../../etc/passwd')).rejects.toThrow(/not a valid sync object key/);
    expect(await new FolderRemote(join(root, 'missing')).test()).toMatchObject({
      ok: false,
      problem: 'not_found',
    });
  });

  it('continues an upload from the part already sent, and downloads whole', async () => {
    const root = await tempFolder('folder-remote');
    const work = await tempFolder('work');
    const remote = new FolderRemote(root);
    const source = join(work, 'video.bin');
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    await writeFile(source, bytes);
    await remote.put('m/placeholder', Buffer.from('x'));
    await writeFile(join(root, 'm', 'video.part'), bytes.subarray(0, 1024 * 1024));

    const progress: number[] = [];
    await remote.upload('m/video', source, { onProgress: (sent) => progress.push(sent) });
    expect(progress[0]).toBeGreaterThan(1024 * 1024);
    expect(progress.at(-1)).toBe(bytes.length);
    expect((await readFile(join(root, 'm', 'video'))).equals(bytes)).toBe(true);
    expect(await readdir(join(root, 'm'))).toEqual(['placeholder', 'video']);

    const back = join(work, 'back.bin');
    await remote.download('m/video', back);
    expect((await readFile(back)).equals(bytes)).toBe(true);
    await rm(back);
  });
});
