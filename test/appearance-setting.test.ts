import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../src/main/core';
import { isSendPress } from '../src/renderer/src/chat/send-key';
import { memoryKeytar } from './support/memory-keytar';

describe('the appearance setting, through the contract', () => {
  let dataDir: string;
  const open = () =>
    createCore({ dataDir, env: {}, keytar: memoryKeytar(), keychainService: 'HubDesk-test' });

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-appearance-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts from the system theme, the default size and Enter, and keeps each choice across a restart', async () => {
    let core = open();
    const heard: unknown[] = [];
    core.bus.subscribe((event, payload) => {
      if (event === 'appearance.changed') heard.push(payload);
    });
    expect(await core.router.dispatch('appearance.get', {})).toEqual({
      ok: true,
      value: { theme: 'system', textSize: 'default', sendKey: 'enter' },
    });
    expect(await core.router.dispatch('appearance.set', { theme: 'dark' })).toEqual({
      ok: true,
      value: { theme: 'dark', textSize: 'default', sendKey: 'enter' },
    });
    // A change of one field keeps the others.
    await core.router.dispatch('appearance.set', { sendKey: 'mod-enter', textSize: 'larger' });
    expect(heard).toEqual([
      { theme: 'dark', textSize: 'default', sendKey: 'enter' },
      { theme: 'dark', textSize: 'larger', sendKey: 'mod-enter' },
    ]);
    await core.close();

    core = open();
    expect(await core.router.dispatch('appearance.get', {})).toEqual({
      ok: true,
      value: { theme: 'dark', textSize: 'larger', sendKey: 'mod-enter' },
    });
    expect(await core.router.dispatch('appearance.set', { theme: 'sepia' })).toMatchObject({
      ok: false,
      error: { kind: 'invalid_input' },
    });
    expect(core.appearance.state().theme).toBe('dark');
    await core.close();
  });
});

describe('the send key in a chat text box', () => {
  const press = (
    mods: { shift?: boolean; ctrl?: boolean; meta?: boolean; alt?: boolean; composing?: boolean } = {},
  ) => ({
    key: 'Enter',
    shiftKey: mods.shift ?? false,
    ctrlKey: mods.ctrl ?? false,
    metaKey: mods.meta ?? false,
    altKey: mods.alt ?? false,
    nativeEvent: { isComposing: mods.composing ?? false },
  });

  it('sends on Enter (and Ctrl/⌘+Enter) when Enter is chosen; Shift+Enter and a composing Enter never send', () => {
    expect(isSendPress(press(), 'enter')).toBe(true);
    expect(isSendPress(press({ ctrl: true }), 'enter')).toBe(true);
    expect(isSendPress(press({ shift: true }), 'enter')).toBe(false);
    expect(isSendPress(press({ composing: true }), 'enter')).toBe(false);
    expect(isSendPress({ ...press(), key: 'a' }, 'enter')).toBe(false);
  });

  it('sends only on Ctrl+Enter or ⌘+Enter when that is chosen; plain Enter starts a new line', () => {
    expect(isSendPress(press(), 'mod-enter')).toBe(false);
    expect(isSendPress(press({ ctrl: true }), 'mod-enter')).toBe(true);
    expect(isSendPress(press({ meta: true }), 'mod-enter')).toBe(true);
    expect(isSendPress(press({ ctrl: true, shift: true }), 'mod-enter')).toBe(false);
    expect(isSendPress(press({ ctrl: true, composing: true }), 'mod-enter')).toBe(false);
  });
});
