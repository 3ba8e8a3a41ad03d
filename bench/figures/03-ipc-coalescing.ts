import { performance } from 'node:perf_hooks';
import { openaiChatFrames, proseTokens, startChatStreamServer } from '../lib/chat-stream';
import { BENCH_TOKEN } from '../lib/client';
import { startBenchCore } from '../lib/core';
import type { Figure } from '../lib/report';

const TOKENS = 20_000;
const FRAME_MS = 16;

export const ipcCoalescing: Figure = {
  id: 3,
  title: 'IPC coalescing',
  async run(ctx) {
    const server = await startChatStreamServer();
    const tokens = proseTokens(TOKENS);
    server.serve(openaiChatFrames(tokens), { kind: 'per-frame' });
    const bench = await startBenchCore(ctx.tempDir, server.url, BENCH_TOKEN);
    try {
      const conversation = bench.core.chat.createConversation({ model: 'gpt-4o' });
      const sentAt = performance.now();
      const started = await bench.core.chat.send({ conversationId: conversation.id, text: 'Write a lot.' });
      const end = bench.next((m) => m.event === 'chat.end' && m.payload.streamId === started.streamId);
      await bench.core.chat.whenDone(started.streamId);
      await end;
      const ours = bench.received.filter(
        (m) =>
          (m.event === 'chat.delta' || m.event === 'chat.end') && m.payload.streamId === started.streamId,
      );
      const deltas = ours.filter((m) => m.event === 'chat.delta');
      const last = ours[ours.length - 1];
      // Stream time from main's own clock: the client's arrival times bunch up while main is busy.
      const emits = bench.emitted.filter(
        (e) =>
          (e.event === 'chat.delta' || e.event === 'chat.end') &&
          (e.payload as { streamId?: string }).streamId === started.streamId,
      );
      const firstEmit = emits[0];
      const lastEmit = emits[emits.length - 1];
      if (!last || !firstEmit || !lastEmit) throw new Error('no deltas arrived');
      const streamMs = lastEmit.at - firstEmit.at;
      const bytes = ours.reduce((sum, m) => sum + m.bytes, 0);
      const text = deltas.map((m) => String(m.payload.text ?? '')).join('');
      if (text !== tokens.join('')) throw new Error('the deltas do not add up to the reply');
      // One message per token: the same envelope with one token each, plus the same final message.
      const endBytes = last.bytes;
      let perTokenBytes = endBytes;
      tokens.forEach((token, index) => {
        perTokenBytes += Buffer.byteLength(
          JSON.stringify({
            type: 'event',
            event: 'chat.delta',
            payload: {
              streamId: started.streamId,
              conversationId: conversation.id,
              messageId: started.assistantMessageId,
              seq: index + 1,
              text: token,
            },
          }),
        );
      });
      const allowed = Math.ceil(streamMs / FRAME_MS) + 1;
      ctx.log(
        `${ours.length} messages over ${streamMs.toFixed(0)} ms of stream (send → end ${(lastEmit.at - sentAt).toFixed(0)} ms)`,
      );
      return {
        id: 3,
        title: 'IPC coalescing',
        method: `${TOKENS.toLocaleString('en-US')} tokens (100 KB) from a loopback server writing one SSE frame at a time as fast as the socket takes them; the real core and WebSocket transport; every chat.delta/chat.end frame a client received is counted. Stream time = first chat.delta → chat.end as main emitted them. Allowed: one message per ${FRAME_MS} ms of stream time (+1 for the end).`,
        rows: [
          {
            name: 'transport messages for the stream',
            value: ours.length,
            unit: 'msgs',
            baselineName: 'one per token',
            baseline: TOKENS + 1,
            ratioLabel: 'of per-token',
            target: `≤ ${allowed} (1 per 16 ms of ${streamMs.toFixed(0)} ms)`,
            met: ours.length <= allowed,
            missNote:
              'More than one delta per 16 ms frame reached the transport: check the Pacer in services/chat/reply/pacer.ts (one timer per interval, first call immediate).',
          },
          {
            name: 'transport bytes for the stream',
            value: bytes / 1024,
            unit: 'KiB',
            baselineName: 'one per token',
            baseline: perTokenBytes / 1024,
            ratioLabel: 'of per-token',
            target: '–',
            met: null,
          },
        ],
      };
    } finally {
      await bench.close();
      await server.close();
    }
  },
};
