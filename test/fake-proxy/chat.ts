import { badRequest, sendError } from './errors';
import { type Ctx, isObject, type Json, newId, nowSeconds, sendJson } from './http';
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
import { type PairingStep, pairingProblem } from './tool-pairing';

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];
const FILTER_MARKER = '[filter]';

/** Text of an OpenAI message `content`: a string or an array of parts. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : ''))
    .filter((text) => text !== '')
    .join('\n');
}

interface ToolCallPlan {
  id: string;
  name: string;
  arguments: string;
}

interface ChatPlan {
  reasoning: string;
  content: string;
  toolCalls: ToolCallPlan[];
  finishReason: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  promptTokens: number;
}

const safe = { filtered: false, severity: 'safe' };
const contentFilterResults = { hate: safe, self_harm: safe, sexual: safe, violence: safe };
const flaggedFilterResults = { ...contentFilterResults, violence: { filtered: true, severity: 'high' } };
const promptFilterResults = [
  {
    prompt_index: 0,
    content_filter_results: { ...contentFilterResults, jailbreak: { filtered: false, detected: false } },
  },
];

function validate(ctx: Ctx, body: unknown): body is Json {
  if (!isObject(body)) {
    badRequest(ctx, 'We could not parse the JSON body of your request.');
    return false;
  }
  if (typeof body.model !== 'string' || body.model === '') {
    badRequest(ctx, 'you must provide a model parameter', 'model');
    return false;
  }
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    badRequest(ctx, "Invalid 'messages': empty array. Expected an array with minimum length 1.", 'messages');
    return false;
  }
  for (const [index, message] of messages.entries()) {
    if (!isObject(message) || typeof message.role !== 'string' || !ROLES.includes(message.role)) {
      const role = isObject(message) ? String(message.role) : 'undefined';
      badRequest(
        ctx,
        `Invalid value: '${role}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
        `messages[${index}].role`,
      );
      return false;
    }
    if (message.role === 'tool' && typeof message.tool_call_id !== 'string') {
      badRequest(ctx, `Missing required parameter: 'messages[${index}].tool_call_id'.`, `messages[${index}]`);
      return false;
    }
  }
  if (!pairedToolCalls(ctx, messages.filter(isObject))) return false;
  if (isReasoningModel(body.model) && body.max_tokens !== undefined && !body.model.startsWith('deepseek')) {
    sendError(
      ctx,
      400,
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      { param: 'max_tokens', code: 'unsupported_parameter' },
    );
    return false;
  }
  if (body.stream_options !== undefined && body.stream !== true) {
    badRequest(
      ctx,
      "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
      'stream_options',
    );
    return false;
  }
  return true;
}

/** Each assistant message's `tool_calls` answered by the `tool` messages right after it, as upstream checks. */
function pairedToolCalls(ctx: Ctx, messages: Json[]): boolean {
  const steps: PairingStep[] = [];
  for (const message of messages) {
    const previous = steps[steps.length - 1];
    if (message.role === 'tool') {
      const id = String(message.tool_call_id);
      if (previous?.kind === 'results') previous.ids.push(id);
      else steps.push({ kind: 'results', ids: [id] });
    } else if (message.role === 'assistant' && Array.isArray(message.tool_calls)) {
      steps.push({ kind: 'calls', ids: message.tool_calls.filter(isObject).map((call) => String(call.id)) });
    } else steps.push({ kind: 'other' });
  }
  const problem = pairingProblem(steps);
  if (!problem) return true;
  badRequest(
    ctx,
    problem.kind === 'unanswered'
      ? `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${problem.ids.join(', ')}`
      : "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
    'messages',
  );
  return false;
}

function toolNames(tools: unknown): string[] {
  if (!Array.isArray(tools)) return [];
  return tools.flatMap((tool) =>
    isObject(tool) && isObject(tool.function) && typeof tool.function.name === 'string'
      ? [tool.function.name]
      : [],
  );
}

function plan(body: Json): ChatPlan {
  const model = String(body.model);
  const messages = (body.messages as unknown[]).filter(isObject);
  const promptTokens =
    estimateTokens(messages.map((m) => contentText(m.content)).join('\n')) + 3 * messages.length;
  const last = messages[messages.length - 1];
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const prompt = contentText(lastUser?.content);
  const reasoning = isReasoningModel(model) ? reasoningFor(prompt) : '';
  const maxTokens = [body.max_completion_tokens, body.max_tokens].find((v) => typeof v === 'number') as
    | number
    | undefined;

  const names = body.tool_choice === 'none' ? [] : toolNames(body.tools);
  const planned = plannedToolCalls(prompt, names);
  const toolCalls = planned.map((call) => ({
    id: newId('call_', 12),
    name: call.name,
    arguments: call.args === undefined ? '' : JSON.stringify(call.args),
  }));
  if (last?.role === 'tool' && !(prompt.includes(TOOL_LOOP_MARKER) && toolCalls.length > 0)) {
    const results: string[] = [];
    for (const message of [...messages].reverse()) {
      if (message.role !== 'tool') break;
      results.unshift(contentText(message.content));
    }
    const limited = limitTokens(toolResultsReply(results), maxTokens);
    const finishReason = limited.truncated ? 'length' : 'stop';
    return { reasoning, content: limited.text, toolCalls: [], finishReason, promptTokens };
  }
  const filterAt = prompt.indexOf(FILTER_MARKER);
  if (filterAt >= 0) {
    const content = replyTo(prompt.slice(0, filterAt));
    return { reasoning, content, toolCalls: [], finishReason: 'content_filter', promptTokens };
  }
  if (toolCalls.length > 0) {
    return { reasoning, content: '', toolCalls, finishReason: 'tool_calls', promptTokens };
  }
  const limited = limitTokens(replyTo(prompt), maxTokens);
  const finishReason = limited.truncated ? 'length' : 'stop';
  return { reasoning, content: limited.text, toolCalls: [], finishReason, promptTokens };
}

function usageOf(p: ChatPlan) {
  const reasoningTokens = estimateTokens(p.reasoning);
  const completionTokens =
    estimateTokens(p.content) +
    reasoningTokens +
    estimateTokens(p.toolCalls.map((call) => call.arguments).join(''));
  return {
    prompt_tokens: p.promptTokens,
    completion_tokens: completionTokens,
    total_tokens: p.promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function streamEvents(body: Json, p: ChatPlan): SseEvent[] {
  const model = String(body.model);
  const azure = model.startsWith('gpt-4');
  const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;
  const base = { id: newId('chatcmpl-', 12), object: 'chat.completion.chunk', created: nowSeconds(), model };
  const chunk = (delta: Json, finishReason: string | null = null) =>
    jsonEvent({
      ...base,
      system_fingerprint: 'fp_fake',
      choices: [
        {
          index: 0,
          delta,
          logprobs: null,
          finish_reason: finishReason,
          ...(azure
            ? {
                content_filter_results:
                  finishReason === 'content_filter'
                    ? flaggedFilterResults
                    : delta.content
                      ? contentFilterResults
                      : {},
              }
            : {}),
        },
      ],
      ...(includeUsage ? { usage: null } : {}),
    });

  const events: SseEvent[] = [];
  if (azure) {
    events.push(
      jsonEvent({
        id: '',
        object: '',
        created: 0,
        model: '',
        choices: [],
        prompt_filter_results: promptFilterResults,
      }),
    );
  }
  events.push(
    chunk(
      p.reasoning
        ? { role: 'assistant', content: null, reasoning_content: '' }
        : { role: 'assistant', content: '' },
    ),
  );
  for (const piece of chunkText(p.reasoning)) events.push(chunk({ content: null, reasoning_content: piece }));
  for (const piece of chunkText(p.content)) events.push(chunk({ content: piece }));
  // Parallel calls: each announced, then their argument pieces interleaved, as upstream streams them.
  for (const [index, { id, name }] of p.toolCalls.entries()) {
    events.push(chunk({ tool_calls: [{ index, id, type: 'function', function: { name, arguments: '' } }] }));
  }
  const pieces = p.toolCalls.map((call) => chunkText(call.arguments, 6));
  for (let at = 0; pieces.some((list) => at < list.length); at += 1) {
    for (const [index, list] of pieces.entries()) {
      const piece = list[at];
      if (piece !== undefined)
        events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  }
  events.push(chunk({}, p.finishReason));
  if (includeUsage) {
    events.push(jsonEvent({ ...base, system_fingerprint: 'fp_fake', choices: [], usage: usageOf(p) }));
  }
  events.push({ data: '[DONE]' });
  return events;
}

function completion(body: Json, p: ChatPlan): Json {
  const model = String(body.model);
  const azure = model.startsWith('gpt-4');
  const message: Json = {
    role: 'assistant',
    content: p.toolCalls.length > 0 ? null : p.content,
    refusal: null,
    annotations: [],
  };
  if (p.reasoning) message.reasoning_content = p.reasoning;
  if (p.toolCalls.length > 0) {
    message.tool_calls = p.toolCalls.map(({ id, name, arguments: args }) => ({
      id,
      type: 'function',
      function: { name, arguments: args },
    }));
  }
  return {
    id: newId('chatcmpl-', 12),
    object: 'chat.completion',
    created: nowSeconds(),
    model,
    choices: [
      {
        index: 0,
        finish_reason: p.finishReason,
        logprobs: null,
        message,
        ...(azure
          ? {
              content_filter_results:
                p.finishReason === 'content_filter' ? flaggedFilterResults : contentFilterResults,
            }
          : {}),
      },
    ],
    ...(azure ? { prompt_filter_results: promptFilterResults } : {}),
    system_fingerprint: null,
    usage: usageOf(p),
  };
}

/** POST /v1/chat/completions (OpenAI, Claude and DeepSeek models alike). */
export async function chatCompletions(ctx: Ctx): Promise<void> {
  const body = ctx.json;
  if (!validate(ctx, body)) return;
  const p = plan(body);
  if (body.stream !== true) {
    sendJson(ctx, 200, completion(body, p));
    return;
  }
  const errorEvent = jsonEvent({
    error: {
      message: 'The server had an error while processing your request. Sorry about that!',
      type: 'server_error',
      param: null,
      code: null,
    },
  });
  await sendStream(ctx, {
    events: streamEvents(body, p),
    errorEvents: () => [errorEvent],
    ping: commentPing,
  });
}
