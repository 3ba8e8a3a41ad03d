import type { AppError } from '../../../../shared/errors';
import type { ChatApi } from '../../../../shared/models';
import { adapterFor } from '../../../api/chat/index';
import type { ChatRequest, ChatTurn, StreamEvent } from '../../../api/chat/types';
import type { HttpClient } from '../../../api/http-client';
import type { RetryNotice } from '../../../api/retry';
import type { ToolRunner } from '../../tools/tool-runner';
import { applyEvent, emptyReply, type ReplyEvent, type ReplyState } from './reply-state';

export interface ModelCall {
  api: ChatApi;
  /** Built when the call starts: reading the thread's images may fail, and that ends the reply with the error. */
  request: () => Promise<ChatRequest>;
  client: () => HttpClient;
  signal: AbortSignal;
  /** Before each automatic retry of the request (a rate limit, a server error), with the wait. */
  onRetry?: (notice: RetryNotice) => void;
  /** Each time a request of the reply has been handed to the connection. */
  onSent?: () => void;
}

/**
 * The model's answer as batches of normalized events (docs/architecture.md §Rules 5), streamed or in one body.
 * It stops after the first batch that holds a provider error; the reader's end is read only when nothing went wrong.
 */
export async function* modelReplyEvents(call: ModelCall): AsyncGenerator<StreamEvent[]> {
  const adapter = adapterFor(call.api);
  const request = await call.request();
  const httpCall = {
    ...adapter.buildCall(request),
    signal: call.signal,
    ...(call.onRetry ? { onRetry: call.onRetry } : {}),
    ...(call.onSent ? { onSent: call.onSent } : {}),
  };
  const client = call.client();
  if (!request.stream) {
    const response = await client.json(httpCall);
    yield adapter.parseResponse(response.data);
    return;
  }
  const reader = adapter.createStreamReader();
  for await (const messages of client.streamBatches(httpCall)) {
    const events: StreamEvent[] = [];
    let failed = false;
    for (const message of messages) {
      for (const event of reader.push(message)) {
        events.push(event);
        if (event.type === 'error') failed = true;
      }
      if (failed) break;
    }
    yield events;
    if (failed) return;
  }
  if (!call.signal.aborted) yield reader.end();
}

/** The tools a reply may call: who runs them, and how many rounds it may run. */
export interface ToolLoop {
  runner: ToolRunner;
  maxSteps: number;
  log?: (line: string) => void;
}

function stepLimitError(maxSteps: number): AppError {
  return {
    kind: 'invalid_input',
    code: 'tool_step_limit',
    message: `The model asked for more tools after ${maxSteps} rounds of tool calls, the limit of this chat, so the reply was stopped there. Raise the limit in the chat's settings, or ask again.`,
    reason: { code: 'chatToolStepLimit', values: { max: maxSteps } },
  };
}

/**
 * The tool loop (issue 15): the model's answer, and while it ends asking for tools, each call run (approved, or
 * denied) and the model asked again with the results, up to `maxSteps` rounds. One reply holds every round: each
 * call keeps its round and where in the text that round stood, so the history can be sent back round by round.
 * A stop ends the running call (its signal) and the loop. `toolLoop` is read when the reply starts: a throw fails it.
 */
export async function* replyLoopEvents(
  call: ModelCall,
  toolLoop: () => ToolLoop | undefined,
): AsyncGenerator<ReplyEvent[]> {
  const tools = toolLoop();
  if (!tools) {
    yield* modelReplyEvents(call);
    return;
  }
  const { tools: offered, failures } = await tools.runner.offer(call.signal);
  for (const failure of failures) tools.log?.(`tools not offered: ${failure}`);
  const request = await call.request();
  const wireTools = offered.map((tool) => ({
    name: tool.wireName,
    description: tool.spec.description,
    parameters: tool.spec.inputSchema,
  }));
  let reply = emptyReply();
  const applied = (event: ReplyEvent): ReplyEvent => {
    reply = applyEvent(reply, event);
    return event;
  };
  for (let step = 0; ; step += 1) {
    const first = reply.toolCalls.length;
    const turns: ChatTurn[] =
      first === 0
        ? request.turns
        : [...request.turns, { role: 'assistant', text: reply.text, images: [], toolCalls: reply.toolCalls }];
    const stepCall: ModelCall = { ...call, request: async () => ({ ...request, turns, tools: wireTools }) };
    // A later round's text starts a paragraph of its own in the one message.
    let separate = reply.text !== '' && !reply.text.endsWith('\n');
    for await (const batch of modelReplyEvents(stepCall)) {
      const events: ReplyEvent[] = [];
      for (const event of batch) {
        if (event.type === 'tool-call') {
          const isNew = reply.toolCalls[event.index + first] === undefined;
          const piece = renumbered(event, first, reply, step);
          events.push(applied(piece));
          // The window shows the call as the model writes it.
          if (isNew)
            events.push(applied({ type: 'tool-update', index: piece.index, patch: { status: 'streaming' } }));
          continue;
        }
        const next = event.type === 'text' && separate ? { ...event, text: `\n\n${event.text}` } : event;
        if (event.type === 'text') separate = false;
        events.push(applied(next));
      }
      yield events;
      if (events.some((event) => event.type === 'error')) return;
    }
    const calls = reply.toolCalls.slice(first);
    if (calls.length === 0 || reply.finishReason !== 'tool_calls' || call.signal.aborted) return;

    const round = calls.map((_, offset) => ({
      type: 'tool-update' as const,
      index: first + offset,
      patch: {
        step,
        textOffset: reply.text.length,
        ...(step >= tools.maxSteps ? { status: 'skipped' as const } : {}),
      },
    }));
    for (const event of round) reply = applyEvent(reply, event);
    if (step >= tools.maxSteps) {
      yield [...round, { type: 'error', error: stepLimitError(tools.maxSteps) }];
      return;
    }
    yield round;
    for (const [offset, toolCall] of calls.entries()) {
      for await (const patch of tools.runner.run(toolCall, call.signal)) {
        const event: ReplyEvent = { type: 'tool-update', index: first + offset, patch };
        reply = applyEvent(reply, event);
        yield [event];
      }
      if (call.signal.aborted) return;
    }
  }
}

/**
 * A call of a later round, at its place among the reply's calls. An id an earlier round already used (Gemini's calls
 * have none: the reader numbers them from `call_0` in each response) gets the round as a suffix.
 */
function renumbered(
  event: Extract<StreamEvent, { type: 'tool-call' }>,
  first: number,
  reply: ReplyState,
  step: number,
): Extract<StreamEvent, { type: 'tool-call' }> {
  const index = event.index + first;
  const taken =
    event.id !== undefined && reply.toolCalls.some((call, at) => at !== index && call.id === event.id);
  return { ...event, index, ...(taken ? { id: `${event.id}_${step}` } : {}) };
}
