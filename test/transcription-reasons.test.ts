/**
 * Transcription and ffmpeg failures carry reasons the window words (issue 18): a code and values, with main's English
 * message kept for the CLI and the log. Through a real core against the fake proxy, and the ffmpeg that installs with
 * the app.
 */
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubError } from '../src/main/base/errors';
import { probeMedia, runFfmpeg } from '../src/main/files/ffmpeg';
import { reasonText } from '../src/renderer/src/hub';
import { i18next } from '../src/renderer/src/i18n';
import type { AppError } from '../src/shared/errors';
import { type ChatHarness, startChatHarness } from './support/chat-core';
import { speechFile, waitForJob } from './support/transcription-media';

let harness: ChatHarness;
let folder: string;

beforeAll(async () => {
  harness = await startChatHarness();
  folder = await mkdtemp(join(tmpdir(), 'hubdesk-transcription-reasons-'));
});
afterAll(async () => {
  await harness?.close();
  await rm(folder, { recursive: true, force: true });
});

async function thrown(run: () => Promise<unknown>): Promise<AppError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof HubError) return error.info;
    throw error;
  }
  throw new Error('nothing was thrown');
}

async function worded(error: AppError, language: string): Promise<string> {
  await i18next.changeLanguage(language);
  try {
    return reasonText(error.reason, 'not worded');
  } finally {
    await i18next.changeLanguage('en');
  }
}

describe('transcription failures carry reasons', { timeout: 30_000 }, () => {
  it('says why the original cannot be copied into the library: the file is no longer where it was', async () => {
    const file = await speechFile(folder, 'moved.wav');
    const core = harness.core;
    const [added] = await core.transcription.add([file], { model: 'whisper-1', keepCopy: false });
    const id = (await waitForJob(core, added?.id ?? '')).transcriptId ?? '';
    await rename(file, join(folder, 'elsewhere.wav'));

    const error = await thrown(() => core.transcription.keepCopy(id));
    // The CLI reads the English with what it was doing; the window words why, naming the file and where it was.
    expect(error.message).toBe(`The original file cannot be copied: “moved.wav” was not found at ${file}.`);
    expect(error.reason).toEqual({ code: 'notFound', values: { name: 'moved.wav', path: file } });
    expect(await worded(error, 'vi')).toBe(`Không tìm thấy “moved.wav” tại ${file}.`);
    expect(await worded(error, 'zh-CN')).toBe(`在 ${file} 找不到“moved.wav”。`);
  });

  it('says a file ffprobe cannot read, and what ffmpeg said when it failed', async () => {
    const notMedia = join(folder, 'notes.mp4');
    await writeFile(notMedia, 'these are notes, not a video');
    const probe = await thrown(() => probeMedia(notMedia));
    expect(probe.reason).toEqual({ code: 'probeUnreadable', values: {} });
    expect(await worded(probe, 'zh-CN')).toBe('ffprobe 无法把此文件读取为音频或视频。');

    const failed = await thrown(() => runFfmpeg(['-i', notMedia, join(folder, 'out.wav')]));
    expect(failed.reason?.code).toBe('ffmpegFailed');
    const detail = String(failed.reason?.values.detail);
    expect(detail.length).toBeGreaterThan(0);
    expect(failed.message).toBe(`ffmpeg failed: ${detail}`);
    expect(await worded(failed, 'vi')).toBe(`ffmpeg bị lỗi: ${detail}`);
  });
});
