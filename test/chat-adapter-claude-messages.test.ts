import { describe, expect, it } from 'vitest';
import { claudeMessagesAdapter as adapter } from '../src/main/api/chat/claude-messages';
import { CLAUDE_DEFAULT_MAX_TOKENS } from '../src/shared/chat-params';
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

const CLAUDE = 'claude-sonnet-4-5-20250929';

describe('Claude Messages: recorded streams', () => {
  it('reads thinking as reasoning, ignores ping and the signature, then text, usage and finish', async () => {
    const events = await fixtureEvents(adapter, 'claude-thinking.sse');
    expect(events).toEqual([
      { type: 'usage', usage: { inputTokens: 4, cachedTokens: 0 } },
      { type: 'reasoning', text: 'Think' },
      { type: 'reasoning', text: 'ing a' },
      { type: 'reasoning', text: 'bout:' },
      { type: 'reasoning', text: ' Hi' },
      { type: 'text', text: 'Echo:' },
      { type: 'text', text: ' Hi' },
      { type: 'usage', usage: { outputTokens: 7 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('reads a tool_use block: id and name at its start, input_json_delta pieces as arguments', async () => {
    const events = await fixtureEvents(adapter, 'claude-tool-use.sse', 9);
    expect(textOf(events)).toBe('Let me check the weather.');
    expect(toolCallsOf(events)).toEqual([
      {
        id: 'toolu_cfad26942fae4ee4a48e1153',
        name: 'get_weather',
        arguments: '{"city":"Lima","unit":"celsius"}',
      },
    ]);
    expect(events.filter((event) => event.type === 'tool-call').every((event) => event.index === 0)).toBe(
      true,
    );
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('keeps a tool input that arrives whole in content_block_start (no arguments, a server tool)', async () => {
    for (const pieceBytes of [64 * 1024, 11]) {
      const events = await fixtureEvents(adapter, 'claude-whole-input.sse', pieceBytes);
      expect(toolCallsOf(events)).toEqual([
        { id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_time', arguments: '{}' },
        {
          id: 'srvtoolu_014hJH82Qum7Td6UV8gDXThB',
          name: 'web_search',
          arguments: '{"query":"weather in Paris today"}',
        },
        { id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', arguments: '{"city": "Paris"}' },
      ]);
      expect(outcomeOf(events)).toEqual([
        { type: 'usage', usage: { inputTokens: 412, cachedTokens: 0 } },
        { type: 'usage', usage: { outputTokens: 89 } },
        { type: 'finish', reason: 'tool_calls' },
      ]);
    }
  });

  it('maps max_tokens to a length finish', async () => {
    const events = await fixtureEvents(adapter, 'claude-max-tokens.sse');
    expect(textOf(events)).toBe('Echo: A ');
    expect(outcomeOf(events).slice(1)).toEqual([
      { type: 'usage', usage: { outputTokens: 2 } },
      { type: 'finish', reason: 'length' },
    ]);
  });

  it('keeps the latest cumulative output_tokens, shows redacted thinking once, and maps refusal', async () => {
    const events = await fixtureEvents(adapter, 'claude-redacted-refusal.sse');
    expect(events).toEqual([
      { type: 'usage', usage: { inputTokens: 40 } },
      { type: 'reasoning', text: '[redacted thinking]' },
      { type: 'text', text: "I can't" },
      { type: 'usage', usage: { outputTokens: 7 } },
      { type: 'text', text: ' help.' },
      { type: 'usage', usage: { outputTokens: 12 } },
      { type: 'finish', reason: 'content_filter', detail: 'Claude declined to continue this reply.' },
    ]);
  });

  it('turns an error event into an error after the text so far (docs/proxy-api.md §3.3 example)', async () => {
    const events = await fixtureEvents(adapter, 'claude-midstream-error.sse');
    expect(events).toEqual([
      { type: 'usage', usage: { inputTokens: 25, cachedTokens: 10 } },
      { type: 'text', text: 'Hello' },
      {
        type: 'error',
        error: {
          kind: 'rate_limited',
          message: 'Claude reported an error during the reply: Overloaded',
          code: 'overloaded_error',
          providerMessage: 'Overloaded',
        },
      },
    ]);
  });

  it('maps each Anthropic error type to a kind', () => {
    const kinds: Record<string, string> = {
      rate_limit_error: 'rate_limited',
      api_error: 'server',
      invalid_request_error: 'bad_request',
      authentication_error: 'auth',
      permission_error: 'auth',
      not_found_error: 'not_found',
      request_too_large: 'bad_request',
    };
    for (const [type, kind] of Object.entries(kinds)) {
      const reader = adapter.createStreamReader();
      const data = JSON.stringify({ type: 'error', error: { type, message: 'x' } });
      expect(reader.push({ event: 'error', data, id: undefined })).toEqual([
        { type: 'error', error: expect.objectContaining({ kind, code: type }) },
      ]);
      expect(reader.end()).toEqual([]);
    }
  });

  it('reports a stream that ended before message_stop', async () => {
    const reader = adapter.createStreamReader();
    const delta = JSON.stringify({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn' },
      usage: { output_tokens: 3 },
    });
    reader.push({ event: 'message_delta', data: delta, id: undefined });
    expect(reader.end()).toEqual([
      {
        type: 'error',
        error: expect.objectContaining({
          kind: 'network',
          message: 'The stream ended before the reply was complete.',
        }),
      },
    ]);
  });

  it('reads a non-streaming message with every block kind', () => {
    const events = adapter.parseResponse({
      id: 'msg_01',
      type: 'message',
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Hmm.', signature: 'sig' },
        { type: 'text', text: 'Hello!' },
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
      ],
      stop_reason: 'tool_use',
      usage: { input_tokens: 13, output_tokens: 26, cache_read_input_tokens: 0 },
    });
    expect(events).toEqual([
      { type: 'reasoning', text: 'Hmm.' },
      { type: 'text', text: 'Hello!' },
      {
        type: 'tool-call',
        index: 0,
        id: 'toolu_1',
        name: 'get_weather',
        argumentsDelta: '{"city":"Paris"}',
        // The thinking block goes back with the call: Claude refuses a tool round without it.
        signature: 'claude:[{"type":"thinking","thinking":"Hmm.","signature":"sig"}]',
      },
      { type: 'usage', usage: { inputTokens: 13, cachedTokens: 0, outputTokens: 26 } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });
});

describe('Claude Messages: request bodies', () => {
  it('puts system at the top level, always sends max_tokens, and sends images as base64 blocks', () => {
    const call = adapter.buildCall(
      chatRequest(
        CLAUDE,
        [
          userTurn('Hi'),
          assistantTurn('Hello'),
          userTurn('What is it?', [{ mimeType: 'image/png', base64: PIXEL_PNG }]),
        ],
        { system: 'Be brief.', params: { temperature: 0.3, topP: 0.8, stop: ['END'] } },
      ),
    );
    expect(call.endpoint).toBe('claude.messages');
    expect(call.json).toEqual({
      model: CLAUDE,
      system: 'Be brief.',
      max_tokens: CLAUDE_DEFAULT_MAX_TOKENS,
      temperature: 0.3,
      top_p: 0.8,
      stop_sequences: ['END'],
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PIXEL_PNG } },
            { type: 'text', text: 'What is it?' },
          ],
        },
      ],
      stream: true,
    });
  });

  it('enables thinking with the given budget', () => {
    const call = adapter.buildCall(
      chatRequest(CLAUDE, 'Hi', { params: { maxTokens: 8000, thinkingBudget: 2048 } }),
    );
    expect(call.json).toMatchObject({ max_tokens: 8000, thinking: { type: 'enabled', budget_tokens: 2048 } });
    expect(adapter.buildCall(chatRequest(CLAUDE, 'Hi')).json).not.toHaveProperty('thinking');
  });
});

describe('Claude Messages against the fake proxy', () => {
  const live = liveAdapterProxy();

  it('streams thinking with a budget apart from the answer; the live.proxy accepts the body', async () => {
    const request = chatRequest(CLAUDE, [userTurn('Hi'), assistantTurn('Hello'), userTurn('Plan my week')], {
      system: 'You are a planner.',
      params: { thinkingBudget: 1024 },
    });
    const { events, thrown } = await drain(live.client, adapter, adapter.buildCall(request));
    expect(thrown).toBeNull();
    expect(reasoningOf(events)).toBe('Thinking about: Plan my week');
    expect(textOf(events)).toBe('Echo: Plan my week');
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    const sent = live.proxy.requests[0];
    expect(sent?.path).toBe('/v1/messages');
    expect(sent?.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent?.json).toMatchObject({
      system: 'You are a planner.',
      max_tokens: CLAUDE_DEFAULT_MAX_TOKENS,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
        { role: 'user', content: 'Plan my week' },
      ],
    });
  });

  it('reads a tool call when the request carries tools', async () => {
    const call = adapter.buildCall(chatRequest(CLAUDE, 'What is the weather in Quito?'));
    (call.json as Record<string, unknown>).tools = [
      { name: 'get_weather', input_schema: { type: 'object' } },
    ];
    const { events } = await drain(live.client, adapter, call);
    expect(toolCallsOf(events)).toEqual([
      {
        id: expect.stringMatching(/^toolu_/),
        name: 'get_weather',
        arguments: '{"city":"Quito","unit":"celsius"}',
      },
    ]);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('finishes stop at a stop sequence and length at max_tokens', async () => {
    const stop = await drain(
      live.client,
      adapter,
      adapter.buildCall(chatRequest(CLAUDE, 'one two three', { params: { stop: ['three'] } })),
    );
    expect(textOf(stop.events)).toBe('Echo: one two ');
    expect(stop.events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    const length = await drain(
      live.client,
      adapter,
      adapter.buildCall(chatRequest(CLAUDE, 'one two three', { params: { maxTokens: 2 } })),
    );
    expect(length.events.at(-1)).toEqual({ type: 'finish', reason: 'length' });
  });

  it('turns the mid-stream overloaded error into an error event', async () => {
    live.proxy.addFault({ match: '/v1/messages', fault: { type: 'midstream-error', afterEvents: 5 } });
    const { events, thrown } = await drain(
      live.client,
      adapter,
      adapter.buildCall(chatRequest(CLAUDE, 'Hello there')),
    );
    expect(thrown).toBeNull();
    expect(textOf(events)).toBe('Echo: Hell');
    expect(events.at(-1)).toEqual({
      type: 'error',
      error: expect.objectContaining({ kind: 'rate_limited', code: 'overloaded_error' }),
    });
  });

  it('keeps the text before a cut, and the HTTP core reports the cut', async () => {
    live.proxy.addFault({ match: '/v1/messages', fault: { type: 'cut', afterEvents: 5 } });
    const { events, thrown } = await drain(
      live.client,
      adapter,
      adapter.buildCall(chatRequest(CLAUDE, 'Hello there')),
    );
    expect(textOf(events)).toBe('Echo: Hell');
    expect(thrown).toMatchObject({ kind: 'network' });
  });

  it('reads a stream after keep-alive pings, and a slow trickle', async () => {
    live.proxy.addFault({ match: '/v1/messages', fault: { type: 'pings', everyMs: 1, count: 3 } });
    live.proxy.addFault({ match: '/v1/messages', fault: { type: 'trickle', delayMs: 1 } });
    const first = await drain(live.client, adapter, adapter.buildCall(chatRequest(CLAUDE, 'Привет 👋')));
    expect(first.thrown).toBeNull();
    expect(textOf(first.events)).toBe('Echo: Привет 👋');
    const second = await drain(live.client, adapter, adapter.buildCall(chatRequest(CLAUDE, 'Grüße 東京')));
    expect(second.thrown).toBeNull();
    expect(textOf(second.events)).toBe('Echo: Grüße 東京');
    expect(second.events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('stops with a readable error at a malformed event', async () => {
    live.proxy.addFault({ match: '/v1/messages', fault: { type: 'malformed', afterEvents: 2 } });
    const { thrown } = await drain(live.client, adapter, adapter.buildCall(chatRequest(CLAUDE, 'Hello')));
    expect(thrown).toMatchObject({
      kind: 'server',
      message: expect.stringContaining('malformed stream event'),
    });
  });

  it('reads a non-streaming reply with thinking', async () => {
    const call = adapter.buildCall(
      chatRequest(CLAUDE, 'Why?', { params: { thinkingBudget: 1024 }, stream: false }),
    );
    const { data } = await live.client.json(call);
    const events = adapter.parseResponse(data);
    expect(reasoningOf(events)).toBe('Thinking about: Why?');
    expect(textOf(events)).toBe('Echo: Why?');
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });
});
