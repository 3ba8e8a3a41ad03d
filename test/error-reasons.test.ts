import { afterEach, describe, expect, it } from 'vitest';
import { httpErrorToAppError, klingEnvelopeError } from '../src/main/api/errors';
import { fileReasons, networkReasons, toAppError } from '../src/main/base/errors';
import { keychainFailure } from '../src/main/secrets/token-store';
import { noticeText } from '../src/main/services/notices';
import { mcpFailure, timeoutError } from '../src/main/services/tools/mcp-failure';
import { reasonText } from '../src/renderer/src/hub';
import { i18next } from '../src/renderer/src/i18n';
import {
  decodeStoredError,
  type ErrorReason,
  encodeStoredError,
  hubReasonCodes,
  keychainActions,
  statusReasonCode,
  transcriptionReasonCodes,
} from '../src/shared/error-reasons';
import type { AppError } from '../src/shared/errors';
import { languages } from '../src/shared/i18n';
import { resources } from '../src/shared/locales';
import { readMcpServersJson } from '../src/shared/mcp-import';

type Tree = { [key: string]: string | Tree };

function textAt(language: (typeof languages)[number], namespace: string, key: string): unknown {
  let node: unknown = (resources[language] as Record<string, unknown>)[namespace];
  for (const part of key.split('.')) node = (node as Tree | undefined)?.[part];
  return node;
}

const statuses = [
  400, 401, 403, 404, 407, 408, 409, 410, 413, 416, 422, 429, 502, 503, 504, 529, 418, 500, 302,
];

describe('error reasons are worded in every language', () => {
  it('has a sentence for each of HubDesk’s codes, and transcription’s, in en, vi and zh-CN', () => {
    const missing: string[] = [];
    for (const language of languages) {
      for (const code of hubReasonCodes)
        if (typeof textAt(language, 'errors', `reasons.${code}`) !== 'string')
          missing.push(`${language}:${code}`);
      for (const code of transcriptionReasonCodes)
        if (typeof textAt(language, 'transcribe', `reasons.${code}`) !== 'string')
          missing.push(`${language}:transcribe:${code}`);
    }
    expect(missing).toEqual([]);
  });

  it('words every system cause main names (network and disk) and every keychain action', () => {
    const missing: string[] = [];
    for (const language of languages) {
      for (const cause of [...Object.keys(networkReasons), ...Object.keys(fileReasons)])
        if (typeof textAt(language, 'errors', `causes.${cause}`) !== 'string')
          missing.push(`${language}:${cause}`);
      for (const action of keychainActions)
        if (typeof textAt(language, 'errors', `keychainActions.${action}`) !== 'string')
          missing.push(`${language}:${action}`);
    }
    expect(missing).toEqual([]);
  });

  it('says in English in the window what main says in English for each HTTP status (one sentence, two places)', () => {
    for (const status of statuses) {
      const info = httpErrorToAppError({ status, headers: {}, bodyText: '', family: 'openai' });
      expect(info.reason).toEqual({ code: statusReasonCode(status), values: { status } });
      expect(reasonText(info.reason, 'unused')).toBe(info.message);
    }
  });
});

/** Errors as main makes them, each with its reason. */
function mainErrors(): AppError[] {
  const refused = httpErrorToAppError({
    status: 401,
    headers: {},
    bodyText: JSON.stringify({ error: { message: 'invalid api key', type: 'invalid_request_error' } }),
    family: 'openai',
  });
  const network = toAppError(Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
  const disk = toAppError(
    Object.assign(new Error('ENOSPC'), { code: 'ENOSPC', syscall: 'write', path: '/data/hubdesk.db' }),
  );
  const keychain = keychainFailure(new Error('Cannot create an item in a locked collection'), 'storeToken');
  const kling = klingEnvelopeError({ code: 1102, message: 'balance not enough', request_id: 'r1' });
  return [refused, network, disk, { kind: 'keychain_unavailable', ...keychain }, kling as AppError];
}

describe('main sends codes, the window words them', () => {
  afterEach(async () => {
    await i18next.changeLanguage('en');
  });

  it('gives each error main makes a reason with the values its sentence needs', () => {
    const [refused, network, disk, keychain, kling] = mainErrors();
    expect(refused).toMatchObject({
      kind: 'auth',
      message: 'The proxy refused the API token (401): invalid api key',
      providerMessage: 'invalid api key',
      reason: { code: 'http401', values: { status: 401 } },
    });
    expect(network?.reason).toEqual({ code: 'unreachable', values: { cause: 'ECONNREFUSED' } });
    expect(disk).toMatchObject({
      kind: 'file',
      reason: { code: 'fileFailedAt', values: { cause: 'ENOSPC', path: '/data/hubdesk.db' } },
    });
    expect(keychain?.reason).toEqual({
      code: 'keychainLocked',
      values: { action: 'storeToken', detail: 'Cannot create an item in a locked collection' },
    });
    expect(kling?.reason).toEqual({ code: 'klingRejected', values: { code: 1102 } });
  });

  it('words an MCP server that times out or cannot be reached, naming it, with its stderr kept out of the headline', async () => {
    const context = { tail: ['Error: boom'], secrets: [], timeoutMs: 5000 };
    const slow = timeoutError('files', 'connect', 5000, context.tail).info;
    const gone = mcpFailure('files', 'list', new Error('spawn ENOENT'), context).info;
    expect(slow.message).toContain('Last lines of its stderr: Error: boom');
    await i18next.changeLanguage('zh-CN');
    try {
      expect(reasonText(slow.reason, slow.message)).toBe('MCP 服务器“files”未在 5000 毫秒内启动并应答。');
      expect(reasonText(gone.reason, gone.message)).toBe('MCP 服务器“files”列出工具失败：spawn ENOENT');
    } finally {
      await i18next.changeLanguage('en');
    }
  });

  it('words them in Chinese and Vietnamese, with the values in place and the causes worded too', async () => {
    const [refused, network, disk, keychain, kling] = mainErrors() as [
      AppError,
      AppError,
      AppError,
      AppError,
      AppError,
    ];
    const say = (error: AppError) => reasonText(error.reason, error.message);

    await i18next.changeLanguage('zh-CN');
    expect(say(refused)).toBe('代理拒绝了 API 令牌（401）。');
    expect(say(network)).toBe('无法连接到代理：连接被拒绝。');
    expect(say(disk)).toBe('无法使用本机上的文件：磁盘已满（/data/hubdesk.db）。');
    expect(say(keychain)).toContain('HubDesk 尝试保存令牌时，系统钥匙串已锁定或拒绝访问');
    expect(say(kling)).toBe('Kling 拒绝了该请求（代码 1102）。');

    await i18next.changeLanguage('vi');
    expect(say(refused)).toBe('Proxy đã từ chối token API (401).');
    expect(say(network)).toBe('Không kết nối được tới proxy: kết nối bị từ chối.');
    expect(say(disk)).toBe('Không dùng được một tệp trên máy này: ổ đĩa đã đầy (/data/hubdesk.db).');
    expect(say(keychain)).toContain('khi HubDesk cố lưu token');
  });

  it('falls back to main’s English for a reason the window does not know, and for none', async () => {
    await i18next.changeLanguage('zh-CN');
    const unknown = { code: 'fromANewerHubDesk', values: {} } as unknown as ErrorReason;
    expect(reasonText(unknown, 'Something new went wrong.')).toBe('Something new went wrong.');
    expect(reasonText(undefined, 'The MCP server "files" failed to start.')).toBe(
      'The MCP server "files" failed to start.',
    );
    // A system code the window has no words for is shown as it is.
    const odd = toAppError(Object.assign(new Error('x'), { code: 'EWEIRDTHING' }));
    expect(reasonText(odd.reason, odd.message)).toBe('无法连接到代理（EWEIRDTHING）。');
  });
});

describe('errors kept in a text column', () => {
  it('keep the English message and the reason, and read rows from before reasons as their message', () => {
    const stored = encodeStoredError('The file holds no text.', { code: 'kbNoText', values: {} });
    expect(decodeStoredError(stored)).toEqual({
      message: 'The file holds no text.',
      reason: { code: 'kbNoText', values: {} },
    });
    expect(decodeStoredError('The file could not be read: EACCES')).toEqual({
      message: 'The file could not be read: EACCES',
    });
    expect(decodeStoredError('{not json at all')).toEqual({ message: '{not json at all' });
    expect(decodeStoredError('{"other":"shape"}')).toEqual({ message: '{"other":"shape"}' });
  });
});

describe('pasted MCP servers JSON', () => {
  it('is refused with a code the window words, and a schema refusal with its input issue', () => {
    expect(readMcpServersJson('{ nope')).toMatchObject({
      ok: false,
      field: 'json',
      reason: { code: 'mcpNotJson' },
    });
    expect(readMcpServersJson('[]')).toMatchObject({ reason: { code: 'mcpNoServers', values: {} } });
    expect(readMcpServersJson('{"mcpServers":{"x":1}}')).toMatchObject({
      field: 'mcpServers.x',
      reason: { code: 'mcpEntryNotObject', values: { field: 'mcpServers.x' } },
    });
    expect(readMcpServersJson('{"mcpServers":{"x":{}}}')).toMatchObject({
      reason: { code: 'mcpEntryNeedsCommand', values: { field: 'mcpServers.x' } },
    });
    const refused = readMcpServersJson('{"mcpServers":{"x":{"command":""}}}');
    expect(refused).toMatchObject({ ok: false, field: 'mcpServers.x.command', input: { code: 'required' } });
  });
});

describe('OS notifications made in main', () => {
  it('word an error’s reason in the UI language, and keep main’s words for an error without one', () => {
    const refused = httpErrorToAppError({ status: 401, headers: {}, bodyText: '', family: 'kling' });
    const notice = {
      kind: 'video-refused' as const,
      error: refused.message,
      ...(refused.reason ? { reason: refused.reason } : {}),
    };
    expect(noticeText(notice, 'zh-CN').body).toBe('代理拒绝了 API 令牌（401）。');
    expect(noticeText(notice, 'vi').body).toBe('Proxy đã từ chối token API (401).');
    expect(noticeText(notice, 'en').body).toBe(refused.message);
    const notAudio = noticeText(
      {
        kind: 'transcript-failed',
        fileName: 'notaudio.mp3',
        error:
          '“notaudio.mp3” is not an audio or video file (its content is a PNG image), so it was not uploaded.',
        reason: { code: 'notAudio', values: { name: 'notaudio.mp3', content: 'png' } },
      },
      'zh-CN',
    );
    expect(notAudio.body).toBe(
      'notaudio.mp3 — “notaudio.mp3”不是音频或视频文件（其内容是PNG 图片），因此没有上传。',
    );
    expect(noticeText({ kind: 'video-refused', error: 'Vendor words.' }, 'vi').body).toBe('Vendor words.');
  });
});
