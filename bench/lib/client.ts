import type { ChatRequest } from '../../src/main/api/chat/types';
import { HttpClient } from '../../src/main/api/http-client';
import { findModel } from '../../src/shared/models';

export const BENCH_TOKEN = 'bench-token-0123456789';

/** HubDesk's HTTP client pointed at a loopback server, with no proxy from the environment. */
export function benchClient(baseUrl: string): HttpClient {
  return new HttpClient({
    target: () => ({ baseUrl, proxyUrl: null, endpointOverrides: {} }),
    token: async () => BENCH_TOKEN,
    env: {},
  });
}

/** A one-turn streaming chat request for gpt-4o, as the chat service would build it. */
export function chatRequest(prompt: string): ChatRequest {
  return {
    model: findModel('gpt-4o', []),
    system: '',
    turns: [{ role: 'user', text: prompt, images: [], toolCalls: [] }],
    params: {},
    stream: true,
  };
}
