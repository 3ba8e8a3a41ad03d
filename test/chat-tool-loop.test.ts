// Over 400 lines: the same loop cases run through a real core for each of the six family routes, plus approval and faults.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/main/core';
import type { ToolProvider } from '../src/main/services/tools/tool-provider';
import type { ChatParams } from '../src/shared/chat-params';
import type { ChatApi } from '../src/shared/models';
import { type ChatHarness, startChatHarness } from './support/chat-core';
import { FolderTools } from './support/file-tools';
import { memoryKeytar } from './support/memory-keytar';

let h: ChatHarness;
let dir: string;
beforeEach(async () => {
  h = await startChatHarness();
  dir = await mkdtemp(join(tmpdir(), 'hubdesk-tools-'));
  await writeFile(
    join(dir, 'forecasts.json'),
    JSON.stringify({ Paris: 'sunny', Tokyo: 'rain', Oslo: 'snow', Lima: 'fog' }),
  );
  await writeFile(join(dir, 'clock.txt'), '12:00 UTC\n');
  registerTools(h.core);
});
afterEach(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

function registerTools(core: Core): void {
  core.toolRegistry.register(new FolderTools('files', dir));
  core.toolRegistry.register(new FolderTools('slow', dir, { waitForFile: 'go' }));
}

const families: { label: string; model: string; api: ChatApi; path: string }[] = [
  { label: 'OpenAI chat', model: 'gpt-4o', api: 'openai-chat', path: '/v1/chat/completions' },
  { label: 'Responses', model: 'gpt-4o', api: 'openai-responses', path: '/v1/responses' },
  {
    label: 'Claude Messages',
    model: 'claude-sonnet-4-5-20250929',
    api: 'claude-messages',
    path: '/v1/messages',
  },
  { label: 'Gemini', model: 'gemini-2.5-pro', api: 'gemini', path: '/v1beta/models/' },
  {
    label: 'Claude through chat completions',
    model: 'claude-sonnet-4-5-20250929',
    api: 'openai-chat',
    path: '/v1/chat/completions',
  },
  {
    label: 'DeepSeek through chat completions',
    model: 'deepseek-chat',
    api: 'openai-chat',
    path: '/v1/chat/completions',
  },
];

function chatWith(core: Core, family: { model: string; api: ChatApi }, params: ChatParams) {
  const chat = core.chat.createConversation({ model: family.model, api: family.api });
  return core.chat.updateConversation(chat.id, { params });
}

const modelRequests = (path: string) => h.proxy.requests.filter((request) => request.path.startsWith(path));

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(families)('tool loop: $label', (family) => {
  it('runs parallel calls (one without arguments), answers with their results, and keeps them after a restart', async () => {
    const chat = chatWith(h.core, family, { toolServers: ['files'], toolApproval: 'auto' });
    const started = await h.core.chat.send({
      conversationId: chat.id,
      text: 'What is the weather in Paris and Tokyo, and what time is it?',
    });
    const final = await h.core.chat.whenDone(started.streamId);

    expect(final.status).toBe('complete');
    expect(final.finishReason).toBe('stop');
    expect(final.text).toContain('Tool result:');
    for (const part of ['Paris: sunny', 'Tokyo: rain', '12:00 UTC']) expect(final.text).toContain(part);
    expect(
      final.toolCalls.map((call) => [
        call.name,
        call.tool,
        call.server,
        call.status,
        call.step,
        call.approval,
      ]),
    ).toEqual([
      ['files__get_weather', 'get_weather', 'files', 'done', 0, 'auto'],
      ['files__get_weather', 'get_weather', 'files', 'done', 0, 'auto'],
      ['files__current_time', 'current_time', 'files', 'done', 0, 'auto'],
    ]);
    expect(final.toolCalls.map((call) => JSON.parse(call.arguments || '{}'))).toEqual([
      { city: 'Paris', unit: 'celsius' },
      { city: 'Tokyo', unit: 'celsius' },
      {},
    ]);
    expect(final.toolCalls[2]?.result).toEqual({
      content: [{ type: 'text', text: '12:00 UTC' }],
      isError: false,
    });
    expect(new Set(final.toolCalls.map((call) => call.id)).size).toBe(3);
    expect(modelRequests(family.path)).toHaveLength(2);
    if (family.api === 'gemini') {
      // A thinking model's signed call goes back with its signature.
      const second = modelRequests(family.path)[1]?.json as {
        contents: { parts: Record<string, unknown>[] }[];
      };
      const callParts = second.contents
        .flatMap((content) => content.parts)
        .filter((part) => part.functionCall);
      expect(callParts.map((part) => part.thoughtSignature)).toEqual([
        Buffer.from('sig:files__get_weather').toString('base64'),
        undefined,
        undefined,
      ]);
    }

    // The window's deltas carry each call's status and result, typed by the contract (pacing may merge `running`
    // into `done` here; the Stop test sees `running`).
    const lastCalls = h
      .eventsOf('chat.delta')
      .filter((delta) => delta.streamId === started.streamId && delta.toolCalls)
      .at(-1)?.toolCalls;
    expect(lastCalls?.map((call) => call.status)).toEqual(['done', 'done', 'done']);
    expect(lastCalls?.[0]?.result?.content).toEqual([{ type: 'text', text: 'Paris: sunny' }]);

    const core = await h.reopen();
    registerTools(core);
    const reopened = core.chat.open(chat.id).messages.find((message) => message.id === final.id);
    expect(reopened?.toolCalls).toEqual(final.toolCalls);
    expect(reopened?.text).toBe(final.text);

    // Sent back, each result follows its call: the fake proxy answers 400 like the real API otherwise.
    const next = await core.chat.send({ conversationId: chat.id, text: 'Thanks' });
    const answer = await core.chat.whenDone(next.streamId);
    expect(answer).toMatchObject({ status: 'complete', text: 'Echo: Thanks' });
  });

  it('stops the running tool and the loop on Stop; the call is kept as cancelled and the chat goes on', async () => {
    const chat = chatWith(h.core, family, { toolServers: ['slow'], toolApproval: 'auto' });
    const started = await h.core.chat.send({ conversationId: chat.id, text: 'What is the weather in Oslo?' });
    await until(() =>
      h.eventsOf('chat.delta').some((delta) => delta.toolCalls?.some((call) => call.status === 'running')),
    );
    expect(h.core.chat.cancel(started.streamId)).toEqual({ cancelled: true });
    const final = await h.core.chat.whenDone(started.streamId);

    expect(final.status).toBe('interrupted');
    expect(final.toolCalls).toHaveLength(1);
    expect(final.toolCalls[0]).toMatchObject({
      status: 'cancelled',
      server: 'slow',
      result: { isError: true },
    });
    expect(modelRequests(family.path)).toHaveLength(1);
    const ends = h.eventsOf('chat.end').filter((end) => end.streamId === started.streamId);
    expect(ends).toHaveLength(1);

    const next = await h.core.chat.send({ conversationId: chat.id, text: 'Never mind' });
    expect(await h.core.chat.whenDone(next.streamId)).toMatchObject({
      status: 'complete',
      text: 'Echo: Never mind',
    });
  });

  it('ends at the step limit with a clear message', async () => {
    const chat = chatWith(h.core, family, { toolServers: ['files'], toolApproval: 'auto', maxToolSteps: 2 });
    const started = await h.core.chat.send({
      conversationId: chat.id,
      text: 'The weather in Oslo, again and again [loop]',
    });
    const final = await h.core.chat.whenDone(started.streamId);

    expect(final.status).toBe('interrupted');
    expect(final.error).toMatchObject({ kind: 'invalid_input', code: 'tool_step_limit' });
    expect(final.error?.message).toContain('2 rounds');
    expect(final.toolCalls.map((call) => [call.step, call.status])).toEqual([
      [0, 'done'],
      [1, 'done'],
      [2, 'skipped'],
    ]);
    expect(modelRequests(family.path)).toHaveLength(3);

    // The skipped call has no result: it goes back as a line of text, and the chat goes on.
    const next = await h.core.chat.send({ conversationId: chat.id, text: 'Stop now' });
    expect(await h.core.chat.whenDone(next.streamId)).toMatchObject({
      status: 'complete',
      text: 'Echo: Stop now',
    });
  });

  it('sends a denied call back as an error result the model reads', async () => {
    const chat = chatWith(h.core, family, { toolServers: ['files'], toolApproval: 'never' });
    const started = await h.core.chat.send({
      conversationId: chat.id,
      text: 'What is the weather in Paris?',
    });
    const final = await h.core.chat.whenDone(started.streamId);

    expect(final.status).toBe('complete');
    expect(final.toolCalls[0]).toMatchObject({
      status: 'denied',
      approval: 'denied',
      result: { isError: true, content: [{ type: 'text', text: 'This chat does not run tools.' }] },
    });
    expect(final.text).toContain('This chat does not run tools.');
  });
});

describe('tool loop: Claude with thinking', () => {
  it('sends each round back with its signed thinking block first, as Claude requires', async () => {
    const chat = chatWith(h.core, families[2]!, {
      toolServers: ['files'],
      toolApproval: 'auto',
      thinkingBudget: 1024,
      maxTokens: 4000,
    });
    const started = await h.core.chat.send({
      conversationId: chat.id,
      text: 'What is the weather in Paris?',
    });
    const final = await h.core.chat.whenDone(started.streamId);
    expect(final).toMatchObject({ status: 'complete' });
    expect(final.text).toContain('Paris: sunny');
    const second = modelRequests('/v1/messages')[1]?.json as {
      messages: { role: string; content: unknown }[];
    };
    const round = second.messages[1]?.content as Record<string, unknown>[];
    expect(round.map((block) => block.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect(round[0]).toMatchObject({ thinking: 'Thinking about: What is the weather in Paris?' });
    expect(String(round[0]?.signature)).not.toBe('');
  });
});

describe('tool loop: a crash mid-loop', () => {
  it('has the running call on disk, and a restart ends the reply interrupted with the call settled', async () => {
    const chat = chatWith(h.core, families[2]!, { toolServers: ['slow'], toolApproval: 'auto' });
    const started = await h.core.chat.send({ conversationId: chat.id, text: 'What is the weather in Oslo?' });
    await until(() =>
      h.eventsOf('chat.delta').some((delta) => delta.toolCalls?.some((call) => call.status === 'running')),
    );
    // What a crash now leaves behind: the database and its WAL as they are on disk.
    const crashed = await mkdtemp(join(tmpdir(), 'hubdesk-crash-'));
    try {
      for (const file of ['hubdesk.sqlite', 'hubdesk.sqlite-wal']) {
        await cp(join(h.dataDir, file), join(crashed, file)).catch(() => undefined);
      }
      const after = createCore({
        dataDir: crashed,
        env: {},
        keytar: memoryKeytar(),
        keychainService: 'HubDesk-test',
      });
      try {
        const message = after.chat
          .open(chat.id)
          .messages.find((item) => item.id === started.assistantMessageId);
        expect(message?.status).toBe('interrupted');
        expect(message?.toolCalls).toHaveLength(1);
        expect(message?.toolCalls[0]).toMatchObject({
          name: 'slow__get_weather',
          arguments: '{"city":"Oslo","unit":"celsius"}',
          server: 'slow',
          approval: 'auto',
          step: 0,
          status: 'cancelled',
          result: { isError: true },
        });
        expect(message?.text).toBe('Let me check the weather.');
      } finally {
        await after.close();
      }
    } finally {
      await rm(crashed, { recursive: true, force: true });
    }
    h.core.chat.cancel(started.streamId);
    await h.core.chat.whenDone(started.streamId);
  });
});

describe('tool loop: approval and bad input', () => {
  it('asks through the hook: an edit runs the tool with the new arguments and keeps both', async () => {
    const asked: unknown[] = [];
    h.core.toolRegistry.setAsk(async (request) => {
      asked.push(request);
      return { kind: 'edit', arguments: { city: 'Lima' } };
    });
    const chat = chatWith(h.core, families[0]!, { toolServers: ['files'] });
    const started = await h.core.chat.send({
      conversationId: chat.id,
      text: 'What is the weather in Paris?',
    });
    const final = await h.core.chat.whenDone(started.streamId);

    expect(asked).toEqual([
      {
        conversationId: chat.id,
        messageId: final.id,
        callId: final.toolCalls[0]?.id,
        server: 'files',
        tool: 'get_weather',
        description: 'The forecast for a city, from forecasts.json.',
        arguments: { city: 'Paris', unit: 'celsius' },
      },
    ]);
    expect(final.toolCalls[0]).toMatchObject({
      status: 'done',
      approval: 'edited',
      runArguments: '{"city":"Lima"}',
    });
    expect(final.text).toBe('Tool result: Lima: fog');
    const sent = modelRequests('/v1/chat/completions')[1]?.json as {
      messages: { role: string; tool_calls?: unknown }[];
    };
    expect(sent.messages.find((message) => message.tool_calls)).toMatchObject({
      tool_calls: [{ function: { name: 'files__get_weather', arguments: '{"city":"Lima"}' } }],
    });

    // Export and import keep the whole exchange.
    const markdown = h.core.chat.exportConversation(chat.id, 'markdown').content;
    expect(markdown).toContain('*Status: done (files › get_weather), approval: edited*');
    expect(markdown).toContain('*Run with:*');
    expect(markdown).toContain('Lima: fog');
    const imported = h.core.chat.importConversation(h.core.chat.exportConversation(chat.id, 'json').content);
    const copy = h.core.chat.open(imported.id).messages.find((message) => message.role === 'assistant');
    expect(copy?.toolCalls).toEqual(final.toolCalls);
  });

  it('asks the window: the call waits, shown in a delta, until chat.answerTool answers through the router', async () => {
    const chat = chatWith(h.core, families[3]!, { toolServers: ['files'], toolApproval: 'ask' });
    const started = await h.core.chat.send({
      conversationId: chat.id,
      text: 'What is the weather in Paris and Tokyo?',
    });
    const waiting = () =>
      h
        .eventsOf('chat.delta')
        .filter((delta) => delta.streamId === started.streamId)
        .flatMap((delta) => delta.toolCalls ?? [])
        .filter((call) => call.status === 'waiting');
    await until(() => waiting().length === 1);
    const first = waiting()[0]!;
    expect(first).toMatchObject({
      server: 'files',
      tool: 'get_weather',
      arguments: '{"city":"Paris","unit":"celsius"}',
    });

    const bad = await h.core.router.dispatch('chat.answerTool', {
      messageId: started.assistantMessageId,
      callId: first.id,
      decision: { kind: 'maybe' },
    });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
    const allowed = await h.core.router.dispatch('chat.answerTool', {
      messageId: started.assistantMessageId,
      callId: first.id,
      decision: { kind: 'allow' },
    });
    expect(allowed).toEqual({ ok: true, value: { answered: true } });
    await until(() => waiting().length === 2);
    const second = waiting()[1]!;
    const denied = await h.core.router.dispatch('chat.answerTool', {
      messageId: started.assistantMessageId,
      callId: second.id,
      decision: { kind: 'deny', reason: 'Not Tokyo.' },
    });
    expect(denied).toEqual({ ok: true, value: { answered: true } });

    const final = await h.core.chat.whenDone(started.streamId);
    expect(final.toolCalls.map((call) => [call.status, call.approval])).toEqual([
      ['done', 'allowed'],
      ['denied', 'denied'],
    ]);
    expect(final.text).toContain('Paris: sunny');
    expect(final.text).toContain('Not Tokyo.');
    const late = await h.core.router.dispatch('chat.answerTool', {
      messageId: started.assistantMessageId,
      callId: first.id,
      decision: { kind: 'allow' },
    });
    expect(late).toEqual({ ok: true, value: { answered: false } });
  });

  it('Stop drops a question the window has not answered', async () => {
    const chat = chatWith(h.core, families[0]!, { toolServers: ['files'] });
    const started = await h.core.chat.send({
      conversationId: chat.id,
      text: 'What is the weather in Paris?',
    });
    await until(() =>
      h.eventsOf('chat.delta').some((delta) => delta.toolCalls?.some((call) => call.status === 'waiting')),
    );
    h.core.chat.cancel(started.streamId);
    const final = await h.core.chat.whenDone(started.streamId);
    expect(final.status).toBe('interrupted');
    expect(final.toolCalls[0]).toMatchObject({ status: 'cancelled' });
  });

  it('regenerates a reply that ran tools: the sibling runs its own loop, the first keeps its calls', async () => {
    const chat = chatWith(h.core, families[1]!, { toolServers: ['files'], toolApproval: 'auto' });
    const started = await h.core.chat.send({
      conversationId: chat.id,
      text: 'What is the weather in Paris?',
    });
    const first = await h.core.chat.whenDone(started.streamId);
    const again = h.core.chat.regenerate({ conversationId: chat.id, messageId: first.id });
    const second = await h.core.chat.whenDone(again.streamId);
    expect(second).toMatchObject({ status: 'complete', text: 'Tool result: Paris: sunny' });
    expect(second.toolCalls.map((call) => call.status)).toEqual(['done']);
    expect(second.toolCalls[0]?.id).not.toBe(first.toolCalls[0]?.id);
    const thread = h.core.chat.open(chat.id).messages;
    expect(thread.at(-1)?.siblingIds).toEqual([first.id, second.id]);
    expect(h.core.chat.selectBranch(chat.id, first.id).messages.at(-1)?.toolCalls).toEqual(first.toolCalls);
  });

  it('cuts a 10 MB result to 100,000 characters for the model and the history, with a note', async () => {
    const huge: ToolProvider = {
      server: 'huge',
      listTools: async () => [
        {
          server: 'huge',
          name: 'get_weather',
          description: 'A very long forecast.',
          inputSchema: { type: 'object' },
        },
      ],
      callTool: async () => ({ content: [{ type: 'text', text: 'r'.repeat(10_000_000) }], isError: false }),
    };
    h.core.toolRegistry.register(huge);
    const chat = chatWith(h.core, families[0]!, { toolServers: ['huge'], toolApproval: 'auto' });
    const started = await h.core.chat.send({
      conversationId: chat.id,
      text: 'What is the weather in Paris?',
    });
    const final = await h.core.chat.whenDone(started.streamId);
    expect(final.status).toBe('complete');
    expect(final.toolCalls[0]).toMatchObject({ status: 'done', truncatedFrom: 10_000_000 });
    const sent = modelRequests('/v1/chat/completions')[1]?.json as {
      messages: { role: string; content: string }[];
    };
    const result = sent.messages.find((message) => message.role === 'tool')?.content ?? '';
    expect(result.startsWith('r'.repeat(100_000))).toBe(true);
    expect(result).toContain('it had 10,000,000 characters of text; the first 100,000 are kept');
    expect(result.length).toBeLessThan(100_200);
  });

  it('fails the reply with a clear error when the chat names a tool server HubDesk does not know', async () => {
    const chat = chatWith(h.core, families[0]!, { toolServers: ['nowhere'], toolApproval: 'auto' });
    const started = await h.core.chat.send({
      conversationId: chat.id,
      text: 'What is the weather in Paris?',
    });
    const final = await h.core.chat.whenDone(started.streamId);
    expect(final.status).toBe('failed');
    expect(final.error).toMatchObject({ kind: 'not_found', field: 'toolServers' });
    expect(final.error?.message).toContain('"nowhere"');
    expect(modelRequests('/v1/chat/completions')).toHaveLength(0);
  });
});
