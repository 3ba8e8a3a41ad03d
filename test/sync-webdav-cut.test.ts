/**
 * A cut network between HubDesk and a WebDAV server (Apache mod_dav on 127.0.0.1, behind a relay the test severs or
 * stalls): the sync that was cut says the storage cannot be reached, and the next one finishes with nothing lost or
 * duplicated.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import i18next from 'i18next';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toAppError } from '../src/main/base/errors';
import { wordReason } from '../src/shared/error-reasons';
import type { AppError } from '../src/shared/errors';
import { resources } from '../src/shared/locales';
import type { SyncTarget } from '../src/shared/sync-target';
import { newMessage } from './support/builders';
import { type CuttableLink, startCuttableLink } from './support/cuttable-link';
import { type Computer, computer, history, remoteFiles, removeTempFolders } from './support/sync-computers';
import { startWebDavServer, type WebDavServer } from './support/webdav-server';

const PASSPHRASE = 'correct horse battery staple';
const MINUTE = 60_000;
const tuning = { syncTuning: { entriesPerChangeSet: 2 } };
let server: WebDavServer;
let link: CuttableLink;
const open: Computer[] = [];

beforeEach(async () => {
  server = await startWebDavServer();
  link = await startCuttableLink({ port: server.port });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((machine) => machine.close()));
  await link?.close();
  await server?.close();
  await removeTempFolders();
});

async function machine(name: string, options: Parameters<typeof computer>[1] = tuning): Promise<Computer> {
  const made = await computer(name, options);
  open.push(made);
  return made;
}

function target(): SyncTarget {
  return { kind: 'webdav', url: `${link.origin}/dav/`, user: server.user };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return toAppError(error);
  }
  throw new Error('expected the sync to fail');
}

/** A library worth several change sets, and a 2 MiB video file. */
async function fillLibrary(laptop: Computer): Promise<Buffer> {
  for (let index = 0; index < 4; index += 1) {
    const conversation = laptop.core.chat.createConversation({});
    laptop.core.chat.updateConversation(conversation.id, { title: `Chat ${index}` });
    const question = laptop.messages.insert(
      newMessage({ conversationId: conversation.id, text: `Question ${index}` }),
    );
    laptop.messages.insert(
      newMessage({
        conversationId: conversation.id,
        parentId: question.id,
        role: 'assistant',
        text: `Answer ${index}`,
      }),
    );
  }
  const video = randomBytes(2 * 1024 * 1024 + 321);
  await mkdir(join(laptop.core.paths.libraryDir, 'videos'), { recursive: true });
  await writeFile(join(laptop.core.paths.libraryDir, 'videos', 'v1.mp4'), video);
  laptop.core.db
    .prepare(
      `INSERT INTO video_jobs (id, vendor, remote_id, model, prompt, status, download, local_file, file_size, created_at, updated_at)
       VALUES ('v1', 'sora', 'r1', 'sora-2', 'a cat surfing', 'succeeded', 'done', 'videos/v1.mp4', ?, 1, 1)`,
    )
    .run(video.length);
  return video;
}

/** What is on the WebDAV folder, by kind: change sets (`c/`), media (`m/`) and anything else. */
async function storage() {
  const keys = [...(await remoteFiles(server.root)).keys()];
  return {
    changeSets: keys.filter((key) => key.startsWith('c/')),
    media: keys.filter((key) => key.startsWith('m/')),
    leftovers: keys.filter((key) => !/^(c|m|h|s|p)\/[^~]+$/.test(key) && key !== 'keys'),
  };
}

async function words(language: string, error: AppError | undefined): Promise<string> {
  const t = i18next.createInstance();
  await t.init({
    lng: language,
    resources,
    ns: ['errors', 'transcribe'],
    interpolation: { escapeValue: false },
  });
  return wordReason(error?.reason, '(no reason)', {
    exists: (key) => t.exists(key),
    t: (key, o) => t.t(key, o),
  });
}

describe('sync over WebDAV when the network is cut', () => {
  it('cut mid-upload: the status says the storage cannot be reached; restored, the next sync sends the rest once', async () => {
    const laptop = await machine('laptop');
    const desktop = await machine('desktop');
    const video = await fillLibrary(laptop);
    await laptop.core.sync.setup(target(), server.password, PASSPHRASE);

    // The change sets are small; the cut falls in the middle of the video's upload.
    const cut = link.cutAfter('up', 1024 * 1024);
    const failed = await refusal(laptop.core.sync.now());
    await cut;
    expect(failed).toMatchObject({ kind: 'network', reason: { code: 'syncUnreachable' } });
    expect(failed.message).toContain('cannot be reached');
    expect((await storage()).media).toEqual([]);

    // Still cut: the next try is refused at once, and the status keeps saying why.
    const again = await refusal(laptop.core.sync.now());
    expect(again.reason?.code).toBe('syncUnreachable');
    const status = laptop.core.sync.status();
    expect(status.running).toBe(false);
    expect(status.waiting.changeSets).toBeGreaterThan(0);
    expect(status.last?.error?.reason?.code).toBe('syncUnreachable');
    expect(await words('en', status.last?.error)).toMatch(
      /^The sync storage cannot be reached: the connection was/,
    );
    expect(await words('vi', status.last?.error)).toMatch(/^Không kết nối được tới kho đồng bộ: kết nối/);

    link.restore();
    await laptop.core.sync.now();
    expect(laptop.core.sync.status()).toMatchObject({ waiting: { rows: 0, changeSets: 0 } });
    expect(laptop.core.sync.status().last?.error).toBeUndefined();
    const sent = await storage();
    expect(sent.media).toHaveLength(1);
    expect(sent.leftovers).toEqual([]);

    await desktop.core.sync.setup(target(), server.password, PASSPHRASE);
    const fetched = await desktop.core.sync.now();
    expect(fetched.problems).toEqual([]);
    expect(fetched.applied).toBe(sent.changeSets.length);
    expect(history(desktop.core)).toEqual(history(laptop.core));
    expect(desktop.core.videos.get('v1')).toMatchObject({ download: 'done', localFile: 'videos/v1.mp4' });
    expect(await readFile(join(desktop.core.paths.libraryDir, 'videos', 'v1.mp4'))).toEqual(video);
  });

  it('cut mid-download: restored, the next sync applies the rest once and places the whole video', async () => {
    const laptop = await machine('laptop');
    const desktop = await machine('desktop');
    const video = await fillLibrary(laptop);
    await laptop.core.sync.setup(target(), server.password, PASSPHRASE);
    await laptop.core.sync.now();
    const { changeSets } = await storage();

    await desktop.core.sync.setup(target(), server.password, PASSPHRASE);
    const cut = link.cutAfter('down', 1024 * 1024);
    const failed = await refusal(desktop.core.sync.now());
    await cut;
    expect(failed.reason?.code).toBe('syncUnreachable');
    expect(desktop.core.sync.status().last?.error?.reason?.code).toBe('syncUnreachable');
    expect(desktop.core.videos.get('v1')?.localFile ?? null).toBeNull();

    link.restore();
    const before = (await server.requests()).length;
    const rest = await desktop.core.sync.now();
    // The video's download goes on from the bytes that came before the cut.
    const resumed = (await server.requests()).slice(before).filter((request) => request.method === 'GET');
    expect(resumed.some((request) => /^bytes=[1-9]\d*-$/.test(request.range ?? ''))).toBe(true);
    expect(rest.problems).toEqual([]);
    // Change sets applied before the cut are not applied again; together they are all of them, once each.
    const appliedBefore = changeSets.length - rest.applied;
    expect(appliedBefore).toBeGreaterThanOrEqual(0);
    expect((await desktop.core.sync.now()).applied).toBe(0);
    expect(history(desktop.core)).toEqual(history(laptop.core));
    expect(await readFile(join(desktop.core.paths.libraryDir, 'videos', 'v1.mp4'))).toEqual(video);
    expect((await storage()).changeSets).toEqual(changeSets);
  });

  it('stalled: the sync waits, and goes on when the network comes back', async () => {
    const laptop = await machine('laptop');
    await fillLibrary(laptop);
    await laptop.core.sync.setup(target(), server.password, PASSPHRASE);
    link.stall();
    const syncing = laptop.core.sync.now();
    await expect.poll(() => laptop.core.sync.status().running).toBe(true);
    const held = { ...link.relayed };
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(link.relayed).toEqual(held);
    link.restore();
    const report = await syncing;
    expect(report.uploaded).toBeGreaterThan(0);
    expect(laptop.core.sync.status()).toMatchObject({ running: false, waiting: { changeSets: 0 } });
  });

  it('in the background: offline, it probes again with growing waits, saying why; back online, it catches up', async () => {
    const laptop = await machine('laptop', { ...tuning, syncInBackground: true });
    await laptop.core.sync.setup(target(), server.password, PASSPHRASE);
    const settled = async (since: number) => {
      await expect.poll(() => laptop.core.sync.status().last?.at ?? 0).toBeGreaterThanOrEqual(since);
      await expect.poll(() => laptop.core.sync.status().running).toBe(false);
    };

    link.cut();
    laptop.core.chat.createConversation({});
    laptop.clock.advance(15_000);
    await settled(laptop.clock.now());
    expect(laptop.core.sync.status().last?.error?.reason?.code).toBe('syncUnreachable');
    expect(laptop.core.sync.status().nextAt).toBe(laptop.clock.now() + 30_000);
    // Offline: the next try is a probe of the storage (not a sync), and the wait after it is longer.
    laptop.clock.advance(30_000);
    await expect.poll(() => laptop.core.sync.status().nextAt).toBe(laptop.clock.now() + MINUTE);
    expect(laptop.core.sync.status().offline).not.toBeNull();
    expect(laptop.core.sync.status().last?.error?.reason?.code).toBe('syncUnreachable');

    link.restore();
    laptop.clock.advance(MINUTE);
    await settled(laptop.clock.now());
    expect(laptop.core.sync.status().last?.error).toBeUndefined();
    expect(laptop.core.sync.status().waiting).toEqual({ rows: 0, changeSets: 0 });
    expect(laptop.core.sync.status().nextAt).toBe(laptop.clock.now() + 5 * MINUTE);
  });
});
