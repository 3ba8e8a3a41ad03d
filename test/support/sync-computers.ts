import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { type Core, type CoreOptions, createCore } from '../../src/main/core';
import { MessagesRepo } from '../../src/main/store/messages-repo';
import { ManualClock } from './manual-clock';
import { memoryKeytar } from './memory-keytar';

/** One computer: its own data folder, keychain and clock, over a shared sync folder. */
export interface Computer {
  dataDir: string;
  core: Core;
  clock: ManualClock;
  messages: MessagesRepo;
  keytar: ReturnType<typeof memoryKeytar>;
  close(): Promise<void>;
  reopen(): Promise<void>;
}

const folders: string[] = [];

export async function tempFolder(name: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), `hubdesk-sync-${name}-`));
  folders.push(folder);
  return folder;
}

export async function removeTempFolders(): Promise<void> {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
}

export async function computer(
  name: string,
  options: Partial<CoreOptions> = {},
  dataDir?: string,
): Promise<Computer> {
  const folder = dataDir ?? (await tempFolder(name));
  const clock = new ManualClock();
  clock.advance(1_800_000_000_000);
  const keytar = memoryKeytar();
  const open = () =>
    createCore({ dataDir: folder, env: {}, keytar, keychainService: 'HubDesk-test', clock, ...options });
  const machine: Computer = {
    dataDir: folder,
    core: open(),
    clock,
    keytar,
    messages: undefined as unknown as MessagesRepo,
    close: () => machine.core.close(),
    async reopen() {
      await machine.core.close();
      machine.core = open();
      machine.messages = new MessagesRepo(machine.core.db);
    },
  };
  machine.messages = new MessagesRepo(machine.core.db);
  return machine;
}

/** What a person would compare between two computers: conversations and every message of every branch. */
export function history(core: Core) {
  const conversations = core.db
    .prepare(
      `SELECT id, title, pinned, system_prompt, deleted_at, message_count FROM conversations ORDER BY id`,
    )
    .all();
  const messages = core.db
    .prepare('SELECT id, conversation_id, parent_id, role, text, status FROM messages ORDER BY id')
    .all();
  return { conversations, messages };
}

/** Every file under the sync folder with its size (temporary files included, to show none is left). */
export async function remoteFiles(root: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else files.set(relative(root, full), await readFile(full));
    }
  };
  if ((await stat(root).catch(() => null))?.isDirectory()) await walk(root);
  return files;
}

/** The keys of files that are new or changed between two listings. */
export function newFiles(before: Map<string, Buffer>, after: Map<string, Buffer>): string[] {
  return [...after].filter(([key, bytes]) => !before.get(key)?.equals(bytes)).map(([key]) => key);
}
