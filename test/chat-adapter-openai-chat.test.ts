import { describe, expect, it } from 'vitest';
import { openaiChatAdapter as adapter } from '../src/main/api/chat/openai-chat';
import {
  assistantTurn,
  chatRequest,
  drain,
  fixtureEvents,
  liveAdapterProxy,
  outcomeOf,
  PIXEL_PNG,
  reasoningOf,
  textOf,
  toolCallsOf,
  userTurn,
} from './chat-adapter-support';

const stopped = { type: 'error', error: expect.objectContaining({ kind: 'network' }) };

describe('OpenAI chat completions: recorded streams', () => {
  it('reads an Azure-style stream: skips the prompt-filter chunk, then text, finish and usage', async () => {
    const events = await fixtureEvents(adapter, 'openai-chat-azure-text.sse');
    expect(events).toEqual([
      { type: 'text', text: 'Echo:' },
      { type: 'text', text: ' Hi t' },
      { type: 'text', text: 'here' },
      { type: 'finish', reason: 'stop' },
      {
        type: 'usage',
        usage: { inputTokens: 5, outputTokens: 4, totalTokens: 9, cachedTokens: 0, reasoningTokens: 0 },
      },
    ]);
  });

  it('keeps DeepSeek reasoning_content apart from the answer', async () => {
    const events = await fixtureEvents(adapter, 'openai-chat-deepseek-reasoning.sse');
    expect(reasoningOf(events)).toBe('Thinking about: Why?');
    expect(textOf(events)).toBe('Echo: Why?');
    expect(events.findIndex((event) => event.type === 'text')).toBeGreaterThan(
      events.findLastIndex((event) => event.type === 'reasoning'),
    );
    expect(outcomeOf(events).at(-1)).toEqual({
      type: 'usage',
      usage: { inputTokens: 4, outputTokens: 8, totalTokens: 12, cachedTokens: 0, reasoningTokens: 5 },
    });
  });

  it('reads DeepSeek cache hits as cached tokens (docs/proxy-api.md §3.4 example)', async () => {
    const events = await fixtureEvents(adapter, 'openai-chat-deepseek-cache.sse');
    expect(events).toEqual([
      { type: 'reasoning', text: 'Let me think' },
      { type: 'text', text: 'The answer is 4' },
      {
        type: 'usage',
        usage: { inputTokens: 20, outputTokens: 30, totalTokens: 50, cachedTokens: 16, reasoningTokens: 25 },
      },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('assembles a tool call from deltas by index, naming it once', async () => {
    const events = await fixtureEvents(adapter, 'openai-chat-tool-call.sse', 7);
    const calls = events.filter((event) => event.type === 'tool-call');
    expect(calls[0]).toEqual({
      type: 'tool-call',
      index: 0,
      id: expect.stringMatching(/^call_/),
      name: 'get_weather',
      argumentsDelta: '',
    });
    expect(calls.slice(1).every((call) => call.id === undefined && call.name === undefined)).toBe(true);
    expect(toolCallsOf(events)).toEqual([
      {
        id: expect.stringMatching(/^call_/),
        name: 'get_weather',
        arguments: '{"city":"Oslo","unit":"celsius"}',
      },
    ]);
    expect(outcomeOf(events)[0]).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('keeps parallel tool calls apart and ignores a repeated id', async () => {
    const events = await fixtureEvents(adapter, 'openai-chat-parallel-tools.sse');
    expect(toolCallsOf(events)).toEqual([
      { id: 'call_a', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      { id: 'call_b', name: 'get_time', arguments: '{"tz":"CET"}' },
    ]);
    expect(events.filter((event) => event.type === 'tool-call' && event.id === 'call_b')).toHaveLength(1);
  });

  it('explains a content_filter finish, naming the flagged category', async () => {
    const events = await fixtureEvents(adapter, 'openai-chat-content-filter.sse');
    expect(textOf(events)).toBe('Echo: Tell me ');
    expect(events.find((event) => event.type === 'finish')).toEqual({
      type: 'finish',
      reason: 'content_filter',
      detail: "The provider's content filter stopped the reply (violence).",
    });
  });

  it('turns an {"error":…} chunk into one readable error, with the rate-limit kind', async () => {
    const events = await fixtureEvents(adapter, 'openai-chat-midstream-error.sse');
    expect(events).toEqual([
      { type: 'text', text: 'Hel' },
      {
        type: 'error',
        error: {
          kind: 'rate_limited',
          message:
            'The provider reported an error during the reply: Rate limit reached for gpt-4o. Please try again in 2s.',
          code: 'rate_limit_exceeded',
          providerMessage: 'Rate limit reached for gpt-4o. Please try again in 2s.',
        },
      },
    ]);
  });

  it('reports a stream that ended without a finish_reason', async () => {
    const events = await fixtureEvents(adapter, 'openai-chat-cut.sse');
    expect(events).toEqual([
      { type: 'text', text: 'Hel' },
      {
        type: 'error',
        error: expect.objectContaining({
          kind: 'network',
          message: 'The stream ended before the reply was complete.',
        }),
      },
    ]);
  });

  it('throws a readable error on a malformed event', () => {
    const reader = adapter.createStreamReader();
    expect(() => reader.push({ event: undefined, data: '{"broken', id: undefined })).toThrow(
      /malformed stream event: \{"broken/,
    );
  });

  it('reads a non-streaming completion with reasoning, tool calls, usage and finish', () => {
    const events = adapter.parseResponse({
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: null,
            reasoning_content: 'Need the weather.',
            tool_calls: [
              {
                id: 'call_1',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
            ],
          },
        },
      ],
      usage: { prompt_tokens: 13, completion_tokens: 133, total_tokens: 146 },
    });
    expect(events).toEqual([
      { type: 'reasoning', text: 'Need the weather.' },
      { type: 'tool-call', index: 0, id: 'call_1', name: 'get_weather', argumentsDelta: '{"city":"Paris"}' },
      { type: 'usage', usage: { inputTokens: 13, outputTokens: 133, totalTokens: 146 } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });
});

describe('OpenAI chat completions: request bodies', () => {
  it('puts the system prompt first, sends images as data URLs and streams usage', () => {
    const call = adapter.buildCall(
      chatRequest(
        'gpt-4o',
        [
          userTurn('Hi'),
          assistantTurn('Hello'),
          userTurn('What is this?', [{ mimeType: 'image/png', base64: PIXEL_PNG }]),
        ],
        { system: 'Be brief.', params: { temperature: 0.2, maxTokens: 50, stop: ['##'], seed: 7 } },
      ),
    );
    expect(call.endpoint).toBe('openai.chat');
    expect(call.json).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PIXEL_PNG}` } },
          ],
        },
      ],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      max_tokens: 50,
      stop: ['##'],
      seed: 7,
    });
  });

  it('uses max_completion_tokens and reasoning_effort for o-series and gpt-5', () => {
    for (const model of ['o3-mini', 'gpt-5']) {
      const call = adapter.buildCall(
        chatRequest(model, 'Hi', {
          params: { maxTokens: 500, reasoningEffort: 'high', responseFormat: 'json_object' },
          stream: false,
        }),
      );
      expect(call.json).toEqual({
        model,
        messages: [{ role: 'user', content: 'Hi' }],
        stream: false,
        max_completion_tokens: 500,
        reasoning_effort: 'high',
        response_format: { type: 'json_object' },
      });
    }
  });

  it('routes Claude and DeepSeek models to their own endpoint keys', () => {
    expect(adapter.buildCall(chatRequest('claude-opus-4-6', 'Hi')).endpoint).toBe('claude.chat');
    expect(adapter.buildCall(chatRequest('deepseek-reasoner', 'Hi')).endpoint).toBe('deepseek.chat');
    expect(adapter.buildCall(chatRequest('gpt-4.1-mini', 'Hi')).endpoint).toBe('openai.chat');
  });

  it('sends an earlier tool call as a note, since no tool result exists to pair with it', () => {
    const call = adapter.buildCall(
      chatRequest('gpt-4.1', [
        userTurn('Weather?'),
        assistantTurn('', [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }]),
        userTurn('Thanks'),
      ]),
    );
    const messages = (call.json as { messages: unknown[] }).messages;
    expect(messages[1]).toEqual({
      role: 'assistant',
      content: '[Called tool get_weather with {"city":"Paris"}]',
    });
  });
});

describe('OpenAI chat completions against the fake proxy', () => {
  const live = liveAdapterProxy();

  it('streams text, then finish and usage', async () => {
    const { events, thrown } = await drain(
      live.client,
      adapter,
      adapter.buildCall(chatRequest('gpt-4.1-mini', 'Hello there')),
    );
    expect(thrown).toBeNull();
    expect(textOf(events)).toBe('Echo: Hello there');
    expect(outcomeOf(events)).toEqual([
      { type: 'finish', reason: 'stop' },
      {
        type: 'usage',
        usage: { inputTokens: 6, outputTokens: 5, totalTokens: 11, cachedTokens: 0, reasoningTokens: 0 },
      },
    ]);
  });

  it('streams DeepSeek reasoning apart, and never sends reasoning back', async () => {
    const request = chatRequest(
      'deepseek-reasoner',
      [userTurn('2+2?'), assistantTurn('4'), userTurn('And 3+3?')],
      {
        params: { maxTokens: 200 },
      },
    );
    const { events, thrown } = await drain(live.client, adapter, adapter.buildCall(request));
    expect(thrown).toBeNull();
    expect(reasoningOf(events)).toBe('Thinking about: And 3+3?');
    expect(textOf(events)).toBe('Echo: And 3+3?');
    const sent = live.proxy.requests[0];
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.json).toEqual({
      model: 'deepseek-reasoner',
      messages: [
        { role: 'user', content: '2+2?' },
        { role: 'assistant', content: '4' },
        { role: 'user', content: 'And 3+3?' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 200,
    });
    expect(JSON.stringify(sent?.json)).not.toContain('reasoning_content');
  });

  it('streams o-series reasoning with max_completion_tokens accepted by the live.proxy', async () => {
    const request = chatRequest('o4-mini', 'Why is the sky blue?', {
      params: { maxTokens: 3, reasoningEffort: 'low' },
    });
    const { events, thrown } = await drain(live.client, adapter, adapter.buildCall(request));
    expect(thrown).toBeNull();
    expect(reasoningOf(events)).toBe('Thinking about: Why is the sky blue?');
    expect(textOf(events)).toBe('Echo: Why is');
    expect(events.find((event) => event.type === 'finish')).toEqual({ type: 'finish', reason: 'length' });
    expect(live.proxy.requests[0]?.json).toMatchObject({ max_completion_tokens: 3, reasoning_effort: 'low' });
  });

  it('reads tool calls when the request carries tools', async () => {
    const call = adapter.buildCall(chatRequest('gpt-4o', 'What is the weather in Berlin?'));
    (call.json as Record<string, unknown>).tools = [
      { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
    ];
    const { events } = await drain(live.client, adapter, call);
    expect(toolCallsOf(events)).toEqual([
      {
        id: expect.stringMatching(/^call_/),
        name: 'get_weather',
        arguments: '{"city":"Berlin","unit":"celsius"}',
      },
    ]);
    expect(events.find((event) => event.type === 'finish')).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('finishes content_filter through Claude via chat completions, with the image sent as image_url', async () => {
    const request = chatRequest('claude-sonnet-4-5-20250929', [
      userTurn('Describe [filter] this', [{ mimeType: 'image/png', base64: PIXEL_PNG }]),
    ]);
    const { events } = await drain(live.client, adapter, adapter.buildCall(request));
    expect(textOf(events)).toBe('Echo: Describe ');
    expect(events.find((event) => event.type === 'finish')).toMatchObject({ reason: 'content_filter' });
    expect(live.proxy.requests[0]?.json).toMatchObject({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe [filter] this' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PIXEL_PNG}` } },
          ],
        },
      ],
    });
  });

  // gpt-4* streams open with Azure's prompt-filter chunk and a role chunk: the text starts at event 2.
  it('turns a mid-stream error into an error event after the text so far', async () => {
    live.proxy.addFault({ match: '/v1/chat', fault: { type: 'midstream-error', afterEvents: 4 } });
    const { events, thrown } = await drain(
      live.client,
      adapter,
      adapter.buildCall(chatRequest('gpt-4.1', 'Hello there')),
    );
    expect(thrown).toBeNull();
    expect(textOf(events)).toBe('Echo: Hell');
    expect(outcomeOf(events)).toEqual([
      {
        type: 'error',
        error: expect.objectContaining({
          kind: 'server',
          code: 'server_error',
          providerMessage: 'The server had an error while processing your request. Sorry about that!',
        }),
      },
    ]);
  });

  it('keeps the text before a cut, and the HTTP core reports the cut', async () => {
    live.proxy.addFault({ match: '/v1/chat', fault: { type: 'cut', afterEvents: 4 } });
    const { events, thrown } = await drain(
      live.client,
      adapter,
      adapter.buildCall(chatRequest('gpt-4.1', 'Hello there')),
    );
    expect(textOf(events)).toBe('Echo: Hell');
    expect(thrown).toMatchObject({ kind: 'network', message: expect.stringContaining('cut off') });
  });

  it('reads a slow trickle split into 7-byte pieces, multi-byte characters included', async () => {
    live.proxy.addFault({ match: '/v1/chat', fault: { type: 'trickle', delayMs: 2 } });
    const { events, thrown } = await drain(
      live.client,
      adapter,
      adapter.buildCall(chatRequest('gpt-4.1', 'Grüße 東京 🎌')),
    );
    expect(thrown).toBeNull();
    expect(textOf(events)).toBe('Echo: Grüße 東京 🎌');
    expect(events.at(-1)).toMatchObject({ type: 'usage' });
  });

  it('stops with a readable error at a malformed event', async () => {
    live.proxy.addFault({ match: '/v1/chat', fault: { type: 'malformed', afterEvents: 3 } });
    const { events, thrown } = await drain(
      live.client,
      adapter,
      adapter.buildCall(chatRequest('gpt-4.1', 'Hello there')),
    );
    expect(textOf(events)).toBe('Echo:');
    expect(thrown).toMatchObject({
      kind: 'server',
      message: expect.stringContaining('malformed stream event'),
    });
  });

  it('reads a non-streaming reply', async () => {
    const call = adapter.buildCall(chatRequest('deepseek-reasoner', 'Why?', { stream: false }));
    expect(call.json).not.toHaveProperty('stream_options');
    const { data } = await live.client.json(call);
    expect(adapter.parseResponse(data)).toEqual([
      { type: 'reasoning', text: 'Thinking about: Why?' },
      { type: 'text', text: 'Echo: Why?' },
      {
        type: 'usage',
        usage: { inputTokens: 4, outputTokens: 8, totalTokens: 12, cachedTokens: 0, reasoningTokens: 5 },
      },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('never takes an empty stream as complete', () => {
    expect(adapter.createStreamReader().end()).toEqual([stopped]);
  });
});
