import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../src/main/api/chat/types';
import { HubError } from '../src/main/base/errors';
import { DeltaCursor } from '../src/main/services/chat/reply/delta-cursor';
import { finalStatus } from '../src/main/services/chat/reply/final-status';
import { Pacer } from '../src/main/services/chat/reply/pacer';
import { REPLY_TEXT_LIMIT } from '../src/main/services/chat/reply/reply-faults';
import { runReply } from '../src/main/services/chat/reply/reply-run';
import {
  applyEvent,
  emptyReply,
  hasOutput,
  type ReplyState,
} from '../src/main/services/chat/reply/reply-state';
import type { MessageProgress } from '../src/main/store/messages-repo';
import type { AppError } from '../src/shared/errors';
import { ManualClock } from './support/manual-clock';

const fold = (events: StreamEvent[], from: ReplyState = emptyReply()) => events.reduce(applyEvent, from);
const text = (value: string): StreamEvent => ({ type: 'text', text: value });
const network: AppError = { kind: 'network', message: 'The connection was lost.' };
const overloaded: AppError = { kind: 'server', message: 'Overloaded.' };

describe('applyEvent: the reply as a fold over normalized events', () => {
  it('appends text and reasoning apart, and merges usage field by field', () => {
    const state = fold([
      text('Hel'),
      { type: 'reasoning', text: 'Think' },
      text('lo'),
      { type: 'reasoning', text: 'ing' },
      { type: 'usage', usage: { inputTokens: 10 } },
      { type: 'usage', usage: { outputTokens: 2 } },
      { type: 'usage', usage: { outputTokens: 5 } },
    ]);
    expect(state.text).toBe('Hello');
    expect(state.reasoning).toBe('Thinking');
    expect(state.usage).toEqual({ inputTokens: 10, outputTokens: 5 });
    expect(hasOutput(state)).toBe(true);
    expect(hasOutput(emptyReply())).toBe(false);
  });

  it('builds tool calls by index from pieces, filling a gap with an empty call', () => {
    const state = fold([
      { type: 'tool-call', index: 0, id: 'call_a', name: 'weather', argumentsDelta: '{"ci' },
      { type: 'tool-call', index: 2, id: 'call_c', name: 'time', argumentsDelta: '{}' },
      { type: 'tool-call', index: 0, argumentsDelta: 'ty":"Paris"}' },
    ]);
    expect(state.toolCalls).toEqual([
      { id: 'call_a', name: 'weather', arguments: '{"city":"Paris"}' },
      { id: '', name: '', arguments: '' },
      { id: 'call_c', name: 'time', arguments: '{}' },
    ]);
    expect(hasOutput({ ...emptyReply(), toolCalls: state.toolCalls })).toBe(true);
  });

  it('keeps the finish reason with its detail, and only the first provider error', () => {
    const state = fold([
      { type: 'finish', reason: 'content_filter', detail: 'Flagged.' },
      { type: 'error', error: overloaded },
      { type: 'error', error: network },
    ]);
    expect(state).toMatchObject({
      finishReason: 'content_filter',
      finishDetail: 'Flagged.',
      error: overloaded,
    });
    const before = emptyReply();
    fold([text('x')], before);
    expect(before.text).toBe('');
  });
});

describe('finalStatus: how a reply ends', () => {
  const finished = fold([text('Hi'), { type: 'finish', reason: 'stop' }]);
  const partial = fold([text('Hi')]);

  it('is complete with a finish reason, interrupted when the stream stopped without one', () => {
    expect(finalStatus(finished, { aborted: false, thrown: null })).toEqual({
      status: 'complete',
      error: null,
      finishReason: 'stop',
    });
    expect(finalStatus(partial, { aborted: false, thrown: null })).toEqual({
      status: 'interrupted',
      error: null,
      finishReason: null,
    });
  });

  it('a stop is interrupted and cancelled, with no error, whatever else happened', () => {
    const stopped = { status: 'interrupted', error: null, finishReason: 'cancelled' };
    const withError = fold([{ type: 'error', error: overloaded }], partial);
    expect(finalStatus(withError, { aborted: true, thrown: network })).toEqual(stopped);
    expect(
      finalStatus(emptyReply(), { aborted: false, thrown: { kind: 'cancelled', message: 'Stopped.' } }),
    ).toEqual(stopped);
  });

  it('an error keeps the output as interrupted, or fails when there is none; the provider’s error comes first', () => {
    expect(finalStatus(partial, { aborted: false, thrown: network })).toEqual({
      status: 'interrupted',
      error: network,
      finishReason: null,
    });
    expect(finalStatus(emptyReply(), { aborted: false, thrown: network })).toMatchObject({
      status: 'failed',
      error: network,
    });
    const both = fold([{ type: 'error', error: overloaded }]);
    expect(finalStatus(both, { aborted: false, thrown: network }).error).toBe(overloaded);
  });

  it('a safety block with nothing written fails with the provider’s words; after output it is complete', () => {
    const blocked = fold([{ type: 'finish', reason: 'blocked', detail: 'Prompt blocked: SAFETY' }]);
    expect(finalStatus(blocked, { aborted: false, thrown: null })).toEqual({
      status: 'failed',
      error: { kind: 'bad_request', message: 'Prompt blocked: SAFETY', code: 'blocked' },
      finishReason: 'blocked',
    });
    const filtered = fold([{ type: 'finish', reason: 'content_filter' }]);
    expect(finalStatus(filtered, { aborted: false, thrown: null }).error?.message).toMatch(/safety filter/);
    const afterText = fold([text('Some'), { type: 'finish', reason: 'content_filter' }]);
    expect(finalStatus(afterText, { aborted: false, thrown: null })).toEqual({
      status: 'complete',
      error: null,
      finishReason: 'content_filter',
    });
  });
});

describe('DeltaCursor: each delta carries only what is new', () => {
  it('numbers deltas from 1, sends new text and reasoning, and the first token time once', () => {
    const cursor = new DeltaCursor();
    let state = fold([text('Hel'), { type: 'reasoning', text: 'Hmm' }]);
    expect(cursor.next(state, 120)).toEqual({ seq: 1, text: 'Hel', reasoning: 'Hmm', firstTokenMs: 120 });
    expect(cursor.next(state, 120)).toBeNull();
    state = fold([text('lo')], state);
    expect(cursor.next(state, 120)).toEqual({ seq: 2, text: 'lo' });
    expect(cursor.seq).toBe(2);
  });

  it('sends the whole tool-call list and the usage only when they changed', () => {
    const cursor = new DeltaCursor();
    let state = fold([{ type: 'tool-call', index: 0, id: 'c1', name: 'f', argumentsDelta: '{' }]);
    expect(cursor.next(state, null)).toEqual({
      seq: 1,
      toolCalls: [{ id: 'c1', name: 'f', arguments: '{' }],
    });
    state = fold([{ type: 'usage', usage: { outputTokens: 3 } }], state);
    expect(cursor.next(state, null)).toEqual({ seq: 2, usage: { outputTokens: 3 } });
    state = fold([{ type: 'tool-call', index: 0, argumentsDelta: '}' }], state);
    expect(cursor.next(state, null)).toEqual({
      seq: 3,
      toolCalls: [{ id: 'c1', name: 'f', arguments: '{}' }],
    });
  });
});

describe('Pacer on an injected clock', () => {
  it('runs the first call at once, then at most once per interval, gathering what came between', () => {
    const clock = new ManualClock();
    const runs: number[] = [];
    const pacer = new Pacer(16, () => runs.push(clock.now()), clock);
    for (let t = 0; t < 200; t++) {
      pacer.poke();
      clock.advance(1);
    }
    clock.advance(100);
    expect(runs[0]).toBe(0);
    expect(runs).toEqual(Array.from({ length: 14 }, (_, i) => i * 16));
    pacer.poke();
    expect(runs.at(-1)).toBe(300);
  });

  it('without an immediate first call, waits a whole interval after the first change', () => {
    const clock = new ManualClock();
    const runs: number[] = [];
    const pacer = new Pacer(500, () => runs.push(clock.now()), clock, false);
    for (let t = 0; t < 2_000; t += 40) {
      pacer.poke();
      clock.advance(40);
    }
    expect(runs).toEqual([500, 1020, 1540]);
    for (const [i, at] of runs.entries()) if (i > 0) expect(at - runs[i - 1]!).toBeGreaterThanOrEqual(500);
  });

  it('finish runs what is pending and stops; cancel drops it', () => {
    const clock = new ManualClock();
    const runs: number[] = [];
    const finishing = new Pacer(16, () => runs.push(clock.now()), clock);
    finishing.poke();
    clock.advance(5);
    finishing.poke();
    finishing.finish();
    expect(runs).toEqual([0, 5]);
    finishing.poke();
    clock.advance(100);
    expect(runs).toEqual([0, 5]);

    const cancelled = new Pacer(16, () => runs.push(-1), clock, false);
    cancelled.poke();
    cancelled.cancel();
    clock.advance(100);
    cancelled.poke();
    expect(runs).toEqual([0, 5]);
    expect(clock.pending()).toBe(0);
  });
});

/** A model answer the test feeds batch by batch. */
function scriptedAnswer() {
  const batches: (StreamEvent[] | Error)[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const poke = () => wake?.();
  return {
    push(...events: StreamEvent[]) {
      batches.push(events);
      poke();
    },
    fail(error: Error) {
      batches.push(error);
      poke();
    },
    end() {
      ended = true;
      poke();
    },
    async *events(): AsyncGenerator<StreamEvent[]> {
      for (;;) {
        const next = batches.shift();
        if (next instanceof Error) throw next;
        if (next) {
          yield next;
          continue;
        }
        if (ended) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
  };
}

/** Lets the reply loop take what was pushed. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function startRun(
  options: {
    deltaIntervalMs?: number;
    flushIntervalMs?: number;
    maxChars?: number;
    /** Runs before each save is recorded; a throw is the save failing. */
    beforeSave?: () => void;
  } = {},
) {
  const clock = new ManualClock();
  const answer = scriptedAnswer();
  const controller = new AbortController();
  const deltas: { at: number; seq: number; text?: string; firstTokenMs?: number }[] = [];
  const saves: { at: number; progress: MessageProgress }[] = [];
  const modelSignals: AbortSignal[] = [];
  const result = runReply({
    clock,
    deltaIntervalMs: options.deltaIntervalMs ?? 16,
    flushIntervalMs: options.flushIntervalMs ?? 500,
    signal: controller.signal,
    maxChars: options.maxChars ?? REPLY_TEXT_LIMIT,
    events: (signal) => {
      modelSignals.push(signal);
      return answer.events();
    },
    sendDelta: (delta) => deltas.push({ at: clock.now(), ...delta }),
    saveProgress: (progress) => {
      options.beforeSave?.();
      saves.push({ at: clock.now(), progress });
    },
  });
  return { clock, answer, controller, deltas, saves, modelSignals, result };
}

describe('runReply: one reply on an injected clock', () => {
  it('coalesces a token per millisecond into one delta per 16 ms, numbered in order, nothing lost', async () => {
    const run = startRun();
    const tokens = Array.from({ length: 100 }, (_, i) => `t${i} `);
    for (const token of tokens) {
      run.answer.push(text(token));
      await settle();
      run.clock.advance(1);
    }
    run.answer.push({ type: 'finish', reason: 'stop' });
    run.answer.end();
    const { final, lastSeq } = await run.result;

    expect(run.deltas.length).toBeLessThan(tokens.length / 3);
    expect(run.deltas.map((delta) => delta.seq)).toEqual(run.deltas.map((_, i) => i + 1));
    for (const [i, delta] of run.deltas.entries()) {
      if (i > 0 && i < run.deltas.length - 1)
        expect(delta.at - run.deltas[i - 1]!.at).toBeGreaterThanOrEqual(16);
    }
    expect(run.deltas.map((delta) => delta.text ?? '').join('')).toBe(tokens.join(''));
    expect(lastSeq).toBe(run.deltas.length);
    expect(final).toMatchObject({ status: 'complete', finishReason: 'stop', text: tokens.join('') });
  });

  it('saves a growing reply every 500 ms of its own time, never once per token', async () => {
    const run = startRun();
    for (let t = 0; t < 2_000; t += 40) {
      run.answer.push(text(`w${t} `));
      await settle();
      run.clock.advance(40);
    }
    run.answer.push({ type: 'finish', reason: 'stop' });
    run.answer.end();
    const { final } = await run.result;

    expect(run.saves.map((save) => save.at)).toEqual([500, 1020, 1540]);
    for (const save of run.saves) expect(final.text.startsWith(save.progress.text)).toBe(true);
    expect(run.saves[0]?.progress.text.length).toBeGreaterThan(0);
  });

  it('measures the first token from the start of the run, and sends it with the first delta', async () => {
    const run = startRun();
    run.clock.advance(300);
    run.answer.push(text('Hi'), { type: 'finish', reason: 'stop' });
    run.answer.end();
    const { final } = await run.result;
    expect(final.firstTokenMs).toBe(300);
    expect(run.deltas[0]).toMatchObject({ seq: 1, text: 'Hi', firstTokenMs: 300 });
  });

  it('times the reasoning from its first piece to the answer, and sends the time with the answer', async () => {
    const run = startRun();
    run.clock.advance(500);
    run.answer.push({ type: 'reasoning', text: 'Let me think' });
    await settle();
    run.clock.advance(12_000);
    run.answer.push({ type: 'reasoning', text: ' some more' });
    await settle();
    expect(run.deltas.some((delta) => JSON.stringify(delta).includes('reasoningMs'))).toBe(false);
    run.clock.advance(300);
    run.answer.push(text('Answer'));
    await settle();
    run.clock.advance(5_000);
    run.answer.push({ type: 'usage', usage: { outputTokens: 9 } }, { type: 'finish', reason: 'stop' });
    run.answer.end();
    const { final } = await run.result;
    expect(final.usage).toEqual({ reasoningMs: 12_300, outputTokens: 9 });
    const answered = run.deltas.find((delta) => delta.text === 'Answer') as { usage?: unknown } | undefined;
    expect(answered?.usage).toEqual({ reasoningMs: 12_300 });
  });

  it('a reply that ends while still reasoning is timed to its end; one with no reasoning has no time', async () => {
    const thinking = startRun();
    thinking.answer.push({ type: 'reasoning', text: 'Hmm' });
    await settle();
    thinking.clock.advance(4_000);
    thinking.controller.abort();
    thinking.answer.end();
    expect((await thinking.result).final.usage?.reasoningMs).toBe(4_000);

    const plain = startRun();
    plain.answer.push(text('Hi'), { type: 'finish', reason: 'stop' });
    plain.answer.end();
    expect((await plain.result).final.usage).toBeNull();
  });

  it('usage is not a token: the first token is the first text, reasoning or tool call', async () => {
    const run = startRun();
    run.clock.advance(120);
    run.answer.push({ type: 'usage', usage: { inputTokens: 4 } });
    await settle();
    run.clock.advance(180);
    run.answer.push({ type: 'tool-call', index: 0, id: 'c1', name: 'f', argumentsDelta: '{}' });
    run.answer.end();
    const { final } = await run.result;
    expect(final.firstTokenMs).toBe(300);
    expect(run.deltas.find((delta) => delta.firstTokenMs !== undefined)).toBeUndefined();
    expect(final).toMatchObject({
      status: 'interrupted',
      usage: { inputTokens: 4 },
      toolCalls: [{ id: 'c1' }],
    });
  });

  it('after a stop, no delta and no save follow; the partial reply ends interrupted', async () => {
    const run = startRun();
    run.answer.push(text('Part'));
    await settle();
    run.clock.advance(1);
    run.answer.push(text('ial'));
    await settle();
    const sentBeforeStop = run.deltas.length;
    run.controller.abort();
    run.answer.fail(new HubError({ kind: 'cancelled', message: 'The request was cancelled.' }));
    const { final } = await run.result;
    run.clock.advance(1_000);

    expect(run.deltas).toHaveLength(sentBeforeStop);
    expect(run.saves).toEqual([]);
    expect(final).toMatchObject({
      status: 'interrupted',
      finishReason: 'cancelled',
      error: null,
      text: 'Partial',
    });
  });

  it('a cut stream keeps what came with the error beside it; nothing at all fails', async () => {
    const cut = startRun();
    cut.answer.push(text('Half a'));
    await settle();
    cut.answer.fail(new HubError(network));
    const kept = await cut.result;
    expect(kept.final).toMatchObject({ status: 'interrupted', text: 'Half a', error: { kind: 'network' } });
    expect(cut.deltas.map((delta) => delta.text).join('')).toBe('Half a');

    const refused = startRun();
    refused.answer.fail(new HubError({ kind: 'auth', message: 'The token was refused.', status: 401 }));
    const failed = await refused.result;
    expect(failed.final).toMatchObject({ status: 'failed', text: '', error: { kind: 'auth', status: 401 } });
    expect(failed.lastSeq).toBe(0);
  });
});

describe('runReply: faults of its own end the reply as failed, its text kept', () => {
  it('a save that finds the disk full stops the model call and fails the reply, with the text so far', async () => {
    let diskFull = false;
    const run = startRun({
      beforeSave: () => {
        if (diskFull) throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
      },
    });
    run.answer.push(text('Saved '));
    await settle();
    run.clock.advance(500);
    expect(run.saves.map((save) => save.progress.text)).toEqual(['Saved ']);
    diskFull = true;
    run.answer.push(text('then lost'));
    await settle();
    // The save timer fires here: its failure must not escape the timer.
    expect(() => run.clock.advance(500)).not.toThrow();
    const { final, lastSeq } = await run.result;

    expect(final).toMatchObject({
      status: 'failed',
      text: 'Saved then lost',
      error: { code: 'SQLITE_FULL' },
    });
    expect(final.error?.message).toMatch(/could not be saved: the disk is full/);
    expect(final.error?.message).not.toMatch(/proxy/i);
    expect(run.modelSignals[0]?.aborted).toBe(true);
    expect(run.controller.signal.aborted).toBe(false);
    expect(run.deltas.map((delta) => delta.text ?? '').join('')).toBe('Saved then lost');
    expect(lastSeq).toBe(run.deltas.length);
    expect(run.clock.pending()).toBe(0);
  });

  it('any other write failure says the database could not be written, with its code', async () => {
    const run = startRun({
      beforeSave: () => {
        throw new Database.SqliteError('disk I/O error', 'SQLITE_IOERR');
      },
    });
    run.answer.push({ type: 'reasoning', text: 'Hmm' });
    await settle();
    run.clock.advance(500);
    const { final } = await run.result;
    expect(final).toMatchObject({ status: 'failed', reasoning: 'Hmm', error: { code: 'SQLITE_IOERR' } });
    expect(final.error?.message).toMatch(/the database could not be written \(SQLITE_IOERR\)/);
  });

  it('a provider that never stops is cut at the cap: failed, with the text up to it and a clear message', async () => {
    const run = startRun({ maxChars: 1_000 });
    let pushed = 0;
    let settled = false;
    void run.result.then(() => {
      settled = true;
    });
    while (!settled && pushed < 10_000) {
      run.answer.push(text('0123456789'.repeat(3)), { type: 'reasoning', text: 'r' });
      pushed += 31;
      await settle();
      run.clock.advance(16);
    }
    const { final } = await run.result;

    expect(pushed).toBeLessThan(1_100);
    expect(final).toMatchObject({ status: 'failed', error: { code: 'reply_too_long' } });
    expect(final.error?.message).toMatch(/grew past 1,000 characters/);
    expect(final.text.length + final.reasoning.length).toBe(1_000);
    expect(run.modelSignals[0]?.aborted).toBe(true);
    expect(run.deltas.map((delta) => delta.text ?? '').join('')).toBe(final.text);
    expect(REPLY_TEXT_LIMIT).toBe(4 * 1024 * 1024);
  });

  it('tool-call arguments that never end count too', async () => {
    const run = startRun({ maxChars: 500 });
    run.answer.push(text('Calling.'), {
      type: 'tool-call',
      index: 0,
      id: 'c1',
      name: 'f',
      argumentsDelta: '[',
    });
    let settled = false;
    void run.result.then(() => {
      settled = true;
    });
    for (let i = 0; !settled && i < 1_000; i++) {
      run.answer.push({ type: 'tool-call', index: 0, argumentsDelta: '1,'.repeat(10) });
      await settle();
    }
    const { final } = await run.result;
    expect(final).toMatchObject({ status: 'failed', error: { code: 'reply_too_long' }, text: 'Calling.' });
    expect(final.toolCalls[0]?.arguments.length).toBeLessThanOrEqual(500 + 20);
    expect(final.toolCalls[0]?.arguments.length).toBeGreaterThan(470);
  });

  it('a stop still wins: after a stop the reply is interrupted, not failed, even when a save failed too', async () => {
    const run = startRun({
      beforeSave: () => {
        throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
      },
    });
    run.answer.push(text('Part'));
    await settle();
    run.controller.abort();
    run.clock.advance(500);
    run.answer.fail(new HubError({ kind: 'cancelled', message: 'The request was cancelled.' }));
    const { final } = await run.result;
    expect(final).toMatchObject({
      status: 'interrupted',
      finishReason: 'cancelled',
      error: null,
      text: 'Part',
    });
  });
});
