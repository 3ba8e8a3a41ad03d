import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { type Core, createCore } from '../../src/main/core';
import { memoryKeytar } from './memory-keytar';

/**
 * Temp folders and real cores (SQLite in a folder, a memory keychain) for one test file, all closed and removed
 * after each test, last made first. Closing a core twice (a test that reopens its folder) is harmless.
 */
export function tempCoresPerTest(): {
  tempDir(prefix: string): Promise<string>;
  openCore(dataDir: string): Core;
  /** Runs `cleanup` after the test, with the folders and cores. */
  defer(cleanup: () => Promise<unknown> | unknown): void;
} {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    defer(cleanup) {
      cleanups.push(async () => cleanup());
    },
    async tempDir(prefix) {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      return dir;
    },
    openCore(dataDir) {
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
    },
  };
}
