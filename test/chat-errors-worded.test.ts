/**
 * Refusals of chat, profiles and search carry a reason (issue 18): main keeps its English message for the CLI and
 * the log, and the window words the code and values in its language. Through the real services on temp cores.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HubError } from '../src/main/base/errors';
import type { Core } from '../src/main/core';
import { reasonText } from '../src/renderer/src/hub';
import { i18next } from '../src/renderer/src/i18n';
import type { AppError } from '../src/shared/errors';
import { tempCoresPerTest } from './support/temp-cores';

const cores = tempCoresPerTest();

afterEach(async () => {
  await i18next.changeLanguage('en');
});

async function newCore(): Promise<Core> {
  return cores.openCore(await cores.tempDir('hubdesk-errors-worded-'));
}

/** The error a call throws (or rejects with), as the window receives it. */
async function refusalOf(action: () => unknown): Promise<AppError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof HubError) return error.info;
    throw error;
  }
  throw new Error('the call was not refused');
}

/** The error in the window's words in `language`. */
async function wordedIn(language: string, error: AppError): Promise<string> {
  await i18next.changeLanguage(language);
  return reasonText(error.reason, error.message);
}

const pixel = {
  name: 'dot.png',
  mimeType: 'image/png' as const,
  dataBase64:
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
};

describe('chat refusals carry a reason the window words', () => {
  it('refuses an empty message and images for a model without vision, in the window’s language', async () => {
    const core = await newCore();
    const chat = core.chat.createConversation({ model: 'gpt-3.5-turbo' });

    const empty = await refusalOf(() => core.chat.send({ conversationId: chat.id, text: '   ' }));
    expect(empty).toMatchObject({ message: 'Write a message first.', field: 'text' });
    expect(empty.reason).toEqual({ code: 'chatEmpty', values: {} });
    expect(await wordedIn('vi', empty)).toBe('Hãy viết tin nhắn trước.');

    const image = await refusalOf(() =>
      core.chat.send({ conversationId: chat.id, text: 'What is this?', images: [pixel] }),
    );
    expect(image.message).toBe(
      'GPT-3.5 Turbo does not accept images. Pick a vision model or remove the images.',
    );
    expect(image.reason).toEqual({ code: 'chatNoVision', values: { model: 'GPT-3.5 Turbo' } });
    expect(await wordedIn('zh-CN', image)).toBe(
      'GPT-3.5 Turbo 不接受图片。请选择可读取图片的模型，或移除图片。',
    );
    expect(await wordedIn('en', image)).toBe(image.message);
    // Nothing of the refused message was stored.
    expect(core.chat.open(chat.id).messages).toEqual([]);
  });

  it('names a conversation, message, edit or source that is gone, without ids in the words', async () => {
    const core = await newCore();
    const chat = core.chat.createConversation({ model: 'gpt-4o' });

    const conversation = await refusalOf(() => core.chat.send({ conversationId: 'gone', text: 'Hi' }));
    expect(conversation.reason).toEqual({ code: 'chatConversationGone', values: {} });
    const regenerate = await refusalOf(() =>
      core.chat.regenerate({ conversationId: chat.id, messageId: 'gone' }),
    );
    expect(regenerate.reason).toEqual({ code: 'chatMessageGone', values: {} });
    const edit = await refusalOf(() =>
      core.chat.send({ conversationId: chat.id, text: 'Hi', editOf: 'gone' }),
    );
    expect(edit.reason).toEqual({ code: 'chatEditGone', values: {} });
    const source = await refusalOf(() => core.chat.openSource('gone', 3, async () => ({ opened: true })));
    expect(source).toMatchObject({ message: 'That reply has no source [3].' });
    expect(source.reason).toEqual({ code: 'chatNoSource', values: { n: 3 } });
    expect(await wordedIn('vi', source)).toBe('Câu trả lời đó không có nguồn [3].');
    const branch = await refusalOf(() => core.chat.selectBranch(chat.id, 'gone'));
    expect(branch.reason?.code).toBe('chatMessageGone');
    expect(await wordedIn('zh-CN', branch)).toBe('该消息不在此对话中。');
  });

  it('says which chat parameter is out of range by its name in the window’s language', async () => {
    const core = await newCore();
    // Claude's Messages API takes a temperature up to 1, where OpenAI's takes up to 2.
    const chat = core.chat.createConversation({ model: 'claude-opus-4-6' });
    core.chat.updateConversation(chat.id, { params: { temperature: 1.5 } });

    const refused = await refusalOf(() => core.chat.send({ conversationId: chat.id, text: 'Hi' }));
    expect(refused).toMatchObject({ kind: 'invalid_input', field: 'params' });
    expect(refused.reason).toEqual({
      code: 'chatParamRange',
      values: { param: 'temperature', min: 0, max: 1 },
    });
    const label = (language: string) =>
      i18next.getFixedT(language, 'chat')('params.temperature.label') as string;
    expect(await wordedIn('zh-CN', refused)).toBe(
      `${label('zh-CN')} 必须介于 0 和 1 之间。请在对话设置中修改。`,
    );
    expect(label('zh-CN')).not.toBe(label('en'));
  });

  it('refuses a document whose text left the library, and a file that is not an export', async () => {
    const core = await newCore();
    const chat = core.chat.createConversation({ model: 'gpt-4o' });
    const reading = await core.chat.readDocument({
      name: 'notes.txt',
      dataBase64: Buffer.from('Apricots ripen in June.').toString('base64'),
    });
    if (!reading.ok) throw new Error('the document was not read');
    await rm(join(core.paths.libraryDir, reading.document.path));

    const gone = await refusalOf(() =>
      core.chat.send({ conversationId: chat.id, text: 'Summarise', documents: [reading.document] }),
    );
    expect(gone.reason).toEqual({ code: 'chatDocumentGone', values: { name: 'notes.txt' } });
    expect(await wordedIn('vi', gone)).toBe(
      'Nội dung của notes.txt không còn nữa. Hãy bỏ tệp này ra rồi thêm lại.',
    );

    const notJson = await refusalOf(() => core.chat.importConversation('hello'));
    expect(notJson.reason).toEqual({ code: 'chatExportNotJson', values: {} });
    const other = await refusalOf(() => core.chat.importConversation('{"name":"a list"}'));
    expect(other.reason).toEqual({ code: 'chatNotAnExport', values: {} });
    const newer = await refusalOf(() =>
      core.chat.importConversation(JSON.stringify({ format: 'hubdesk.conversation', version: 9 })),
    );
    expect(newer.reason).toEqual({ code: 'chatExportNewer', values: { version: 9, supported: 1 } });
    const damaged = await refusalOf(() =>
      core.chat.importConversation(JSON.stringify({ format: 'hubdesk.conversation', version: 1 })),
    );
    expect(damaged.message).toMatch(/^The conversation export is damaged: /);
    expect(damaged.reason).toEqual({ code: 'chatExportDamaged', values: {} });
    expect(await wordedIn('zh-CN', damaged)).toBe('对话导出文件已损坏，因此未导入任何内容。');
  });
});

describe('profile and search refusals carry a reason the window words', () => {
  it('refuses deleting the last profile, a profile that is gone, and a token sent to a new address', async () => {
    const core = await newCore();
    const only = core.settings.activeProfile();

    const last = await refusalOf(() => core.settings.deleteProfile(only.id));
    expect(last.reason).toEqual({ code: 'profileLast', values: {} });
    expect(await wordedIn('vi', last)).toBe('Không thể xóa hồ sơ cuối cùng. Hãy thêm một hồ sơ khác trước.');
    const gone = await refusalOf(() => core.settings.deleteProfile('gone'));
    expect(gone.reason).toEqual({ code: 'profileGone', values: {} });
    const setActive = await refusalOf(() => core.settings.setActive('gone'));
    expect(setActive.reason).toEqual({ code: 'profileGone', values: {} });

    await core.settings.setToken(only.id, 'sk-test-token-0000000000', 'session');
    const moved = await refusalOf(() =>
      core.settings.updateProfileFromWindow(only.id, { baseUrl: 'https://elsewhere.example/v1' }),
    );
    expect(moved.reason).toEqual({
      code: 'profileTokenToNewOrigin',
      values: { origin: 'https://elsewhere.example' },
    });
    expect(await wordedIn('zh-CN', moved)).toBe(
      '此配置已有 API 令牌，将 https://elsewhere.example 保存为基础 URL 会把令牌发送到那里。请先确认新地址。',
    );
  });

  it('refuses a dimensions setting the model does not take, and related conversations of a message that is gone', async () => {
    const core = await newCore();
    const dimensions = await refusalOf(() =>
      core.search.rebuild({ model: 'text-embedding-ada-002', dimensions: 256 }),
    );
    expect(dimensions).toMatchObject({ field: 'dimensions' });
    expect(dimensions.reason).toEqual({
      code: 'embeddingDimensions',
      values: { model: 'text-embedding-ada-002' },
    });
    expect(await wordedIn('vi', dimensions)).toBe(
      'text-embedding-ada-002 không nhận thiết lập số chiều; chỉ các mô hình text-embedding-3 mới có thiết lập này.',
    );
    const related = await refusalOf(() => core.search.related({ messageId: 'gone', limit: 5 }));
    expect(related.reason).toEqual({ code: 'messageGone', values: {} });
    expect(await wordedIn('zh-CN', related)).toBe('该消息已不存在。');
  });
});
