import { describe, expect, it } from 'vitest';
import { geminiAdapter as adapter } from '../src/main/api/chat/gemini';
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

const GEMINI = 'gemini-2.5-pro';

describe('Gemini: recorded streams', () => {
  it('reads thought parts as reasoning, then text, the full usage and the finish', async () => {
    const events = await fixtureEvents(adapter, 'gemini-thoughts.sse');
    expect(events).toEqual([
      { type: 'reasoning', text: 'Thinking' },
      { type: 'usage', usage: { inputTokens: 2, totalTokens: 2 } },
      { type: 'reasoning', text: ' about: ' },
      { type: 'reasoning', text: 'Hi' },
      { type: 'text', text: 'Echo: Hi' },
      // Output counts the 5 thinking tokens too, as OpenAI and DeepSeek count reasoning inside output.
      { type: 'usage', usage: { inputTokens: 2, outputTokens: 7, reasoningTokens: 5, totalTokens: 9 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('reads a functionCall part as a whole tool call and finishes tool_calls', async () => {
    const events = await fixtureEvents(adapter, 'gemini-function-call.sse');
    expect(events).toEqual([
      {
        type: 'tool-call',
        index: 0,
        id: 'call_0',
        name: 'get_weather',
        argumentsDelta: '{"city":"Kyiv","unit":"celsius"}',
      },
      { type: 'usage', usage: { inputTokens: 6, outputTokens: 16, totalTokens: 22 } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('finishes blocked when the prompt is blocked', async () => {
    const events = await fixtureEvents(adapter, 'gemini-blocked.sse');
    expect(events).toEqual([
      { type: 'usage', usage: { inputTokens: 7, totalTokens: 7 } },
      { type: 'finish', reason: 'blocked', detail: 'The prompt was blocked: SAFETY' },
    ]);
  });

  it('maps MAX_TOKENS to length', async () => {
    const events = await fixtureEvents(adapter, 'gemini-max-tokens.sse');
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'length' });
  });

  it('maps a SAFETY finish to content_filter, and reads cached tokens', async () => {
    const events = await fixtureEvents(adapter, 'gemini-safety.sse');
    expect(textOf(events)).toBe('Here is how');
    expect(outcomeOf(events)).toEqual([
      { type: 'usage', usage: { inputTokens: 9, totalTokens: 9 } },
      {
        type: 'usage',
        usage: { inputTokens: 9, outputTokens: 3, cachedTokens: 4, totalTokens: 12 },
      },
      { type: 'finish', reason: 'content_filter', detail: 'The reply was stopped: SAFETY' },
    ]);
  });

  it('turns an error chunk into an error event with the Google status as kind', async () => {
    const events = await fixtureEvents(adapter, 'gemini-midstream-error.sse');
    expect(events).toEqual([
      { type: 'text', text: 'Zwei plus' },
      { type: 'usage', usage: { inputTokens: 7, totalTokens: 7 } },
      {
        type: 'error',
        error: {
          kind: 'rate_limited',
          message:
            'Gemini reported an error during the reply: Resource has been exhausted (e.g. check quota).',
          code: 'RESOURCE_EXHAUSTED',
          providerMessage: 'Resource has been exhausted (e.g. check quota).',
        },
      },
    ]);
  });

  it('reports a stream that closed without a finishReason (Gemini has no [DONE])', async () => {
    const reader = adapter.createStreamReader();
    const chunk = { candidates: [{ content: { role: 'model', parts: [{ text: 'Half' }] }, index: 0 }] };
    expect(reader.push({ event: undefined, data: JSON.stringify(chunk), id: undefined })).toEqual([
      { type: 'text', text: 'Half' },
    ]);
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
});

describe('Gemini: request bodies', () => {
  it('sends systemInstruction, roles user/model, inlineData images and generationConfig', () => {
    const call = adapter.buildCall(
      chatRequest(
        GEMINI,
        [
          userTurn('Hi'),
          assistantTurn('Hello'),
          userTurn('And this?', [{ mimeType: 'image/webp', base64: PIXEL_PNG }]),
        ],
        {
          system: 'You are concise.',
          params: {
            temperature: 1,
            topP: 0.95,
            maxTokens: 1024,
            stop: ['###'],
            seed: 3,
            responseFormat: 'json_object',
            thinkingBudget: -1,
          },
        },
      ),
    );
    expect(call).toEqual({
      endpoint: 'gemini.stream',
      pathParams: { model: GEMINI },
      json: {
        systemInstruction: { parts: [{ text: 'You are concise.' }] },
        contents: [
          { role: 'user', parts: [{ text: 'Hi' }] },
          { role: 'model', parts: [{ text: 'Hello' }] },
          {
            role: 'user',
            parts: [{ text: 'And this?' }, { inlineData: { mimeType: 'image/webp', data: PIXEL_PNG } }],
          },
        ],
        generationConfig: {
          temperature: 1,
          topP: 0.95,
          maxOutputTokens: 1024,
          stopSequences: ['###'],
          seed: 3,
          responseMimeType: 'application/json',
          thinkingConfig: { thinkingBudget: -1, includeThoughts: true },
        },
      },
    });
  });

  it('asks a reasoning model for its thoughts, and uses :generateContent when not streaming', () => {
    const call = adapter.buildCall(chatRequest(GEMINI, 'Hi', { stream: false }));
    expect(call.endpoint).toBe('gemini.generate');
    expect(call.json).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      generationConfig: { thinkingConfig: { includeThoughts: true } },
    });
  });

  it('turns thinking off with a budget of 0, without asking for thoughts', () => {
    const call = adapter.buildCall(chatRequest(GEMINI, 'Hi', { params: { thinkingBudget: 0 } }));
    expect(call.json).toMatchObject({ generationConfig: { thinkingConfig: { thinkingBudget: 0 } } });
    expect(JSON.stringify(call.json)).not.toContain('includeThoughts');
  });
});

describe('Gemini against the fake proxy', () => {
  const live = liveAdapterProxy();

  it('streams thoughts apart from the answer over ?alt=sse', async () => {
    const request = chatRequest(
      GEMINI,
      [userTurn('Hi'), assistantTurn('Hello'), userTurn('Count to three')],
      {
        system: 'Be brief.',
      },
    );
    const { events, thrown } = await drain(live.client, adapter, adapter.buildCall(request));
    expect(thrown).toBeNull();
    expect(reasoningOf(events)).toBe('Thinking about: Count to three');
    expect(textOf(events)).toBe('Echo: Count to three');
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    const sent = live.proxy.requests[0];
    expect(sent?.path).toBe(`/v1beta/models/${GEMINI}:streamGenerateContent?alt=sse`);
    expect(sent?.headers['x-goog-api-key']).toBe(live.proxy.token);
    expect(sent?.json).toMatchObject({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [{ role: 'user' }, { role: 'model' }, { role: 'user' }],
    });
  });

  it('reads a function call when the request carries tools', async () => {
    const call = adapter.buildCall(
      chatRequest(GEMINI, 'What is the weather in Cairo?', { params: { thinkingBudget: 0 } }),
    );
    (call.json as Record<string, unknown>).tools = [{ functionDeclarations: [{ name: 'get_weather' }] }];
    const { events } = await drain(live.client, adapter, call);
    expect(toolCallsOf(events)).toEqual([
      { id: 'call_0', name: 'get_weather', arguments: '{"city":"Cairo","unit":"celsius"}' },
    ]);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('finishes blocked for a blocked prompt and length at maxOutputTokens', async () => {
    const blocked = await drain(
      live.client,
      adapter,
      adapter.buildCall(chatRequest(GEMINI, 'Say [blocked] things')),
    );
    expect(blocked.thrown).toBeNull();
    expect(textOf(blocked.events)).toBe('');
    expect(blocked.events.at(-1)).toEqual({
      type: 'finish',
      reason: 'blocked',
      detail: 'The prompt was blocked: SAFETY',
    });
    const length = await drain(
      live.client,
      adapter,
      adapter.buildCall(
        chatRequest(GEMINI, 'A long question', { params: { maxTokens: 2, thinkingBudget: 0 } }),
      ),
    );
    expect(length.events.at(-1)).toEqual({ type: 'finish', reason: 'length' });
  });

  it('turns the mid-stream error chunk into an error event', async () => {
    const request = chatRequest(GEMINI, 'Hello there', { params: { thinkingBudget: 0 } });
    live.proxy.addFault({ match: '/v1beta/models', fault: { type: 'midstream-error', afterEvents: 2 } });
    const { events, thrown } = await drain(live.client, adapter, adapter.buildCall(request));
    expect(thrown).toBeNull();
    expect(textOf(events)).toBe('Echo: Hello ther');
    expect(events.at(-1)).toEqual({
      type: 'error',
      error: expect.objectContaining({ kind: 'server', code: 'INTERNAL' }),
    });
  });

  it('keeps the text before a cut, and the HTTP core reports the cut', async () => {
    const request = chatRequest(GEMINI, 'Hello there', { params: { thinkingBudget: 0 } });
    live.proxy.addFault({ match: '/v1beta/models', fault: { type: 'cut', afterEvents: 1 } });
    const { events, thrown } = await drain(live.client, adapter, adapter.buildCall(request));
    expect(textOf(events)).toBe('Echo: He');
    expect(thrown).toMatchObject({ kind: 'network' });
  });

  it('reads a slow trickle with multi-byte characters', async () => {
    const request = chatRequest(GEMINI, 'Zwei plus zwei ist vier. 四。', { params: { thinkingBudget: 0 } });
    live.proxy.addFault({ match: '/v1beta/models', fault: { type: 'trickle', delayMs: 1 } });
    const { events, thrown } = await drain(live.client, adapter, adapter.buildCall(request));
    expect(thrown).toBeNull();
    expect(textOf(events)).toBe('Echo: Zwei plus zwei ist vier. 四。');
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('stops with a readable error at a malformed event', async () => {
    live.proxy.addFault({ match: '/v1beta/models', fault: { type: 'malformed', afterEvents: 1 } });
    const { thrown } = await drain(live.client, adapter, adapter.buildCall(chatRequest(GEMINI, 'Hello')));
    expect(thrown).toMatchObject({
      kind: 'server',
      message: expect.stringContaining('malformed stream event'),
    });
  });

  it('reads a non-streaming :generateContent reply', async () => {
    const call = adapter.buildCall(chatRequest(GEMINI, 'Why?', { stream: false }));
    const { data } = await live.client.json(call);
    expect(live.proxy.requests[0]?.path).toBe(`/v1beta/models/${GEMINI}:generateContent`);
    expect(adapter.parseResponse(data)).toEqual([
      { type: 'reasoning', text: 'Thinking about: Why?' },
      { type: 'text', text: 'Echo: Why?' },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 8, reasoningTokens: 5, totalTokens: 11 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });
});
