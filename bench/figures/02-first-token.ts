import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { startFakeProxy } from '../../test/fake-proxy/index';
import { startBenchCore, type TransportMessage } from '../lib/core';
import { median } from '../lib/measure';
import type { Figure } from '../lib/report';

const RUNS = 21;
const PROMPT = 'Say hello';

/** Time from sending the request to the first content delta in the raw body, with nothing but undici. */
async function bareFirstContent(url: string, token: string): Promise<number> {
  const start = performance.now();
  const response = await request(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: PROMPT }],
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  let text = '';
  let at = Number.NaN;
  for await (const chunk of response.body) {
    text += (chunk as Buffer).toString();
    if (Number.isNaN(at) && /"content":"[^"]/.test(text)) at = performance.now() - start;
  }
  return at;
}

export const firstToken: Figure = {
  id: 2,
  title: 'Time to first token added by HubDesk',
  async run(ctx) {
    const proxy = await startFakeProxy({ streamDelayMs: 0 });
    const bench = await startBenchCore(ctx.tempDir, proxy.url, proxy.token);
    try {
      const sendReturned: number[] = [];
      const emittedAt: number[] = [];
      const hub = async () => {
        const conversation = bench.core.chat.createConversation({ model: 'gpt-4o' });
        const ours = (m: TransportMessage) => m.payload.conversationId === conversation.id;
        const first = bench.next((m) => m.event === 'chat.delta' && ours(m));
        const end = bench.next((m) => m.event === 'chat.end' && ours(m));
        const emitsBefore = bench.emitted.length;
        const start = performance.now();
        await bench.core.chat.send({ conversationId: conversation.id, text: PROMPT });
        sendReturned.push(performance.now() - start);
        const delivered = (await first).at - start;
        const emitted = bench.emitted.slice(emitsBefore).find((e) => e.event === 'chat.delta');
        emittedAt.push((emitted?.at ?? Number.NaN) - start);
        await end;
        return delivered;
      };
      await hub();
      await bareFirstContent(proxy.url, proxy.token);
      sendReturned.length = 0;
      emittedAt.length = 0;
      const hubSamples: number[] = [];
      const bareSamples: number[] = [];
      const added: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const bare = await bareFirstContent(proxy.url, proxy.token);
        const hubMs = await hub();
        bareSamples.push(bare);
        hubSamples.push(hubMs);
        added.push(hubMs - bare);
      }
      const addedMs = median(added);
      ctx.log(`bare ${median(bareSamples).toFixed(2)} ms, HubDesk ${median(hubSamples).toFixed(2)} ms`);
      return {
        id: 2,
        title: 'Time to first token added by HubDesk',
        method: `The fake proxy (first event without delay) on 127.0.0.1. HubDesk: chat.send (user message stored, request built, sent) → first chat.delta received by a WebSocket client of the real transport. Bare: one undici request → first content delta in the body. ${RUNS} interleaved pairs; "added" is the median of the per-pair differences.`,
        rows: [
          {
            name: 'chat.send returns (prompt and reply rows stored)',
            value: median(sendReturned),
            unit: 'ms',
            baselineName: 'bare undici request',
            baseline: median(bareSamples),
            ratioLabel: 'of bare',
            target: '–',
            met: null,
          },
          {
            name: 'first normalized event emitted in main',
            value: median(emittedAt),
            unit: 'ms',
            baselineName: 'bare undici request',
            baseline: median(bareSamples),
            ratioLabel: 'of bare',
            target: '–',
            met: null,
          },
          {
            name: 'first event delivered on the transport',
            value: median(hubSamples),
            unit: 'ms',
            baselineName: 'bare undici request',
            baseline: median(bareSamples),
            ratioLabel: 'of bare',
            target: '–',
            met: null,
          },
          {
            name: 'time added by HubDesk (median of pairs)',
            value: addedMs,
            unit: 'ms',
            baselineName: 'bare undici request',
            baseline: median(bareSamples),
            ratioLabel: 'of bare',
            target: '< 2 ms added',
            met: addedMs < 2,
            missNote:
              "See the stage rows: chat.send spends about 2 ms in synchronous SQLite work before the request can leave (conversation lookup, user-message insert with its FTS trigger, title update, assistant insert, setActiveLeaf, each its own autocommit WAL transaction, and 4 conversations.changed/WS events), runReply then awaits turnsUpTo (reads the thread back) and the token before sending, and the WebSocket hop adds the rest because main's event loop is also serving the proxy in this process. Fix: write the user and assistant rows in one transaction, build the request from the in-memory turns instead of reading the thread back, and emit conversations.changed after the request has left.",
          },
        ],
      };
    } finally {
      await bench.close();
      await proxy.close();
    }
  },
};
