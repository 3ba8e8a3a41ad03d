import { describe, expect, it } from 'vitest';
import { openaiResponsesAdapter as adapter } from '../src/main/api/chat/openai-responses';
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

describe('OpenAI Responses: recorded streams', () => {
  it('reads a reasoning summary, then the text, usage and finish; a trailing [DONE] is harmless', async () => {
    const events = await fixtureEvents(adapter, 'responses-reasoning.sse');
    expect(events).toEqual([
      { type: 'reasoning', text: 'Think' },
      { type: 'reasoning', text: 'ing a' },
      { type: 'reasoning', text: 'bout:' },
      { type: 'reasoning', text: ' Hi' },
      { type: 'text', text: 'Echo:' },
      { type: 'text', text: ' Hi' },
      {
        type: 'usage',
        usage: { inputTokens: 4, outputTokens: 7, totalTokens: 11, cachedTokens: 0, reasoningTokens: 5 },
      },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('reads a function call: name and call_id from output_item.added, arguments from deltas', async () => {
    const events = await fixtureEvents(adapter, 'responses-tool-call.sse', 5);
    expect(toolCallsOf(events)).toEqual([
      {
        id: 'call_ca02d15a60ba840acbf8338a',
        name: 'get_weather',
        arguments: '{"city":"Rome","unit":"celsius"}',
      },
    ]);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('reads response.incomplete for max_output_tokens as a length finish', async () => {
    const events = await fixtureEvents(adapter, 'responses-incomplete.sse');
    expect(textOf(events)).toBe('Echo: A ');
    expect(outcomeOf(events)).toEqual([
      {
        type: 'usage',
        usage: { inputTokens: 9, outputTokens: 2, totalTokens: 11, cachedTokens: 0, reasoningTokens: 0 },
      },
      { type: 'finish', reason: 'length' },
    ]);
  });

  it('turns response.failed into an error carrying the response error', async () => {
    const events = await fixtureEvents(adapter, 'responses-failed.sse');
    expect(events).toEqual([
      { type: 'text', text: 'In a' },
      {
        type: 'error',
        error: {
          kind: 'rate_limited',
          message: 'OpenAI reported an error during the reply: Rate limit reached for gpt-4.1.',
          code: 'rate_limit_exceeded',
          providerMessage: 'Rate limit reached for gpt-4.1.',
        },
      },
    ]);
  });

  it('reports an error event once, even when response.failed follows it', async () => {
    const events = await fixtureEvents(adapter, 'responses-error.sse');
    expect(outcomeOf(events)).toEqual([
      {
        type: 'error',
        error: expect.objectContaining({
          kind: 'server',
          code: 'server_error',
          providerMessage: 'The server had an error while processing your request.',
        }),
      },
    ]);
  });

  it('reads a nested error event (insufficient_quota) as the quota message, once, before response.failed', async () => {
    const events = await fixtureEvents(adapter, 'responses-quota.sse');
    const message =
      'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.';
    expect(events).toEqual([
      {
        type: 'error',
        error: {
          kind: 'quota',
          message: `The account has run out of credit or quota at OpenAI: ${message}`,
          code: 'insufficient_quota',
          providerMessage: message,
        },
      },
    ]);
  });

  it('separates summary parts into paragraphs', () => {
    const reader = adapter.createStreamReader();
    const delta = (summaryIndex: number, text: string) =>
      reader.push({
        event: 'response.reasoning_summary_text.delta',
        id: undefined,
        data: JSON.stringify({
          type: 'response.reasoning_summary_text.delta',
          item_id: 'rs_1',
          output_index: 0,
          summary_index: summaryIndex,
          delta: text,
        }),
      });
    const events = [...delta(0, 'First.'), ...delta(0, ' More.'), ...delta(1, 'Second.')];
    expect(reasoningOf(events)).toBe('First. More.\n\nSecond.');
    expect(reader.end()).toEqual([
      {
        type: 'error',
        error: expect.objectContaining({ message: 'The stream ended before the reply was complete.' }),
      },
    ]);
  });

  it('reads a non-streaming response object', () => {
    const events = adapter.parseResponse({
      id: 'resp_1',
      object: 'response',
      status: 'completed',
      output: [
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Thinking.' }] },
        {
          type: 'message',
          id: 'msg_1',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'In a peaceful grove…', annotations: [] }],
        },
      ],
      usage: { input_tokens: 36, output_tokens: 87, total_tokens: 123 },
    });
    expect(events).toEqual([
      { type: 'reasoning', text: 'Thinking.' },
      { type: 'text', text: 'In a peaceful grove…' },
      { type: 'usage', usage: { inputTokens: 36, outputTokens: 87, totalTokens: 123 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });
});

describe('OpenAI Responses: request bodies', () => {
  it('sends instructions, input items with input_text/input_image/output_text, store false', () => {
    const call = adapter.buildCall(
      chatRequest(
        'gpt-4.1',
        [
          userTurn('Hi'),
          assistantTurn('Hello'),
          userTurn('And this?', [{ mimeType: 'image/jpeg', base64: PIXEL_PNG }]),
        ],
        {
          system: 'Be brief.',
          params: { temperature: 0.5, topP: 0.9, maxTokens: 100, responseFormat: 'text' },
        },
      ),
    );
    expect(call.endpoint).toBe('openai.responses');
    expect(call.json).toEqual({
      model: 'gpt-4.1',
      instructions: 'Be brief.',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'Hi' }] },
        { role: 'assistant', content: [{ type: 'output_text', text: 'Hello' }] },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'And this?' },
            { type: 'input_image', image_url: `data:image/jpeg;base64,${PIXEL_PNG}` },
          ],
        },
      ],
      stream: true,
      store: false,
      temperature: 0.5,
      top_p: 0.9,
      max_output_tokens: 100,
      text: { format: { type: 'text' } },
    });
  });

  it('asks reasoning models for an effort and a summary', () => {
    const withEffort = adapter.buildCall(
      chatRequest('gpt-5', 'Hi', { params: { reasoningEffort: 'medium' } }),
    );
    expect(withEffort.json).toMatchObject({ reasoning: { effort: 'medium', summary: 'auto' } });
    const withoutEffort = adapter.buildCall(chatRequest('o3', 'Hi'));
    expect((withoutEffort.json as Record<string, unknown>).reasoning).toEqual({ summary: 'auto' });
    const plain = adapter.buildCall(chatRequest('gpt-4o', 'Hi'));
    expect(plain.json).not.toHaveProperty('reasoning');
  });
});

describe('OpenAI Responses against the fake proxy', () => {
  const live = liveAdapterProxy();

  it('streams a gpt-5 reasoning summary apart from the answer', async () => {
    const request = chatRequest('gpt-5', 'Plan a trip', { system: 'You are terse.' });
    const { events, thrown } = await drain(live.client, adapter, adapter.buildCall(request));
    expect(thrown).toBeNull();
    expect(reasoningOf(events)).toBe('Thinking about: Plan a trip');
    expect(textOf(events)).toBe('Echo: Plan a trip');
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    expect(live.proxy.requests[0]?.json).toMatchObject({
      instructions: 'You are terse.',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Plan a trip' }] }],
      store: false,
    });
  });

  it('reads a function call when the request carries tools', async () => {
    const call = adapter.buildCall(chatRequest('gpt-4.1', 'How is the weather in Madrid?'));
    (call.json as Record<string, unknown>).tools = [
      { type: 'function', name: 'get_weather', parameters: {} },
    ];
    const { events } = await drain(live.client, adapter, call);
    expect(toolCallsOf(events)).toEqual([
      {
        id: expect.stringMatching(/^call_/),
        name: 'get_weather',
        arguments: '{"city":"Madrid","unit":"celsius"}',
      },
    ]);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('finishes length when max_output_tokens cuts the reply', async () => {
    const request = chatRequest('gpt-4.1-mini', 'Tell me a long story', { params: { maxTokens: 2 } });
    const { events } = await drain(live.client, adapter, adapter.buildCall(request));
    expect(textOf(events)).toBe('Echo: Te');
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'length' });
  });

  it('reports the mid-stream error once, with the text before it', async () => {
    live.proxy.addFault({ match: '/v1/responses', fault: { type: 'midstream-error', afterEvents: 6 } });
    const { events, thrown } = await drain(
      live.client,
      adapter,
      adapter.buildCall(chatRequest('gpt-4.1', 'Hello there')),
    );
    expect(thrown).toBeNull();
    expect(textOf(events)).toBe('Echo: Hell');
    expect(outcomeOf(events)).toEqual([
      { type: 'error', error: expect.objectContaining({ kind: 'server', code: 'server_error' }) },
    ]);
  });

  it('keeps the text before a cut, and the HTTP core reports the cut', async () => {
    live.proxy.addFault({ match: '/v1/responses', fault: { type: 'cut', afterEvents: 5 } });
    const { events, thrown } = await drain(
      live.client,
      adapter,
      adapter.buildCall(chatRequest('gpt-4.1', 'Hello there')),
    );
    expect(textOf(events)).toBe('Echo:');
    expect(thrown).toMatchObject({ kind: 'network' });
  });

  it('reads a slow trickle with multi-byte characters', async () => {
    live.proxy.addFault({ match: '/v1/responses', fault: { type: 'trickle', delayMs: 1 } });
    const { events, thrown } = await drain(
      live.client,
      adapter,
      adapter.buildCall(chatRequest('gpt-4.1', 'Ça va? 🎌')),
    );
    expect(thrown).toBeNull();
    expect(textOf(events)).toBe('Echo: Ça va? 🎌');
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('stops with a readable error at a malformed event', async () => {
    live.proxy.addFault({ match: '/v1/responses', fault: { type: 'malformed', afterEvents: 3 } });
    const { thrown } = await drain(live.client, adapter, adapter.buildCall(chatRequest('gpt-4.1', 'Hello')));
    expect(thrown).toMatchObject({
      kind: 'server',
      message: expect.stringContaining('malformed stream event'),
    });
  });

  it('reads a non-streaming reasoning response', async () => {
    const { data } = await live.client.json(adapter.buildCall(chatRequest('o3', 'Why?', { stream: false })));
    expect(adapter.parseResponse(data)).toEqual([
      { type: 'reasoning', text: 'Thinking about: Why?' },
      { type: 'text', text: 'Echo: Why?' },
      {
        type: 'usage',
        usage: { inputTokens: 5, outputTokens: 8, totalTokens: 13, cachedTokens: 0, reasoningTokens: 5 },
      },
      { type: 'finish', reason: 'stop' },
    ]);
  });
});
