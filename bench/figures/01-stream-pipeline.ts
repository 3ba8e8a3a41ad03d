import { createParser } from 'eventsource-parser';
import OpenAI from 'openai';
import { request } from 'undici';
import { openaiChatAdapter } from '../../src/main/api/chat/openai-chat';
import { openaiChatFrames, proseTokens, startChatStreamServer } from '../lib/chat-stream';
import { BENCH_TOKEN, benchClient, chatRequest } from '../lib/client';
import { interleaved, median } from '../lib/measure';
import type { Figure } from '../lib/report';

const CHUNKS = 50_000;
const RUNS = 7;

export const streamPipeline: Figure = {
  id: 1,
  title: 'Stream pipeline',
  async run(ctx) {
    const server = await startChatStreamServer();
    const frames = openaiChatFrames(proseTokens(CHUNKS));
    server.serve(frames, { kind: 'whole' });
    const megabytes = frames.reduce((sum, frame) => sum + Buffer.byteLength(frame), 0) / 1e6;
    const url = `${server.url}/v1/chat/completions`;
    const body = JSON.stringify({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` };
    const client = benchClient(server.url);
    const sdk = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: BENCH_TOKEN, maxRetries: 0 });
    let texts = 0;
    try {
      const samples = await interleaved(RUNS, {
        raw: async () => {
          const response = await request(url, { method: 'POST', body, headers });
          let bytes = 0;
          for await (const chunk of response.body) bytes += (chunk as Buffer).byteLength;
          return bytes;
        },
        floor: async () => {
          const response = await request(url, { method: 'POST', body, headers });
          let count = 0;
          const decoder = new TextDecoder();
          const parser = createParser({
            onEvent(event) {
              if (event.data !== '[DONE]') {
                JSON.parse(event.data);
                count++;
              }
            },
          });
          for await (const chunk of response.body)
            parser.feed(decoder.decode(chunk as Buffer, { stream: true }));
          return count;
        },
        hubdesk: async () => {
          const reader = openaiChatAdapter.createStreamReader();
          const call = openaiChatAdapter.buildCall(chatRequest('hi'));
          texts = 0;
          for await (const messages of client.streamBatches(call)) {
            for (const message of messages) {
              for (const event of reader.push(message)) if (event.type === 'text') texts++;
            }
          }
          reader.end();
          return texts;
        },
        sdk: async () => {
          const stream = await sdk.chat.completions.create({
            model: 'gpt-4o',
            messages: [{ role: 'user', content: 'hi' }],
            stream: true,
          });
          let count = 0;
          for await (const chunk of stream) if (chunk.choices[0]?.delta.content) count++;
          return count;
        },
      });
      if (texts !== CHUNKS) throw new Error(`HubDesk normalized ${texts} text events, expected ${CHUNKS}`);
      const raw = median(samples.raw);
      const floor = median(samples.floor);
      const hubdesk = median(samples.hubdesk);
      const openai = median(samples.sdk);
      ctx.log(
        `raw ${raw.toFixed(1)} ms, floor ${floor.toFixed(1)}, HubDesk ${hubdesk.toFixed(1)}, openai ${openai.toFixed(1)}`,
      );
      return {
        id: 1,
        title: 'Stream pipeline',
        method: `A recorded ${CHUNKS.toLocaleString('en-US')}-chunk OpenAI chat stream (${megabytes.toFixed(1)} MB) served in one write from node:http on 127.0.0.1; each variant does the whole request; median of ${RUNS} interleaved runs after a warm-up. HubDesk = HttpClient.streamBatches (as the reply loop reads it) + the openai-chat adapter's stream reader (request building, SSE, JSON, normalization).`,
        rows: [
          {
            name: 'HubDesk client: request, SSE, normalize',
            value: hubdesk,
            unit: 'ms',
            baselineName: '(a) undici + eventsource-parser + JSON.parse',
            baseline: floor,
            ratioLabel: 'of (a)',
            target: '≤ 1.25× (a)',
            met: hubdesk <= 1.25 * floor,
            missNote:
              'readSseBatches and HttpClient.streamBatches hand over the events of each body chunk together (one await per chunk, no per-event copy, [DONE] found without trim()), and the openai-chat reader finds its choice without map(). Without HTTP (the same chunks from memory, this machine) that path measured within 10% of eventsource-parser + JSON.parse, so what is left over the floor is per-event normalization (one event object per token) and noise: run the figure again before reading a miss.',
          },
          {
            name: '(b) openai SDK iterator, relative to HubDesk',
            value: openai,
            unit: 'ms',
            baselineName: 'HubDesk',
            baseline: hubdesk,
            ratioLabel: 'slower than HubDesk',
            target: '≥ 4× slower than HubDesk',
            met: openai >= 4 * hubdesk,
            missNote:
              "The SDK row is measured against HubDesk in the same run; with HubDesk near the floor this ratio is about (b)/(a), which moves with the machine's load.",
          },
          {
            name: 'raw undici read of the same body (context)',
            value: raw,
            unit: 'ms',
            baselineName: '(a)',
            baseline: floor,
            ratioLabel: 'of (a)',
            target: '–',
            met: null,
          },
        ],
      };
    } finally {
      await client.close();
      await server.close();
    }
  },
};
