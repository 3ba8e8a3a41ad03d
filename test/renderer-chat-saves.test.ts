/**
 * The chat settings panel's two writers of a conversation's params (parameters saved after a pause, the tools
 * picker saved at once), racing against the real router: built from what the previous save left, neither undoes
 * the other.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/main/core';
import {
  ConversationSaves,
  TOOL_SETTING_KEYS,
  withGenerationParams,
  withParamKeys,
} from '../src/renderer/src/chat/conversation-saves';
import type { Conversation } from '../src/shared/chat';
import type { ChatParams } from '../src/shared/chat-params';
import { memoryKeytar } from './support/memory-keytar';

let dataDir: string;
let core: Core;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-chat-saves-'));
  core = createCore({ dataDir, env: {}, keytar: memoryKeytar(), keychainService: 'HubDesk-test' });
});
afterEach(async () => {
  await core.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function update(id: string, patch: { params: ChatParams }): Promise<Conversation> {
  const result = await core.router.dispatch('conversations.update', { id, patch });
  if (!result.ok) throw new Error(result.error.message);
  return result.value as Conversation;
}

async function stored(id: string): Promise<ChatParams> {
  const result = await core.router.dispatch('conversations.open', { id });
  if (!result.ok) throw new Error(result.error.message);
  return (result.value as { conversation: Conversation }).conversation.params;
}

describe('saving a chat’s settings from two places at once', () => {
  it('whole params from each writer: the later save undoes the other (the race this fixes)', async () => {
    const shown = core.chat.createConversation({});
    const typed: ChatParams = { ...shown.params, temperature: 0.4 };
    const ticked: ChatParams = { ...shown.params, toolServers: ['hubdesk'] };
    await Promise.all([update(shown.id, { params: typed }), update(shown.id, { params: ticked })]);
    expect(await stored(shown.id)).toEqual({ toolServers: ['hubdesk'] });
  });

  it('each writer’s own keys, one save after the other: both changes are kept, in either order', async () => {
    for (const order of ['params first', 'tools first'] as const) {
      const shown = core.chat.createConversation({});
      await update(shown.id, { params: { toolApproval: 'auto', topP: 0.9 } });
      const stale = { ...shown, params: {} };
      const saves = new ConversationSaves(stale, (id, patch) => update(id, patch as { params: ChatParams }));
      // Both writers built their params from the stale copy the panel showed.
      const typed: ChatParams = { ...stale.params, temperature: 0.4, topP: 0.9 };
      const ticked: ChatParams = { ...stale.params, toolServers: ['hubdesk'], toolApproval: 'auto' };
      const saveParams = () =>
        saves.save((current) => ({ params: withGenerationParams(current.params, typed) }));
      const saveTools = () =>
        saves.save((current) => ({ params: withParamKeys(current.params, ticked, TOOL_SETTING_KEYS) }));
      await Promise.all(order === 'params first' ? [saveParams(), saveTools()] : [saveTools(), saveParams()]);
      expect(await stored(shown.id), order).toEqual({
        temperature: 0.4,
        topP: 0.9,
        toolServers: ['hubdesk'],
        toolApproval: 'auto',
      });
    }
  });

  it('a save that fails does not stop the ones after it', async () => {
    const shown = core.chat.createConversation({});
    const saves = new ConversationSaves(shown, (id, patch) => update(id, patch as { params: ChatParams }));
    const bad = saves.save(() => ({ params: { temperature: 9 } }));
    const good = saves.save((current) => ({
      params: withParamKeys(current.params, { toolServers: ['hubdesk'] }, TOOL_SETTING_KEYS),
    }));
    await expect(bad).rejects.toThrow();
    await expect(good).resolves.toMatchObject({ params: { toolServers: ['hubdesk'] } });
  });
});
