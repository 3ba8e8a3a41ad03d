import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ChatHarness, startChatHarness } from './support/chat-core';

let h: ChatHarness;
beforeEach(async () => {
  h = await startChatHarness();
});
afterEach(async () => {
  await h.close();
});

describe('a default model per profile', () => {
  it('starts new conversations on that profile with it, and keeps it across a restart', async () => {
    const work = h.core.settings.activeProfile();
    expect(work.defaultModel).toBeNull();
    expect(h.core.chat.createConversation({}).model).toBe('gpt-4.1-mini');

    const saved = await h.core.router.dispatch('profiles.update', {
      id: work.id,
      patch: { defaultModel: 'claude-opus-4-6' },
    });
    expect(saved).toMatchObject({ ok: true, value: { id: work.id, defaultModel: 'claude-opus-4-6' } });
    const created = h.core.chat.createConversation({});
    // The model's own API comes with it: Claude speaks Claude Messages.
    expect(created).toMatchObject({ model: 'claude-opus-4-6', api: 'claude-messages' });
    // A model asked for by name still wins.
    expect(h.core.chat.createConversation({ model: 'gpt-4o' }).model).toBe('gpt-4o');

    const core = await h.reopen();
    expect(core.settings.activeProfile().defaultModel).toBe('claude-opus-4-6');
    expect(core.chat.createConversation({}).model).toBe('claude-opus-4-6');
  });

  it('belongs to one profile: another profile starts with its own, or with HubDesk’s default', async () => {
    const first = h.core.settings.activeProfile();
    h.core.settings.updateProfile(first.id, { defaultModel: 'gemini-2.5-pro' });
    const second = h.core.settings.createProfile({ name: 'Home', baseUrl: h.proxy.url });
    h.core.settings.setActive(second.id);
    expect(h.core.chat.createConversation({}).model).toBe('gpt-4.1-mini');

    h.core.settings.updateProfile(second.id, { defaultModel: 'my-own-model' });
    expect(h.core.chat.createConversation({}).model).toBe('my-own-model');
    h.core.settings.setActive(first.id);
    expect(h.core.chat.createConversation({}).model).toBe('gemini-2.5-pro');

    const listed = h.core.settings.listProfiles().profiles.map((p) => [p.name, p.defaultModel]);
    expect(listed).toEqual([
      [first.name, 'gemini-2.5-pro'],
      ['Home', 'my-own-model'],
    ]);
  });

  it('is cleared with null, refused when empty, and goes with a deleted profile', async () => {
    const first = h.core.settings.activeProfile();
    h.core.settings.updateProfile(first.id, { defaultModel: 'o3' });
    expect(
      await h.core.router.dispatch('profiles.update', { id: first.id, patch: { defaultModel: '  ' } }),
    ).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
    expect(h.core.settings.activeProfile().defaultModel).toBe('o3');
    h.core.settings.updateProfile(first.id, { defaultModel: null });
    expect(h.core.settings.activeProfile().defaultModel).toBeNull();
    expect(h.core.chat.createConversation({}).model).toBe('gpt-4.1-mini');

    const other = h.core.settings.createProfile({ name: 'Other', baseUrl: h.proxy.url });
    h.core.settings.updateProfile(other.id, { defaultModel: 'o3' });
    await h.core.settings.deleteProfile(other.id);
    const stored = h.core.db
      .prepare("SELECT value FROM settings WHERE key = 'profiles.defaultModels'")
      .get() as {
      value: string;
    };
    expect(JSON.parse(stored.value)).toEqual({});
  });
});
