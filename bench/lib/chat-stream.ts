import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The SSE frames of an OpenAI chat-completions stream that sends `pieces` one per chunk, as gpt-4o does. */
export function openaiChatFrames(pieces: string[]): string[] {
  const base = {
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: 1_763_900_000,
    model: 'gpt-4o',
  };
  const frame = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
  const frames = [
    frame({
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    }),
  ];
  for (const piece of pieces) {
    frames.push(frame({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] }));
  }
  frames.push(frame({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
  frames.push(
    frame({
      ...base,
      choices: [],
      usage: { prompt_tokens: 12, completion_tokens: pieces.length, total_tokens: 12 + pieces.length },
    }),
  );
  frames.push('data: [DONE]\n\n');
  return frames;
}

/** `count` tokens of plain prose, about 5 characters each (a word and its space). */
export function proseTokens(count: number): string[] {
  const words = [
    'the ',
    'model ',
    'streams ',
    'tokens ',
    'to ',
    'a ',
    'desktop ',
    'client ',
    'that ',
    'shows ',
  ];
  return Array.from({ length: count }, (_, i) => words[i % words.length] ?? 'x ');
}

export type Pacing =
  /** The whole body in one write. */
  | { kind: 'whole' }
  /** One write per frame, each waiting for the previous to be flushed. */
  | { kind: 'per-frame' }
  /** `framesPerBatch` frames every `intervalMs`. */
  | { kind: 'batched'; framesPerBatch: number; intervalMs: number };

export interface ChatStreamServer {
  url: string;
  /** Replaces what the next requests get. */
  serve(frames: string[], pacing: Pacing): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A tiny loopback server that answers every POST with a recorded SSE body (and GET /v1/models with an empty
 * list), so the client under test is the only thing that parses anything.
 */
export async function startChatStreamServer(): Promise<ChatStreamServer> {
  let frames: string[] = [];
  let whole = Buffer.alloc(0);
  let pacing: Pacing = { kind: 'whole' };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method !== 'POST') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[]}');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
      res.socket?.setNoDelay(true);
      void write(res);
    });
  });
  const write = async (res: import('node:http').ServerResponse) => {
    if (pacing.kind === 'whole') {
      res.end(whole);
      return;
    }
    const step = pacing.kind === 'per-frame' ? 1 : pacing.framesPerBatch;
    for (let at = 0; at < frames.length; at += step) {
      if (res.destroyed) return;
      const chunk = frames.slice(at, at + step).join('');
      await new Promise<void>((resolve) => res.write(chunk, () => resolve()));
      if (pacing.kind === 'batched' && at + step < frames.length) await sleep(pacing.intervalMs);
    }
    res.end();
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    serve(next, nextPacing) {
      frames = next;
      whole = Buffer.from(next.join(''));
      pacing = nextPacing;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
