/**
 * `npm run bench`: HubDesk's hot paths, each measured against a baseline in the same run, as ratios.
 * Figures are machine-dependent; the ratios are what to compare between commits.
 */
import { performance } from 'node:perf_hooks';
import { createParser } from 'eventsource-parser';
import { parseEventJson, readSse } from '../src/main/api/sse';

const CHUNKS = 50_000;
const PIECE = 16 * 1024;

function recordedChatStream(): Uint8Array[] {
  const lines: string[] = [];
  for (let i = 0; i < CHUNKS; i++) {
    const chunk = {
      id: 'chatcmpl-bench',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'gpt-4o',
      choices: [{ index: 0, delta: { content: `tok${i} ` }, finish_reason: null }],
    };
    lines.push(`data: ${JSON.stringify(chunk)}\n\n`);
  }
  lines.push('data: [DONE]\n\n');
  const bytes = Buffer.from(lines.join(''));
  const pieces: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += PIECE)
    pieces.push(bytes.subarray(offset, offset + PIECE));
  return pieces;
}

async function* replay(pieces: Uint8Array[]): AsyncIterable<Uint8Array> {
  for (const piece of pieces) yield piece;
}

async function time(label: string, runs: number, fn: () => Promise<number>): Promise<number> {
  await fn(); // warm-up
  const samples: number[] = [];
  let check = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    check = await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)] ?? 0;
  console.log(`  ${label.padEnd(44)} ${median.toFixed(1).padStart(8)} ms  (${check} events)`);
  return median;
}

const pieces = recordedChatStream();
const megabytes = pieces.reduce((sum, piece) => sum + piece.length, 0) / 1e6;
console.log(`SSE: ${CHUNKS} chat chunks, ${megabytes.toFixed(1)} MB, median of 7 runs`);

const baseline = await time('baseline: eventsource-parser + JSON.parse', 7, async () => {
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
  for await (const piece of replay(pieces)) parser.feed(decoder.decode(piece, { stream: true }));
  return count;
});

const hubdesk = await time('HubDesk readSse + parseEventJson (idle timer)', 7, async () => {
  let count = 0;
  for await (const message of readSse(replay(pieces), { idleTimeoutMs: 120_000 })) {
    parseEventJson(message);
    count++;
  }
  return count;
});

console.log(`  ratio HubDesk / baseline: ${(hubdesk / baseline).toFixed(2)}×`);
