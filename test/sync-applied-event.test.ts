/**
 * What a sync tells the window it applied (`sync.applied`, issue 19): the conversations whose row or messages came
 * from elsewhere (a deleted message's too), the videos and the transcripts, and nothing when nothing came.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncApplied } from '../src/shared/sync';
import { newMessage } from './support/builders';
import { addTimedTranscript, addVideoWith } from './support/library-items';
import { type Computer, computer, removeTempFolders, tempFolder } from './support/sync-computers';

const PASSPHRASE = 'three short and one long';
const machines: Computer[] = [];

afterEach(async () => {
  await Promise.all(machines.splice(0).map((machine) => machine.close()));
  await removeTempFolders();
});

async function machine(name: string, remote: string): Promise<Computer & { told: SyncApplied[] }> {
  const made = await computer(name);
  machines.push(made);
  await made.core.sync.setup({ kind: 'folder', path: remote }, '', PASSPHRASE);
  const told: SyncApplied[] = [];
  made.core.bus.subscribe((event, payload) => {
    if (event === 'sync.applied') told.push(payload as SyncApplied);
  });
  return Object.assign(made, { told });
}

describe('sync.applied', { timeout: 60_000 }, () => {
  it('names what came from the other computer, by kind, once per sync', async () => {
    const remote = await tempFolder('remote');
    const laptop = await machine('laptop', remote);
    const desktop = await machine('desktop', remote);
    const quiet = desktop.core.chat.createConversation({});
    const talk = laptop.core.chat.createConversation({});
    const question = laptop.messages.insert(
      newMessage({ conversationId: talk.id, role: 'user', text: 'Is the fog signal wound?' }),
    );
    const transcript = addTimedTranscript(
      laptop.core,
      'keeper-notes.wav',
      ['Wound at six.'],
      1_800_000_000_000,
    );
    const video = addVideoWith(laptop.core, {
      vendor: 'sora',
      model: 'sora-2',
      prompt: 'Fog rolling over the rocks',
      status: 'succeeded',
      createdAt: 1_800_000_000_000,
    });
    await laptop.core.sync.now();
    await desktop.core.sync.now();
    expect(desktop.told).toHaveLength(1);
    expect(desktop.told[0]).toEqual({
      conversations: [talk.id],
      videos: [video],
      transcripts: [transcript],
    });
    // The laptop hears of the desktop's conversation only.
    await laptop.core.sync.now();
    expect(laptop.told).toEqual([{ conversations: [quiet.id], videos: [], transcripts: [] }]);

    // A message deleted there: its conversation is named, read from the row before it goes.
    laptop.core.db.prepare('DELETE FROM messages WHERE id = ?').run(question.id);
    await laptop.core.sync.now();
    await desktop.core.sync.now();
    expect(desktop.told.at(-1)).toEqual({ conversations: [talk.id], videos: [], transcripts: [] });

    // Nothing new: nothing told.
    const before = desktop.told.length;
    await desktop.core.sync.now();
    expect(desktop.told).toHaveLength(before);
  });
});
