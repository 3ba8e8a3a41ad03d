/**
 * Run in a child process by test/chat-crash-after-send.test.ts: opens a data folder as the app does, sends a prompt
 * to the proxy at <baseUrl>, and kills itself (SIGKILL) at the named moment: `sent` (chat.send has returned) or
 * `streaming` (the first piece of the reply has arrived).
 *
 *   node --import tsx test/support/send-child.ts <dataDir> <baseUrl> <token> <sent|streaming> <prompt>
 */
import { createCore } from '../../src/main/core';
import { memoryKeytar } from './memory-keytar';

const [dataDir, baseUrl, token, moment, prompt] = process.argv.slice(2);
if (!dataDir || !baseUrl || !token || !prompt || (moment !== 'sent' && moment !== 'streaming')) {
  throw new Error('usage: <dataDir> <baseUrl> <token> <sent|streaming> <prompt>');
}
const core = createCore({ dataDir, env: {}, keytar: memoryKeytar(), keychainService: 'HubDesk-test' });
const profile = core.settings.activeProfile();
core.settings.updateProfile(profile.id, { baseUrl });
await core.settings.setToken(profile.id, token, 'session');
const conversation = core.chat.createConversation({ model: 'gpt-4o' });
if (moment === 'streaming') {
  core.bus.subscribe((event) => {
    if (event === 'chat.delta') process.kill(process.pid, 'SIGKILL');
  });
}
await core.chat.send({ conversationId: conversation.id, text: prompt });
if (moment === 'sent') process.kill(process.pid, 'SIGKILL');
