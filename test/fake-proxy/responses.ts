import { contentText } from './chat';
import { badRequest } from './errors';
import { type Ctx, header, isObject, type Json, newId, nowSeconds, sendJson } from './http';
import { commentPing, jsonEvent, type SseEvent, sendStream } from './sse';
import {
  chunkText,
  estimateTokens,
  isReasoningModel,
  limitTokens,
  plannedToolCalls,
  reasoningFor,
  replyTo,
  TOOL_LOOP_MARKER,
  toolResultsReply,
} from './text';

const ROLES = ['user', 'assistant', 'system', 'developer'];

interface ResponsePlan {
  prompt: string;
  summary: string;
  text: string;
  truncated: boolean;
  toolCalls: { id: string; callId: string; name: string; arguments: string }[];
  inputTokens: number;
}

function validate(ctx: Ctx, body: unknown): body is Json {
  if (!isObject(body)) {
    badRequest(ctx, 'We could not parse the JSON body of your request.');
    return false;
  }
  if (typeof body.model !== 'string' || body.model === '') {
    badRequest(ctx, "Missing required parameter: 'model'.", 'model');
    return false;
  }
  if (typeof body.input !== 'string' && !Array.isArray(body.input)) {
    badRequest(ctx, "Missing required parameter: 'input'.", 'input');
    return false;
  }
  if (Array.isArray(body.input)) {
    for (const [index, item] of body.input.entries()) {
      if (!isObject(item) || (item.role !== undefined && !ROLES.includes(String(item.role)))) {
        const role = isObject(item) ? String(item.role) : 'undefined';
        badRequest(
          ctx,
          `Invalid value: '${role}'. Supported values are: 'assistant', 'system', 'developer', and 'user'.`,
          `input[${index}].role`,
        );
        return false;
      }
    }
    return pairedOutputs(ctx, body.input.filter(isObject));
  }
  return true;
}

/** Each `function_call_output` answers an earlier `function_call`, and every call has its output (upstream). */
function pairedOutputs(ctx: Ctx, items: Json[]): boolean {
  const called = new Set<string>();
  const answered = new Set<string>();
  for (const item of items) {
    if (item.type === 'function_call') called.add(String(item.call_id));
    if (item.type === 'function_call_output') {
      const callId = String(item.call_id);
      if (!called.has(callId)) {
        badRequest(ctx, `No tool call found for function call output with call_id ${callId}.`, 'input');
        return false;
      }
      answered.add(callId);
    }
  }
  const missing = [...called].find((callId) => !answered.has(callId));
  if (missing === undefined) return true;
  badRequest(ctx, `No tool output found for function call ${missing}.`, 'input');
  return false;
}

function itemText(item: Json): string {
  if (typeof item.content === 'string') return item.content;
  return contentText(item.content);
}

function plan(body: Json): ResponsePlan {
  const items: Json[] = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : [];
  if (Array.isArray(body.input)) items.push(...body.input.filter(isObject));
  const instructions = typeof body.instructions === 'string' ? body.instructions : '';
  const inputTokens = estimateTokens([instructions, ...items.map(itemText)].join('\n')) + 3 * items.length;
  const prompt = itemText([...items].reverse().find((item) => item.role === 'user') ?? {});
  const model = String(body.model);
  const summary = isReasoningModel(model) ? reasoningFor(prompt) : '';
  const maxTokens = typeof body.max_output_tokens === 'number' ? body.max_output_tokens : undefined;
  const last = items[items.length - 1];

  const tools = Array.isArray(body.tools) ? body.tools.filter(isObject) : [];
  const names =
    body.tool_choice === 'none'
      ? []
      : tools.flatMap((tool) =>
          tool.type === 'function' && typeof tool.name === 'string' ? [tool.name] : [],
        );
  const toolCalls = plannedToolCalls(prompt, names).map((call) => ({
    id: newId('fc_', 12),
    callId: newId('call_', 12),
    name: call.name,
    arguments: call.args === undefined ? '' : JSON.stringify(call.args),
  }));
  if (last?.type === 'function_call_output' && !(prompt.includes(TOOL_LOOP_MARKER) && toolCalls.length > 0)) {
    const results: string[] = [];
    for (const item of [...items].reverse()) {
      if (item.type === 'function_call_output') results.unshift(String(item.output ?? ''));
      else if (item.type !== 'function_call') break;
    }
    const limited = limitTokens(toolResultsReply(results), maxTokens);
    return {
      prompt,
      summary,
      text: limited.text,
      truncated: limited.truncated,
      toolCalls: [],
      inputTokens,
    };
  }
  if (toolCalls.length > 0) return { prompt, summary, text: '', truncated: false, toolCalls, inputTokens };
  const limited = limitTokens(replyTo(prompt), maxTokens);
  return {
    prompt,
    summary,
    text: limited.text,
    truncated: limited.truncated,
    toolCalls: [],
    inputTokens,
  };
}

/** The output items, in order: reasoning (reasoning models), then a function call or a message. */
function outputItems(p: ResponsePlan, ids: { reasoning: string; message: string }): Json[] {
  const items: Json[] = [];
  if (p.summary) {
    items.push({
      id: ids.reasoning,
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: p.summary }],
    });
  }
  for (const { id, callId, name, arguments: args } of p.toolCalls) {
    items.push({ id, type: 'function_call', status: 'completed', arguments: args, call_id: callId, name });
  }
  if (p.toolCalls.length === 0) {
    items.push({
      id: ids.message,
      type: 'message',
      status: p.truncated ? 'incomplete' : 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: p.text, annotations: [] }],
    });
  }
  return items;
}

function responseObject(
  body: Json,
  p: ResponsePlan,
  id: string,
  createdAt: number,
  output: Json[] | null,
): Json {
  const done = output !== null;
  const reasoningTokens = estimateTokens(p.summary);
  const outputTokens =
    estimateTokens(p.text) +
    reasoningTokens +
    estimateTokens(p.toolCalls.map((call) => call.arguments).join(''));
  const status = !done ? 'in_progress' : p.truncated ? 'incomplete' : 'completed';
  return {
    id,
    object: 'response',
    created_at: createdAt,
    status,
    completed_at: status === 'completed' ? nowSeconds() : null,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: typeof body.instructions === 'string' ? body.instructions : null,
    max_output_tokens: typeof body.max_output_tokens === 'number' ? body.max_output_tokens : null,
    model: String(body.model),
    output: output ?? [],
    parallel_tool_calls: true,
    previous_response_id: typeof body.previous_response_id === 'string' ? body.previous_response_id : null,
    reasoning: isObject(body.reasoning) ? body.reasoning : { effort: null, summary: null },
    store: body.store !== false,
    temperature: typeof body.temperature === 'number' ? body.temperature : 1,
    text: { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: Array.isArray(body.tools) ? body.tools : [],
    top_p: typeof body.top_p === 'number' ? body.top_p : 1,
    usage: done
      ? {
          input_tokens: p.inputTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: outputTokens,
          output_tokens_details: { reasoning_tokens: reasoningTokens },
          total_tokens: p.inputTokens + outputTokens,
        }
      : null,
    metadata: {},
  };
}

function streamEvents(ctx: Ctx, body: Json, p: ResponsePlan, id: string, createdAt: number): SseEvent[] {
  const events: SseEvent[] = [];
  const emit = (type: string, data: Json) =>
    events.push(jsonEvent({ type, sequence_number: events.length, ...data }, type));
  const ids = { reasoning: newId('rs_', 12), message: newId('msg_', 12) };
  const finalItems = outputItems(p, ids);
  emit('response.created', { response: responseObject(body, p, id, createdAt, null) });
  emit('response.in_progress', { response: responseObject(body, p, id, createdAt, null) });

  for (const [outputIndex, item] of finalItems.entries()) {
    const itemId = String(item.id);
    const at = { item_id: itemId, output_index: outputIndex };
    if (item.type === 'reasoning') {
      const part = { type: 'summary_text', text: p.summary };
      emit('response.output_item.added', { output_index: outputIndex, item: { ...item, summary: [] } });
      emit('response.reasoning_summary_part.added', { ...at, summary_index: 0, part: { ...part, text: '' } });
      for (const delta of chunkText(p.summary)) {
        emit('response.reasoning_summary_text.delta', { ...at, summary_index: 0, delta });
      }
      emit('response.reasoning_summary_text.done', { ...at, summary_index: 0, text: p.summary });
      emit('response.reasoning_summary_part.done', { ...at, summary_index: 0, part });
    } else if (item.type === 'function_call') {
      const args = String(item.arguments);
      emit('response.output_item.added', {
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', arguments: '' },
      });
      for (const delta of chunkText(args, 6))
        emit('response.function_call_arguments.delta', { ...at, delta });
      emit('response.function_call_arguments.done', { ...at, arguments: args });
    } else {
      const part = { type: 'output_text', text: p.text, annotations: [] };
      emit('response.output_item.added', {
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', content: [] },
      });
      emit('response.content_part.added', { ...at, content_index: 0, part: { ...part, text: '' } });
      for (const delta of chunkText(p.text)) {
        emit('response.output_text.delta', { ...at, content_index: 0, delta, logprobs: [] });
      }
      emit('response.output_text.done', { ...at, content_index: 0, text: p.text, logprobs: [] });
      emit('response.content_part.done', { ...at, content_index: 0, part });
    }
    emit('response.output_item.done', { output_index: outputIndex, item });
  }
  const final = responseObject(body, p, id, createdAt, finalItems);
  emit(p.truncated ? 'response.incomplete' : 'response.completed', { response: final });
  if (header(ctx.req, 'x-fake-trailing-done') === '1') events.push({ data: '[DONE]' });
  return events;
}

/** POST /v1/responses */
export async function responses(ctx: Ctx): Promise<void> {
  const body = ctx.json;
  if (!validate(ctx, body)) return;
  const p = plan(body);
  const id = newId('resp_', 16);
  const createdAt = nowSeconds();
  if (body.stream !== true) {
    const ids = { reasoning: newId('rs_', 12), message: newId('msg_', 12) };
    sendJson(ctx, 200, responseObject(body, p, id, createdAt, outputItems(p, ids)));
    return;
  }
  const message = 'The server had an error while processing your request. Sorry about that!';
  const errorEvents = (sent: number): SseEvent[] => [
    jsonEvent({ type: 'error', sequence_number: sent, code: 'server_error', message, param: null }, 'error'),
    jsonEvent(
      {
        type: 'response.failed',
        sequence_number: sent + 1,
        response: {
          ...responseObject(body, p, id, createdAt, null),
          status: 'failed',
          error: { code: 'server_error', message },
        },
      },
      'response.failed',
    ),
  ];
  await sendStream(ctx, {
    events: streamEvents(ctx, body, p, id, createdAt),
    errorEvents,
    ping: commentPing,
  });
}
