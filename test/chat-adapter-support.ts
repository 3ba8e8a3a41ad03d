import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ApiCall } from '../src/main/api/api-call';
import type { ChatAdapter, ChatRequest, ChatTurn, StreamEvent } from '../src/main/api/chat/types';
import { HttpClient } from '../src/main/api/http-client';
import { readSse } from '../src/main/api/sse';
import { toAppError } from '../src/main/base/errors';
import type { ChatParams } from '../src/shared/chat-params';
import type { AppError } from '../src/shared/errors';
import { findModel } from '../src/shared/models';
import { type FakeProxy, startFakeProxy } from './fake-proxy';

/** Shared by the chat-adapter-*.test.ts files: recorded streams, a real HTTP client, event summaries. */

const fixturesDir = join(import.meta.dirname, 'fixtures', 'chat');

async function* piecesOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/**
 * A recorded stream fed through the SSE reader and a fresh stream reader, then closed with `end()`.
 * `pieceBytes` splits the body into small chunks (UTF-8 characters may be cut), as a trickling server would.
 */
export async function fixtureEvents(
  adapter: ChatAdapter,
  name: string,
  pieceBytes = 64 * 1024,
): Promise<StreamEvent[]> {
  const bytes = readFileSync(join(fixturesDir, name));
  const reader = adapter.createStreamReader();
  const events: StreamEvent[] = [];
  for await (const message of readSse(piecesOf(bytes, pieceBytes))) events.push(...reader.push(message));
  events.push(...reader.end());
  return events;
}

export function makeClient(proxy: FakeProxy): HttpClient {
  return new HttpClient({
    target: () => ({ baseUrl: proxy.url, proxyUrl: null, endpointOverrides: {} }),
    token: async () => proxy.token,
    sleep: async () => {},
    env: {},
  });
}

/**
 * A fake proxy and a client for the describe block it is called in: started before its tests, its faults and
 * recorded requests cleared after each, both closed after the block.
 */
export function liveAdapterProxy(): { proxy: FakeProxy; client: HttpClient } {
  const live = {} as { proxy: FakeProxy; client: HttpClient };
  beforeAll(async () => {
    live.proxy = await startFakeProxy();
    live.client = makeClient(live.proxy);
  });
  afterEach(() => {
    live.proxy.clearFaults();
    live.proxy.requests.length = 0;
  });
  afterAll(async () => {
    await live.client.close();
    await live.proxy.close();
  });
  return live;
}

export interface Drained {
  events: StreamEvent[];
  /** What the HTTP core threw (a cut stream, a malformed event), if anything. */
  thrown: AppError | null;
}

/** Runs a streaming call to its end, the way the chat service does. */
export async function drain(client: HttpClient, adapter: ChatAdapter, call: ApiCall): Promise<Drained> {
  const reader = adapter.createStreamReader();
  const events: StreamEvent[] = [];
  try {
    for await (const message of client.stream(call)) events.push(...reader.push(message));
  } catch (error) {
    return { events, thrown: toAppError(error) };
  }
  events.push(...reader.end());
  return { events, thrown: null };
}

export function userTurn(text: string, images: ChatTurn['images'] = []): ChatTurn {
  return { role: 'user', text, images, toolCalls: [] };
}

export function assistantTurn(text: string, toolCalls: ChatTurn['toolCalls'] = []): ChatTurn {
  return { role: 'assistant', text, images: [], toolCalls };
}

export function chatRequest(
  modelId: string,
  turns: ChatTurn[] | string,
  options: { system?: string; params?: ChatParams; stream?: boolean } = {},
): ChatRequest {
  return {
    model: findModel(modelId),
    system: options.system ?? '',
    turns: typeof turns === 'string' ? [userTurn(turns)] : turns,
    params: options.params ?? {},
    stream: options.stream ?? true,
  };
}

export function textOf(events: StreamEvent[]): string {
  return events.map((event) => (event.type === 'text' ? event.text : '')).join('');
}

export function reasoningOf(events: StreamEvent[]): string {
  return events.map((event) => (event.type === 'reasoning' ? event.text : '')).join('');
}

/** The tool calls as a user would see them once the stream is done. */
export function toolCallsOf(events: StreamEvent[]): { id: string; name: string; arguments: string }[] {
  const calls: { id: string; name: string; arguments: string }[] = [];
  for (const event of events) {
    if (event.type !== 'tool-call') continue;
    const call = calls[event.index] ?? { id: '', name: '', arguments: '' };
    calls[event.index] = call;
    if (event.id !== undefined) call.id = event.id;
    if (event.name !== undefined) call.name = event.name;
    call.arguments += event.argumentsDelta;
  }
  return calls;
}

/** The stream without its text, reasoning and tool-call pieces: usage, finish and errors, in order. */
export function outcomeOf(events: StreamEvent[]): StreamEvent[] {
  return events.filter(
    (event) => event.type === 'usage' || event.type === 'finish' || event.type === 'error',
  );
}

/** A 1×1 PNG. */
export const PIXEL_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
