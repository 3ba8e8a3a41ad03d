import { settleToolCalls } from '../../../../shared/chat';
import type { AppError } from '../../../../shared/errors';
import type { Clock } from '../../../base/clock';
import { toAppError } from '../../../base/errors';
import type { MessageFinal, MessageProgress } from '../../../store/messages-repo';
import { type DeltaBody, DeltaCursor } from './delta-cursor';
import { finalStatus } from './final-status';
import { Pacer } from './pacer';
import { replySaveError, replyTooLongError } from './reply-faults';
import { applyEvent, emptyReply, type ReplyEvent, type ReplyState } from './reply-state';

export interface ReplyRun {
  clock: Clock;
  /** One delta per stream at most this often (docs/architecture.md §Rules 4). */
  deltaIntervalMs: number;
  /** A growing reply is saved at most this often, and at least this often while it grows (§Rules 7). */
  flushIntervalMs: number;
  /** The user's stop. */
  signal: AbortSignal;
  /** Text, reasoning and tool-call arguments together may not grow past this many characters: the reply fails. */
  maxChars: number;
  /**
   * The model's answer in batches of normalized events; a throw ends the reply with that error. `signal` aborts on a
   * stop, and when the reply fails on its own (a save failed, the reply grew too long).
   */
  events: (signal: AbortSignal) => AsyncIterable<ReplyEvent[]>;
  sendDelta: (delta: DeltaBody) => void;
  /** A throw (a full disk) stops the reply as failed, with its text kept in the result. */
  saveProgress: (progress: MessageProgress) => void;
}

export interface ReplyResult {
  final: MessageFinal;
  /** The number of the last delta sent; the end of the stream comes after it. */
  lastSeq: number;
}

const firstTokenTypes = new Set<ReplyEvent['type']>(['text', 'reasoning', 'tool-call']);

/** Folds the model's events into a reply, paces deltas and saves, and says how the reply ended. Never throws. */
export async function runReply(run: ReplyRun): Promise<ReplyResult> {
  const startedAt = run.clock.now();
  let state: ReplyState = emptyReply();
  let firstTokenMs: number | null = null;
  let reasoningSince: number | null = null;
  /** The reasoning ended (the answer began, or the reply ended): its time is kept with the usage. */
  const endReasoning = () => {
    if (reasoningSince === null || state.usage?.reasoningMs !== undefined) return;
    state = {
      ...state,
      usage: { ...state.usage, reasoningMs: Math.round(run.clock.now() - reasoningSince) },
    };
  };
  const cursor = new DeltaCursor();

  // A fault of the reply's own (not the model's) stops the model call and ends the wait for its next batch.
  const halt = new AbortController();
  const stopOnUserStop = () => halt.abort();
  run.signal.addEventListener('abort', stopOnUserStop, { once: true });
  if (run.signal.aborted) halt.abort();
  const failure: { error: AppError | null; reached: () => void } = { error: null, reached: () => undefined };
  const failed = new Promise<null>((resolve) => {
    failure.reached = () => resolve(null);
  });
  const fail = (error: AppError) => {
    if (failure.error) return;
    failure.error = error;
    halt.abort();
    failure.reached();
  };

  const deltas = new Pacer(
    run.deltaIntervalMs,
    () => {
      if (run.signal.aborted) return;
      const delta = cursor.next(state, firstTokenMs);
      if (delta) run.sendDelta(delta);
    },
    run.clock,
  );
  const save = () => {
    try {
      run.saveProgress({
        text: state.text,
        reasoning: state.reasoning,
        toolCalls: state.toolCalls,
        usage: state.usage,
        firstTokenMs,
      });
    } catch (error) {
      fail(replySaveError(error));
    }
  };
  const flushes = new Pacer(run.flushIntervalMs, save, run.clock, false);

  let thrown: AppError | null = null;
  const batches = run.events(halt.signal)[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = batches.next();
      // Once the race is lost, the model call's own end (an abort) is nobody's error.
      next.catch(() => undefined);
      const step = await Promise.race([next, failed]);
      if (step === null || step.done) break;
      const events = step.value;
      for (const event of events) {
        if (event.type === 'reasoning' && reasoningSince === null) reasoningSince = run.clock.now();
        if (event.type === 'text' || event.type === 'tool-call') endReasoning();
        state = applyEvent(state, event);
        if (firstTokenMs === null && firstTokenTypes.has(event.type)) {
          firstTokenMs = Math.round(run.clock.now() - startedAt);
        }
      }
      if (outputChars(state) > run.maxChars) {
        state = clipped(state, run.maxChars);
        fail(replyTooLongError(run.maxChars));
      }
      if (events.length > 0) {
        deltas.poke();
        flushes.poke();
      }
      // A tool's approval and result are written at once: a crash mid-loop loses none of them (§Rules 7).
      if (events.some((event) => event.type === 'tool-update')) save();
      if (failure.error) break;
    }
  } catch (error) {
    thrown = toAppError(error);
  } finally {
    run.signal.removeEventListener('abort', stopOnUserStop);
    if (failure.error) void batches.return?.(undefined)?.catch(() => undefined);
  }

  endReasoning();
  // After a stop, nothing more reaches the window but the one final message.
  if (run.signal.aborted) deltas.cancel();
  else deltas.finish();
  flushes.cancel();

  const ending = finalStatus(state, { aborted: run.signal.aborted, thrown, fault: failure.error });
  return {
    final: {
      ...ending,
      text: state.text,
      reasoning: state.reasoning,
      toolCalls: settleToolCalls(state.toolCalls),
      usage: state.usage,
      firstTokenMs,
    },
    lastSeq: cursor.seq,
  };
}

/** What a reply holds, in characters: text, reasoning and tool-call arguments. */
function outputChars(state: ReplyState): number {
  return state.toolCalls.reduce(
    (sum, call) => sum + call.arguments.length,
    state.text.length + state.reasoning.length,
  );
}

/**
 * Text and reasoning cut to `maxChars` together (reasoning first: it came first). Tool-call arguments are kept
 * whole (cut JSON is no use): they overshoot the cap by one batch at most.
 */
function clipped(state: ReplyState, maxChars: number): ReplyState {
  const reasoning = state.reasoning.slice(0, maxChars);
  return { ...state, reasoning, text: state.text.slice(0, maxChars - reasoning.length) };
}
