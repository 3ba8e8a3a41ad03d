// Over 400 lines: one recorded request shape per family, each spelled out whole so a change shows field by field.
import { describe, expect, it } from 'vitest';
import { adapterFor } from '../src/main/api/chat/index';
import type { ChatTurn, WireTool } from '../src/main/api/chat/types';
import { assistantSteps } from '../src/main/api/chat/wire';
import type { ToolCall } from '../src/shared/chat';
import type { ChatApi } from '../src/shared/models';
import {
  assistantTurn,
  chatRequest,
  drain,
  liveAdapterProxy,
  PIXEL_PNG,
  textOf,
  toolCallsOf,
  userTurn,
} from './chat-adapter-support';

const weatherTool: WireTool = {
  name: 'files__get_weather',
  description: 'The forecast for a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const timeTool: WireTool = {
  name: 'files__current_time',
  description: 'The time.',
  parameters: { type: 'object', properties: {} },
};
const text = (value: string) => [{ type: 'text' as const, text: value }];

/**
 * Two rounds and a stop: "Checking." + two parallel calls (one with an image result, one without arguments), then
 * "Now Oslo." + a denied call, then the answer; and a call HubDesk never ran, sent as a line of text.
 */
const history: ChatTurn[] = [
  userTurn('Weather?'),
  assistantTurn('Checking.Now Oslo.Done.', [
    {
      id: 'c1',
      name: 'files__get_weather',
      arguments: '{"city":"Paris"}',
      step: 0,
      textOffset: 9,
      status: 'done',
      result: {
        content: [...text('Paris: sunny'), { type: 'image', mimeType: 'image/png', data: PIXEL_PNG }],
        isError: false,
      },
    },
    {
      id: 'c2',
      name: 'files__current_time',
      arguments: '',
      step: 0,
      textOffset: 9,
      status: 'done',
      result: { content: text('12:00'), isError: false },
    },
    {
      id: 'c3',
      name: 'files__get_weather',
      arguments: '{"city":"Oslo"}',
      runArguments: '{"city":"Lima"}',
      step: 1,
      textOffset: 18,
      status: 'denied',
      result: { content: text('The user denied this tool call.'), isError: true },
    },
    { id: 'c4', name: 'web_search', arguments: '{"q":"x"}' },
  ]),
  userTurn('Thanks'),
];

const request = (api: ChatApi) => {
  const model =
    api === 'gemini' ? 'gemini-2.5-pro' : api === 'claude-messages' ? 'claude-sonnet-4-5-20250929' : 'gpt-4o';
  return { ...chatRequest(model, history), tools: [weatherTool, timeTool] };
};

describe('assistant turns as tool rounds', () => {
  it('splits the text at each round, keeps answered calls together and sends the rest as text', () => {
    const steps = assistantSteps(history[1] as ChatTurn);
    expect(steps.map((step) => [step.text, step.calls.map((call) => call.id)])).toEqual([
      ['Checking.', ['c1', 'c2']],
      ['Now Oslo.', ['c3']],
      ['Done.\n[Called tool web_search with {"q":"x"}]', []],
    ]);
  });

  it('keeps a turn without calls as one text', () => {
    expect(assistantSteps(assistantTurn('Hello'))).toEqual([{ text: 'Hello', calls: [] }]);
  });
});

describe('tools and results in each family (recorded shapes)', () => {
  it('OpenAI chat: function tools, assistant tool_calls, then one tool message per call', () => {
    const json = adapterFor('openai-chat').buildCall(request('openai-chat')).json as Record<string, unknown>;
    expect(json.tools).toEqual([
      {
        type: 'function',
        function: {
          name: weatherTool.name,
          description: weatherTool.description,
          parameters: weatherTool.parameters,
        },
      },
      {
        type: 'function',
        function: { name: timeTool.name, description: timeTool.description, parameters: timeTool.parameters },
      },
    ]);
    expect(json.messages).toEqual([
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          {
            id: 'c1',
            type: 'function',
            function: { name: 'files__get_weather', arguments: '{"city":"Paris"}' },
          },
          { id: 'c2', type: 'function', function: { name: 'files__current_time', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'Paris: sunny\n[image image/png]' },
      { role: 'tool', tool_call_id: 'c2', content: '12:00' },
      {
        role: 'assistant',
        content: 'Now Oslo.',
        tool_calls: [
          {
            id: 'c3',
            type: 'function',
            function: { name: 'files__get_weather', arguments: '{"city":"Lima"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'c3', content: 'The user denied this tool call.' },
      { role: 'assistant', content: 'Done.\n[Called tool web_search with {"q":"x"}]' },
      { role: 'user', content: 'Thanks' },
    ]);
  });

  it('Responses: function tools, function_call items each followed by its function_call_output', () => {
    const json = adapterFor('openai-responses').buildCall(request('openai-responses')).json as Record<
      string,
      unknown
    >;
    expect(json.tools).toEqual([
      {
        type: 'function',
        name: weatherTool.name,
        description: weatherTool.description,
        parameters: weatherTool.parameters,
      },
      {
        type: 'function',
        name: timeTool.name,
        description: timeTool.description,
        parameters: timeTool.parameters,
      },
    ]);
    expect(json.input).toEqual([
      { role: 'user', content: [{ type: 'input_text', text: 'Weather?' }] },
      { role: 'assistant', content: [{ type: 'output_text', text: 'Checking.' }] },
      { type: 'function_call', call_id: 'c1', name: 'files__get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'c1', output: 'Paris: sunny\n[image image/png]' },
      { type: 'function_call', call_id: 'c2', name: 'files__current_time', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c2', output: '12:00' },
      { role: 'assistant', content: [{ type: 'output_text', text: 'Now Oslo.' }] },
      { type: 'function_call', call_id: 'c3', name: 'files__get_weather', arguments: '{"city":"Lima"}' },
      { type: 'function_call_output', call_id: 'c3', output: 'The user denied this tool call.' },
      {
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Done.\n[Called tool web_search with {"q":"x"}]' }],
      },
      { role: 'user', content: [{ type: 'input_text', text: 'Thanks' }] },
    ]);
  });

  it('Claude Messages: input_schema tools, tool_use blocks, then a user message of tool_result blocks', () => {
    const json = adapterFor('claude-messages').buildCall(request('claude-messages')).json as Record<
      string,
      unknown
    >;
    expect(json.tools).toEqual([
      { name: weatherTool.name, description: weatherTool.description, input_schema: weatherTool.parameters },
      { name: timeTool.name, description: timeTool.description, input_schema: timeTool.parameters },
    ]);
    expect(json.messages).toEqual([
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'c1', name: 'files__get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'c2', name: 'files__current_time', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'c1',
            content: [
              { type: 'text', text: 'Paris: sunny' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PIXEL_PNG } },
            ],
          },
          { type: 'tool_result', tool_use_id: 'c2', content: [{ type: 'text', text: '12:00' }] },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Now Oslo.' },
          { type: 'tool_use', id: 'c3', name: 'files__get_weather', input: { city: 'Lima' } },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'c3',
            content: [{ type: 'text', text: 'The user denied this tool call.' }],
            is_error: true,
          },
        ],
      },
      { role: 'assistant', content: 'Done.\n[Called tool web_search with {"q":"x"}]' },
      { role: 'user', content: 'Thanks' },
    ]);
  });

  it('Gemini: functionDeclarations, functionCall parts, then functionResponse parts (output or error)', () => {
    const json = adapterFor('gemini').buildCall(request('gemini')).json as Record<string, unknown>;
    expect(json.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: weatherTool.name,
            description: weatherTool.description,
            parameters: weatherTool.parameters,
          },
          { name: timeTool.name, description: timeTool.description, parameters: timeTool.parameters },
        ],
      },
    ]);
    expect(json.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather?' }] },
      {
        role: 'model',
        parts: [
          { text: 'Checking.' },
          { functionCall: { id: 'c1', name: 'files__get_weather', args: { city: 'Paris' } } },
          { functionCall: { id: 'c2', name: 'files__current_time', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          {
            functionResponse: {
              id: 'c1',
              name: 'files__get_weather',
              response: { output: 'Paris: sunny\n[image image/png]' },
            },
          },
          { functionResponse: { id: 'c2', name: 'files__current_time', response: { output: '12:00' } } },
        ],
      },
      {
        role: 'model',
        parts: [
          { text: 'Now Oslo.' },
          { functionCall: { id: 'c3', name: 'files__get_weather', args: { city: 'Lima' } } },
        ],
      },
      {
        role: 'user',
        parts: [
          {
            functionResponse: {
              id: 'c3',
              name: 'files__get_weather',
              response: { error: 'The user denied this tool call.' },
            },
          },
        ],
      },
      { role: 'model', parts: [{ text: 'Done.\n[Called tool web_search with {"q":"x"}]' }] },
      { role: 'user', parts: [{ text: 'Thanks' }] },
    ]);
  });

  it('sends no tools field when none are offered', () => {
    for (const api of ['openai-chat', 'openai-responses', 'claude-messages', 'gemini'] as const) {
      const json = adapterFor(api).buildCall({ ...request(api), tools: [] }).json as Record<string, unknown>;
      expect(json.tools, api).toBeUndefined();
    }
  });
});

describe('tool calls from the fake proxy, and its pairing check', () => {
  const live = liveAdapterProxy();

  const apis: ChatApi[] = ['openai-chat', 'openai-responses', 'claude-messages', 'gemini'];

  it.each(apis)('%s: parallel calls split across chunks and a call with no arguments', async (api) => {
    const adapter = adapterFor(api);
    const call = adapter.buildCall({
      ...request(api),
      turns: [userTurn('What is the weather in Paris and Tokyo, and what time is it?')],
    });
    const { events, thrown } = await drain(live.client, adapter, call);
    expect(thrown).toBeNull();
    const calls = toolCallsOf(events);
    expect(calls.map((item) => [item.name, JSON.parse(item.arguments || '{}')])).toEqual([
      ['files__get_weather', { city: 'Paris', unit: 'celsius' }],
      ['files__get_weather', { city: 'Tokyo', unit: 'celsius' }],
      ['files__current_time', {}],
    ]);
    expect(new Set(calls.map((item) => item.id)).size).toBe(3);
    expect(events.filter((event) => event.type === 'finish')).toEqual([
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it.each(apis)('%s: the answer to a round of results reads every result', async (api) => {
    const adapter = adapterFor(api);
    const round: ToolCall[] = [
      {
        id: 'k1',
        name: 'files__get_weather',
        arguments: '{"city":"Paris"}',
        step: 0,
        textOffset: 0,
        result: { content: text('sunny'), isError: false },
      },
      {
        id: 'k2',
        name: 'files__current_time',
        arguments: '',
        step: 0,
        textOffset: 0,
        result: { content: text('noon'), isError: false },
      },
    ];
    const call = adapter.buildCall({
      ...request(api),
      turns: [userTurn('Weather?'), assistantTurn('', round)],
    });
    const { events, thrown } = await drain(live.client, adapter, call);
    expect(thrown).toBeNull();
    const answer = textOf(events);
    expect(answer).toMatch(/^(Let me check the weather\.)?Tool result: /);
    expect(answer).toContain('sunny');
    expect(answer).toContain('noon');
  });

  it.each(apis)('%s: a result without its call is refused with 400', async (api) => {
    const adapter = adapterFor(api);
    const built = adapter.buildCall({
      ...request(api),
      turns: [
        userTurn('Weather?'),
        assistantTurn('', [
          {
            id: 'k1',
            name: 'files__get_weather',
            arguments: '{}',
            step: 0,
            textOffset: 0,
            result: { content: text('x'), isError: false },
          },
        ]),
      ],
    });
    const json = built.json as Record<string, unknown[]>;
    // Drop the call, keep its result.
    if (api === 'openai-chat')
      json.messages = (json.messages as Record<string, unknown>[]).filter((m) => !m.tool_calls);
    if (api === 'openai-responses')
      json.input = (json.input as Record<string, unknown>[]).filter((i) => i.type !== 'function_call');
    if (api === 'claude-messages' || api === 'gemini') {
      const key = api === 'gemini' ? 'contents' : 'messages';
      json[key] = (json[key] as Record<string, unknown>[]).filter(
        (m) => m.role !== (api === 'gemini' ? 'model' : 'assistant'),
      );
    }
    const { thrown } = await drain(live.client, adapter, built);
    expect(thrown).toMatchObject({ kind: 'bad_request', status: 400 });
  });

  it.each(apis)('%s: a call without its result is refused with 400', async (api) => {
    const adapter = adapterFor(api);
    const built = adapter.buildCall({
      ...request(api),
      turns: [
        userTurn('Weather?'),
        assistantTurn('', [
          {
            id: 'k1',
            name: 'files__get_weather',
            arguments: '{}',
            step: 0,
            textOffset: 0,
            result: { content: text('x'), isError: false },
          },
        ]),
        userTurn('And now?'),
      ],
    });
    const json = built.json as Record<string, unknown[]>;
    if (api === 'openai-chat')
      json.messages = (json.messages as Record<string, unknown>[]).filter((m) => m.role !== 'tool');
    if (api === 'openai-responses')
      json.input = (json.input as Record<string, unknown>[]).filter((i) => i.type !== 'function_call_output');
    if (api === 'claude-messages' || api === 'gemini') {
      const key = api === 'gemini' ? 'contents' : 'messages';
      const list = json[key] as Record<string, unknown>[];
      json[key] = list.filter((_, index) => index !== 2);
    }
    const { thrown } = await drain(live.client, adapter, built);
    expect(thrown).toMatchObject({ kind: 'bad_request', status: 400 });
  });
});
