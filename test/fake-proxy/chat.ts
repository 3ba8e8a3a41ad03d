import { badRequest, sendError } from './errors';
import { type Ctx, isObject, type Json, newId, nowSeconds, sendJson } from './http';
import { commentPing, jsonEvent, type SseEvent, sendStream } from './sse';
import {
  chunkText,
  estimateTokens,
  isReasoningModel,
  limitTokens,
  mentionsWeather,
  pickTool,
  reasoningFor,
  replyTo,
  toolResultReply,
  weatherArguments,
} from './text';

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
  toolCall: ToolCallPlan | undefined;
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

  if (last?.role === 'tool') {
    const limited = limitTokens(toolResultReply(contentText(last.content)), maxTokens);
    const finishReason = limited.truncated ? 'length' : 'stop';
    return { reasoning, content: limited.text, toolCall: undefined, finishReason, promptTokens };
  }
  const filterAt = prompt.indexOf(FILTER_MARKER);
  if (filterAt >= 0) {
    const content = replyTo(prompt.slice(0, filterAt));
    return { reasoning, content, toolCall: undefined, finishReason: 'content_filter', promptTokens };
  }
  const tool = body.tool_choice === 'none' ? undefined : pickTool(toolNames(body.tools));
  if (tool !== undefined && mentionsWeather(prompt)) {
    const toolCall = {
      id: newId('call_', 12),
      name: tool,
      arguments: JSON.stringify(weatherArguments(prompt)),
    };
    return { reasoning, content: '', toolCall, finishReason: 'tool_calls', promptTokens };
  }
  const limited = limitTokens(replyTo(prompt), maxTokens);
  const finishReason = limited.truncated ? 'length' : 'stop';
  return { reasoning, content: limited.text, toolCall: undefined, finishReason, promptTokens };
}

function usageOf(p: ChatPlan) {
  const reasoningTokens = estimateTokens(p.reasoning);
  const completionTokens =
    estimateTokens(p.content) + reasoningTokens + estimateTokens(p.toolCall?.arguments ?? '');
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
  if (p.toolCall) {
    const { id, name } = p.toolCall;
    events.push(
      chunk({ tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: '' } }] }),
    );
    for (const piece of chunkText(p.toolCall.arguments, 6)) {
      events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
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
    content: p.toolCall ? null : p.content,
    refusal: null,
    annotations: [],
  };
  if (p.reasoning) message.reasoning_content = p.reasoning;
  if (p.toolCall) {
    const { id, name, arguments: args } = p.toolCall;
    message.tool_calls = [{ id, type: 'function', function: { name, arguments: args } }];
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
