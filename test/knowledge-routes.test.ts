/** The Knowledge page's channels through the router of a real core: the window's path check and the OS dialog. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/main/core';
import type { OpenableSource } from '../src/shared/chat-knowledge';
import { memoryKeytar } from './support/memory-keytar';

describe('knowledge channels', () => {
  let root: string;
  let core: Core | undefined;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'hubdesk-kb-routes-'));
  });
  afterEach(async () => {
    await core?.close();
    core = undefined;
    await rm(root, { recursive: true, force: true });
  });

  function open(
    openPathsDialog?: (kind: 'folders' | 'files') => Promise<string[]>,
    openSource?: (source: OpenableSource) => void,
  ): Core {
    core = createCore({
      dataDir: join(root, 'data'),
      env: {},
      keytar: memoryKeytar(),
      keychainService: 'HubDesk-test',
      ...(openPathsDialog ? { openPathsDialog } : {}),
      ...(openSource ? { openSource } : {}),
    });
    return core;
  }

  it('says what is at a typed path, made full (~ is the home folder)', async () => {
    const { router } = open();
    await mkdir(join(root, 'docs'));
    await writeFile(join(root, 'docs', 'a.md'), '# A\n');
    await writeFile(join(root, 'photo.jpg'), Buffer.from([0xff, 0xd8]));
    const check = (path: string) => router.dispatch('kb.checkPath', { path });
    expect(await check(`  ${join(root, 'docs')}  `)).toEqual({
      ok: true,
      value: { path: join(root, 'docs'), kind: 'folder' },
    });
    expect(await check(join(root, 'docs', 'a.md'))).toMatchObject({ value: { kind: 'file' } });
    expect(await check(join(root, 'photo.jpg'))).toMatchObject({ value: { kind: 'unsupported' } });
    expect(await check(join(root, 'nothing-here'))).toMatchObject({ value: { kind: 'missing' } });
    expect(await check('~')).toEqual({ ok: true, value: { path: homedir(), kind: 'folder' } });
    expect(await check('~/hubdesk-surely-not-here-4711')).toEqual({
      ok: true,
      value: { path: join(homedir(), 'hubdesk-surely-not-here-4711'), kind: 'missing' },
    });
  });

  it('adds, lists, searches, pauses and removes a base by its channels', async () => {
    const { router } = open();
    await writeFile(join(root, 'notes.md'), '# Tides\nSpring tides flood the slipway.\n');
    const added = await router.dispatch('kb.add', { name: 'Notes', paths: [join(root, 'notes.md')] });
    expect(added).toMatchObject({ ok: true, value: { base: { name: 'Notes', files: 1, paused: false } } });
    const hits = await router.dispatch('kb.search', { name: 'Notes', query: 'slipway' });
    expect(hits).toMatchObject({ ok: true, value: [{ path: join(root, 'notes.md'), line: 1 }] });
    if (hits.ok) expect(Object.keys((hits.value as object[])[0] ?? {})).not.toContain('text');
    expect(await router.dispatch('kb.pause', { name: 'Notes' })).toEqual({
      ok: true,
      value: { paused: true },
    });
    expect(await router.dispatch('kb.list', {})).toMatchObject({ ok: true, value: [{ paused: true }] });
    const refused = await router.dispatch('kb.sync', { name: 'Notes' });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
    expect(await router.dispatch('kb.resume', { name: 'Notes' })).toMatchObject({ ok: true });
    expect(await router.dispatch('kb.remove', { name: 'Notes' })).toEqual({
      ok: true,
      value: { removed: true },
    });
    expect(await router.dispatch('kb.list', {})).toEqual({ ok: true, value: [] });
  });

  it('opens the OS dialog only where the shell has one', async () => {
    const asked: string[] = [];
    const withDialog = open(async (kind) => {
      asked.push(kind);
      return kind === 'folders' ? ['/picked/folder'] : [];
    });
    expect(await withDialog.router.dispatch('dialog.available', {})).toEqual({
      ok: true,
      value: { openPaths: true },
    });
    expect(await withDialog.router.dispatch('dialog.openPaths', { kind: 'folders' })).toEqual({
      ok: true,
      value: { paths: ['/picked/folder'] },
    });
    expect(await withDialog.router.dispatch('dialog.openPaths', { kind: 'files' })).toEqual({
      ok: true,
      value: { paths: [] },
    });
    expect(asked).toEqual(['folders', 'files']);
    await withDialog.close();

    const without = open();
    expect(await without.router.dispatch('dialog.available', {})).toEqual({
      ok: true,
      value: { openPaths: false },
    });
    expect(await without.router.dispatch('dialog.openPaths', { kind: 'folders' })).toEqual({
      ok: true,
      value: { paths: [] },
    });
  });

  it('opens the stored file of a search hit at its line, and says so where there is no OS shell', async () => {
    const opened: OpenableSource[] = [];
    const { router } = open(undefined, (source) => opened.push(source));
    await writeFile(join(root, 'notes.md'), '# Tides\n\nSpring tides flood the slipway.\n');
    await router.dispatch('kb.add', { name: 'Notes', paths: [join(root, 'notes.md')] });
    const hits = await router.dispatch('kb.search', { name: 'Notes', query: 'slipway' });
    const chunkId = hits.ok ? (hits.value as { chunkId: number }[])[0]?.chunkId : undefined;
    expect(chunkId).toBeTypeOf('number');
    expect(await router.dispatch('kb.open', { chunkId })).toEqual({ ok: true, value: { opened: true } });
    expect(opened).toEqual([{ path: join(root, 'notes.md'), page: null, line: 1 }]);

    await router.dispatch('kb.remove', { name: 'Notes' });
    expect(await router.dispatch('kb.open', { chunkId })).toMatchObject({
      ok: false,
      error: { kind: 'not_found', message: 'That passage is no longer in the knowledge base: search again.' },
    });
    expect(opened).toHaveLength(1);
  });

  it('answers that it did not open a hit where main has no OS shell (the browser harness)', async () => {
    const { router } = open();
    await writeFile(join(root, 'notes.md'), '# Tides\nSpring tides flood the slipway.\n');
    await router.dispatch('kb.add', { name: 'Notes', paths: [join(root, 'notes.md')] });
    const hits = await router.dispatch('kb.search', { name: 'Notes', query: 'slipway' });
    const chunkId = hits.ok ? (hits.value as { chunkId: number }[])[0]?.chunkId : undefined;
    expect(await router.dispatch('kb.open', { chunkId })).toEqual({ ok: true, value: { opened: false } });
  });
});
