import type { ChatParams } from '../../../shared/chat-params';
import type { ModelInfo } from '../../../shared/models';
import type { ApiCall } from '../api-call';
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
  ToolCallIndex,
  toolResultText,
  typedEventReader,
  usageOf,
} from './wire';

const PROVIDER = 'OpenAI';

/** An assistant turn: per round, the text as a message, then each `function_call` with its `function_call_output`. */
function assistantItems(turn: ChatTurn): Json[] {
  return assistantSteps(turn).flatMap((step): Json[] => [
    ...(step.text !== '' || step.calls.length === 0
      ? [{ role: 'assistant', content: [{ type: 'output_text', text: step.text }] }]
      : []),
    ...step.calls.flatMap((call) => [
      {
        type: 'function_call',
        call_id: call.id,
        name: call.name,
        arguments: JSON.stringify(callArguments(call)),
      },
      { type: 'function_call_output', call_id: call.id, output: toolResultText(call.result) },
    ]),
  ]);
}

function inputItems(turn: ChatTurn): Json[] {
  if (turn.role === 'assistant') return assistantItems(turn);
  const documents = turn.documentParts ?? [];
  const textOnly = turn.images.length === 0 && documents.length === 0;
  return [
    {
      role: 'user',
      content: [
        ...documents.map((text) => ({ type: 'input_text', text })),
        ...(turn.text !== '' || textOnly ? [{ type: 'input_text', text: turn.text }] : []),
        ...turn.images.map((image) => ({ type: 'input_image', image_url: dataUrl(image) })),
      ],
    },
  ];
}

function paramFields(params: ChatParams, model: ModelInfo): Json {
  const fields: Json = {};
  if (params.temperature !== undefined) fields.temperature = params.temperature;
  if (params.topP !== undefined) fields.top_p = params.topP;
  if (params.maxTokens !== undefined) fields.max_output_tokens = params.maxTokens;
  // Reasoning models stream their summary only when asked for one.
  if (params.reasoningEffort !== undefined || model.reasoning === 'effort') {
    fields.reasoning = {
      ...(params.reasoningEffort !== undefined ? { effort: params.reasoningEffort } : {}),
      summary: 'auto',
    };
  }
  if (params.responseFormat !== undefined) fields.text = { format: { type: params.responseFormat } };
  return fields;
}

function buildCall(request: ChatRequest): ApiCall {
  const json: Json = {
    model: request.model.id,
    input: request.turns.flatMap(inputItems),
    stream: request.stream,
    store: false,
    ...paramFields(request.params, request.model),
  };
  if (request.tools && request.tools.length > 0) {
    json.tools = request.tools.map((tool) => ({
      type: 'function',
      name: tool.name,
      description: tool.description,
      parameters: tool.parameters,
    }));
  }
  if (request.system.trim() !== '') json.instructions = request.system;
  return { endpoint: 'openai.responses', json };
}

function usageFrom(raw: Json) {
  return usageOf({
    inputTokens: raw.input_tokens,
    outputTokens: raw.output_tokens,
    totalTokens: raw.total_tokens,
    cachedTokens: asObject(raw.input_tokens_details)?.cached_tokens,
    reasoningTokens: asObject(raw.output_tokens_details)?.reasoning_tokens,
  });
}

/** Usage and finish of a finished response object (`response.completed` / `.incomplete`, or a JSON body). */
function closingEvents(response: Json, calledTools: boolean): StreamEvent[] {
  const events: StreamEvent[] = [];
  const usage = asObject(response.usage);
  if (usage) {
    const value = usageFrom(usage);
    if (hasUsage(value)) events.push({ type: 'usage', usage: value });
  }
  if (response.status === 'incomplete') {
    const reason = asString(asObject(response.incomplete_details)?.reason) ?? 'incomplete';
    if (reason === 'max_output_tokens') events.push({ type: 'finish', reason: 'length' });
    else if (reason === 'content_filter') {
      events.push({ type: 'finish', reason, detail: "OpenAI's content filter stopped the reply." });
    } else events.push({ type: 'finish', reason });
  } else {
    events.push({ type: 'finish', reason: calledTools ? 'tool_calls' : 'stop' });
  }
  return events;
}

function failedEvent(response: Json): StreamEvent {
  const error = asObject(response.error) ?? {};
  return {
    type: 'error',
    error: providerStreamError({ provider: PROVIDER, message: error.message, code: error.code }),
  };
}

function createStreamReader(): StreamReader {
  const tools = new ToolCallIndex();
  let lastReasoningPart: string | undefined;
  let finished = false;

  /** Summary parts and reasoning items are paragraphs of their own. */
  function reasoningSeparator(event: Json): StreamEvent[] {
    const part = `${asString(event.item_id) ?? ''}:${asNumber(event.summary_index) ?? 0}`;
    const isNewPart = lastReasoningPart !== undefined && part !== lastReasoningPart;
    lastReasoningPart = part;
    return isNewPart ? [{ type: 'reasoning', text: '\n\n' }] : [];
  }

  function handle(event: Json): StreamEvent[] {
    switch (event.type) {
      case 'response.output_text.delta':
      case 'response.refusal.delta': {
        const text = asString(event.delta) ?? '';
        return text === '' ? [] : [{ type: 'text', text }];
      }
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta': {
        const text = asString(event.delta) ?? '';
        if (text === '') return [];
        return [...reasoningSeparator(event), { type: 'reasoning', text }];
      }
      case 'response.output_item.added': {
        const item = asObject(event.item) ?? {};
        if (item.type !== 'function_call') return [];
        return [
          {
            type: 'tool-call',
            index: tools.indexFor(asNumber(event.output_index) ?? tools.count),
            id: asString(item.call_id) ?? asString(item.id) ?? '',
            name: asString(item.name) ?? '',
            argumentsDelta: '',
          },
        ];
      }
      case 'response.function_call_arguments.delta': {
        const delta = asString(event.delta) ?? '';
        if (delta === '') return [];
        const index = tools.indexFor(asNumber(event.output_index) ?? tools.count);
        return [{ type: 'tool-call', index, argumentsDelta: delta }];
      }
      case 'response.completed':
      case 'response.incomplete':
        finished = true;
        return closingEvents(asObject(event.response) ?? {}, tools.count > 0);
      case 'response.failed':
        finished = true;
        return [failedEvent(asObject(event.response) ?? {})];
      case 'error': {
        finished = true;
        // Flat `{type, code, message}`, or nested as `{type, error: {code, type, message}}` (recorded upstream).
        const nested = asObject(event.error) ?? {};
        return [
          {
            type: 'error',
            error: providerStreamError({
              provider: PROVIDER,
              message: event.message ?? nested.message,
              code: event.code ?? nested.code,
              type: nested.type,
            }),
          },
        ];
      }
      default:
        return [];
    }
  }

  // After `error`, upstream also sends `response.failed`: the first one ends the stream.
  return typedEventReader(handle, () => finished);
}

function parseResponse(body: unknown): StreamEvent[] {
  const root = asObject(body) ?? {};
  if (asObject(root.error) && root.status !== 'completed') return [failedEvent(root)];
  const events: StreamEvent[] = [];
  let toolIndex = 0;
  for (const entry of asArray(root.output)) {
    const item = asObject(entry) ?? {};
    if (item.type === 'reasoning') {
      const parts = [...asArray(item.summary), ...asArray(item.content)];
      const text = parts
        .map((part) => asString(asObject(part)?.text) ?? '')
        .filter((part) => part !== '')
        .join('\n\n');
      if (text !== '') events.push({ type: 'reasoning', text });
    } else if (item.type === 'message') {
      const text = asArray(item.content)
        .map((part) => {
          const content = asObject(part) ?? {};
          return asString(content.type === 'refusal' ? content.refusal : content.text) ?? '';
        })
        .join('');
      if (text !== '') events.push({ type: 'text', text });
    } else if (item.type === 'function_call') {
      events.push({
        type: 'tool-call',
        index: toolIndex++,
        id: asString(item.call_id) ?? asString(item.id) ?? '',
        name: asString(item.name) ?? '',
        argumentsDelta: asString(item.arguments) ?? '',
      });
    }
  }
  if (root.status === 'failed') return [...events, failedEvent(root)];
  return [...events, ...closingEvents(root, toolIndex > 0)];
}

export const openaiResponsesAdapter: ChatAdapter = {
  api: 'openai-responses',
  buildCall,
  createStreamReader,
  parseResponse,
};
