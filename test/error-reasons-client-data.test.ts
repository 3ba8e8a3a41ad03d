/**
 * The proxy's client, the data folder and backups: each refusal carries a reason, and the window words it in its
 * language (the real HTTP client against the fake proxy, a real core's data folder, real archives and SQLite files).
 */
import { mkdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildUrl } from '../src/main/api/api-call';
import { embeddingBody, planBatches } from '../src/main/api/embeddings';
import { HttpClient } from '../src/main/api/http-client';
import { redirectHop } from '../src/main/api/send-request';
import { HubError } from '../src/main/base/errors';
import { lockDataFolder } from '../src/main/store/data-lock';
import { checkCopy } from '../src/main/store/database-copies';
import { reasonText } from '../src/renderer/src/hub';
import { i18next } from '../src/renderer/src/i18n';
import type { AppError } from '../src/shared/errors';
import { type FakeProxy, startFakeProxy } from './fake-proxy';
import { dataFoldersPerTest, invoke, movableDesktop } from './support/data-folders';

const TOKEN = 'thk-live-reasons-4Fq8';

/** The AppError a call or a function threw (it must throw). */
async function refusal(run: () => unknown): Promise<AppError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof HubError) return error.info;
    throw error;
  }
  throw new Error('it did not throw');
}

const say = (error: AppError) => reasonText(error.reason, error.message);

afterEach(async () => {
  await i18next.changeLanguage('en');
});

describe('the proxy’s client', () => {
  let proxy: FakeProxy;
  const clients: HttpClient[] = [];
  beforeAll(async () => {
    proxy = await startFakeProxy({ token: TOKEN });
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await proxy.close();
  });

  function client(token: string | null = TOKEN): HttpClient {
    const made = new HttpClient({
      target: () => ({ baseUrl: proxy.url, proxyUrl: null, endpointOverrides: {} }),
      token: async () => token,
      env: {},
      sleep: async () => {},
      random: () => 0,
    });
    clients.push(made);
    return made;
  }
  const chat = { endpoint: 'openai.chat' as const, json: { model: 'gpt-4o', messages: [] } };

  it('a wait the proxy asks for that is too long to wait out is named in the reason, and worded in each language', async () => {
    proxy.addFault({ fault: { type: 'status', status: 429, retryAfter: '45' } });
    const limited = await refusal(() => client().json(chat));
    expect(limited.message).toMatch(/Try again in 45 s\.$/);
    expect(limited.reason).toEqual({ code: 'http429', values: { status: 429, retryInSeconds: 45 } });
    expect(say(limited)).toBe('Too many requests: the proxy is rate limiting (429). Try again in 45 s.');
    await i18next.changeLanguage('zh-CN');
    expect(say(limited)).toBe('请求过多：代理正在限流（429）。请在 45 秒后重试。');
    await i18next.changeLanguage('vi');
    expect(say(limited)).toBe(
      'Quá nhiều yêu cầu: proxy đang giới hạn tốc độ (429). Hãy thử lại sau 45 giây.',
    );

    proxy.addFault({ fault: { type: 'status', status: 503, retryAfter: '600' } });
    const unavailable = await refusal(() => client().json(chat));
    expect(unavailable.reason?.values).toMatchObject({ status: 503, retryInSeconds: 600 });
    expect(say(unavailable)).toContain('Hãy thử lại sau 10 phút.');
  });

  it('no token, a missing model, a base URL that is not http(s), a redirect loop, a dimensions setting', async () => {
    const noToken = await refusal(() => client(null).json(chat));
    expect(noToken.reason).toEqual({ code: 'noToken', values: {} });
    const noModel = await refusal(() =>
      buildUrl(proxy.url, '/v1beta/models/{model}:generateContent', { endpoint: 'gemini.generate' }, []),
    );
    expect(noModel).toMatchObject({
      field: 'model',
      reason: { code: 'pathModelMissing', values: { endpoint: 'gemini.generate' } },
    });
    const ftp = await refusal(() =>
      buildUrl('ftp://files.example', '/v1/chat/completions', { endpoint: 'openai.chat' }, []),
    );
    expect(ftp.reason).toEqual({ code: 'baseUrlNotHttp', values: { url: 'ftp://files.example' } });
    const loop = await refusal(() => redirectHop(302, '/again', new URL(proxy.url), 'GET', 10));
    expect(loop.reason).toEqual({ code: 'redirectLoop', values: {} });
    const dims = await refusal(() => embeddingBody('text-embedding-ada-002', ['a'], 256, 'float'));
    expect(dims.reason).toEqual({
      code: 'embeddingNoDimensions',
      values: { model: 'text-embedding-ada-002' },
    });
    const long = await refusal(() =>
      planBatches(['short', 'x '.repeat(400)], {
        maxInputs: 10,
        maxTokensPerInput: 100,
        maxTokensPerRequest: 1000,
      }),
    );
    expect(long.reason).toMatchObject({ code: 'embeddingInputTooLong', values: { input: 2, limit: 100 } });

    await i18next.changeLanguage('zh-CN');
    expect(say(noToken)).toBe('尚未设置 API 令牌。');
    expect(say(ftp)).toBe('基础 URL“ftp://files.example”必须以 https:// 开头。');
    expect(say(long)).toMatch(/^第 2 段文本约有 \d+ 个 token，嵌入 API 最多接受 100 个。$/);
  });
});

const data = dataFoldersPerTest();

describe('the data folder and backups', () => {
  it('refuses backup places and damaged backups with reasons the window words', async () => {
    const dataDir = join(data.root, 'data');
    const { core } = await data.populated(dataDir);
    const refused = async (channel: string, request: unknown): Promise<AppError> => {
      const result = await invoke(core, channel, request);
      if (result.ok) throw new Error(`${channel} did not refuse`);
      return result.error;
    };

    const inside = await refused('data.backup', { target: join(dataDir, 'b.hubdesk-backup') });
    expect(inside).toMatchObject({ field: 'target', reason: { code: 'backupTargetInsideData', values: {} } });
    const folder = await refused('data.backup', { target: data.root });
    expect(folder.reason?.code).toBe('backupTargetIsFolder');
    const nowhere = join(data.root, 'no-such-folder');
    const missing = await refused('data.backup', { target: join(nowhere, 'b.hubdesk-backup') });
    expect(missing.reason).toEqual({ code: 'targetFolderMissing', values: { path: nowhere } });
    const existing = join(data.root, 'existing.hubdesk-backup');
    await writeFile(existing, 'keep me');
    const taken = await refused('data.backup', { target: existing });
    expect(taken.reason).toEqual({ code: 'backupTargetExists', values: { path: existing } });

    const archive = join(data.root, 'everything.hubdesk-backup');
    expect((await invoke(core, 'data.backup', { target: archive })).ok).toBe(true);
    const bytes = await readFile(archive);
    const flipped = Buffer.from(bytes);
    const inVideo = bytes.length - 50_000; // the video is the last file, 300 kB long
    flipped[inVideo] = (flipped[inVideo] ?? 0) ^ 0xff;
    const corrupt = join(data.root, 'corrupt.hubdesk-backup');
    await writeFile(corrupt, flipped);
    const cut = join(data.root, 'cut.hubdesk-backup');
    await writeFile(cut, bytes);
    await truncate(cut, bytes.length - 5000);
    const notOne = join(data.root, 'notes.txt');
    await writeFile(notOne, 'just some text that is long enough to have a header and a footer '.repeat(5));

    const damaged = await refused('data.restore', { source: corrupt });
    expect(damaged.reason).toEqual({
      code: 'backupFileDamaged',
      values: { name: 'corrupt.hubdesk-backup', file: 'library/videos/clip.mp4' },
    });
    expect((await refused('data.restore', { source: cut })).reason).toEqual({
      code: 'backupCutOff',
      values: { name: 'cut.hubdesk-backup' },
    });
    expect((await refused('data.restore', { source: notOne })).reason?.code).toBe('backupNotABackup');
    const absent = join(data.root, 'absent.hubdesk-backup');
    expect((await refused('data.restore', { source: absent })).reason).toEqual({
      code: 'kbNoSuchPath',
      values: { path: absent },
    });
    const other = lockDataFolder(dataDir, 0);
    const busy = await refused('data.restore', { source: archive }).finally(() => other.release());
    expect(busy.reason).toEqual({ code: 'dataFolderBusy', values: {} });
    const fixed = await refused('data.move', { target: join(data.root, 'moved') });
    expect(fixed.reason?.code).toBe('dataFolderNotMovable');

    await i18next.changeLanguage('vi');
    expect(say(damaged)).toBe(
      'corrupt.hubdesk-backup không phải là bản sao lưu HubDesk dùng được: tệp library/videos/clip.mp4 trong đó bị hỏng. Chưa có gì bị thay đổi.',
    );
    expect(say(inside)).toMatch(/^Bản sao lưu phải được lưu bên ngoài thư mục dữ liệu/);
    await i18next.changeLanguage('zh-CN');
    expect(say(missing)).toBe(`文件夹 ${nowhere} 不存在。`);
    expect(say(busy)).toMatch(/^HubDesk 正在另一个窗口或命令中移动或恢复此数据文件夹。/);
  });

  it('refuses move targets with reasons, and a running operation names itself in the window’s words', async () => {
    const dataDir = join(data.root, 'data');
    const { core } = await data.populated(dataDir);
    const desktop = movableDesktop(core, join(data.root, 'config', 'data-location.json'));
    const full = join(data.root, 'full');
    await mkdir(full);
    await writeFile(join(full, 'something.txt'), 'here first');
    const file = join(data.root, 'a-file');
    await writeFile(file, 'not a folder');

    expect((await refusal(() => desktop.move(join(dataDir, 'inner')))).reason?.code).toBe(
      'moveTargetOverlaps',
    );
    const notEmpty = await refusal(() => desktop.move(full));
    expect(notEmpty.reason).toEqual({ code: 'moveTargetNotEmpty', values: { path: full } });
    expect((await refusal(() => desktop.move(file))).reason).toEqual({
      code: 'moveTargetIsFile',
      values: { path: file },
    });

    const first = desktop.backup(join(data.root, 'first.hubdesk-backup'));
    const second = await refusal(() => desktop.backup(join(data.root, 'second.hubdesk-backup')));
    await first;
    expect(second.reason).toEqual({ code: 'dataOperationRunning', values: { operation: 'backup' } });
    await i18next.changeLanguage('zh-CN');
    expect(say(second)).toBe('数据文件夹的备份仍在进行中，请等它完成。');
    expect(say(notEmpty)).toBe(`该文件夹不是空的（${full}）：请选择空文件夹或新文件夹。`);
    await i18next.changeLanguage('vi');
    expect(say(second)).toBe('Thao tác sao lưu thư mục dữ liệu vẫn đang chạy; hãy đợi nó xong.');
  });

  it('a database copy that is missing or not a database is refused with a reason', async () => {
    const missing = join(data.root, 'gone.sqlite');
    expect((await refusal(() => checkCopy(missing, null))).reason).toEqual({
      code: 'copyMissing',
      values: { path: missing },
    });
    const text = join(data.root, 'text.sqlite');
    await writeFile(text, 'this is not a database at all, only words '.repeat(200));
    const unreadable = await refusal(() => checkCopy(text, null));
    expect(unreadable.reason?.code).toMatch(/^copy(DoesNotOpen|Damaged)$/);
    await i18next.changeLanguage('zh-CN');
    expect(say(unreadable)).toMatch(/^数据库副本/);
  });
});
