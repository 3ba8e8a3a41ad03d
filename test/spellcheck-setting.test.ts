import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../src/main/core';
import { memoryKeytar } from './support/memory-keytar';

describe('the spellcheck setting, through the contract', () => {
  let dataDir: string;
  const open = (platform: NodeJS.Platform) =>
    createCore({ dataDir, env: {}, keytar: memoryKeytar(), keychainService: 'HubDesk-test', platform });

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-spellcheck-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is off by default on Linux (Chromium would fetch dictionaries from Google) and on elsewhere', async () => {
    for (const [platform, enabled] of [
      ['linux', false],
      ['darwin', true],
      ['win32', true],
    ] as const) {
      const core = open(platform);
      try {
        expect(await core.router.dispatch('spellcheck.get', {}), platform).toEqual({
          ok: true,
          value: { enabled },
        });
      } finally {
        await core.close();
      }
    }
  });

  it('keeps the user’s choice across a restart and announces it', async () => {
    let core = open('linux');
    const heard: unknown[] = [];
    core.bus.subscribe((event, payload) => {
      if (event === 'spellcheck.changed') heard.push(payload);
    });
    expect(await core.router.dispatch('spellcheck.set', { enabled: true })).toEqual({
      ok: true,
      value: { enabled: true },
    });
    expect(heard).toEqual([{ enabled: true }]);
    await core.close();

    core = open('linux');
    expect(await core.router.dispatch('spellcheck.get', {})).toEqual({ ok: true, value: { enabled: true } });
    expect(await core.router.dispatch('spellcheck.set', { enabled: false })).toEqual({
      ok: true,
      value: { enabled: false },
    });
    await core.close();
    // A choice of "off" outlives a move to a platform where the default is on.
    core = open('darwin');
    expect(await core.router.dispatch('spellcheck.get', {})).toEqual({ ok: true, value: { enabled: false } });
    expect(await core.router.dispatch('spellcheck.set', { enabled: 'yes' })).toMatchObject({
      ok: false,
      error: { kind: 'invalid_input' },
    });
    await core.close();
  });
});
