/** Sync in the background (the app's windows): soon after a change here, on a schedule, later after failures. */
import { rename, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type Computer, computer, history, removeTempFolders, tempFolder } from './support/sync-computers';

const PASSPHRASE = 'correct horse battery staple';
const MINUTE = 60_000;
const open: Computer[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((machine) => machine.close()));
  await removeTempFolders();
});

async function machine(name: string): Promise<Computer> {
  const made = await computer(name, { syncInBackground: true });
  open.push(made);
  return made;
}

/** The last sync's time once one has ended after `since` (the sync itself reads and writes files). */
async function syncedAfter(machine: Computer, since: number): Promise<void> {
  await expect.poll(() => machine.core.sync.status().last?.at ?? 0).toBeGreaterThanOrEqual(since);
  await expect.poll(() => machine.core.sync.status().running).toBe(false);
}

describe('background sync', () => {
  it('goes soon after a change here and on a schedule there; a pause stops it; failures wait longer each time', async () => {
    const remote = await tempFolder('remote');
    const laptop = await machine('laptop');
    const desktop = await machine('desktop');
    const target = { kind: 'folder' as const, path: remote };
    expect(laptop.core.sync.status().nextAt).toBeNull();
    await laptop.core.sync.setup(target, '', PASSPHRASE);
    await desktop.core.sync.setup(target, '', PASSPHRASE);
    expect(laptop.core.sync.status().nextAt).toBe(laptop.clock.now() + 5 * MINUTE);

    // A change here: a sync 15 s later (a burst of changes goes as one), not at once.
    laptop.core.chat.createConversation({});
    laptop.core.chat.createConversation({});
    expect(laptop.core.sync.status().nextAt).toBe(laptop.clock.now() + 15_000);
    laptop.clock.advance(14_999);
    expect(laptop.core.sync.status().last).toBeNull();
    laptop.clock.advance(1);
    await syncedAfter(laptop, laptop.clock.now());
    expect(laptop.core.sync.status().last?.report?.uploaded).toBeGreaterThan(0);
    expect(laptop.core.sync.status().waiting.rows).toBe(0);
    expect(laptop.core.sync.status().nextAt).toBe(laptop.clock.now() + 5 * MINUTE);

    // Nothing changed on the desktop: its scheduled sync brings the laptop's conversations.
    desktop.clock.advance(5 * MINUTE);
    await syncedAfter(desktop, desktop.clock.now());
    expect(history(desktop.core)).toEqual(history(laptop.core));

    // Paused: no sync is planned, changes or not; resumed, the schedule is back.
    desktop.core.sync.setPaused(true);
    expect(desktop.core.sync.status()).toMatchObject({ paused: true, nextAt: null });
    desktop.core.chat.createConversation({});
    expect(desktop.core.sync.status().nextAt).toBeNull();
    desktop.core.sync.setPaused(false);
    expect(desktop.core.sync.status().nextAt).toBe(desktop.clock.now() + 5 * MINUTE);

    // The storage is gone (a folder that is now a file): each failure waits longer, and it recovers by itself.
    await rename(remote, `${remote}-away`);
    await writeFile(remote, 'not a folder');
    laptop.core.chat.createConversation({});
    laptop.clock.advance(15_000);
    await syncedAfter(laptop, laptop.clock.now());
    expect(laptop.core.sync.status().last?.error).toBeDefined();
    expect(laptop.core.sync.status().nextAt).toBe(laptop.clock.now() + 30_000);
    laptop.clock.advance(30_000);
    await syncedAfter(laptop, laptop.clock.now());
    expect(laptop.core.sync.status().nextAt).toBe(laptop.clock.now() + MINUTE);

    await rename(remote, `${remote}-file`);
    await rename(`${remote}-away`, remote);
    laptop.clock.advance(MINUTE);
    await syncedAfter(laptop, laptop.clock.now());
    expect(laptop.core.sync.status().last?.error).toBeUndefined();
    expect(laptop.core.sync.status().waiting.rows).toBe(0);
    expect(laptop.core.sync.status().nextAt).toBe(laptop.clock.now() + 5 * MINUTE);
  });

  it('is not planned where the app does not sync in the background (the CLI)', async () => {
    const remote = await tempFolder('remote');
    const cli = await computer('cli');
    open.push(cli);
    await cli.core.sync.setup({ kind: 'folder', path: remote }, '', PASSPHRASE);
    cli.core.chat.createConversation({});
    expect(cli.core.sync.status().nextAt).toBeNull();
    cli.clock.advance(10 * MINUTE);
    expect(cli.core.sync.status().last).toBeNull();
  });
});
