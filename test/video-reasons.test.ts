/**
 * Every refusal and failure of the video services carries a reason (issue 18): a code and values the window words in
 * its language, while main's English message stays for the CLI and the log. Through a real core (SQLite in a temp
 * folder) against the fake proxy.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRemoteId } from '../src/main/api/video/types';
import { fileReasons, HubError } from '../src/main/base/errors';
import type { Core } from '../src/main/core';
import { writeBytesToPart } from '../src/main/services/videos/download';
import { reasonText } from '../src/renderer/src/hub';
import { i18next } from '../src/renderer/src/i18n';
import type { ErrorReason } from '../src/shared/error-reasons';
import type { AppError } from '../src/shared/errors';
import type { VideoJob } from '../src/shared/videos/job';
import { type FakeProxy, startFakeProxy } from './fake-proxy/index';
import { tempCoresPerTest } from './support/temp-cores';
import { fastTiming } from './video-harness';

const cores = tempCoresPerTest();
let proxy: FakeProxy;

beforeAll(async () => {
  proxy = await startFakeProxy({ speed: 50 });
});
afterAll(async () => {
  await proxy?.close();
});

async function videoCore(): Promise<Core> {
  const core = cores.openCore(await cores.tempDir('hubdesk-video-reasons-'));
  const profile = core.settings.activeProfile();
  core.settings.updateProfile(profile.id, { baseUrl: proxy.url });
  await core.settings.setToken(profile.id, proxy.token, 'session');
  core.videos.setTiming(fastTiming);
  return core;
}

/** A job made through the service, once it is final and its download has ended. */
async function made(core: Core, vendor: VideoJob['vendor'], prompt: string): Promise<VideoJob> {
  const model = core.videos.vendors().find((spec) => spec.vendor === vendor)?.models[0]?.id ?? '';
  const job = await core.videos.create({ vendor, model, prompt, options: {} } as never);
  return core.videos.settled(job.id);
}

/** What the window gets when it asks through the contract and main refuses. */
async function refusal(core: Core, channel: string, request: unknown): Promise<AppError> {
  const result = await core.router.dispatch(channel, request);
  if (result.ok) throw new Error(`${channel} was not refused`);
  return result.error;
}

/** The error a call threw, as main made it. */
async function thrown(run: () => unknown): Promise<AppError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof HubError) return error.info;
    throw error;
  }
  throw new Error('nothing was thrown');
}

/** The reason in a language, as the window words it. */
async function worded(reason: ErrorReason | undefined, language: string): Promise<string> {
  await i18next.changeLanguage(language);
  try {
    return reasonText(reason, 'not worded');
  } finally {
    await i18next.changeLanguage('en');
  }
}

/** The reason is worded in every language, and the English words are main's own sentence. */
async function expectWorded(error: AppError, english = error.message): Promise<void> {
  expect(await worded(error.reason, 'en')).toBe(english);
  for (const language of ['vi', 'zh-CN']) {
    const text = await worded(error.reason, language);
    expect(text).not.toBe(english);
    expect(text).not.toMatch(/\{\{|not worded/);
  }
}

describe('video refusals carry reasons the window words', { timeout: 30_000 }, () => {
  it('refuses a remix, a retry, a re-send, a download and a delete that cannot be done, each with its reason', async () => {
    const core = await videoCore();
    const kling = await made(core, 'kling', 'A heron standing in a pond');
    const failed = await made(core, 'kling', 'A heron that will not fly [fail]');
    const sora = await made(core, 'sora', 'A kite over the dunes');
    expect([kling.download, failed.status, sora.download]).toEqual(['done', 'failed', 'done']);

    const cases: [AppError, ErrorReason][] = [
      [
        await refusal(core, 'videos.remix', { id: kling.id, prompt: 'again' }),
        { code: 'videoRemixSoraOnly', values: {} },
      ],
      [
        await refusal(core, 'videos.recreate', { id: kling.id }),
        { code: 'videoRetryNeedsEnded', values: {} },
      ],
      [
        await refusal(core, 'videos.retryCreate', { id: kling.id }),
        { code: 'videoResendNeedsNoAnswer', values: {} },
      ],
      [await refusal(core, 'videos.download', { id: failed.id }), { code: 'videoNotFinished', values: {} }],
      [
        await refusal(core, 'videos.delete', { id: kling.id, scope: 'remote' }),
        { code: 'videoNoRemoteDelete', values: { vendor: 'Kling' } },
      ],
      [
        await refusal(core, 'videos.delete', { id: failed.id, scope: 'local' }),
        { code: 'videoNoLocalFile', values: {} },
      ],
      [
        await refusal(core, 'videos.undoDelete', { id: failed.id }),
        { code: 'videoNothingToUndo', values: {} },
      ],
      [
        await refusal(core, 'videos.get', { id: 'no-such-job' }),
        { code: 'videoNoJob', values: { id: 'no-such-job' } },
      ],
      [await thrown(() => core.videos.filePath(failed.id)), { code: 'videoNotDownloaded', values: {} }],
    ];
    for (const [error, reason] of cases) {
      expect(error.reason).toEqual(reason);
      await expectWorded(error);
    }
    expect(cases[4]?.[0].message).toBe("Kling videos cannot be deleted on the vendor's side.");
    expect(await worded(cases[4]?.[0].reason, 'vi')).toBe('Không thể xóa video Kling ở phía nhà cung cấp.');

    // A job kept from an older HubDesk whose saved settings the current form no longer takes.
    core.db.prepare("UPDATE video_jobs SET model = '' WHERE id = ?").run(failed.id);
    const stale = await refusal(core, 'videos.recreate', { id: failed.id });
    expect(stale.reason).toEqual({ code: 'videoRetryNotValid', values: {} });
    expect(await worded(stale.reason, 'vi')).toMatch(
      /^Các thiết lập đã lưu của tác vụ này không còn được chấp nhận/,
    );
    expect(await worded(stale.reason, 'zh-CN')).toMatch(/^此任务保存的设置已不再被接受/);

    // Sora deletes its copy; the one in the library can no longer be remixed.
    await core.videos.delete(sora.id, 'remote');
    const remix = await refusal(core, 'videos.remix', { id: sora.id, prompt: 'once more' });
    expect(remix.reason).toEqual({ code: 'videoRemixNeedsFinished', values: {} });
    expect(await worded(remix.reason, 'zh-CN')).toBe('只有已完成且仍在账户中的 Sora 视频可以重混。');
    await expectWorded(remix);
  });

  it('says a delete that went already, an undo that would overwrite a file, and a trash that cannot be written', async () => {
    const core = await videoCore();
    const job = await made(core, 'seedance', 'Rain on a tin roof');
    const libraryDir = core.paths.libraryDir;
    const file = job.localFile ?? '';
    expect(file).toBe(`videos/${job.id}.mp4`);

    await core.videos.delete(job.id, 'local');
    // The person downloads it again, then presses Undo: the new file is not overwritten.
    await writeFile(join(libraryDir, file), 'a newer download');
    const undo = await refusal(core, 'videos.undoDelete', { id: job.id });
    expect(undo.reason).toEqual({ code: 'videoFileExistsAgain', values: { path: file } });
    await expectWorded(undo);
    expect(await worded(undo.reason, 'vi')).toBe(
      `Đã có lại một tệp tại ${file}; HubDesk không ghi đè lên nó.`,
    );

    const other = await made(core, 'seedance', 'Snow on a tin roof');
    await core.videos.delete(other.id, 'both');
    const again = await refusal(core, 'videos.delete', { id: other.id, scope: 'both' });
    expect(again.reason).toEqual({ code: 'videoAlreadyDeleted', values: {} });
    await expectWorded(again);

    // A file where the trash folder should be: nothing is deleted, and the cause is a disk cause the window words.
    const third = await made(core, 'seedance', 'Hail on a tin roof');
    await rm(join(libraryDir, '.trash'), { recursive: true, force: true });
    await writeFile(join(libraryDir, '.trash'), 'not a folder');
    const trash = await refusal(core, 'videos.delete', { id: third.id, scope: 'local' });
    expect(trash.reason?.code).toBe('videoTrashFailed');
    expect(trash.kind).toBe('file');
    const cause = String(trash.reason?.values.cause);
    expect(Object.keys(fileReasons)).toContain(cause);
    expect(await worded(trash.reason, 'en')).toBe(
      `The file could not be moved to the trash (${fileReasons[cause]}); nothing was deleted. Close any program using it and try again.`,
    );
    expect(await worded(trash.reason, 'zh-CN')).toMatch(/^无法把文件移到回收站（.+），未删除任何内容。/);
    expect(core.videos.get(third.id).localFile).toBe(third.localFile);
  });

  it('names the vendor whose answer has no task id, and an empty inline video', async () => {
    const noId = await thrown(() => requireRemoteId(undefined, 'Kling'));
    expect(noId.reason).toEqual({ code: 'videoNoTaskId', values: { vendor: 'Kling' } });
    await expectWorded(noId);

    const folder = await cores.tempDir('hubdesk-video-bytes-');
    await mkdir(folder, { recursive: true });
    const empty = await thrown(() => writeBytesToPart(join(folder, 'v.mp4.part'), ''));
    expect(empty.reason).toEqual({ code: 'videoEmpty', values: {} });
    await expectWorded(empty);
  });
});
