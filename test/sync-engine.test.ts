import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toAppError } from '../src/main/base/errors';
import { ConversationsRepo } from '../src/main/store/conversations-repo';
import { TranscriptsRepo } from '../src/main/store/transcripts-repo';
import { newMessage } from './support/builders';
import {
  type Computer,
  computer,
  history,
  newFiles,
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

async function machine(name: string, options: Parameters<typeof computer>[1] = {}): Promise<Computer> {
  const made = await computer(name, options);
  open.push(made);
  return made;
}

function converse(machine: Computer, title: string, turns: string[]) {
  const conversation = machine.core.chat.createConversation({});
  machine.core.chat.updateConversation(conversation.id, { title });
  let parentId: string | null = null;
  const ids: string[] = [];
  for (const [index, text] of turns.entries()) {
    const message = machine.messages.insert(
      newMessage({ conversationId: conversation.id, parentId, role: index % 2 ? 'assistant' : 'user', text }),
    );
    ids.push(message.id);
    parentId = message.id;
  }
  return { id: conversation.id, messages: ids };
}

async function errorOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return toAppError(error);
  }
  throw new Error('expected a refusal');
}

describe('sync between two computers through a folder', () => {
  it('merges offline edits on both: both end with the same history', async () => {
    const remote = await tempFolder('remote');
    const laptop = await machine('laptop');
    const desktop = await machine('desktop');
    const trip = converse(laptop, 'Trip', ['Where to go in Vietnam?', 'Hue, Hoi An and Hanoi.']);
    const doomed = converse(laptop, 'Old draft', ['Something to forget']);
    const target = { kind: 'folder' as const, path: remote };
    await laptop.core.sync.setup(target, '', PASSPHRASE);
    await laptop.core.sync.now();
    await desktop.core.sync.setup(target, '', PASSPHRASE);
    const first = await desktop.core.sync.now();
    expect(first.applied).toBeGreaterThan(0);
    expect(history(desktop.core)).toEqual(history(laptop.core));

    // Offline on both: a rename here and a pin there of the same conversation, the same field (the system prompt)
    // edited on both, an edit of a prompt (a new branch), new conversations, a delete.
    laptop.clock.advance(1000);
    desktop.clock.advance(2000);
    laptop.core.chat.updateConversation(trip.id, { title: 'Trip to Hue', systemPrompt: 'Be brief.' });
    desktop.core.chat.updateConversation(trip.id, { pinned: true, systemPrompt: 'Answer in detail.' });
    const edit = desktop.messages.insert(
      newMessage({ conversationId: trip.id, parentId: null, text: 'Where to go in Vietnam in March?' }),
    );
    desktop.messages.insert(
      newMessage({
        conversationId: trip.id,
        parentId: edit.id,
        role: 'assistant',
        text: 'The south is dry.',
      }),
    );
    const laptopNew = converse(laptop, 'Recipes', ['Pho broth?', 'Simmer the bones for hours.']);
    const desktopNew = converse(desktop, 'Taxes', ['When is the deadline?']);
    desktop.messages.insert(
      newMessage({ conversationId: doomed.id, parentId: doomed.messages[0] ?? null, text: 'late' }),
    );
    const conversations = new ConversationsRepo(laptop.core.db);
    conversations.softDelete(doomed.id);
    conversations.purgeDeleted(Number.MAX_SAFE_INTEGER);

    const laptopReport = await laptop.core.sync.now();
    const desktopReport = await desktop.core.sync.now();
    await laptop.core.sync.now();
    expect(laptopReport.uploaded).toBeGreaterThan(0);
    expect(desktopReport.conflicts).toBeGreaterThan(0);

    const merged = history(laptop.core);
    expect(history(desktop.core)).toEqual(merged);
    const tripRow = merged.conversations.find((row) => (row as { id: string }).id === trip.id);
    // Different fields both survive; the same field goes to the later edit (the desktop's clock is ahead).
    expect(tripRow).toMatchObject({ title: 'Trip to Hue', pinned: 1, system_prompt: 'Answer in detail.' });
    const tripMessages = merged.messages.filter(
      (row) => (row as { conversation_id: string }).conversation_id === trip.id,
    );
    const roots = tripMessages.filter((row) => (row as { parent_id: string | null }).parent_id === null);
    expect(roots.map((row) => (row as { text: string }).text).sort()).toEqual([
      'Where to go in Vietnam in March?',
      'Where to go in Vietnam?',
    ]);
    const ids = merged.conversations.map((row) => (row as { id: string }).id);
    expect(ids).toContain(laptopNew.id);
    expect(ids).toContain(desktopNew.id);
    expect(ids).not.toContain(doomed.id);
    expect(merged.messages.some((row) => (row as { text: string }).text === 'late')).toBe(false);
    expect(laptop.core.sync.status().waiting).toEqual({ rows: 0, changeSets: 0 });
    expect(desktop.core.sync.status().waiting).toEqual({ rows: 0, changeSets: 0 });

    // The host sees opaque names and rounded sizes, and none of the words.
    const files = await remoteFiles(remote);
    for (const [key, bytes] of files) {
      if (key === 'keys') continue;
      expect(key).toMatch(/^[hcsp]\/[0-9a-f]{32}$/);
      const padded = bytes.length - 29;
      expect((padded >= 256 && (padded & (padded - 1)) === 0) || padded % 65_536 === 0, key).toBe(true);
      expect(bytes.includes(Buffer.from('Trip'))).toBe(false);
    }
  });

  it('carries transcripts with their segments and video jobs, leaving each computer its own files', async () => {
    const remote = await tempFolder('remote');
    const laptop = await machine('laptop');
    const desktop = await machine('desktop');
    laptop.core.db
      .prepare(
        `INSERT INTO transcripts (id, file_name, source_path, audio_path, size_bytes, model, timestamps, created_at, updated_at)
         VALUES ('t1', 'interview.m4a', '/home/me/interview.m4a', 'audio/t1.m4a', 1000, 'whisper-1', 1, 1, 1)`,
      )
      .run();
    const segment = laptop.core.db.prepare(
      `INSERT INTO transcript_segments (transcript_id, idx, start_sec, end_sec, text, original_text)
       VALUES ('t1', ?, ?, ?, ?, ?)`,
    );
    for (const [index, text] of ['Hello.', 'Welcome back.', 'Goodbye.'].entries())
      segment.run(index, index * 2, index * 2 + 2, text, text);
    laptop.core.db
      .prepare(
        `INSERT INTO video_jobs (id, vendor, remote_id, model, prompt, status, download, local_file, created_at, updated_at)
         VALUES ('v1', 'sora', 'r1', 'sora-2', 'a cat surfing', 'succeeded', 'done', 'videos/v1.mp4', 1, 1)`,
      )
      .run();
    const target = { kind: 'folder' as const, path: remote };
    await laptop.core.sync.setup(target, '', PASSPHRASE);
    await laptop.core.sync.now();
    await desktop.core.sync.setup(target, '', PASSPHRASE);
    await desktop.core.sync.now();

    const transcripts = new TranscriptsRepo(desktop.core.db);
    expect(transcripts.getTranscript('t1')?.segments.map((row) => row.text)).toEqual([
      'Hello.',
      'Welcome back.',
      'Goodbye.',
    ]);
    expect(desktop.core.db.prepare('SELECT audio_path FROM transcripts').get()).toEqual({ audio_path: null });
    expect(desktop.core.videos.get('v1')).toMatchObject({ prompt: 'a cat surfing', status: 'succeeded' });
    expect(desktop.core.db.prepare('SELECT download, local_file FROM video_jobs').get()).toEqual({
      download: 'none',
      local_file: null,
    });

    // A corrected segment on the desktop, the video trashed on the laptop: both arrive on both.
    transcripts.updateSegmentText('t1', 1, 'Welcome back, everyone.', 5);
    laptop.core.db.prepare("UPDATE video_jobs SET deleted_at = 9 WHERE id = 'v1'").run();
    await desktop.core.sync.now();
    await laptop.core.sync.now();
    await desktop.core.sync.now();
    expect(new TranscriptsRepo(laptop.core.db).getTranscript('t1')?.segments[1]?.text).toBe(
      'Welcome back, everyone.',
    );
    const trashed = desktop.core.db.prepare("SELECT deleted_at FROM video_jobs WHERE id = 'v1'").get();
    expect(trashed).toEqual({ deleted_at: 9 });
  });

  it('sends a video file once, by content, and places it on the other computer; a tampered one is not placed', async () => {
    const remote = await tempFolder('remote');
    const laptop = await machine('laptop');
    const desktop = await machine('desktop');
    const third = await machine('third');
    const video = randomBytes(2 * 1024 * 1024 + 123);
    await mkdir(join(laptop.core.paths.libraryDir, 'videos'), { recursive: true });
    await writeFile(join(laptop.core.paths.libraryDir, 'videos', 'v1.mp4'), video);
    laptop.core.db
      .prepare(
        `INSERT INTO video_jobs (id, vendor, remote_id, model, prompt, status, download, local_file, file_size, created_at, updated_at)
         VALUES ('v1', 'sora', 'r1', 'sora-2', 'a cat surfing', 'succeeded', 'done', 'videos/v1.mp4', ?, 1, 1)`,
      )
      .run(video.length);
    const target = { kind: 'folder' as const, path: remote };
    await laptop.core.sync.setup(target, '', PASSPHRASE);
    const sent = await laptop.core.sync.now();
    expect(sent.bytesUp).toBeGreaterThan(video.length);
    const media = [...(await remoteFiles(remote))].filter(([key]) => key.startsWith('m/'));
    expect(media).toHaveLength(1);
    const [mediaKey, sealed] = media[0] ?? ['', Buffer.alloc(0)];
    // Chunks of 1 MiB, the last padded to 64 KiB: the host sees a rounded size and none of the bytes.
    expect((sealed.length - (256 + 16)) % 65_536).toBe(3 * 16);
    expect(sealed.includes(video.subarray(1000, 1064))).toBe(false);

    await desktop.core.sync.setup(target, '', PASSPHRASE);
    const fetched = await desktop.core.sync.now();
    expect(fetched.problems).toEqual([]);
    expect(await readFile(join(desktop.core.paths.libraryDir, 'videos', 'v1.mp4'))).toEqual(video);
    expect(desktop.core.videos.get('v1')).toMatchObject({ download: 'done', localFile: 'videos/v1.mp4' });
    expect((await desktop.core.sync.now()).uploaded).toBe(0);
    expect((await laptop.core.sync.now()).bytesUp).toBeLessThan(video.length);

    const flipped = Buffer.from(sealed);
    flipped[300_000] = (flipped[300_000] ?? 0) ^ 1;
    await writeFile(join(remote, mediaKey), flipped);
    await third.core.sync.setup(target, '', PASSPHRASE);
    const refused = await third.core.sync.now();
    expect(refused.problems).toMatchObject([{ code: 'media' }]);
    await expect(readFile(join(third.core.paths.libraryDir, 'videos', 'v1.mp4'))).rejects.toThrow();
    expect(third.core.videos.get('v1')).toMatchObject({ download: 'none', localFile: null });
  });

  it('a sync stopped part-way (pause, a cut connection) continues where it stopped', async () => {
    const remote = await tempFolder('remote');
    const tuning = { syncTuning: { entriesPerChangeSet: 2 } };
    const laptop = await machine('laptop', tuning);
    const desktop = await machine('desktop', tuning);
    for (let index = 0; index < 3; index += 1) converse(laptop, `Chat ${index}`, ['q', 'a']);
    const target = { kind: 'folder' as const, path: remote };
    await laptop.core.sync.setup(target, '', PASSPHRASE);
    const stop = new AbortController();
    const stopped = laptop.core.sync.now({
      signal: stop.signal,
      onProgress: (progress) => {
        if (progress.phase === 'upload' && progress.done === 1) stop.abort();
      },
    });
    await expect(stopped).rejects.toThrow();
    expect(laptop.core.sync.status().waiting.changeSets).toBe(4);
    expect(laptop.core.sync.status().last?.error).toBeTruthy();
    expect((await laptop.core.sync.now()).uploaded).toBe(4);

    await desktop.core.sync.setup(target, '', PASSPHRASE);
    const stopApply = new AbortController();
    const applying = desktop.core.sync.now({
      signal: stopApply.signal,
      onProgress: (progress) => {
        if (progress.phase === 'apply' && progress.done === 2) stopApply.abort();
      },
    });
    await expect(applying).rejects.toThrow();
    const rest = await desktop.core.sync.now();
    expect(rest.applied).toBe(3);
    expect(history(desktop.core)).toEqual(history(laptop.core));
  });

  it('applying the same change sets again changes nothing', async () => {
    const remote = await tempFolder('remote');
    const laptop = await machine('laptop');
    const desktop = await machine('desktop');
    converse(laptop, 'Once', ['a', 'b', 'c']);
    const target = { kind: 'folder' as const, path: remote };
    await laptop.core.sync.setup(target, '', PASSPHRASE);
    await laptop.core.sync.now();
    await desktop.core.sync.setup(target, '', PASSPHRASE);
    await desktop.core.sync.now();
    const before = history(desktop.core);
    const again = await desktop.core.sync.now();
    expect(again).toMatchObject({ uploaded: 0, applied: 0, rows: 0 });

    // Forget what was applied: every change set comes again, and nothing moves, nor is echoed back.
    desktop.core.db.exec('DELETE FROM sync_applied');
    const replay = await desktop.core.sync.now();
    expect(replay.applied).toBeGreaterThan(0);
    expect(replay.rows).toBe(0);
    expect(replay.uploaded).toBe(0);
    expect(history(desktop.core)).toEqual(before);
  });

  it('refuses a wrong passphrase before anything is written, here or on the storage', async () => {
    const remote = await tempFolder('remote');
    const laptop = await machine('laptop');
    const stranger = await machine('stranger');
    converse(laptop, 'Private', ['secret']);
    const target = { kind: 'folder' as const, path: remote };
    await laptop.core.sync.setup(target, '', PASSPHRASE);
    await laptop.core.sync.now();
    converse(stranger, 'Mine', ['hello']);
    const before = await remoteFiles(remote);

    const error = await errorOf(stranger.core.sync.setup(target, '', 'not the passphrase'));
    expect(error.code).toBe('sync_wrong_passphrase');
    expect(error.message).toMatch(/passphrase is not the one/);
    expect(newFiles(before, await remoteFiles(remote))).toEqual([]);
    expect((await remoteFiles(remote)).size).toBe(before.size);
    expect(stranger.core.sync.status()).toMatchObject({ configured: false, device: null });
    expect(stranger.keytar.entries.size).toBe(0);
    expect(history(stranger.core).conversations).toHaveLength(1);
    // Without a library, nothing is recorded for sync.
    converse(stranger, 'Another', ['more']);
    expect(stranger.core.sync.status().waiting).toEqual({ rows: 0, changeSets: 0 });
  });

  it('reports a tampered or moved change set and never applies it, then applies it once it is whole again', async () => {
    const remote = await tempFolder('remote');
    const laptop = await machine('laptop');
    const desktop = await machine('desktop');
    const target = { kind: 'folder' as const, path: remote };
    converse(laptop, 'First', ['one']);
    await laptop.core.sync.setup(target, '', PASSPHRASE);
    await laptop.core.sync.now();
    await desktop.core.sync.setup(target, '', PASSPHRASE);
    await desktop.core.sync.now();

    const before = await remoteFiles(remote);
    const second = converse(laptop, 'Second', ['two']);
    await laptop.core.sync.now();
    const after = await remoteFiles(remote);
    const changeSet = newFiles(before, after).find((key) => key.startsWith('c/')) ?? '';
    const original = after.get(changeSet) ?? Buffer.alloc(0);

    const flipped = Buffer.from(original);
    flipped[40] = (flipped[40] ?? 0) ^ 1;
    await writeFile(join(remote, changeSet), flipped);
    const tampered = await desktop.core.sync.now();
    expect(tampered.problems).toMatchObject([{ code: 'tampered', seq: 2 }]);
    expect(history(desktop.core).conversations.map((row) => (row as { id: string }).id)).not.toContain(
      second.id,
    );

    // A whole, authentic blob of this library under another name fails too: its name is its associated data.
    const otherSet = [...before.keys()].find((key) => key.startsWith('c/')) ?? '';
    await writeFile(join(remote, changeSet), await readFile(join(remote, otherSet)));
    const moved = await desktop.core.sync.now();
    expect(moved.problems).toMatchObject([{ code: 'tampered', seq: 2 }]);

    await writeFile(join(remote, changeSet), original);
    const healed = await desktop.core.sync.now();
    expect(healed.problems).toEqual([]);
    expect(history(desktop.core)).toEqual(history(laptop.core));
  });

  it('reports a missing change set and applies nothing after it from that computer', async () => {
    const remote = await tempFolder('remote');
    const laptop = await machine('laptop');
    const desktop = await machine('desktop');
    const target = { kind: 'folder' as const, path: remote };
    converse(laptop, 'First', ['one']);
    await laptop.core.sync.setup(target, '', PASSPHRASE);
    await laptop.core.sync.now();
    await desktop.core.sync.setup(target, '', PASSPHRASE);
    await desktop.core.sync.now();

    const before = await remoteFiles(remote);
    const lost = converse(laptop, 'Lost', ['gone']);
    await laptop.core.sync.now();
    const lostSet = newFiles(before, await remoteFiles(remote)).find((key) => key.startsWith('c/')) ?? '';
    const later = converse(laptop, 'Later', ['after the gap']);
    await laptop.core.sync.now();
    const { rm } = await import('node:fs/promises');
    await rm(join(remote, lostSet));

    const report = await desktop.core.sync.now();
    expect(report.problems).toMatchObject([{ code: 'missing', seq: 2 }]);
    expect(report.problems[0]?.message).toMatch(/missing/);
    const ids = history(desktop.core).conversations.map((row) => (row as { id: string }).id);
    expect(ids).not.toContain(lost.id);
    expect(ids).not.toContain(later.id);
  });

  it('refuses storage written by a newer HubDesk, with words', async () => {
    const remote = await tempFolder('remote');
    const laptop = await machine('laptop');
    await writeFile(join(remote, 'keys'), JSON.stringify({ format: 2, library: 'x', future: true }));
    const error = await errorOf(laptop.core.sync.setup({ kind: 'folder', path: remote }, '', PASSPHRASE));
    expect(error.code).toBe('sync_newer_format');
    expect(error.message).toMatch(/newer HubDesk/);
    expect([...(await remoteFiles(remote)).keys()]).toEqual(['keys']);
    expect(laptop.core.sync.status().configured).toBe(false);
  });

  it('compacts into a snapshot: a third computer reads the snapshot and the tail', async () => {
    const remote = await tempFolder('remote');
    const tuning = { syncTuning: { entriesPerChangeSet: 3 } };
    const laptop = await machine('laptop', tuning);
    const desktop = await machine('desktop', tuning);
    const target = { kind: 'folder' as const, path: remote };
    for (let index = 0; index < 4; index += 1) converse(laptop, `Chat ${index}`, ['q', 'a']);
    await laptop.core.sync.setup(target, '', PASSPHRASE);
    await laptop.core.sync.now();
    await desktop.core.sync.setup(target, '', PASSPHRASE);
    await desktop.core.sync.now();
    converse(desktop, 'From the desktop', ['hi']);
    await desktop.core.sync.now();
    await laptop.core.sync.now();
    const changeSetsBefore = [...(await remoteFiles(remote)).keys()].filter((key) => key.startsWith('c/'));

    await laptop.core.sync.compact();
    const compacted = [...(await remoteFiles(remote)).keys()];
    expect(compacted.filter((key) => key.startsWith('c/'))).toEqual([]);
    expect(compacted.filter((key) => key.startsWith('s/'))).toHaveLength(1);
    expect(changeSetsBefore.length).toBeGreaterThan(3);

    const tail = converse(desktop, 'After the snapshot', ['tail']);
    await desktop.core.sync.now();

    const third = await machine('third', tuning);
    await third.core.sync.setup(target, '', PASSPHRASE);
    const first = await third.core.sync.now();
    // The snapshot and the desktop's one new change set: not the history before it.
    expect(first.downloaded).toBe(2);
    expect(first.problems).toEqual([]);
    await laptop.core.sync.now();
    await desktop.core.sync.now();
    expect(history(third.core)).toEqual(history(laptop.core));
    expect(history(third.core)).toEqual(history(desktop.core));
    expect(history(third.core).conversations.map((row) => (row as { id: string }).id)).toContain(tail.id);
  });

  it('a computer behind the last snapshot compacts without losing what only that snapshot held', async () => {
    const remote = await tempFolder('remote');
    const laptop = await machine('laptop');
    const desktop = await machine('desktop');
    const target = { kind: 'folder' as const, path: remote };
    converse(laptop, 'Early', ['one']);
    await laptop.core.sync.setup(target, '', PASSPHRASE);
    await laptop.core.sync.now();
    await desktop.core.sync.setup(target, '', PASSPHRASE);
    await desktop.core.sync.now();
    const late = converse(laptop, 'Late', ['only in the snapshot']);
    await laptop.core.sync.now();
    await laptop.core.sync.compact();

    // The desktop never synced the late conversation's change set, which the laptop's snapshot replaced.
    await desktop.core.sync.compact();
    const third = await machine('third');
    await third.core.sync.setup(target, '', PASSPHRASE);
    expect((await third.core.sync.now()).problems).toEqual([]);
    expect(history(third.core).conversations.map((row) => (row as { id: string }).id)).toContain(late.id);
    expect(history(third.core)).toEqual(history(laptop.core));
  });
});
