/**
 * A disk that fills up while a reply streams, for real: the data folder sits on a small tmpfs this test mounts
 * (root only), and a file fills it once the reply has started. The unit test of the same rule on an injected clock
 * is in chat-reply.test.ts.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/main/core';
import type { EventPayload } from '../src/shared/contract';
import { type FakeProxy, startFakeProxy } from './fake-proxy/index';
import { memoryKeytar } from './support/memory-keytar';

const bin = join(import.meta.dirname, '../bin/hubdesk.js');

/** Mounts a tmpfs of `sizeMb` at a new folder; the reason it cannot, when mounting is not permitted. */
function mountSmallDisk(sizeMb: number): { dir: string } | { reason: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hubdesk-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700`, 'tmpfs', dir], {
      stdio: 'pipe',
    });
    return { dir };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const detail = String((error as { stderr?: unknown }).stderr ?? error).trim();
    return { reason: `mounting a tmpfs is not permitted here (${detail || 'mount failed'})` };
  }
}

const disk = mountSmallDisk(8);
const mounted = 'dir' in disk ? disk.dir : null;
if (!mounted) console.warn(`chat-disk-full: skipped: ${'reason' in disk ? disk.reason : ''}`);

let proxy: FakeProxy;
beforeAll(async () => {
  proxy = await startFakeProxy({ speed: 50 });
});
afterAll(async () => {
  await proxy?.close();
  if (mounted) {
    // Lazily: a core a failed test left open still holds its files.
    execFileSync('umount', ['-l', mounted]);
    rmSync(mounted, { recursive: true, force: true });
  }
});

let filler: string | null = null;
afterEach(() => {
  if (filler) rmSync(filler, { force: true });
  filler = null;
});

/** Writes a file until the disk refuses another byte. */
function fillDisk(dir: string): void {
  filler = join(dir, 'filler.bin');
  const fd = openSync(filler, 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  // The last bytes that still fit.
  const tail = openSync(filler, 'a');
  try {
    for (;;) writeSync(tail, Buffer.alloc(512, 1));
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(tail);
  }
}

const prompt = Array.from({ length: 700 }, (_, i) => `word${i}`).join(' ');
const whole = `Echo: ${prompt}`;

function lastReply(dataDir: string) {
  const path = join(dataDir, 'hubdesk.sqlite');
  if (!existsSync(path)) return undefined;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        "SELECT id, text, status, error FROM messages WHERE role = 'assistant' ORDER BY created_at DESC",
      )
      .get() as { id: string; text: string; status: string; error: string | null } | undefined;
  } finally {
    db.close();
  }
}

describe.skipIf(!mounted)('a full disk during a reply, on a real tmpfs', () => {
  it('the core ends the stream once, as failed, saying the disk is full, with the text in the end event', async () => {
    const dataDir = join(mounted ?? '', 'core');
    mkdirSync(dataDir);
    const log: string[] = [];
    let core: Core | null = createCore({
      dataDir,
      env: {},
      keytar: memoryKeytar(),
      keychainService: 'HubDesk-test',
      log: (line) => log.push(line),
    });
    try {
      const profile = core.settings.activeProfile();
      core.settings.updateProfile(profile.id, { baseUrl: proxy.url });
      await core.settings.setToken(profile.id, proxy.token, 'session');
      const ends: EventPayload<'chat.end'>[] = [];
      const deltas: EventPayload<'chat.delta'>[] = [];
      core.bus.subscribe((name, payload) => {
        if (name === 'chat.end') ends.push(payload as EventPayload<'chat.end'>);
        if (name === 'chat.delta') deltas.push(payload as EventPayload<'chat.delta'>);
      });
      proxy.addFault({ match: '/v1/chat/completions', fault: { type: 'trickle', delayMs: 4 } });
      const chat = core.chat.createConversation({ model: 'gpt-4.1' });
      const started = await core.chat.send({ conversationId: chat.id, text: prompt });
      // Filled once a save of the growing reply has reached the disk, so there is partial text to keep.
      const db = core.db;
      const savedText = () =>
        (
          db.prepare('SELECT text FROM messages WHERE id = ?').get(started.assistantMessageId) as {
            text: string;
          }
        ).text;
      await expect.poll(savedText, { timeout: 10_000, interval: 10 }).not.toBe('');
      fillDisk(mounted ?? '');

      const message = await core.chat.whenDone(started.streamId);
      expect(ends).toHaveLength(1);
      expect(ends[0]?.message).toEqual(message);
      expect(message.status).toBe('failed');
      expect(message.error?.message).toMatch(/the disk is full/);
      expect(message.error?.message).not.toMatch(/proxy/i);
      expect(message.text.length).toBeGreaterThan(0);
      expect(whole.startsWith(message.text)).toBe(true);
      // The model call was stopped, not read to its end.
      expect(message.text.length).toBeLessThan(whole.length);
      expect(deltas.map((delta) => delta.text ?? '').join('')).toBe(message.text);

      // The final write failed twice on the full disk; once there is room again, the close writes it after all.
      expect(log.filter((line) => line.includes('the final save failed'))).toHaveLength(2);
      expect(message.error?.message).toMatch(/could not be saved: the disk is full/);
      rmSync(filler ?? '', { force: true });
      await core.close();
      expect(log.some((line) => line.includes('saved after all (failed)'))).toBe(true);
      core = createCore({ dataDir, env: {}, keytar: memoryKeytar(), keychainService: 'HubDesk-test' });
      expect(core.chat.recover()).toBe(0);
      const stored = core.chat.open(chat.id).messages.find((m) => m.id === message.id);
      expect(stored).toMatchObject({ status: 'failed', text: message.text });
      expect(stored?.error?.message).toMatch(/stopped because it could not be saved: the disk is full/);
    } finally {
      await core?.close();
    }
  });

  it('the CLI prints one line without a stack and exits non-zero; the partial text stays on disk', async () => {
    const dataDir = join(mounted ?? '', 'cli');
    mkdirSync(dataDir);
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: dataDir,
      HUBDESK_DATA_DIR: dataDir,
      HUBDESK_BASE_URL: proxy.url,
      HUBDESK_TOKEN: proxy.token,
    };
    proxy.addFault({ match: '/v1/chat/completions', fault: { type: 'trickle', delayMs: 4 } });
    const child: ChildProcess = spawn(process.execPath, [bin, 'chat', '--model', 'gpt-4.1', prompt], { env });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const flushed = () => {
      const reply = lastReply(dataDir);
      return reply?.status === 'streaming' && reply.text.length > 0;
    };
    await expect.poll(flushed, { timeout: 20_000, interval: 20 }).toBe(true);
    fillDisk(mounted ?? '');
    const code = await exited;

    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^hubdesk: failed: .*the disk is full/);
    expect(stderr).not.toMatch(/SqliteError|\n\s+at /);
    expect(whole.startsWith(stdout.trim())).toBe(true);
    expect(stdout.trim().length).toBeLessThan(whole.length);

    rmSync(filler ?? '', { force: true });
    const row = lastReply(dataDir);
    expect(row).toBeDefined();
    expect(['failed', 'streaming']).toContain(row?.status);
    expect(row?.text.length).toBeGreaterThan(0);
    expect(whole.startsWith(row?.text ?? '')).toBe(true);
  });
});
