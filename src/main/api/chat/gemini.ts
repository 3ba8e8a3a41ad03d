import type { ChatParams } from '../../../shared/chat-params';
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
  hasUsage,
  type Json,
  providerStreamError,
  streamEndedEarly,
  toolResultText,
  usageOf,
} from './wire';

const PROVIDER = 'Gemini';

/** Finish reasons that mean a safety or policy filter stopped the reply. */
const FILTER_REASONS = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
]);

/**
 * An assistant turn: per round, a model content of text and `functionCall` parts, then a user content of
 * `functionResponse` parts (the tool's output under `output`, or its error under `error`).
 */
function assistantContents(turn: ChatTurn): Json[] {
  return assistantSteps(turn).flatMap((step): Json[] => {
    if (step.calls.length === 0) return [{ role: 'model', parts: [{ text: step.text }] }];
    return [
      {
        role: 'model',
        parts: [
          ...(step.text !== '' ? [{ text: step.text }] : []),
          // Thinking models refuse a call sent back without the signature it came with.
          ...step.calls.map((call) => ({
            functionCall: { id: call.id, name: call.name, args: callArguments(call) },
            ...(call.signature && !call.signature.startsWith('claude:')
              ? { thoughtSignature: call.signature }
              : {}),
          })),
        ],
      },
      {
        role: 'user',
        parts: step.calls.map((call) => {
          const text = toolResultText(call.result);
          const response: Json = call.result.isError ? { error: text } : { output: text };
          if (!call.result.isError && call.result.structuredContent !== undefined) {
            response.structuredContent = call.result.structuredContent;
          }
          return { functionResponse: { id: call.id, name: call.name, response } };
        }),
      },
    ];
  });
}

function turnContents(turn: ChatTurn): Json[] {
  if (turn.role === 'assistant') return assistantContents(turn);
  const documents = turn.documentParts ?? [];
  const textOnly = turn.images.length === 0 && documents.length === 0;
  return [
    {
      role: 'user',
      parts: [
        ...documents.map((text) => ({ text })),
        ...(turn.text !== '' || textOnly ? [{ text: turn.text }] : []),
        ...turn.images.map((image) => ({ inlineData: { mimeType: image.mimeType, data: image.base64 } })),
      ],
    },
  ];
}

function generationConfig(params: ChatParams, model: ModelInfo): Json {
  const config: Json = {};
  if (params.temperature !== undefined) config.temperature = params.temperature;
  if (params.topP !== undefined) config.topP = params.topP;
  if (params.maxTokens !== undefined) config.maxOutputTokens = params.maxTokens;
  if (params.stop !== undefined) config.stopSequences = params.stop;
  if (params.seed !== undefined) config.seed = params.seed;
  if (params.responseFormat !== undefined) {
    config.responseMimeType = params.responseFormat === 'json_object' ? 'application/json' : 'text/plain';
  }
  if (params.thinkingBudget !== undefined) {
    // A budget of 0 turns thinking off: there are no thoughts to include then.
    config.thinkingConfig = {
      thinkingBudget: params.thinkingBudget,
      ...(params.thinkingBudget !== 0 ? { includeThoughts: true } : {}),
    };
  } else if (model.reasoning !== 'none') {
    config.thinkingConfig = { includeThoughts: true };
  }
  return config;
}

function buildCall(request: ChatRequest): ApiCall {
  const json: Json = { contents: request.turns.flatMap(turnContents) };
  if (request.tools && request.tools.length > 0) {
    json.tools = [
      {
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.name,
          description: tool.description,
          parameters: tool.parameters,
        })),
      },
    ];
  }
  if (request.system.trim() !== '') json.systemInstruction = { parts: [{ text: request.system }] };
  const config = generationConfig(request.params, request.model);
  if (Object.keys(config).length > 0) json.generationConfig = config;
  return {
    endpoint: request.stream ? 'gemini.stream' : 'gemini.generate',
    pathParams: { model: request.model.id },
    json,
  };
}

/** Output counts thinking too, as OpenAI and DeepSeek do; Gemini reports the two apart. */
function usageFrom(raw: Json) {
  const candidates = asNumber(raw.candidatesTokenCount);
  const thoughts = asNumber(raw.thoughtsTokenCount);
  return usageOf({
    inputTokens: raw.promptTokenCount,
    outputTokens:
      candidates === undefined && thoughts === undefined ? undefined : (candidates ?? 0) + (thoughts ?? 0),
    reasoningTokens: raw.thoughtsTokenCount,
    cachedTokens: raw.cachedContentTokenCount,
    totalTokens: raw.totalTokenCount,
  });
}

function finishEvent(reason: string, calledTools: boolean): StreamEvent {
  if (reason === 'STOP') return { type: 'finish', reason: calledTools ? 'tool_calls' : 'stop' };
  if (reason === 'MAX_TOKENS') return { type: 'finish', reason: 'length' };
  if (FILTER_REASONS.has(reason)) {
    return { type: 'finish', reason: 'content_filter', detail: `The reply was stopped: ${reason}` };
  }
  return { type: 'finish', reason: reason.toLowerCase() };
}

/**
 * Reads GenerateContentResponse objects: each stream chunk, or the one non-streaming body. Returns the
 * events and whether the response was final (a finish reason or a blocked prompt).
 */
function createResponseReader() {
  let toolCount = 0;
  let lastUsage = '';

  return (root: Json): { events: StreamEvent[]; final: boolean; failed: boolean } => {
    const error = asObject(root.error);
    if (error) {
      const info = providerStreamError({
        provider: PROVIDER,
        message: error.message,
        code: error.status,
        status: error.code,
      });
      return { events: [{ type: 'error', error: info }], final: true, failed: true };
    }
    const events: StreamEvent[] = [];
    const candidate = asObject(asArray(root.candidates)[0]);
    for (const entry of asArray(asObject(candidate?.content)?.parts)) {
      const part = asObject(entry) ?? {};
      const text = asString(part.text);
      const call = asObject(part.functionCall);
      if (text !== undefined && text !== '') {
        events.push({ type: part.thought === true ? 'reasoning' : 'text', text });
      } else if (call) {
        const index = toolCount++;
        const signature = asString(part.thoughtSignature);
        events.push({
          type: 'tool-call',
          index,
          id: asString(call.id) ?? `call_${index}`,
          name: asString(call.name) ?? '',
          argumentsDelta: JSON.stringify(call.args ?? {}),
          ...(signature ? { signature } : {}),
        });
      }
    }
    const usage = usageFrom(asObject(root.usageMetadata) ?? {});
    const usageKey = JSON.stringify(usage);
    if (hasUsage(usage) && usageKey !== lastUsage) {
      lastUsage = usageKey;
      events.push({ type: 'usage', usage });
    }
    const reason = asString(candidate?.finishReason);
    if (reason && reason !== 'FINISH_REASON_UNSPECIFIED') {
      events.push(finishEvent(reason, toolCount > 0));
      return { events, final: true, failed: false };
    }
    const blockReason = asString(asObject(root.promptFeedback)?.blockReason);
    if (blockReason && !candidate) {
      events.push({ type: 'finish', reason: 'blocked', detail: `The prompt was blocked: ${blockReason}` });
      return { events, final: true, failed: false };
    }
    return { events, final: false, failed: false };
  };
}

function createStreamReader(): StreamReader {
  const read = createResponseReader();
  let finished = false;
  let failed = false;
  return {
    push(message: SseMessage): StreamEvent[] {
      if (failed) return [];
      const result = read(asObject(parseEventJson(message)) ?? {});
      finished ||= result.final;
      failed = result.failed;
      return result.events;
    },
    end(): StreamEvent[] {
      return finished ? [] : [streamEndedEarly()];
    },
  };
}

function parseResponse(body: unknown): StreamEvent[] {
  return createResponseReader()(asObject(body) ?? {}).events;
}

export const geminiAdapter: ChatAdapter = {
  api: 'gemini',
  buildCall,
  createStreamReader,
  parseResponse,
};
