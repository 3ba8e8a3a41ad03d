/**
 * Opening a source at its line through the router of a real core: the editor chosen in Settings is a stand-in script
 * on the core's PATH that writes down the arguments it got; a file gone from disk is refused by name.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/main/core';
import { reasonText } from '../src/renderer/src/hub';
import { i18next } from '../src/renderer/src/i18n';
import type { OpenableSource } from '../src/shared/chat-knowledge';
import type { AppError } from '../src/shared/errors';
import { memoryKeytar } from './support/memory-keytar';

/** A program on PATH that writes each argument it got on a line of `out` (through the env the core starts it with). */
async function standInEditor(folder: string, name: string): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, '#!/bin/sh\nprintf \'%s\\n\' "$@" > "$EDITOR_ARGS_OUT"\n');
  await chmod(path, 0o755);
  return path;
}

describe.skipIf(process.platform === 'win32')('opening a source at its line', () => {
  let root: string;
  let bin: string;
  let argsOut: string;
  let notes: string;
  let core: Core | undefined;
  const openedBySystem: OpenableSource[] = [];

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'hubdesk-open-source-'));
    bin = join(root, 'bin');
    await mkdir(bin);
    argsOut = join(root, 'args.txt');
    notes = join(root, 'docs', 'tide notes.md');
    await mkdir(join(root, 'docs'));
    await writeFile(notes, '# Tides\nLow water.\n\n## Slipway\nSpring tides flood the slipway.\n');
    openedBySystem.length = 0;
  });
  afterEach(async () => {
    await core?.close();
    core = undefined;
    await rm(root, { recursive: true, force: true });
  });

  async function open(): Promise<{ core: Core; chunkId: number }> {
    core = createCore({
      dataDir: join(root, 'data'),
      env: { PATH: bin, EDITOR_ARGS_OUT: argsOut },
      keytar: memoryKeytar(),
      keychainService: 'HubDesk-test',
      openSource: (source) => {
        openedBySystem.push(source);
      },
    });
    await core.knowledge.addBase('Notes', [join(root, 'docs')]);
    const hits = await core.router.dispatch('kb.search', { name: 'Notes', query: 'slipway' });
    const hit = hits.ok ? (hits.value as { chunkId: number }[])[0] : undefined;
    if (!hit) throw new Error('no hit');
    return { core, chunkId: hit.chunkId };
  }

  const argsGot = async () => (await readFile(argsOut, 'utf8')).split('\n').slice(0, -1);

  it('lists the editors on PATH and opens a hit at its line in the chosen one', async () => {
    await standInEditor(bin, 'code');
    await standInEditor(bin, 'gedit');
    const { core, chunkId } = await open();
    expect(await core.router.dispatch('editor.get', {})).toEqual({
      ok: true,
      value: {
        choice: { kind: 'system' },
        editors: [
          { id: 'vscode', name: 'Visual Studio Code' },
          { id: 'gedit', name: 'gedit' },
        ],
      },
    });
    // The default app until an editor is chosen.
    expect(await core.router.dispatch('kb.open', { chunkId })).toEqual({ ok: true, value: { opened: true } });
    expect(openedBySystem).toEqual([{ path: notes, page: null, line: 4 }]);

    const chosen = await core.router.dispatch('editor.set', {
      choice: { kind: 'editor', editor: 'vscode' },
    });
    expect(chosen).toMatchObject({ ok: true, value: { choice: { kind: 'editor', editor: 'vscode' } } });
    expect(await core.router.dispatch('kb.open', { chunkId })).toEqual({ ok: true, value: { opened: true } });
    await expect.poll(argsGot, { timeout: 10_000 }).toEqual(['--goto', `${notes}:4`]);
    expect(openedBySystem).toHaveLength(1);

    // A PDF keeps opening at its page in the default app.
    const pdf = join(root, 'docs', 'chart.pdf');
    await writeFile(pdf, '%PDF-1.4\n');
    expect(await core.sourceOpening.open({ path: pdf, page: 2, line: null })).toEqual({ opened: true });
    expect(openedBySystem.at(-1)).toEqual({ path: pdf, page: 2, line: null });
  });

  it('runs a custom command with {file} and {line} put into its words, never through a shell', async () => {
    const program = await standInEditor(bin, 'my editor');
    const { core, chunkId } = await open();
    const refused = await core.router.dispatch('editor.set', {
      choice: { kind: 'custom', command: `"${program}" --line {line}` },
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { kind: 'invalid_input', reason: { code: 'sourceCommandNoFile' } },
    });
    expect(core.sourceOpening.choice()).toEqual({ kind: 'system' });

    await core.router.dispatch('editor.set', {
      choice: { kind: 'custom', command: `"${program}" --line={line} {file} '$(touch pwned)'` },
    });
    expect(await core.router.dispatch('kb.open', { chunkId })).toEqual({ ok: true, value: { opened: true } });
    await expect.poll(argsGot, { timeout: 10_000 }).toEqual(['--line=4', notes, '$(touch pwned)']);
  });

  it('opens the file in the default app when the chosen editor cannot start, and says so', async () => {
    const code = await standInEditor(bin, 'code');
    const { core, chunkId } = await open();
    await core.router.dispatch('editor.set', { choice: { kind: 'editor', editor: 'vscode' } });
    await rm(code);
    const gone = await core.router.dispatch('kb.open', { chunkId });
    expect(gone).toMatchObject({
      ok: false,
      error: {
        kind: 'file',
        reason: { code: 'sourceEditorFailed', values: { editor: 'Visual Studio Code' } },
      },
    });
    expect(openedBySystem).toEqual([{ path: notes, page: null, line: 4 }]);

    await core.router.dispatch('editor.set', {
      choice: { kind: 'custom', command: `${join(bin, 'no-such-editor')} {file}` },
    });
    const failed = await core.router.dispatch('kb.open', { chunkId });
    expect(failed).toMatchObject({
      ok: false,
      error: { reason: { code: 'sourceEditorFailed', values: { editor: join(bin, 'no-such-editor') } } },
    });
    if (!failed.ok) expect(failed.error.message).toContain('ENOENT');
    expect(openedBySystem).toHaveLength(2);
  });

  it('refuses a file no longer on disk by its path, worded in the window language', async () => {
    await standInEditor(bin, 'code');
    const { core, chunkId } = await open();
    await core.router.dispatch('editor.set', { choice: { kind: 'editor', editor: 'vscode' } });
    await rm(notes);
    const refused = await core.router.dispatch('kb.open', { chunkId });
    expect(refused).toMatchObject({
      ok: false,
      error: { kind: 'not_found', reason: { code: 'sourceFileGone', values: { path: notes } } },
    });
    const error = (refused as { error: AppError }).error;
    expect(error.message).toBe(`${notes} is no longer there: it was moved, renamed or deleted.`);
    await i18next.changeLanguage('vi');
    expect(reasonText(error.reason, error.message)).toBe(
      `${notes} không còn ở đó: tệp đã bị di chuyển, đổi tên hoặc xóa.`,
    );
    await i18next.changeLanguage('en');
    expect(openedBySystem).toEqual([]);
    await expect(readFile(argsOut)).rejects.toThrow();
  });

  it('says the editor could not start where there is no default app to fall back on (the browser harness)', async () => {
    core = createCore({
      dataDir: join(root, 'data'),
      env: { PATH: bin },
      keytar: memoryKeytar(),
      keychainService: 'HubDesk-test',
    });
    core.sourceOpening.set({ kind: 'custom', command: `${join(bin, 'no-such-editor')} {file}` });
    await expect(core.sourceOpening.open({ path: notes, page: null, line: 2 })).rejects.toMatchObject({
      info: { reason: { code: 'sourceEditorNotStarted', values: { editor: join(bin, 'no-such-editor') } } },
    });
    core.sourceOpening.set({ kind: 'system' });
    expect(await core.sourceOpening.open({ path: notes, page: null, line: 2 })).toEqual({ opened: false });
  });
});
