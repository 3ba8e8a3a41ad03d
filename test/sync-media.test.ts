/** Media by content between two data folders over a folder remote: chat images, thumbnails, kept audio, videos. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toAppError } from '../src/main/base/errors';
import type { SyncMediaProgress } from '../src/shared/sync';
import { newMessage } from './support/builders';
import {
  type Computer,
  computer,
  remoteFiles,
  removeTempFolders,
  tempFolder,
} from './support/sync-computers';

const PASSPHRASE = 'correct horse battery staple';
const open: Computer[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((machine) => machine.close()));
  await removeTempFolders();
});

async function machine(name: string): Promise<Computer> {
  const made = await computer(name);
  open.push(made);
  return made;
}

/** Sizes far enough apart that each sealed object is told by its padded size alone. */
const media = {
  image: randomBytes(100_000),
  thumbnail: randomBytes(10_000),
  audio: randomBytes(300_000),
  video: randomBytes(2 * 1024 * 1024 + 77),
};

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** One 64 KiB-padded sealed chunk per MiB, after a 256-byte header: what each of the files above becomes. */
function sealedSize(bytes: Buffer): number {
  const chunks = Math.ceil(bytes.length / (1024 * 1024));
  const last = bytes.length - (chunks - 1) * 1024 * 1024;
  return 256 + 16 + (chunks - 1) * (1024 * 1024 + 16) + Math.ceil(last / 65_536) * 65_536 + 16;
}

/**
 * The laptop's library: a chat whose prompt and its edit carry the same picture (two files, one content), a video
 * with its thumbnail, and a transcript whose audio was kept.
 */
async function fillLaptop(laptop: Computer): Promise<{ conversation: string; messages: string[] }> {
  const library = laptop.core.paths.libraryDir;
  for (const folder of ['attachments', 'videos', 'transcripts'])
    await mkdir(join(library, folder), { recursive: true });
  await writeFile(join(library, 'attachments', 'a1.png'), media.image);
  await writeFile(join(library, 'attachments', 'a2.png'), media.image);
  await writeFile(join(library, 'videos', 'v1.mp4'), media.video);
  await writeFile(join(library, 'videos', 'v1.thumb.jpg'), media.thumbnail);
  await writeFile(join(library, 'transcripts', 't1.m4a'), media.audio);
  const conversation = laptop.core.chat.createConversation({});
  const image = (path: string) => ({ path, mimeType: 'image/png', name: 'cat.png' });
  const first = laptop.messages.insert(
    newMessage({
      conversationId: conversation.id,
      text: 'What is this cat doing?',
      images: [image('attachments/a1.png')],
    }),
  );
  const edit = laptop.messages.insert(
    newMessage({
      conversationId: conversation.id,
      text: 'What breed is this cat?',
      images: [image('attachments/a2.png')],
    }),
  );
  laptop.core.db
    .prepare(
      `INSERT INTO video_jobs (id, vendor, remote_id, model, prompt, status, download, local_file, file_size, thumbnail,
                               created_at, updated_at)
       VALUES ('v1', 'sora', 'r1', 'sora-2', 'a cat surfing', 'succeeded', 'done', 'videos/v1.mp4', ?, 'videos/v1.thumb.jpg', 1, 1)`,
    )
    .run(media.video.length);
  laptop.core.db
    .prepare(
      `INSERT INTO transcripts (id, file_name, source_path, audio_path, size_bytes, model, timestamps, created_at, updated_at)
       VALUES ('t1', 'interview.m4a', '/home/me/interview.m4a', 'transcripts/t1.m4a', ?, 'whisper-1', 1, 1, 1)`,
    )
    .run(media.audio.length);
  return { conversation: conversation.id, messages: [first.id, edit.id] };
}

async function fileAt(core: Computer['core'], relative: string): Promise<Buffer | null> {
  return readFile(join(core.paths.libraryDir, relative)).catch(() => null);
}

describe('media by content', () => {
  it('brings chat images, a thumbnail, kept audio and a video to the other computer, each content stored once', async () => {
    const remote = await tempFolder('remote');
    const laptop = await machine('laptop');
    const desktop = await machine('desktop');
    await fillLaptop(laptop);
    const target = { kind: 'folder' as const, path: remote };
    await laptop.core.sync.setup(target, '', PASSPHRASE);
    await laptop.core.sync.now();

    // Five files, four contents: the two pictures are one object on the storage.
    const objects = [...(await remoteFiles(remote))].filter(([key]) => key.startsWith('m/'));
    expect(objects.map(([, bytes]) => bytes.length).sort((a, b) => a - b)).toEqual(
      [media.thumbnail, media.image, media.audio, media.video].map(sealedSize),
    );
    for (const [, bytes] of objects) expect(bytes.includes(media.image.subarray(500, 564))).toBe(false);

    await desktop.core.sync.setup(target, '', PASSPHRASE);
    const report = await desktop.core.sync.now();
    expect(report.problems).toEqual([]);
    expect(await fileAt(desktop.core, 'attachments/a1.png')).toEqual(media.image);
    expect(await fileAt(desktop.core, 'attachments/a2.png')).toEqual(media.image);
    expect(await fileAt(desktop.core, 'videos/v1.thumb.jpg')).toEqual(media.thumbnail);
    expect(await fileAt(desktop.core, 'transcripts/t1.m4a')).toEqual(media.audio);
    expect(await fileAt(desktop.core, 'videos/v1.mp4')).toEqual(media.video);
    expect(desktop.core.videos.get('v1')).toMatchObject({
      download: 'done',
      localFile: 'videos/v1.mp4',
      thumbnail: 'videos/v1.thumb.jpg',
    });
    expect(desktop.core.db.prepare("SELECT audio_path FROM transcripts WHERE id = 't1'").get()).toEqual({
      audio_path: 'transcripts/t1.m4a',
    });
    expect(desktop.core.sync.status().media).toEqual({ mode: 'eager', waiting: { files: 0, bytes: 0 } });
    // Placing the files changed no synced row: nothing goes back, and the laptop sends nothing again.
    expect(desktop.core.sync.status().waiting).toEqual({ rows: 0, changeSets: 0 });
    expect((await laptop.core.sync.now()).bytesUp).toBeLessThan(media.image.length);
  });

  it('reports a tampered media file and does not place it; the rest arrives', async () => {
    const remote = await tempFolder('remote');
    const laptop = await machine('laptop');
    const desktop = await machine('desktop');
    await fillLaptop(laptop);
    const target = { kind: 'folder' as const, path: remote };
    await laptop.core.sync.setup(target, '', PASSPHRASE);
    await laptop.core.sync.now();
    const [imageKey, sealed] =
      [...(await remoteFiles(remote))].find(([, bytes]) => bytes.length === sealedSize(media.image)) ?? [];
    if (!imageKey || !sealed) throw new Error('no sealed image on the storage');
    const flipped = Buffer.from(sealed);
    flipped[40_000] = (flipped[40_000] ?? 0) ^ 1;
    await writeFile(join(remote, imageKey), flipped);

    await desktop.core.sync.setup(target, '', PASSPHRASE);
    const report = await desktop.core.sync.now();
    expect(report.problems).toMatchObject([
      { code: 'media', message: expect.stringContaining('chat image') },
    ]);
    expect(await fileAt(desktop.core, 'attachments/a1.png')).toBeNull();
    expect(await fileAt(desktop.core, 'attachments/a2.png')).toBeNull();
    expect(await fileAt(desktop.core, 'videos/v1.thumb.jpg')).toEqual(media.thumbnail);
    expect(desktop.core.sync.status().media.waiting).toEqual({ files: 2, bytes: 2 * media.image.length });
    const asked = await desktop.core.sync.fetchMedia(sha256(media.image)).catch(toAppError);
    expect(asked).toMatchObject({ reason: { code: 'syncMediaTampered' } });
    expect(await fileAt(desktop.core, 'attachments/a1.png')).toBeNull();
  });

  it('on demand, a sync brings thumbnails and images; a video or audio comes when asked for, with progress', async () => {
    const remote = await tempFolder('remote');
    const laptop = await machine('laptop');
    const desktop = await machine('desktop');
    await fillLaptop(laptop);
    const target = { kind: 'folder' as const, path: remote };
    await laptop.core.sync.setup(target, '', PASSPHRASE);
    await laptop.core.sync.now();

    await desktop.core.sync.setup(target, '', PASSPHRASE);
    expect(desktop.core.sync.setMediaMode('on-demand').media.mode).toBe('on-demand');
    const report = await desktop.core.sync.now();
    expect(report.problems).toEqual([]);
    expect(report.bytesDown).toBeLessThan(media.video.length);
    expect(await fileAt(desktop.core, 'attachments/a1.png')).toEqual(media.image);
    expect(await fileAt(desktop.core, 'videos/v1.thumb.jpg')).toEqual(media.thumbnail);
    expect(await fileAt(desktop.core, 'videos/v1.mp4')).toBeNull();
    expect(await fileAt(desktop.core, 'transcripts/t1.m4a')).toBeNull();
    // The video shows with its picture, as not downloaded here yet; sync knows where its file is.
    expect(desktop.core.videos.get('v1')).toMatchObject({
      download: 'none',
      localFile: null,
      thumbnail: 'videos/v1.thumb.jpg',
    });
    expect(desktop.core.sync.status().media.waiting).toEqual({
      files: 2,
      bytes: media.video.length + media.audio.length,
    });
    const waiting = desktop.core.sync.waitingMedia();
    expect(waiting.map((file) => [file.kind, file.owner]).sort()).toEqual([
      ['audio', 't1'],
      ['video', 'v1'],
    ]);
    expect(waiting.find((file) => file.kind === 'video')?.sha256).toBe(sha256(media.video));
    expect(desktop.core.sync.waitingMedia('v1')).toEqual([
      {
        owner: 'v1',
        path: 'videos/v1.mp4',
        kind: 'video',
        sha256: sha256(media.video),
        size: media.video.length,
      },
    ]);
    // Another sync leaves them where they are.
    await desktop.core.sync.now();
    expect(await fileAt(desktop.core, 'videos/v1.mp4')).toBeNull();

    const progress: SyncMediaProgress[] = [];
    const told: unknown[] = [];
    const stop = desktop.core.bus.subscribe((event, payload) => {
      if (event === 'sync.mediaProgress') progress.push(payload as SyncMediaProgress);
      if (event === 'videos.changed') told.push(payload);
    });
    const placed = await desktop.core.sync.fetchMedia(sha256(media.video));
    stop();
    expect(placed).toEqual(['videos/v1.mp4']);
    expect(await fileAt(desktop.core, 'videos/v1.mp4')).toEqual(media.video);
    expect(desktop.core.videos.get('v1')).toMatchObject({ download: 'done', localFile: 'videos/v1.mp4' });
    // The library hears of it and plays the video at once.
    expect(told).toMatchObject([{ job: { id: 'v1', download: 'done', localFile: 'videos/v1.mp4' } }]);
    expect(progress.at(-1)).toEqual({
      sha256: sha256(media.video),
      got: sealedSize(media.video),
      total: sealedSize(media.video),
    });
    expect(desktop.core.sync.status().media.waiting).toEqual({ files: 1, bytes: media.audio.length });

    // Back to eager: the next sync brings the audio too.
    desktop.core.sync.setMediaMode('eager');
    await desktop.core.sync.now();
    expect(await fileAt(desktop.core, 'transcripts/t1.m4a')).toEqual(media.audio);
    expect(desktop.core.sync.status().media.waiting).toEqual({ files: 0, bytes: 0 });
  });
});
