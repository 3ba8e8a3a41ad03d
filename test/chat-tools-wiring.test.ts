/**
 * The chat's tool loop finds its providers where the user put them: HubDesk's own data (`hubdesk`) and an MCP
 * server added in Settings → Tools, started for real, with "run without asking" honoured under the `ask` policy.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ChatHarness, startChatHarness } from './support/chat-core';
import { binDir } from './support/mcp';

let h: ChatHarness;
beforeEach(async () => {
  h = await startChatHarness();
});
afterEach(async () => {
  await h.close();
});

function chatOffering(toolServers: string[], toolApproval: 'auto' | 'ask') {
  const chat = h.core.chat.createConversation({ model: 'gpt-4o', api: 'openai-chat' });
  return h.core.chat.updateConversation(chat.id, { params: { toolServers, toolApproval } });
}

describe('tools a chat offers', () => {
  it("HubDesk's own data: the model's call reaches the built-in provider, which answers what was wrong", async () => {
    const chat = chatOffering(['hubdesk'], 'auto');
    const started = await h.core.chat.send({
      conversationId: chat.id,
      text: 'What is the weather in Paris?',
    });
    const final = await h.core.chat.whenDone(started.streamId);

    expect(final.status).toBe('complete');
    const call = final.toolCalls[0];
    expect(call).toMatchObject({ server: 'hubdesk', tool: 'search_library', approval: 'auto' });
    // The fake model sends {city, unit}; the tool says, in words the model can use, what it needs instead.
    expect(call?.result?.isError).toBe(true);
    expect(JSON.stringify(call?.result?.content)).toMatch(/query/);
  });

  it('an MCP server by its name, started for real; a tool set to run without asking runs under "ask"', async () => {
    const added = await h.core.router.dispatch('tools.addServer', {
      name: 'everything',
      // Node by its path: the chat harness's core runs with a bare environment (no PATH for the bin's shebang).
      transport: { type: 'stdio', command: process.execPath, args: [join(binDir, 'mcp-server-everything')] },
    });
    expect(added).toMatchObject({ ok: true, value: { status: 'stopped' } });
    const ready = await h.core.router.dispatch('tools.restart', { name: 'everything' });
    expect(ready, JSON.stringify(ready)).toMatchObject({ ok: true, value: { status: 'ready' } });
    const tools = (ready as { value: { tools: { name: string }[] } }).value.tools;
    const first = tools[0]?.name;
    expect(first).toBeTruthy();
    expect(
      await h.core.router.dispatch('tools.setAutoApprove', { name: 'everything', tool: first, auto: true }),
    ).toMatchObject({ ok: true });

    // Nobody is there to ask: without the per-tool choice the call would be denied.
    const chat = chatOffering(['everything'], 'ask');
    const started = await h.core.chat.send({
      conversationId: chat.id,
      text: 'What is the weather in Paris?',
    });
    const final = await h.core.chat.whenDone(started.streamId);

    expect(final.status).toBe('complete');
    const call = final.toolCalls[0];
    expect(call).toMatchObject({ server: 'everything', tool: first, status: 'done' });
    expect(call?.approval).not.toBe('denied');
    expect(call?.result).toBeDefined();
  });

  it('a server the chat names but nobody added ends the reply with a message that says so', async () => {
    const chat = chatOffering(['nowhere'], 'auto');
    const started = await h.core.chat.send({
      conversationId: chat.id,
      text: 'What is the weather in Paris?',
    });
    const final = await h.core.chat.whenDone(started.streamId);
    expect(final.status).not.toBe('complete');
    expect(final.error?.message).toMatch(/"nowhere"/);
  });
});
