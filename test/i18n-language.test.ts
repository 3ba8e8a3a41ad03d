import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/main/core';
import { nodeSystemLanguages } from '../src/main/services/language-service';
import { type NoticeText, noticeText } from '../src/main/services/notices';
import { englishMenuLabels, menuLabels, menuTemplate } from '../src/main/shell/menu';
import type { EventPayload } from '../src/shared/contract';
import { type languages, resolveLanguage } from '../src/shared/i18n';
import { type FakeProxy, startFakeProxy } from './fake-proxy/index';
import { memoryKeytar } from './support/memory-keytar';
import { speechFile, waitForJob } from './support/transcription-media';

describe('choosing the UI language from the OS', () => {
  it('takes the first preferred language HubDesk speaks, any Chinese as Simplified, else English', () => {
    expect(resolveLanguage(['zh-Hans-CN', 'en-US'])).toBe('zh-CN');
    expect(resolveLanguage(['zh_TW.UTF-8'])).toBe('zh-CN');
    expect(resolveLanguage(['vi-VN'])).toBe('vi');
    expect(resolveLanguage(['fr-FR', 'de', 'vi'])).toBe('vi');
    expect(resolveLanguage(['en-GB', 'zh-CN'])).toBe('en');
    expect(resolveLanguage(['fr-FR'])).toBe('en');
    expect(resolveLanguage([])).toBe('en');
  });

  it('reads the POSIX locale variables under plain Node (LANGUAGE first), ignoring C and POSIX', () => {
    expect(nodeSystemLanguages({ LANGUAGE: 'vi:en', LANG: 'en_US.UTF-8' })).toEqual([
      'vi',
      'en',
      'en_US.UTF-8',
    ]);
    expect(resolveLanguage(nodeSystemLanguages({ LANG: 'zh_CN.UTF-8' }))).toBe('zh-CN');
    expect(nodeSystemLanguages({ LANG: 'C.UTF-8', LC_ALL: 'POSIX' })).toHaveLength(1);
  });
});

describe('the language setting, through the contract', () => {
  let dataDir: string;
  let system: string[] = ['vi-VN', 'en-US'];
  const open = () =>
    createCore({
      dataDir,
      env: {},
      keytar: memoryKeytar(),
      keychainService: 'HubDesk-test',
      systemLanguages: () => system,
    });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-language-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('follows the OS until the user chooses; the choice is kept across a restart and announced', async () => {
    let core = open();
    expect(await core.router.dispatch('language.get', {})).toEqual({
      ok: true,
      value: { setting: 'system', language: 'vi', system: ['vi-VN', 'en-US'] },
    });
    const announced: EventPayload<'language.changed'>[] = [];
    core.bus.subscribe((event, payload) => {
      if (event === 'language.changed') announced.push(payload as EventPayload<'language.changed'>);
    });
    const chosen = await core.router.dispatch('language.set', { setting: 'zh-CN' });
    expect(chosen).toMatchObject({ ok: true, value: { setting: 'zh-CN', language: 'zh-CN' } });
    expect(announced.map((state) => state.language)).toEqual(['zh-CN']);
    await core.close();

    system = ['en-US'];
    core = open();
    expect(core.language.state()).toMatchObject({ setting: 'zh-CN', language: 'zh-CN' });
    core.language.set('system');
    expect(core.language.state()).toMatchObject({ setting: 'system', language: 'en' });
    await core.close();
  });

  it('refuses a language HubDesk does not have, and changes nothing', async () => {
    const core = open();
    const before = core.language.state();
    const refused = await core.router.dispatch('language.set', { setting: 'fr' });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'setting' } });
    expect(core.language.state()).toEqual(before);
    await core.close();
  });
});

describe('the native menu in each language', () => {
  const labelsOf = (items: MenuItemConstructorOptions[]): string[] =>
    items.flatMap((item) => [
      ...(item.label ? [item.label] : []),
      ...(Array.isArray(item.submenu) ? labelsOf(item.submenu) : []),
    ]);
  const build = (language: (typeof languages)[number]) =>
    menuTemplate({
      platform: 'linux',
      appName: 'HubDesk',
      development: false,
      labels: menuLabels(language),
      actions: { command: () => {}, openExternal: () => {}, openDataFolder: () => {} },
    });

  it('labels every item of its own in the chosen language (roles are labelled by the OS)', () => {
    const english = labelsOf(build('en'));
    expect(english).toEqual(expect.arrayContaining(['File', 'New Chat', 'Keyboard Shortcuts', 'Usage']));
    for (const language of ['zh-CN', 'vi'] as const) {
      const labels = labelsOf(build(language));
      expect(labels).toHaveLength(english.length);
      const leftInEnglish = labels.filter((label) => Object.values(englishMenuLabels).includes(label));
      expect(leftInEnglish, language).toEqual([]);
    }
    expect(labelsOf(build('zh-CN'))).toContain('键盘快捷键');
    expect(labelsOf(build('vi'))).toContain('Phím tắt');
  });
});

describe('OS notifications in the UI language', () => {
  it('words each notice in each language', () => {
    const ready = { kind: 'video-ready', vendor: 'Sora', prompt: 'A calico cat playing a piano' } as const;
    expect(noticeText(ready, 'en')).toEqual({
      title: 'Sora video ready',
      body: 'A calico cat playing a piano',
    });
    expect(noticeText(ready, 'zh-CN').title).toBe('Sora 视频已生成');
    expect(noticeText(ready, 'vi').title).toBe('Video Sora đã sẵn sàng');
    const failed = {
      kind: 'video-ended',
      vendor: 'Kling',
      status: 'failed',
      prompt: 'x'.repeat(100),
      error: 'Refused.',
    } as const;
    expect(noticeText(failed, 'en')).toEqual({
      title: 'Kling video failed',
      body: `${'x'.repeat(77)}… — Refused.`,
    });
  });

  describe('a transcript that ends while the user is elsewhere', () => {
    let proxy: FakeProxy;
    let dataDir: string;
    let core: Core;
    const shown: NoticeText[] = [];

    beforeAll(async () => {
      proxy = await startFakeProxy({ speed: 50 });
      dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-notify-'));
      core = createCore({
        dataDir,
        env: {},
        keytar: memoryKeytar(),
        keychainService: 'HubDesk-test',
        systemLanguages: () => ['vi-VN'],
        notify: (notification) => shown.push(notification),
      });
      const profile = core.settings.activeProfile();
      core.settings.updateProfile(profile.id, { baseUrl: proxy.url });
      await core.settings.setToken(profile.id, proxy.token, 'session');
    });
    afterAll(async () => {
      await core?.close();
      await proxy?.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('is announced when done and when failed, in the language shown (Vietnamese here)', async () => {
      const options = { model: 'whisper-1', keepCopy: false } as const;
      const [good] = await core.transcription.add([await speechFile(dataDir, 'phong-van.wav')], options);
      expect((await waitForJob(core, good?.id ?? '')).state).toBe('done');
      expect(shown).toEqual([{ title: 'Bản chép lời đã sẵn sàng', body: 'phong-van.wav' }]);

      proxy.addFault({ match: '/v1/audio/transcriptions', fault: { type: 'status', status: 400 } });
      const [bad] = await core.transcription.add([await speechFile(dataDir, 'notes.wav')], options);
      expect((await waitForJob(core, bad?.id ?? '')).state).toBe('failed');
      expect(shown[1]?.title).toBe('Chép lời thất bại');
      expect(shown[1]?.body).toMatch(/^notes\.wav — /);
    });
  });
});
