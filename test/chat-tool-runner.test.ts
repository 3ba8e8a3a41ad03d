import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubError } from '../src/main/base/errors';
import { REPLY_TEXT_LIMIT } from '../src/main/services/chat/reply/reply-faults';
import { replyLoopEvents } from '../src/main/services/chat/reply/reply-loop';
import { runReply } from '../src/main/services/chat/reply/reply-run';
import type { ReplyEvent } from '../src/main/services/chat/reply/reply-state';
import { autoApprover, neverApprover, type ToolApprover } from '../src/main/services/tools/tool-approval';
import { nameTools, wireToolName } from '../src/main/services/tools/tool-names';
import type { ToolProvider } from '../src/main/services/tools/tool-provider';
import { ToolRegistry } from '../src/main/services/tools/tool-registry';
import {
  limitToolResult,
  parseToolArguments,
  TOOL_RESULT_TEXT_LIMIT,
  type ToolCallPatch,
  ToolRunner,
} from '../src/main/services/tools/tool-runner';
import type { ToolCall } from '../src/shared/chat';
import { findModel } from '../src/shared/models';
import type { ToolResult, ToolSpec } from '../src/shared/tools';
import { makeClient, userTurn } from './chat-adapter-support';
import { type FakeProxy, startFakeProxy } from './fake-proxy';
import { ManualClock } from './support/manual-clock';

/** A real provider that computes: sha256 of its text, a text of a given length, or a wait until stopped. */
class HashTools implements ToolProvider {
  calls: { name: string; args: Record<string, unknown> }[] = [];
  constructor(readonly server = 'hash') {}

  async listTools(): Promise<ToolSpec[]> {
    const spec = (name: string): ToolSpec => ({
      server: this.server,
      name,
      description: name,
      inputSchema: { type: 'object' },
    });
    return [spec('sha256'), spec('repeat'), spec('wait'), spec('broken')];
  }

  async callTool(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<ToolResult> {
    this.calls.push({ name, args });
    if (name === 'sha256') {
      const text = createHash('sha256')
        .update(String(args.text ?? ''))
        .digest('hex');
      return { content: [{ type: 'text', text }], isError: false };
    }
    if (name === 'repeat')
      return { content: [{ type: 'text', text: 'x'.repeat(Number(args.times)) }], isError: false };
    if (name === 'broken')
      throw new HubError({ kind: 'timeout', message: 'The server did not answer in 30 s.' });
    return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));
  }
}

const call = (name: string, args: string, id = 'c1'): ToolCall => ({ id, name, arguments: args });

async function patchesOf(runner: ToolRunner, toolCall: ToolCall, signal = new AbortController().signal) {
  const patches: ToolCallPatch[] = [];
  for await (const patch of runner.run(toolCall, signal)) patches.push(patch);
  return patches;
}

async function runnerWith(approver: ToolApprover, provider = new HashTools()) {
  const runner = new ToolRunner([provider], approver);
  await runner.offer(new AbortController().signal);
  return { runner, provider };
}

describe('tool names on the wire', () => {
  it('joins server and tool within every family rule, unique, at most 64 characters', () => {
    expect(wireToolName('files', 'read_file', new Set())).toBe('files__read_file');
    expect(wireToolName('my server', 'read.file/v2', new Set())).toBe('my_server__read_file_v2');
    expect(wireToolName('1password', 'get', new Set())).toBe('t_1password__get');
    expect(wireToolName('files', 'read', new Set(['files__read', 'files__read_2']))).toBe('files__read_3');
    const long = wireToolName('s'.repeat(40), 't'.repeat(40), new Set());
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$/);
    const named = nameTools([
      { server: 'a.b', name: 'x', description: '', inputSchema: {} },
      { server: 'a_b', name: 'x', description: '', inputSchema: {} },
    ]);
    expect(named.map((tool) => tool.wireName)).toEqual(['a_b__x', 'a_b__x_2']);
  });
});

describe('arguments and results', () => {
  it('reads arguments: empty is none, JSON that is not an object or not JSON is an error to read', () => {
    expect(parseToolArguments('')).toEqual({});
    expect(parseToolArguments(' {"a":1} ')).toEqual({ a: 1 });
    expect(parseToolArguments('[1]')).toBe('The arguments must be a JSON object.');
    expect(parseToolArguments('{"a":')).toMatch(/^The arguments are not valid JSON \(/);
  });

  it('cuts a 10 MB result to 100,000 characters with a note the model reads', () => {
    const big = 'y'.repeat(10_000_000);
    const { result, truncatedFrom } = limitToolResult({
      content: [{ type: 'text', text: big }],
      isError: false,
    });
    expect(truncatedFrom).toBe(10_000_000);
    expect(result.content[0]).toEqual({ type: 'text', text: 'y'.repeat(TOOL_RESULT_TEXT_LIMIT) });
    expect(result.content[1]).toMatchObject({ type: 'text' });
    expect((result.content[1] as { text: string }).text).toContain('10,000,000 characters');
    const small = { content: [{ type: 'text' as const, text: 'ok' }], isError: false };
    expect(limitToolResult(small)).toEqual({ result: small });
  });
});

describe('ToolRunner', () => {
  it('maps the wire name back, runs it without asking under auto, and gives the result', async () => {
    const { runner, provider } = await runnerWith(autoApprover);
    const patches = await patchesOf(runner, call('hash__sha256', '{"text":"abc"}'));
    expect(patches).toEqual([
      { server: 'hash', tool: 'sha256', status: 'running', approval: 'auto' },
      {
        status: 'done',
        result: {
          content: [
            { type: 'text', text: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' },
          ],
          isError: false,
        },
      },
    ]);
    expect(provider.calls).toEqual([{ name: 'sha256', args: { text: 'abc' } }]);
  });

  it('turns arguments that are not JSON and unknown tools into error results without calling the provider', async () => {
    const { runner, provider } = await runnerWith(autoApprover);
    const [bad] = await patchesOf(runner, call('hash__sha256', '{"text":'));
    expect(bad).toMatchObject({
      server: 'hash',
      tool: 'sha256',
      status: 'failed',
      result: { isError: true },
    });
    expect(bad?.result?.content[0]).toMatchObject({ text: expect.stringContaining('not valid JSON') });
    const [unknown] = await patchesOf(runner, call('hash__md5', '{}'));
    expect(unknown).toMatchObject({ status: 'failed', result: { isError: true } });
    expect(provider.calls).toEqual([]);
  });

  it('denies under never, with the reason as the result', async () => {
    const { runner, provider } = await runnerWith(neverApprover);
    expect(await patchesOf(runner, call('hash__sha256', '{}'))).toEqual([
      {
        server: 'hash',
        tool: 'sha256',
        status: 'denied',
        approval: 'denied',
        result: { content: [{ type: 'text', text: 'This chat does not run tools.' }], isError: true },
      },
    ]);
    expect(provider.calls).toEqual([]);
  });

  it('keeps a provider failure as the call error and a result the model reads', async () => {
    const { runner } = await runnerWith(autoApprover);
    const patches = await patchesOf(runner, call('hash__broken', ''));
    expect(patches.at(-1)).toMatchObject({
      status: 'failed',
      error: { kind: 'timeout', message: 'The server did not answer in 30 s.' },
      result: {
        isError: true,
        content: [{ type: 'text', text: 'The tool could not be run: The server did not answer in 30 s.' }],
      },
    });
  });

  it('cuts a long result and records the length it had', async () => {
    const { runner } = await runnerWith(autoApprover);
    const patches = await patchesOf(runner, call('hash__repeat', '{"times":150000}'));
    expect(patches.at(-1)).toMatchObject({ status: 'done', truncatedFrom: 150_000 });
  });

  it('cancels a running tool and an unanswered question on stop', async () => {
    const { runner } = await runnerWith(autoApprover);
    const stop = new AbortController();
    const running = patchesOf(runner, call('hash__wait', '{}'), stop.signal);
    await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort();
    expect((await running).at(-1)).toMatchObject({ status: 'cancelled', result: { isError: true } });

    const registry = new ToolRegistry();
    const asked: string[] = [];
    registry.setAsk((request) => {
      asked.push(request.tool);
      return new Promise(() => undefined);
    });
    const asking = new ToolRunner([new HashTools()], registry.approverFor('ask'));
    await asking.offer(new AbortController().signal);
    const stopAsking = new AbortController();
    const waiting = patchesOf(asking, call('hash__sha256', '{}'), stopAsking.signal);
    await new Promise((resolve) => setTimeout(resolve, 5));
    stopAsking.abort();
    const patches = await waiting;
    expect(patches.map((patch) => patch.status)).toEqual(['waiting', 'cancelled']);
    expect(asked).toEqual(['sha256']);
  });

  it('denies with a reason under ask when nobody can be asked', async () => {
    const { runner, provider } = await runnerWith(new ToolRegistry().approverFor('ask'));
    const patches = await patchesOf(runner, call('hash__sha256', '{}'));
    expect(patches.map((patch) => patch.status)).toEqual(['waiting', 'denied']);
    expect(patches[1]?.result?.content[0]).toMatchObject({
      text: expect.stringContaining('Nobody could be asked'),
    });
    expect(provider.calls).toEqual([]);
  });

  it('offers the tools of providers that answer and reports the ones that fail', async () => {
    const failing: ToolProvider = {
      server: 'down',
      listTools: async () => {
        throw new HubError({ kind: 'network', message: 'The server is not running.' });
      },
      callTool: async () => ({ content: [], isError: true }),
    };
    const runner = new ToolRunner([new HashTools(), failing], autoApprover);
    const offered = await runner.offer(new AbortController().signal);
    expect(offered.tools.map((tool) => tool.wireName)).toEqual([
      'hash__sha256',
      'hash__repeat',
      'hash__wait',
      'hash__broken',
    ]);
    expect(offered.failures).toEqual(['down: The server is not running.']);
  });
});

describe('ToolRegistry', () => {
  it('gives the providers a chat names, in order, and refuses a name it does not know', () => {
    const registry = new ToolRegistry();
    const a = new HashTools('a');
    const b = new HashTools('b');
    registry.register(a);
    const remove = registry.register(b);
    expect(registry.providersFor(['b', 'a'])).toEqual([b, a]);
    remove();
    expect(registry.servers()).toEqual(['a']);
    expect(() => registry.providersFor(['b'])).toThrow('no tool server has that name');
  });
});

describe('runReply with tool updates on the manual clock', () => {
  it('saves a tool update at once, not at the next paced save', async () => {
    const clock = new ManualClock();
    const saves: { at: number; statuses: (string | undefined)[] }[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* events(): AsyncGenerator<ReplyEvent[]> {
      yield [{ type: 'tool-call', index: 0, id: 'c1', name: 'hash__sha256', argumentsDelta: '{}' }];
      yield [{ type: 'finish', reason: 'tool_calls' }];
      yield [{ type: 'tool-update', index: 0, patch: { step: 0, textOffset: 0, status: 'running' } }];
      await gate;
      yield [
        { type: 'tool-update', index: 0, patch: { status: 'done', result: { content: [], isError: false } } },
      ];
      yield [
        { type: 'text', text: 'Done.' },
        { type: 'finish', reason: 'stop' },
      ];
    }
    const result = runReply({
      clock,
      deltaIntervalMs: 16,
      flushIntervalMs: 500,
      signal: new AbortController().signal,
      maxChars: REPLY_TEXT_LIMIT,
      events: () => events(),
      sendDelta: () => undefined,
      saveProgress: (progress) =>
        saves.push({ at: clock.now(), statuses: progress.toolCalls.map((c) => c.status) }),
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(saves).toEqual([{ at: 0, statuses: ['running'] }]);
    clock.advance(100);
    release();
    const { final } = await result;
    expect(saves).toEqual([
      { at: 0, statuses: ['running'] },
      { at: 100, statuses: ['done'] },
    ]);
    expect(final).toMatchObject({ status: 'complete', text: 'Done.', finishReason: 'stop' });
    expect(final.toolCalls).toEqual([
      {
        id: 'c1',
        name: 'hash__sha256',
        arguments: '{}',
        step: 0,
        textOffset: 0,
        status: 'done',
        result: { content: [], isError: false },
      },
    ]);
  });
});

describe('replyLoopEvents: the rounds of one reply, against the fake proxy', () => {
  let proxy: FakeProxy;
  beforeAll(async () => {
    proxy = await startFakeProxy();
  });
  afterAll(async () => {
    await proxy.close();
  });

  /** A provider whose weather tool answers from a table, computed, and a clock tool with no arguments. */
  class TableTools implements ToolProvider {
    readonly server = 'table';
    async listTools(): Promise<ToolSpec[]> {
      return [
        { server: 'table', name: 'get_weather', description: 'Weather.', inputSchema: { type: 'object' } },
        { server: 'table', name: 'current_time', description: 'Time.', inputSchema: { type: 'object' } },
      ];
    }
    async callTool(name: string, args: Record<string, unknown>): Promise<ToolResult> {
      const text =
        name === 'current_time' ? 'noon' : `${String(args.city)}: ${String(args.city).length * 3} °C`;
      return { content: [{ type: 'text', text }], isError: false };
    }
  }

  it('streams each call as written, runs the round, and asks again with the results', async () => {
    const batches: ReplyEvent[][] = [];
    const controller = new AbortController();
    for await (const batch of replyLoopEvents(
      {
        api: 'openai-chat',
        request: async () => ({
          model: findModel('gpt-4.1'),
          system: '',
          turns: [userTurn('What is the weather in Rome, and what time is it?')],
          params: {},
          stream: true,
        }),
        client: () => makeClient(proxy),
        signal: controller.signal,
      },
      () => ({ runner: new ToolRunner([new TableTools()], autoApprover), maxSteps: 8 }),
    )) {
      batches.push(batch);
    }
    const updates = batches
      .flat()
      .flatMap((event) => (event.type === 'tool-update' ? [[event.index, event.patch.status ?? null]] : []));
    expect(updates).toEqual([
      [0, 'streaming'],
      [1, 'streaming'],
      [0, null],
      [1, null],
      [0, 'running'],
      [0, 'done'],
      [1, 'running'],
      [1, 'done'],
    ]);
    const round = batches
      .flat()
      .filter((event) => event.type === 'tool-update' && event.patch.step !== undefined);
    expect(round.map((event) => event.type === 'tool-update' && event.patch)).toEqual([
      { step: 0, textOffset: 0 },
      { step: 0, textOffset: 0 },
    ]);
    const text = batches
      .flat()
      .map((event) => (event.type === 'text' ? event.text : ''))
      .join('');
    expect(text).toBe('Tool result: Rome: 12 °C | noon');
    const finishes = batches.flat().filter((event) => event.type === 'finish');
    expect(finishes).toEqual([
      { type: 'finish', reason: 'tool_calls' },
      { type: 'finish', reason: 'stop' },
    ]);
  });
});
