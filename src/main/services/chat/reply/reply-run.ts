import type { AppError } from '../../../../shared/errors';
import type { StreamEvent } from '../../../api/chat/types';
import type { Clock } from '../../../base/clock';
import { toAppError } from '../../../base/errors';
import type { MessageFinal, MessageProgress } from '../../../store/messages-repo';
import { type DeltaBody, DeltaCursor } from './delta-cursor';
import { finalStatus } from './final-status';
import { Pacer } from './pacer';
import { applyEvent, emptyReply, type ReplyState } from './reply-state';

export interface ReplyRun {
  clock: Clock;
  /** One delta per stream at most this often (docs/architecture.md §Rules 4). */
  deltaIntervalMs: number;
  /** A growing reply is saved at most this often, and at least this often while it grows (§Rules 7). */
  flushIntervalMs: number;
  signal: AbortSignal;
  /** The model's answer in batches of normalized events; a throw ends the reply with that error. */
  events: () => AsyncIterable<StreamEvent[]>;
  sendDelta: (delta: DeltaBody) => void;
  saveProgress: (progress: MessageProgress) => void;
}

export interface ReplyResult {
  final: MessageFinal;
  /** The number of the last delta sent; the end of the stream comes after it. */
  lastSeq: number;
}

const firstTokenTypes = new Set<StreamEvent['type']>(['text', 'reasoning', 'tool-call']);

/** Folds the model's events into a reply, paces deltas and saves, and says how the reply ended. Never throws. */
export async function runReply(run: ReplyRun): Promise<ReplyResult> {
  const startedAt = run.clock.now();
  let state: ReplyState = emptyReply();
  let firstTokenMs: number | null = null;
  const cursor = new DeltaCursor();

  const deltas = new Pacer(
    run.deltaIntervalMs,
    () => {
      if (run.signal.aborted) return;
      const delta = cursor.next(state, firstTokenMs);
      if (delta) run.sendDelta(delta);
    },
    run.clock,
  );
  const flushes = new Pacer(
    run.flushIntervalMs,
    () =>
      run.saveProgress({
        text: state.text,
        reasoning: state.reasoning,
        toolCalls: state.toolCalls,
        usage: state.usage,
        firstTokenMs,
      }),
    run.clock,
    false,
  );

  let thrown: AppError | null = null;
  try {
    for await (const events of run.events()) {
      for (const event of events) {
        state = applyEvent(state, event);
        if (firstTokenMs === null && firstTokenTypes.has(event.type)) {
          firstTokenMs = Math.round(run.clock.now() - startedAt);
        }
      }
      if (events.length > 0) {
        deltas.poke();
        flushes.poke();
      }
    }
  } catch (error) {
    thrown = toAppError(error);
  }

  // After a stop, nothing more reaches the window but the one final message.
  if (run.signal.aborted) deltas.cancel();
  else deltas.finish();
  flushes.cancel();

  const ending = finalStatus(state, { aborted: run.signal.aborted, thrown });
  return {
    final: {
      ...ending,
      text: state.text,
      reasoning: state.reasoning,
      toolCalls: state.toolCalls,
      usage: state.usage,
      firstTokenMs,
    },
    lastSeq: cursor.seq,
  };
}
