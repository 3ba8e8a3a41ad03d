import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProxy, startFakeProxy } from './fake-proxy';

type Json = Record<string, unknown>;
interface Event {
  event?: string;
  data: string;
}

let proxy: FakeProxy;
const ANTHROPIC_VERSION = { 'anthropic-version': '2023-06-01' };
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

beforeAll(async () => {
  proxy = await startFakeProxy({ speed: 20 });
});
afterAll(async () => {
  await proxy.close();
});
afterEach(() => {
  proxy.clearFaults();
});

function auth(extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${proxy.token}`, 'content-type': 'application/json', ...extra };
}

function post(path: string, body: unknown, headers: Record<string, string> = auth()): Promise<Response> {
  return fetch(`${proxy.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
}

async function json(response: Response): Promise<Json> {
  return (await response.json()) as Json;
}

/** A minimal SSE parser: named events, data lines, comments skipped. */
function parseSse(text: string): Event[] {
  return text
    .split('\n\n')
    .map((block) => block.split('\n').filter((line) => line !== '' && !line.startsWith(':')))
    .filter((lines) => lines.length > 0)
    .map((lines) => {
      const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
      const data = lines
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      return event === undefined ? { data } : { event, data };
    });
}

const dataOf = (events: Event[]) =>
  events.filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data) as Json);

const chatBody = (content: string, extra: Json = {}) => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content }],
  ...extra,
});

function chatText(chunks: Json[], field: 'content' | 'reasoning_content' = 'content'): string {
  return chunks
    .flatMap((chunk) => (chunk.choices as Json[]).map((choice) => (choice.delta as Json)[field]))
    .filter((value): value is string => typeof value === 'string')
    .join('');
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, seen: T[] = []): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = await read();
    seen.push(value);
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('auth per family', () => {
  it('requires the bearer token on OpenAI-format paths', async () => {
    const missing = await post('/v1/chat/completions', chatBody('hi'), {
      'content-type': 'application/json',
    });
    expect(missing.status).toBe(401);
    const wrong = await post('/v1/chat/completions', chatBody('hi'), { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(((await json(wrong)).error as Json).code).toBe('invalid_api_key');
    expect((await post('/v1/chat/completions', chatBody('hi'))).status).toBe(200);
  });

  it('accepts x-api-key on /v1/messages and requires anthropic-version', async () => {
    const body = { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };
    const headers = { 'content-type': 'application/json', ...ANTHROPIC_VERSION };
    const ok = await post('/v1/messages', body, { 'x-api-key': proxy.token, ...headers });
    expect(ok.status).toBe(200);
    const noVersion = await post('/v1/messages', body, {
      'x-api-key': proxy.token,
      'content-type': 'application/json',
    });
    expect(noVersion.status).toBe(400);
    expect(await json(noVersion)).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    const wrong = await post('/v1/messages', body, { 'x-api-key': 'nope', ...ANTHROPIC_VERSION });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('request-id')).toMatch(/^req_/);
    expect(await json(wrong)).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });

  it('accepts x-goog-api-key on Gemini and answers in the Google shape', async () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };
    const path = '/v1beta/models/gemini-2.5-flash:generateContent';
    const ok = await post(path, body, { 'x-goog-api-key': proxy.token, 'content-type': 'application/json' });
    expect(ok.status).toBe(200);
    const wrong = await post(path, body, { 'x-goog-api-key': 'nope' });
    expect(wrong.status).toBe(401);
    expect(await json(wrong)).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
  });

  it('answers Kling auth failures in the Kling envelope, unknown paths in the OpenAI shape', async () => {
    const wrong = await post(
      '/kling/v1/videos/text2video',
      { prompt: 'x' },
      { authorization: 'Bearer nope' },
    );
    expect(wrong.status).toBe(401);
    expect(await json(wrong)).toMatchObject({ code: 1002, request_id: expect.any(String) });
    const unknown = await post('/v1/nothing', {});
    expect(unknown.status).toBe(404);
    expect(((await json(unknown)).error as Json).type).toBe('invalid_request_error');
  });
});

describe('chat completions', () => {
  it('streams an echo in small chunks with an Azure filter chunk first and a usage chunk last', async () => {
    const response = await post(
      '/v1/chat/completions',
      chatBody('hello world', { model: 'gpt-4o', stream: true, stream_options: { include_usage: true } }),
    );
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSse(await response.text());
    expect(events.at(-1)?.data).toBe('[DONE]');
    const chunks = dataOf(events);
    expect(chunks[0]).toMatchObject({ choices: [], prompt_filter_results: expect.any(Array) });
    expect(chatText(chunks)).toBe('Echo: hello world');
    expect(chunks.filter((c) => chatText([c]) !== '').length).toBeGreaterThan(2);
    const last = chunks.at(-1) as Json;
    expect(last.choices).toEqual([]);
    expect((last.usage as Json).total_tokens).toBeGreaterThan(0);
    expect((chunks.at(-2)!.choices as Json[])[0]!.finish_reason).toBe('stop');
  });

  it('streams tool calls by index with arguments split across chunks', async () => {
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: {} } }];
    const response = await post(
      '/v1/chat/completions',
      chatBody('What is the weather in Berlin?', { tools, stream: true }),
    );
    const chunks = dataOf(parseSse(await response.text()));
    const calls = chunks.flatMap(
      (c) => ((c.choices as Json[])[0]?.delta as Json | undefined)?.tool_calls ?? [],
    ) as Json[];
    expect(calls.length).toBeGreaterThan(2);
    expect(calls.every((call) => call.index === 0)).toBe(true);
    const args = calls.map((call) => (call.function as Json).arguments).join('');
    expect(JSON.parse(args)).toEqual({ city: 'Berlin', unit: 'celsius' });
    expect((calls[0]!.function as Json).name).toBe('get_weather');
    const finish = chunks.map((c) => (c.choices as Json[])[0]?.finish_reason).filter(Boolean);
    expect(finish).toEqual(['tool_calls']);
  });

  it('streams DeepSeek-style reasoning before the answer; filters; rejects max_tokens on o-series', async () => {
    const reasoner = await post(
      '/v1/chat/completions',
      chatBody('2+2?', { model: 'deepseek-reasoner', stream: true }),
    );
    const chunks = dataOf(parseSse(await reasoner.text()));
    expect(chatText(chunks, 'reasoning_content')).toBe('Thinking about: 2+2?');
    const firstContent = chunks.findIndex((c) => chatText([c]) !== '');
    const lastReasoning = chunks.findLastIndex((c) => chatText([c], 'reasoning_content') !== '');
    expect(lastReasoning).toBeLessThan(firstContent);

    const filtered = await json(await post('/v1/chat/completions', chatBody('tell me [filter] now')));
    expect((filtered.choices as Json[])[0]?.finish_reason).toBe('content_filter');

    const o3 = await post('/v1/chat/completions', chatBody('hi', { model: 'o3', max_tokens: 10 }));
    expect(o3.status).toBe(400);
    expect(((await json(o3)).error as Json).code).toBe('unsupported_parameter');
    const missing = await post('/v1/chat/completions', { model: 'gpt-4o' });
    expect(missing.status).toBe(400);
  });
});

describe('responses, messages, gemini', () => {
  it('streams Responses events with sequence numbers, reasoning summary and a terminal usage', async () => {
    const response = await post(
      '/v1/responses',
      { model: 'gpt-5', input: 'hello', stream: true },
      auth({ 'x-fake-trailing-done': '1' }),
    );
    const events = parseSse(await response.text());
    expect(events.at(-1)?.data).toBe('[DONE]');
    const data = dataOf(events);
    expect(data.map((d) => d.sequence_number)).toEqual(data.map((_, i) => i));
    expect(events.filter((e) => e.data !== '[DONE]').every((e, i) => e.event === data[i]?.type)).toBe(true);
    const summary = data
      .filter((d) => d.type === 'response.reasoning_summary_text.delta')
      .map((d) => d.delta);
    expect(summary.join('')).toBe('Thinking about: hello');
    const text = data.filter((d) => d.type === 'response.output_text.delta').map((d) => d.delta);
    expect(text.join('')).toBe('Echo: hello');
    const completed = data.at(-1) as Json;
    expect(completed.type).toBe('response.completed');
    expect(((completed.response as Json).usage as Json).total_tokens).toBeGreaterThan(0);
  });

  it('streams Claude thinking, text and cumulative usage; validates thinking and system role', async () => {
    const body = {
      model: 'claude-sonnet-4-5',
      max_tokens: 4000,
      stream: true,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'hello' }],
    };
    const response = await post('/v1/messages', body, auth(ANTHROPIC_VERSION));
    const events = parseSse(await response.text());
    const data = dataOf(events);
    expect(events.map((e) => e.event)).toEqual(data.map((d) => d.type));
    expect(data[0]).toMatchObject({ type: 'message_start', message: { usage: { output_tokens: 1 } } });
    expect(data.map((d) => d.type)).toContain('ping');
    const deltas = data.filter((d) => d.type === 'content_block_delta').map((d) => d.delta as Json);
    expect(deltas.filter((d) => d.type === 'thinking_delta').length).toBeGreaterThan(1);
    const signatureAt = deltas.findIndex((d) => d.type === 'signature_delta');
    expect(signatureAt).toBeLessThan(deltas.findIndex((d) => d.type === 'text_delta'));
    expect(deltas.map((d) => d.text ?? '').join('')).toBe('Echo: hello');
    const messageDelta = data.find((d) => d.type === 'message_delta') as Json;
    expect((messageDelta.usage as Json).output_tokens).toBeGreaterThan(5);
    expect(data.at(-1)?.type).toBe('message_stop');

    const lowBudget = await post(
      '/v1/messages',
      { ...body, thinking: { type: 'enabled', budget_tokens: 500 } },
      auth(ANTHROPIC_VERSION),
    );
    expect(lowBudget.status).toBe(400);
    const systemRole = await post(
      '/v1/messages',
      { ...body, thinking: undefined, messages: [{ role: 'system', content: 'be brief' }] },
      auth(ANTHROPIC_VERSION),
    );
    expect(systemRole.status).toBe(400);
  });

  it('streams Claude tool_use as input_json_delta pieces', async () => {
    const body = {
      model: 'claude-sonnet-4-5',
      max_tokens: 400,
      stream: true,
      tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
      messages: [{ role: 'user', content: 'weather in Oslo?' }],
    };
    const data = dataOf(parseSse(await (await post('/v1/messages', body, auth(ANTHROPIC_VERSION))).text()));
    const partial = data
      .filter((d) => d.type === 'content_block_delta' && (d.delta as Json).type === 'input_json_delta')
      .map((d) => (d.delta as Json).partial_json);
    expect(partial.length).toBeGreaterThan(1);
    expect(JSON.parse(partial.join(''))).toEqual({ city: 'Oslo', unit: 'celsius' });
    expect(data.find((d) => d.type === 'message_delta')).toMatchObject({
      delta: { stop_reason: 'tool_use' },
    });
  });

  it('streams Gemini SSE with thought parts and a final chunk carrying finishReason and usage', async () => {
    const body = {
      contents: [{ role: 'user', parts: [{ text: 'hello' }] }],
      generationConfig: { thinkingConfig: { includeThoughts: true } },
    };
    const path = '/v1beta/models/gemini-2.5-pro:streamGenerateContent';
    const events = parseSse(await (await post(`${path}?alt=sse`, body)).text());
    expect(events.every((e) => e.event === undefined && e.data !== '[DONE]')).toBe(true);
    const chunks = dataOf(events);
    const parts = chunks.flatMap((c) => ((c.candidates as Json[])[0]!.content as Json).parts as Json[]);
    expect(
      parts
        .filter((p) => p.thought === true)
        .map((p) => p.text)
        .join(''),
    ).toBe('Thinking about: hello');
    expect(
      parts
        .filter((p) => p.thought !== true)
        .map((p) => p.text)
        .join(''),
    ).toBe('Echo: hello');
    const last = chunks.at(-1) as Json;
    expect((last.candidates as Json[])[0]?.finishReason).toBe('STOP');
    expect((last.usageMetadata as Json).thoughtsTokenCount).toBeGreaterThan(0);

    const array = await post(path, body);
    expect(Array.isArray(await array.json())).toBe(true);
    const blocked = await json(
      await post('/v1beta/models/gemini-2.5-pro:generateContent', {
        contents: [{ parts: [{ text: '[blocked]' }] }],
      }),
    );
    expect(blocked.candidates).toBeUndefined();
    expect((blocked.promptFeedback as Json).blockReason).toBe('SAFETY');
    const badRole = await post('/v1beta/models/gemini-2.5-pro:generateContent', {
      contents: [{ role: 'assistant', parts: [{ text: 'x' }] }],
    });
    expect(badRole.status).toBe(400);
  });
});

describe('embeddings and transcription', () => {
  it('returns normalized hashing embeddings where shared words mean similarity', async () => {
    const body = {
      model: 'text-embedding-3-small',
      input: ['red apple pie', 'red apple tart', 'quantum physics'],
    };
    const data = (await json(await post('/v1/embeddings', body))).data as { embedding: number[] }[];
    const [a = [], b = [], c = []] = data.map((d) => d.embedding);
    const dot = (x: number[], y: number[]) => x.reduce((sum, v, i) => sum + v * (y[i] ?? 0), 0);
    expect(a).toHaveLength(1536);
    expect(dot(a, a)).toBeCloseTo(1, 5);
    expect(dot(a, b)).toBeGreaterThan(dot(a, c) + 0.3);

    const b64 = await json(
      await post('/v1/embeddings', { ...body, dimensions: 8, encoding_format: 'base64' }),
    );
    const first = (b64.data as Json[])[0]!.embedding as string;
    const bytes = Buffer.from(first, 'base64');
    expect(bytes.length).toBe(32);
    const floats = Array.from({ length: 8 }, (_, i) => bytes.readFloatLE(i * 4));
    expect(dot(floats, floats)).toBeCloseTo(1, 5);
  });

  it('transcribes multipart uploads in every response format and enforces the limits', async () => {
    const send = (
      file: Blob,
      name: string,
      fields: Record<string, string>,
      headers: Record<string, string> = {},
    ) => {
      const form = new FormData();
      form.append('file', file, name);
      for (const [key, value] of Object.entries(fields)) form.append(key, value);
      return fetch(`${proxy.url}/v1/audio/transcriptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${proxy.token}`, ...headers },
        body: form,
      });
    };
    const wav = new Blob([fixture('speech.wav')]);
    const verbose = await json(
      await send(wav, 'speech.wav', { model: 'whisper-1', response_format: 'verbose_json' }),
    );
    expect(verbose.text).toContain('speech.wav');
    expect(verbose.duration).toBeGreaterThan(2);
    const segments = verbose.segments as Json[];
    expect(segments.length).toBe(Math.ceil((verbose.duration as number) / 3));
    expect((segments[0]!.words as Json[]).length).toBeGreaterThan(0);
    const top = await json(
      await send(
        wav,
        'speech.wav',
        { model: 'whisper-1', response_format: 'verbose_json' },
        { 'x-fake-words': 'top' },
      ),
    );
    expect((top.words as Json[]).length).toBeGreaterThan(0);
    expect((top.segments as Json[])[0]?.words).toBeUndefined();
    const srt = await (await send(wav, 'speech.wav', { model: 'whisper-1', response_format: 'srt' })).text();
    expect(srt).toMatch(/^1\n00:00:00,000 --> 00:00:03,000\n/);

    expect((await send(wav, 'speech.txt', { model: 'whisper-1' })).status).toBe(400);
    const gpt4o = await send(wav, 'speech.wav', { model: 'gpt-4o-transcribe', response_format: 'srt' });
    expect(gpt4o.status).toBe(400);
    const huge = await send(new Blob([new Uint8Array(25 * 1024 * 1024 + 1)]), 'big.mp3', {
      model: 'whisper-1',
    });
    expect(huge.status).toBe(413);
    expect(((await json(huge)).error as Json).message).toContain('26214400');
  });
});

describe('faults', () => {
  const streamChat = () => post('/v1/chat/completions', chatBody('hello fault world', { stream: true }));

  it('delays with latency, then answers normally', async () => {
    proxy.addFault({ match: '/v1/chat', fault: { type: 'latency', ms: 150 } });
    const started = Date.now();
    const response = await post('/v1/chat/completions', chatBody('hi'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(response.status).toBe(200);
  });

  it('answers status faults in each family shape with retry hints, once', async () => {
    proxy.addFault({
      match: '/v1/chat',
      fault: { type: 'status', status: 429, retryAfter: '2', retryAfterMs: 1500 },
    });
    const limited = await post('/v1/chat/completions', chatBody('hi'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.headers.get('retry-after-ms')).toBe('1500');
    expect(((await json(limited)).error as Json).message).toEqual(expect.any(String));
    expect((await post('/v1/chat/completions', chatBody('hi'))).status).toBe(200);

    proxy.addFault({
      match: ':generateContent',
      fault: { type: 'status', status: 429, retryInfoDelay: '2s' },
    });
    const google = await json(
      await post('/v1beta/models/g:generateContent', { contents: [{ parts: [{ text: 'x' }] }] }),
    );
    expect(google).toMatchObject({
      error: { code: 429, status: 'RESOURCE_EXHAUSTED', details: [{ retryDelay: '2s' }] },
    });
    proxy.addFault({ match: '/v1/messages', fault: { type: 'status', status: 529 } });
    const overloaded = await post('/v1/messages', {}, auth(ANTHROPIC_VERSION));
    expect(overloaded.status).toBe(529);
    expect(await json(overloaded)).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
  });

  it('serves gateway HTML pages and Kling business codes', async () => {
    proxy.addFault({ fault: { type: 'html' } });
    const html = await post('/v1/chat/completions', chatBody('hi'));
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toContain('text/html');
    proxy.addFault({
      match: '/kling/',
      fault: { type: 'kling-code', code: 1102, message: 'balance not enough' },
    });
    const kling = await post('/kling/v1/videos/text2video', { prompt: 'cat' });
    expect(kling.status).toBe(200);
    expect(await json(kling)).toMatchObject({ code: 1102, message: 'balance not enough' });
  });

  it('cuts a stream after N events', async () => {
    proxy.addFault({ match: '/v1/chat', fault: { type: 'cut', afterEvents: 2 } });
    const response = await streamChat();
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('inserts a malformed event and then continues', async () => {
    proxy.addFault({ fault: { type: 'malformed', afterEvents: 1 } });
    const events = parseSse(await (await streamChat()).text());
    expect(events[1]?.data).toBe('{"broken');
    expect(events.at(-1)?.data).toBe('[DONE]');
  });

  it('trickles events in small byte pieces that still add up to the same stream', async () => {
    proxy.addFault({ fault: { type: 'trickle', delayMs: 2 } });
    const response = await streamChat();
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const pieces: Uint8Array[] = [];
    for (let read = await reader.read(); !read.done; read = await reader.read()) pieces.push(read.value);
    expect(pieces.length).toBeGreaterThan(20);
    const text = Buffer.concat(pieces).toString('utf8');
    expect(chatText(dataOf(parseSse(text)))).toBe('Echo: hello fault world');
  });

  it('sends keep-alive pings before the first event', async () => {
    proxy.addFault({ fault: { type: 'pings', everyMs: 5, count: 3 } });
    const text = await (await streamChat()).text();
    expect(text.startsWith(': ping\n\n: ping\n\n: ping\n\ndata: ')).toBe(true);
  });

  it('ends streams with each family in-stream error', async () => {
    proxy.addFault({ match: '/v1/chat', fault: { type: 'midstream-error' } });
    const chat = dataOf(parseSse(await (await streamChat()).text()));
    expect(chat.at(-1)).toMatchObject({ error: { type: 'server_error' } });

    proxy.addFault({ match: '/v1/messages', fault: { type: 'midstream-error', afterEvents: 3 } });
    const body = { model: 'c', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'hi' }] };
    const claude = parseSse(await (await post('/v1/messages', body, auth(ANTHROPIC_VERSION))).text());
    expect(claude).toHaveLength(4);
    expect(claude.at(-1)?.event).toBe('error');

    proxy.addFault({ match: '/v1/responses', fault: { type: 'midstream-error' } });
    const responses = dataOf(
      parseSse(await (await post('/v1/responses', { model: 'gpt-4.1', input: 'x', stream: true })).text()),
    );
    expect(responses.map((d) => d.type).slice(-2)).toEqual(['error', 'response.failed']);
    expect(responses.map((d) => d.type)).not.toContain('response.completed');
  });

  it('resets connections, hangs until the client gives up, and honours method and times', async () => {
    proxy.addFault({ fault: { type: 'reset' } });
    await expect(post('/v1/chat/completions', chatBody('hi'))).rejects.toThrow();

    proxy.addFault({ fault: { type: 'hang' } });
    const hung = fetch(`${proxy.url}/v1/videos`, { headers: auth(), signal: AbortSignal.timeout(150) });
    await expect(hung).rejects.toThrow();

    proxy.addFault({ method: 'GET', times: 2, fault: { type: 'status', status: 503 } });
    expect((await post('/v1/chat/completions', chatBody('hi'))).status).toBe(200);
    expect((await fetch(`${proxy.url}/v1/videos`, { headers: auth() })).status).toBe(503);
    expect((await fetch(`${proxy.url}/v1/videos`, { headers: auth() })).status).toBe(503);
    expect((await fetch(`${proxy.url}/v1/videos`, { headers: auth() })).status).toBe(200);
  });
});

describe('video jobs', () => {
  const getJson = async (path: string) => json(await fetch(`${proxy.url}${path}`, { headers: auth() }));

  it('runs a Sora job through queued, in_progress and completed, then serves content with Range', async () => {
    const created = await json(await post('/v1/videos', { model: 'sora-2', prompt: 'a cat', seconds: '4' }));
    expect(created).toMatchObject({ object: 'video', status: 'queued', progress: 0 });
    const early = await fetch(`${proxy.url}/v1/videos/${created.id}/content`, { headers: auth() });
    expect(early.status).toBe(400);
    expect(early.headers.get('content-type')).toContain('application/json');

    const seen: Json[] = [];
    const done = await waitFor(
      () => getJson(`/v1/videos/${created.id}`),
      (v) => v.status === 'completed',
      seen,
    );
    expect(seen.map((v) => v.status)).toContain('in_progress');
    expect(done.progress).toBe(100);
    expect(done.expires_at).toEqual(expect.any(Number));

    const video = fixture('video.mp4');
    const full = await fetch(`${proxy.url}/v1/videos/${created.id}/content`, { headers: auth() });
    expect(full.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await full.arrayBuffer()).equals(video)).toBe(true);
    const part = await fetch(`${proxy.url}/v1/videos/${created.id}/content?variant=video`, {
      headers: auth({ range: 'bytes=100-' }),
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-${video.length - 1}/${video.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(video.subarray(100))).toBe(true);
    const beyond = await fetch(`${proxy.url}/v1/videos/${created.id}/content`, {
      headers: auth({ range: `bytes=${video.length}-` }),
    });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${video.length}`);
    const thumb = await fetch(`${proxy.url}/v1/videos/${created.id}/content?variant=thumbnail`, {
      headers: auth(),
    });
    expect(thumb.headers.get('content-type')).toBe('image/webp');

    const remix = await json(await post(`/v1/videos/${created.id}/remix`, { prompt: 'a dog' }));
    expect(remix).toMatchObject({ status: 'queued', remixed_from_video_id: created.id });
  });

  it('fails [fail] prompts, pages the list and deletes', async () => {
    const failing = await json(await post('/v1/videos', { prompt: 'boom [fail]' }));
    const failed = await waitFor(
      () => getJson(`/v1/videos/${failing.id}`),
      (v) => v.status !== 'queued' && v.status !== 'in_progress',
    );
    expect(failed).toMatchObject({
      status: 'failed',
      error: { code: expect.any(String), message: expect.any(String) },
    });
    expect((await post('/v1/videos', { prompt: 'x', seconds: 4 })).status).toBe(400);

    const ids: string[] = [];
    let after = '';
    for (;;) {
      const page = await getJson(`/v1/videos?limit=2&order=asc${after ? `&after=${after}` : ''}`);
      ids.push(...(page.data as Json[]).map((v) => String(v.id)));
      if (!page.has_more) break;
      after = String(page.last_id);
    }
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.at(-1)).toBe(failing.id);

    const deleted = await fetch(`${proxy.url}/v1/videos/${failing.id}`, {
      method: 'DELETE',
      headers: auth(),
    });
    expect(await json(deleted)).toEqual({ id: failing.id, object: 'video.deleted', deleted: true });
    expect((await fetch(`${proxy.url}/v1/videos/${failing.id}`, { headers: auth() })).status).toBe(404);
  });

  it('points Seedance results at the CDN host, which records an Authorization header if sent', async () => {
    const body = { model: 'doubao-seedance-1-5-pro-251215', content: [{ type: 'text', text: 'a meadow' }] };
    const { id } = await json(await post('/seedance/v3/contents/generations/tasks', body));
    const seen: Json[] = [];
    const task = await waitFor(
      () => getJson(`/seedance/v3/contents/generations/tasks/${id}`),
      (t) => t.status === 'succeeded',
      seen,
    );
    expect(seen.map((t) => t.status)).toContain('running');
    const url = String((task.content as Json).video_url);
    expect(url.startsWith(`${proxy.cdnUrl}/cdn/`)).toBe(true);

    const clean = await fetch(url, { headers: { range: 'bytes=0-9' } });
    expect(clean.status).toBe(206);
    expect((await clean.arrayBuffer()).byteLength).toBe(10);
    await (await fetch(url, { headers: { authorization: 'Bearer leaked' } })).arrayBuffer();
    const cdnRequests = proxy.requests.filter((r) => r.host === new URL(proxy.cdnUrl).host);
    expect(cdnRequests.map((r) => r.headers.authorization)).toEqual([undefined, 'Bearer leaked']);
  });

  it('cuts a CDN download mid-body so that a client can resume it with Range', async () => {
    const url = `${proxy.cdnUrl}/cdn/resume-test.mp4`;
    const video = fixture('video.mp4');
    proxy.addFault({ match: '/cdn/resume-test', fault: { type: 'cut-bytes', afterBytes: 1000 } });
    const cut = await fetch(url);
    expect(cut.headers.get('content-length')).toBe(String(video.length));
    await expect(cut.arrayBuffer()).rejects.toThrow();
    const rest = await fetch(url, { headers: { range: 'bytes=1000-' } });
    expect(rest.status).toBe(206);
    expect(
      Buffer.concat([video.subarray(0, 1000), Buffer.from(await rest.arrayBuffer())]).equals(video),
    ).toBe(true);
  });

  it('runs Kling tasks in the official envelope and rejects data: images', async () => {
    const created = await json(
      await post('/kling/v1/videos/text2video', { prompt: 'rabbit', duration: '5' }),
    );
    expect(created).toMatchObject({ code: 0, data: { task_status: 'submitted' } });
    const taskId = String((created.data as Json).task_id);
    const done = await waitFor(
      () => getJson(`/kling/v1/videos/text2video/${taskId}`),
      (t) => (t.data as Json).task_status === 'succeed',
    );
    const data = done.data as Json;
    expect(data.created_at).toBeGreaterThan(1e12);
    const videos = (data.task_result as Json).videos as Json[];
    expect(String(videos[0]?.url).startsWith(`${proxy.cdnUrl}/cdn/`)).toBe(true);

    const dataUrl = await post('/kling/v1/videos/image2video', { image: 'data:image/png;base64,AAAA' });
    expect((await json(dataUrl)).code).not.toBe(0);
    const noImage = await post('/kling/v1/videos/image2video', { prompt: 'x' });
    expect((await json(noImage)).code).not.toBe(0);
    const i2v = await json(
      await post('/kling/v1/videos/image2video', { image: 'https://example.com/a.png' }),
    );
    expect(i2v.code).toBe(0);
  });

  it('runs a Veo long-running operation to base64 video bytes', async () => {
    const base = '/v1/models/veo-3.0-generate-001';
    const { name } = await json(
      await post(`${base}:predictLongRunning`, { instances: [{ prompt: 'drone shot' }] }),
    );
    const first = await json(await post(`${base}:fetchPredictOperation`, { operationName: name }));
    expect(first).toEqual({ name, done: false });
    const done = await waitFor(
      async () => json(await post(`${base}:fetchPredictOperation`, { operationName: name })),
      (op) => op.done === true,
    );
    const video = ((done.response as Json).videos as Json[])[0] as Json;
    expect(video.mimeType).toBe('video/mp4');
    expect(Buffer.from(String(video.bytesBase64Encoded), 'base64').equals(fixture('video.mp4'))).toBe(true);
  });
});

describe('control API and CLI', () => {
  it('runs as a process that prints its URLs and takes faults over HTTP', async () => {
    const args = ['--import', 'tsx', 'test/fake-proxy/cli.ts', '--token', 'cli-token', '--speed', '20'];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const line = await new Promise<string>((resolve) => {
        createInterface({ input: child.stdout }).once('line', resolve);
      });
      const info = JSON.parse(line) as { url: string; cdnUrl: string; token: string };
      expect(info.token).toBe('cli-token');
      const added = await fetch(`${info.url}/__fake/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          match: '/v1/embeddings',
          times: null,
          fault: { type: 'status', status: 500 },
        }),
      });
      expect(added.status).toBe(201);
      const call = () =>
        fetch(`${info.url}/v1/embeddings`, {
          method: 'POST',
          headers: { authorization: 'Bearer cli-token', 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'text-embedding-3-small', input: 'x' }),
        });
      expect((await call()).status).toBe(500);
      expect((await call()).status).toBe(500);
      await fetch(`${info.url}/__fake/faults`, { method: 'DELETE' });
      expect((await call()).status).toBe(200);
      const recorded = (await (await fetch(`${info.url}/__fake/requests`)).json()) as Json[];
      expect(recorded).toHaveLength(3);
      expect(recorded[0]).toMatchObject({ method: 'POST', path: '/v1/embeddings', json: { input: 'x' } });
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
