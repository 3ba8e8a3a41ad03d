/** Shared set-up of the data-folder tests: a temp root per test, cores opened on folders in it and closed after. */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { type Core, createCore } from '../../src/main/core';
import { dataPaths } from '../../src/main/paths';
import { DesktopService } from '../../src/main/services/desktop/desktop-service';
import { DatabaseCopies } from '../../src/main/store/database-copies';
import { UsageRepo } from '../../src/main/store/usage-repo';
import { memoryKeytar } from './memory-keytar';

export interface DataFolders {
  /** This test's temp folder (removed after it). */
  readonly root: string;
  open(dataDir: string): Core;
  close(core: Core): Promise<void>;
  /** A data folder with two conversations and a video in the library. */
  populated(dataDir: string): Promise<{ core: Core; video: Buffer }>;
}

/** Registers the per-test set-up and tear-down; call once at the top of a test file. */
export function dataFoldersPerTest(): DataFolders {
  let root = '';
  const cores: Core[] = [];
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'hubdesk-data-'));
  });
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.close();
    await rm(root, { recursive: true, force: true });
  });
  const folders: DataFolders = {
    get root() {
      return root;
    },
    open(dataDir) {
      const core = createCore({ dataDir, env: {}, keytar: memoryKeytar(), keychainService: 'HubDesk-test' });
      cores.push(core);
      return core;
    },
    async close(core) {
      cores.splice(cores.indexOf(core), 1);
      await core.close();
    },
    async populated(dataDir) {
      const core = folders.open(dataDir);
      for (const title of ['Lighthouse notes', 'Trip to Hanoi']) {
        const conversation = core.chat.createConversation({ model: 'gpt-4o' });
        core.chat.updateConversation(conversation.id, { title });
      }
      const video = randomBytes(300_000);
      await mkdir(join(core.paths.libraryDir, 'videos'), { recursive: true });
      await writeFile(join(core.paths.libraryDir, 'videos', 'clip.mp4'), video);
      return { core, video };
    },
  };
  return folders;
}

export const titles = (core: Core) =>
  core.chat
    .listConversations()
    .map((conversation) => conversation.title)
    .sort();

export async function invoke(core: Core, channel: string, request: unknown) {
  return core.router.dispatch(channel, request);
}

/** A desktop service over `core` that may move its folder (the app's own one is told the platform folder's file). */
export function movableDesktop(core: Core, locationFile: string): DesktopService {
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
