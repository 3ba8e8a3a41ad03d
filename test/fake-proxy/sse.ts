import type { ServerResponse } from 'node:http';
import { type Ctx, sleep } from './http';

export interface SseEvent {
  event?: string;
  /** Already serialized: JSON text or `[DONE]`. */
  data: string;
}

export interface StreamPlan {
  events: SseEvent[];
  /** The family's in-stream error, sent instead of the remaining events under a midstream-error fault. */
  errorEvents: (eventsSent: number) => SseEvent[];
  /** One keep-alive in this family's style (raw SSE text). */
  ping: string;
  headers?: Record<string, string>;
}

export const commentPing = ': ping\n\n';
export const MALFORMED_EVENT = 'data: {"broken\n\n';
const TRICKLE_PIECE_BYTES = 7;

export function jsonEvent(data: unknown, event?: string): SseEvent {
  return event === undefined ? { data: JSON.stringify(data) } : { event, data: JSON.stringify(data) };
}

export function frame(event: SseEvent): string {
  return `${event.event === undefined ? '' : `event: ${event.event}\n`}data: ${event.data}\n\n`;
}

function writeAsync(res: ServerResponse, chunk: string | Buffer): Promise<void> {
  return new Promise((resolve) => {
    res.write(chunk, () => resolve());
  });
}

/** Writes an SSE response event by event, applying the request's stream fault if it has one. */
export async function sendStream(ctx: Ctx, plan: StreamPlan): Promise<void> {
  const { res } = ctx;
  const fault = ctx.streamFault;
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...plan.headers,
  });
  res.socket?.setNoDelay(true);
  res.flushHeaders();

  const write = async (text: string): Promise<void> => {
    if (fault?.type !== 'trickle') return writeAsync(res, text);
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length && !closed; at += TRICKLE_PIECE_BYTES) {
      await writeAsync(res, bytes.subarray(at, at + TRICKLE_PIECE_BYTES));
      await sleep(1);
    }
  };

  if (fault?.type === 'pings') {
    for (let i = 0; i < fault.count && !closed; i++) {
      await sleep(fault.everyMs);
      await write(plan.ping);
    }
  }
  const delayMs = fault?.type === 'trickle' ? fault.delayMs : ctx.state.streamDelayMs;
  const errorAt =
    fault?.type === 'midstream-error' ? Math.min(fault.afterEvents ?? 2, plan.events.length - 1) : -1;

  if (fault?.type === 'drip') {
    const first = plan.events[0];
    if (first) await write(frame(first));
    await write('data: ');
    while (!closed) {
      await sleep(fault.byteMs);
      if (!closed) await write('x');
    }
    return;
  }

  for (const [index, event] of plan.events.entries()) {
    if (closed) return;
    if (fault?.type === 'cut' && index === fault.afterEvents) {
      res.socket?.destroy();
      return;
    }
    if (fault?.type === 'malformed' && index === fault.afterEvents) await write(MALFORMED_EVENT);
    if (index === errorAt) {
      for (const errorEvent of plan.errorEvents(index)) await write(frame(errorEvent));
      res.end();
      return;
    }
    if (index > 0 && delayMs > 0) await sleep(delayMs);
    await write(frame(event));
  }
  if (fault?.type === 'cut') {
    res.socket?.destroy();
    return;
  }
  if (fault?.type === 'malformed' && fault.afterEvents >= plan.events.length) await write(MALFORMED_EVENT);
  res.end();
}
