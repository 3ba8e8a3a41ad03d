import type { ChatParams } from '../../../shared/chat-params';
import type { EndpointKey } from '../../../shared/endpoints';
import type { ModelInfo } from '../../../shared/models';
import type { ApiCall } from '../api-call';
import { parseEventJson, type SseMessage } from '../sse';
import type { ChatAdapter, ChatRequest, ChatTurn, StreamEvent, StreamReader } from './types';
import {
  asArray,
  asNumber,
  asObject,
  asString,
  assistantSteps,
  callArguments,
  dataUrl,
  hasUsage,
  type Json,
  providerStreamError,
  streamEndedEarly,
  ToolCallIndex,
  toolResultText,
  usageOf,
} from './wire';

const PROVIDER = 'The provider';

/** Claude and DeepSeek models have their own endpoint keys, so a profile can repoint them. */
function endpointFor(model: ModelInfo): EndpointKey {
  if (model.family === 'claude') return 'claude.chat';
  if (model.family === 'deepseek') return 'deepseek.chat';
  return 'openai.chat';
}

/** An assistant turn: per round, the text with its `tool_calls`, then one `tool` message per call. */
function assistantMessages(turn: ChatTurn): Json[] {
  return assistantSteps(turn).flatMap((step): Json[] => {
    if (step.calls.length === 0) return [{ role: 'assistant', content: step.text }];
    return [
      {
        role: 'assistant',
        content: step.text === '' ? null : step.text,
        tool_calls: step.calls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: JSON.stringify(callArguments(call)) },
        })),
      },
      ...step.calls.map((call) => ({
        role: 'tool',
        tool_call_id: call.id,
        content: toolResultText(call.result),
      })),
    ];
  });
}

function turnMessages(turn: ChatTurn): Json[] {
  if (turn.role === 'assistant') return assistantMessages(turn);
  const documents = turn.documentParts ?? [];
  if (turn.images.length === 0 && documents.length === 0) return [{ role: 'user', content: turn.text }];
  return [
    {
      role: 'user',
      content: [
        ...documents.map((text) => ({ type: 'text', text })),
        ...(turn.text !== '' ? [{ type: 'text', text: turn.text }] : []),
        ...turn.images.map((image) => ({ type: 'image_url', image_url: { url: dataUrl(image) } })),
      ],
    },
  ];
}

function paramFields(params: ChatParams, model: ModelInfo): Json {
  const fields: Json = {};
  if (params.temperature !== undefined) fields.temperature = params.temperature;
  if (params.topP !== undefined) fields.top_p = params.topP;
  if (params.maxTokens !== undefined) {
    fields[model.reasoning === 'effort' ? 'max_completion_tokens' : 'max_tokens'] = params.maxTokens;
  }
  if (params.reasoningEffort !== undefined) fields.reasoning_effort = params.reasoningEffort;
  if (params.stop !== undefined) fields.stop = params.stop;
  if (params.seed !== undefined) fields.seed = params.seed;
  if (params.responseFormat !== undefined) fields.response_format = { type: params.responseFormat };
  return fields;
}

function buildCall(request: ChatRequest): ApiCall {
  const messages: Json[] = [];
  if (request.system.trim() !== '') messages.push({ role: 'system', content: request.system });
  messages.push(...request.turns.flatMap(turnMessages));
  const json: Json = {
    model: request.model.id,
    messages,
    stream: request.stream,
    ...paramFields(request.params, request.model),
  };
  if (request.tools && request.tools.length > 0) {
    json.tools = request.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    }));
  }
  if (request.stream) json.stream_options = { include_usage: true };
  return { endpoint: endpointFor(request.model), json };
}

function usageFrom(raw: Json) {
  return usageOf({
    inputTokens: raw.prompt_tokens,
    outputTokens: raw.completion_tokens,
    totalTokens: raw.total_tokens,
    cachedTokens: asObject(raw.prompt_tokens_details)?.cached_tokens ?? raw.prompt_cache_hit_tokens,
    reasoningTokens: asObject(raw.completion_tokens_details)?.reasoning_tokens,
  });
}

/** Azure names the categories that tripped its filter in `content_filter_results`. */
function filterDetail(choice: Json): string {
  const results = asObject(choice.content_filter_results) ?? {};
  const flagged = Object.entries(results)
    .filter(([, result]) => asObject(result)?.filtered === true)
    .map(([category]) => category.replace(/_/g, ' '));
  return `The provider's content filter stopped the reply${flagged.length > 0 ? ` (${flagged.join(', ')})` : ''}.`;
}

function finishEvent(reason: string, choice: Json): StreamEvent {
  if (reason === 'function_call') return { type: 'finish', reason: 'tool_calls' };
  if (reason === 'content_filter') return { type: 'finish', reason, detail: filterDetail(choice) };
  return { type: 'finish', reason };
}

function errorEvent(raw: Json): StreamEvent {
  return {
    type: 'error',
    error: providerStreamError({ provider: PROVIDER, message: raw.message, code: raw.code, type: raw.type }),
  };
}

/** Reasoning as DeepSeek (`reasoning_content`) or some gateways (`reasoning`) send it; never both. */
function reasoningOf(holder: Json): string {
  const content = asString(holder.reasoning_content);
  return content !== undefined && content !== '' ? content : (asString(holder.reasoning) ?? '');
}

/** The choice with index 0 (or none given) of a chunk's `choices`. */
function firstChoice(choices: unknown): Json | undefined {
  if (!Array.isArray(choices)) return undefined;
  for (const item of choices) {
    const choice = asObject(item);
    if (choice && (choice.index ?? 0) === 0) return choice;
  }
  return undefined;
}

function createStreamReader(): StreamReader {
  const tools = new ToolCallIndex();
  const announced = { ids: new Set<number>(), names: new Set<number>() };
  let finished = false;
  let failed = false;

  function toolCallEvents(deltas: unknown[]): StreamEvent[] {
    const events: StreamEvent[] = [];
    for (const [position, item] of deltas.entries()) {
      const delta = asObject(item);
      if (!delta) continue;
      const index = tools.indexFor(asNumber(delta.index) ?? position);
      const fn = asObject(delta.function) ?? {};
      const event: StreamEvent & { type: 'tool-call' } = {
        type: 'tool-call',
        index,
        argumentsDelta: asString(fn.arguments) ?? '',
      };
      const id = asString(delta.id);
      if (id && !announced.ids.has(index)) {
        announced.ids.add(index);
        event.id = id;
      }
      const name = asString(fn.name);
      if (name && !announced.names.has(index)) {
        announced.names.add(index);
        event.name = name;
      }
      if (event.id !== undefined || event.name !== undefined || event.argumentsDelta !== '')
        events.push(event);
    }
    return events;
  }

  return {
    push(message: SseMessage): StreamEvent[] {
      if (failed) return [];
      const chunk = asObject(parseEventJson(message)) ?? {};
      const error = asObject(chunk.error);
      if (error) {
        failed = true;
        return [errorEvent(error)];
      }
      const events: StreamEvent[] = [];
      // Azure's opening chunk has no choices, only prompt_filter_results; the usage chunk has none either.
      const choice = firstChoice(chunk.choices);
      let finish: StreamEvent | undefined;
      if (choice) {
        const delta = asObject(choice.delta) ?? {};
        const reasoning = reasoningOf(delta);
        if (reasoning !== '') events.push({ type: 'reasoning', text: reasoning });
        const text = asString(delta.content) || asString(delta.refusal) || '';
        if (text !== '') events.push({ type: 'text', text });
        if (Array.isArray(delta.tool_calls)) events.push(...toolCallEvents(delta.tool_calls));
        const reason = asString(choice.finish_reason);
        if (reason) {
          finished = true;
          finish = finishEvent(reason, choice);
        }
      }
      const usage = asObject(chunk.usage);
      if (usage) {
        const value = usageFrom(usage);
        if (hasUsage(value)) events.push({ type: 'usage', usage: value });
      }
      if (finish) events.push(finish);
      return events;
    },
    end(): StreamEvent[] {
      return finished || failed ? [] : [streamEndedEarly()];
    },
  };
}

/** Message content as a string, or the text parts of a parts array joined. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return asArray(content)
    .map((part) => asString(asObject(part)?.text) ?? '')
    .join('');
}

function parseResponse(body: unknown): StreamEvent[] {
  const root = asObject(body) ?? {};
  const error = asObject(root.error);
  if (error) return [errorEvent(error)];
  const events: StreamEvent[] = [];
  const choice = asArray(root.choices).map(asObject)[0];
  const message = asObject(choice?.message) ?? {};
  const reasoning = reasoningOf(message);
  if (reasoning !== '') events.push({ type: 'reasoning', text: reasoning });
  const text = contentText(message.content) || asString(message.refusal) || '';
  if (text !== '') events.push({ type: 'text', text });
  for (const [index, item] of asArray(message.tool_calls).entries()) {
    const call = asObject(item) ?? {};
    const fn = asObject(call.function) ?? {};
    events.push({
      type: 'tool-call',
      index,
      id: asString(call.id) ?? `call_${index}`,
      name: asString(fn.name) ?? '',
      argumentsDelta: asString(fn.arguments) ?? '',
    });
  }
  const usage = asObject(root.usage);
  if (usage) events.push({ type: 'usage', usage: usageFrom(usage) });
  const reason = asString(choice?.finish_reason);
  if (choice && reason) events.push(finishEvent(reason, choice));
  return events;
}

export const openaiChatAdapter: ChatAdapter = {
  api: 'openai-chat',
  buildCall,
  createStreamReader,
  parseResponse,
};
