/**
 * Two computers compacting the same library at once (issue 19), through the folder remote, in interleaved steps:
 * one computer's compaction is held at a step on the storage while the other compacts from start to end. No change
 * set is lost, no snapshot misses one, and a third computer starting from what is left gets the whole history.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FolderRemote } from '../src/main/remotes/folder-remote';
import { newMessage } from './support/builders';
import {
  type Computer,
  computer,
  history,
  remoteFiles,
  removeTempFolders,
  tempFolder,
} from './support/sync-computers';

const PASSPHRASE = 'a quiet harbour at low water';

/** The folder remote, whose writes under one prefix can be held until the test lets them go. */
class HeldFolderRemote extends FolderRemote {
  private held: { prefix: string; reached: () => void; release: Promise<void> } | null = null;

  /** The next write under `prefix` waits; `reached` settles when it is waiting, `release()` lets it go. */
  holdAt(prefix: string): { reached: Promise<void>; release: () => void } {
    let release = () => {};
    let reached = () => {};
    const reachedPromise = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.held = { prefix, reached, release: released };
    return { reached: reachedPromise, release };
  }

  override async put(key: string, body: Uint8Array, signal?: AbortSignal): Promise<void> {
    const held = this.held;
    if (held && key.startsWith(held.prefix)) {
      this.held = null;
      held.reached();
      await held.release;
    }
    await super.put(key, body, signal);
  }
}

const open: Computer[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((machine) => machine.close()));
  await removeTempFolders();
});

async function machine(name: string, remote: string): Promise<Computer & { storage: HeldFolderRemote }> {
  const storage = new HeldFolderRemote(remote);
  const made = await computer(name, { openSyncRemote: () => storage });
  open.push(made);
  await made.core.sync.setup({ kind: 'folder', path: remote }, '', PASSPHRASE);
  return Object.assign(made, { storage });
}

function converse(machine: Computer, title: string, text: string): string {
  const conversation = machine.core.chat.createConversation({});
  machine.core.chat.updateConversation(conversation.id, { title });
  machine.messages.insert(
    newMessage({ conversationId: conversation.id, parentId: null, role: 'user', text }),
  );
  return conversation.id;
}

const titles = (machine: Computer) =>
  (history(machine.core).conversations as { title: string }[]).map((row) => row.title).sort();

describe('two computers compacting at once', { timeout: 60_000 }, () => {
  for (const step of ['s/', 'p/'] as const) {
    it(`loses nothing when one compaction is held before writing its ${step === 's/' ? 'snapshot' : 'pointer'}`, async () => {
      const remote = await tempFolder('remote');
      const laptop = await machine('laptop', remote);
      const desktop = await machine('desktop', remote);
      converse(laptop, 'Tide tables', 'the 1911 tables');
      await laptop.core.sync.now();
      await desktop.core.sync.now();
      converse(desktop, 'Fog bell', 'who rings it');
      await desktop.core.sync.now();
      await laptop.core.sync.now();
      // Only the laptop has this one: the desktop has not synced since.
      converse(laptop, 'Late entry', 'written after the desktop last synced');
      await laptop.core.sync.now();

      // The desktop compacts from what it has, and is held at `step`; the laptop compacts all the way meanwhile.
      const hold = desktop.storage.holdAt(step);
      const desktopCompaction = desktop.core.sync.compact();
      await hold.reached;
      await laptop.core.sync.compact();
      hold.release();
      await desktopCompaction;

      const keys = [...(await remoteFiles(remote)).keys()];
      expect(keys.filter((key) => key.startsWith('s/')).length).toBeGreaterThan(0);

      // A computer new to the library starts from what is on the storage: every conversation, nothing reported.
      const third = await machine('third', remote);
      const first = await third.core.sync.now();
      expect(first.problems).toEqual([]);
      expect(titles(third)).toEqual(['Fog bell', 'Late entry', 'Tide tables']);
      expect(history(third.core)).toEqual(history(laptop.core));

      // The desktop catches up from the same storage, and all three agree.
      expect((await desktop.core.sync.now()).problems).toEqual([]);
      expect(history(desktop.core)).toEqual(history(laptop.core));

      // Compacting again in turn folds the two snapshots into one, and a fourth computer still gets everything.
      await desktop.core.sync.compact();
      await laptop.core.sync.now();
      await laptop.core.sync.compact();
      const after = [...(await remoteFiles(remote)).keys()];
      expect(after.filter((key) => key.startsWith('s/'))).toHaveLength(1);
      expect(after.filter((key) => key.startsWith('c/'))).toEqual([]);
      const fourth = await machine('fourth', remote);
      expect((await fourth.core.sync.now()).problems).toEqual([]);
      expect(history(fourth.core)).toEqual(history(laptop.core));
    });
  }

  it('both held after writing their snapshots, then let go together: nothing lost', async () => {
    const remote = await tempFolder('remote');
    const laptop = await machine('laptop', remote);
    const desktop = await machine('desktop', remote);
    converse(laptop, 'Tide tables', 'the 1911 tables');
    await laptop.core.sync.now();
    await desktop.core.sync.now();
    converse(desktop, 'Fog bell', 'only the desktop has it');
    await desktop.core.sync.now();
    converse(laptop, 'Late entry', 'only the laptop has it');
    await laptop.core.sync.now();

    const laptopHold = laptop.storage.holdAt('p/');
    const desktopHold = desktop.storage.holdAt('p/');
    const both = [laptop.core.sync.compact(), desktop.core.sync.compact()];
    await Promise.all([laptopHold.reached, desktopHold.reached]);
    laptopHold.release();
    desktopHold.release();
    await Promise.all(both);

    const third = await machine('third', remote);
    expect((await third.core.sync.now()).problems).toEqual([]);
    expect(titles(third)).toEqual(['Fog bell', 'Late entry', 'Tide tables']);
  });
});
