/** Two computers merge through an S3-compatible bucket (s3rver on 127.0.0.1), as through a folder. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toAppError } from '../src/main/base/errors';
import type { SyncTarget } from '../src/shared/sync-target';
import { newMessage } from './support/builders';
import { type S3Server, startS3Server } from './support/s3-server';
import { type Computer, computer, history, removeTempFolders } from './support/sync-computers';

const PASSPHRASE = 'correct horse battery staple';
let server: S3Server;
const open: Computer[] = [];

beforeEach(async () => {
  server = await startS3Server();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((machine) => machine.close()));
  await server?.close();
  await removeTempFolders();
});

async function machine(name: string): Promise<Computer> {
  const made = await computer(name);
  open.push(made);
  return made;
}

describe('sync through an S3-compatible bucket', () => {
  it('both computers end with the same history; the bucket holds only names and bytes that say nothing', async () => {
    const target: SyncTarget = {
      kind: 's3',
      endpoint: server.endpoint,
      bucket: server.bucket,
      accessKeyId: server.accessKeyId,
      forcePathStyle: true,
      prefix: 'hubdesk',
    };
    const laptop = await machine('laptop');
    const desktop = await machine('desktop');
    const trip = laptop.core.chat.createConversation({});
    laptop.core.chat.updateConversation(trip.id, { title: 'Trip to Hue' });
    const question = laptop.messages.insert(
      newMessage({ conversationId: trip.id, text: 'Where to eat bún bò in Huế?' }),
    );
    laptop.messages.insert(
      newMessage({
        conversationId: trip.id,
        parentId: question.id,
        role: 'assistant',
        text: 'Near Đông Ba market.',
      }),
    );

    await laptop.core.sync.setup(target, server.secretAccessKey, PASSPHRASE);
    expect((await laptop.core.sync.now()).uploaded).toBeGreaterThan(0);
    await desktop.core.sync.setup(target, server.secretAccessKey, PASSPHRASE);
    expect((await desktop.core.sync.now()).applied).toBeGreaterThan(0);
    expect(history(desktop.core)).toEqual(history(laptop.core));

    // Offline on both: a pin there, a rename here; both survive.
    desktop.clock.advance(1000);
    laptop.clock.advance(2000);
    desktop.core.chat.updateConversation(trip.id, { pinned: true });
    laptop.core.chat.updateConversation(trip.id, { title: 'Trip to Huế, in March' });
    await desktop.core.sync.now();
    await laptop.core.sync.now();
    await desktop.core.sync.now();
    expect(history(desktop.core)).toEqual(history(laptop.core));
    expect(desktop.core.chat.openWhole(trip.id).conversation).toMatchObject({
      title: 'Trip to Huế, in March',
      pinned: true,
    });

    // What the host sees: object names under the prefix that carry no id, no title, no text.
    const written = server.requests.filter((request) => request.method === 'PUT' && request.status === 200);
    expect(written.length).toBeGreaterThan(0);
    for (const { path } of written) {
      expect(path.startsWith(`/${server.bucket}/hubdesk/`)).toBe(true);
      expect(path).not.toContain(trip.id);
      expect(path).not.toMatch(/Trip|Hue|laptop|desktop/);
    }
  });

  it('refuses a wrong passphrase before anything is written to the bucket', async () => {
    const target: SyncTarget = {
      kind: 's3',
      endpoint: server.endpoint,
      bucket: server.bucket,
      accessKeyId: server.accessKeyId,
      forcePathStyle: true,
    };
    const laptop = await machine('laptop');
    await laptop.core.sync.setup(target, server.secretAccessKey, PASSPHRASE);
    await laptop.core.sync.now();
    const stranger = await machine('stranger');
    const writesBefore = server.requests.filter((request) => request.method === 'PUT').length;
    let refusal: ReturnType<typeof toAppError> | undefined;
    try {
      await stranger.core.sync.setup(target, server.secretAccessKey, 'not the passphrase');
    } catch (error) {
      refusal = toAppError(error);
    }
    expect(refusal).toMatchObject({ code: 'sync_wrong_passphrase', reason: { code: 'syncWrongPassphrase' } });
    // The connection test writes and deletes its probe; nothing of the library is written.
    const libraryWrites = server.requests
      .slice(0)
      .filter((request) => request.method === 'PUT')
      .slice(writesBefore)
      .filter((request) => !/probe/i.test(request.path));
    expect(libraryWrites).toEqual([]);
    expect(stranger.core.sync.status().configured).toBe(false);
  });
});
