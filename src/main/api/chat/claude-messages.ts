import { type ChatParams, CLAUDE_DEFAULT_MAX_TOKENS } from '../../../shared/chat-params';
import type { ToolResult } from '../../../shared/tools';
import type { ApiCall } from '../api-call';
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
  ToolCallIndex,
  toolResultText,
  typedEventReader,
  usageOf,
} from './wire';

const PROVIDER = 'Claude';
const REDACTED_THINKING = '[redacted thinking]';

/** A result's content as Claude blocks: text and images; other media and structured content as text. */
function resultBlocks(result: ToolResult): Json[] {
  const blocks: Json[] = [];
  for (const part of result.content) {
    if (part.type === 'image') {
      blocks.push({ type: 'image', source: { type: 'base64', media_type: part.mimeType, data: part.data } });
    } else {
      const text = toolResultText({ content: [part], isError: false });
      if (text !== '') blocks.push({ type: 'text', text });
    }
  }
  if (blocks.length === 0) {
    const text = toolResultText(result);
    if (text !== '') blocks.push({ type: 'text', text });
  }
  return blocks;
}

/** An assistant turn: per round, text and `tool_use` blocks, then a user message of `tool_result` blocks. */
function assistantMessages(turn: ChatTurn): Json[] {
  return assistantSteps(turn).flatMap((step): Json[] => {
    if (step.calls.length === 0) return [{ role: 'assistant', content: step.text }];
    return [
      {
        role: 'assistant',
        content: [
          ...thinkingBlocks(step.calls[0]?.signature),
          ...(step.text !== '' ? [{ type: 'text', text: step.text }] : []),
          ...step.calls.map((call) => ({
            type: 'tool_use',
            id: call.id,
            name: call.name,
            input: callArguments(call),
          })),
        ],
      },
      {
        role: 'user',
        content: step.calls.map((call) => ({
          type: 'tool_result',
          tool_use_id: call.id,
          content: resultBlocks(call.result),
          ...(call.result.isError ? { is_error: true } : {}),
        })),
      },
    ];
  });
}

function turnMessages(turn: ChatTurn): Json[] {
  if (turn.role === 'assistant') return assistantMessages(turn);
  const documents = turn.documentParts ?? [];
  if (turn.images.length === 0 && documents.length === 0) return [{ role: 'user', content: turn.text }];
  // Anthropic advises images and long documents before the text that refers to them; empty text blocks are refused.
  return [
    {
      role: 'user',
      content: [
        ...turn.images.map((image) => ({
          type: 'image',
          source: { type: 'base64', media_type: image.mimeType, data: image.base64 },
        })),
        ...documents.map((text) => ({ type: 'text', text })),
        ...(turn.text !== '' ? [{ type: 'text', text: turn.text }] : []),
      ],
    },
  ];
}

function paramFields(params: ChatParams): Json {
  const fields: Json = { max_tokens: params.maxTokens ?? CLAUDE_DEFAULT_MAX_TOKENS };
  if (params.temperature !== undefined) fields.temperature = params.temperature;
  if (params.topP !== undefined) fields.top_p = params.topP;
  if (params.stop !== undefined) fields.stop_sequences = params.stop;
  if (params.thinkingBudget !== undefined) {
    fields.thinking = { type: 'enabled', budget_tokens: params.thinkingBudget };
  }
  return fields;
}

function buildCall(request: ChatRequest): ApiCall {
  const json: Json = {
    model: request.model.id,
    ...paramFields(request.params),
    messages: request.turns.flatMap(turnMessages),
    stream: request.stream,
  };
  if (request.tools && request.tools.length > 0) {
    json.tools = request.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: tool.parameters,
    }));
  }
  if (request.system.trim() !== '') json.system = request.system;
  return { endpoint: 'claude.messages', json };
}

function finishEvent(stopReason: string): StreamEvent {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return { type: 'finish', reason: 'stop' };
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return { type: 'finish', reason: 'length' };
    case 'tool_use':
      return { type: 'finish', reason: 'tool_calls' };
    case 'refusal':
      return { type: 'finish', reason: 'content_filter', detail: 'Claude declined to continue this reply.' };
    default:
      return { type: 'finish', reason: stopReason };
  }
}

function errorEvent(raw: Json): StreamEvent {
  const error = asObject(raw.error) ?? {};
  return {
    type: 'error',
    error: providerStreamError({ provider: PROVIDER, message: error.message, type: error.type }),
  };
}

/** message_start's output_tokens is a placeholder; message_delta's is the running total, never an increment. */
function usageFrom(raw: Json, withOutput: boolean) {
  return usageOf({
    inputTokens: raw.input_tokens,
    cachedTokens: raw.cache_read_input_tokens,
    ...(withOutput ? { outputTokens: raw.output_tokens } : {}),
  });
}

/** Claude's thinking blocks travel with the first call of their message, as `claude:` and the blocks in JSON. */
const SIGNATURE_PREFIX = 'claude:';

/** The thinking blocks a call carries, to send back before it (Claude refuses a tool round without them). */
function thinkingBlocks(signature: string | undefined): Json[] {
  if (!signature?.startsWith(SIGNATURE_PREFIX)) return [];
  try {
    return asArray(JSON.parse(signature.slice(SIGNATURE_PREFIX.length))).flatMap((block) => {
      const value = asObject(block);
      return value ? [value] : [];
    });
  } catch {
    return [];
  }
}

/** The thinking blocks of a message so far, whole (text and signature), for the first call that follows them. */
class ThinkingBlocks {
  private blocks: Json[] = [];

  start(block: Json): void {
    if (block.type === 'thinking')
      this.blocks.push({
        type: 'thinking',
        thinking: asString(block.thinking) ?? '',
        signature: asString(block.signature) ?? '',
      });
    else if (block.type === 'redacted_thinking')
      this.blocks.push({ type: 'redacted_thinking', data: asString(block.data) ?? '' });
  }

  thinking(text: string): void {
    const last = this.blocks.at(-1);
    if (last?.type === 'thinking') last.thinking = `${asString(last.thinking) ?? ''}${text}`;
  }

  signed(signature: string): void {
    const last = this.blocks.at(-1);
    if (last?.type === 'thinking') last.signature = signature;
  }

  /** The blocks as a call's signature, once: later calls of the message carry none. */
  take(): { signature?: string } {
    if (this.blocks.length === 0) return {};
    const signature = `${SIGNATURE_PREFIX}${JSON.stringify(this.blocks)}`;
    this.blocks = [];
    return { signature };
  }
}

function createStreamReader(): StreamReader {
  const tools = new ToolCallIndex();
  const thinking = new ThinkingBlocks();
  /** Tool blocks by block index: the input given whole at the start, until an input_json_delta replaces it. */
  const wholeInputs = new Map<number, unknown>();
  let redactedShown = false;
  let finished = false;

  function blockStart(event: Json): StreamEvent[] {
    const block = asObject(event.content_block) ?? {};
    const blockIndex = asNumber(event.index) ?? 0;
    switch (block.type) {
      case 'text': {
        const text = asString(block.text) ?? '';
        return text === '' ? [] : [{ type: 'text', text }];
      }
      case 'thinking': {
        thinking.start(block);
        const text = asString(block.thinking) ?? '';
        return text === '' ? [] : [{ type: 'reasoning', text }];
      }
      case 'redacted_thinking':
        thinking.start(block);
        if (redactedShown) return [];
        redactedShown = true;
        return [{ type: 'reasoning', text: REDACTED_THINKING }];
      case 'tool_use':
      case 'server_tool_use':
        wholeInputs.set(blockIndex, block.input ?? {});
        return [
          {
            type: 'tool-call',
            index: tools.indexFor(blockIndex),
            id: asString(block.id) ?? '',
            name: asString(block.name) ?? '',
            argumentsDelta: '',
            ...thinking.take(),
          },
        ];
      default:
        return [];
    }
  }

  function blockDelta(event: Json): StreamEvent[] {
    const delta = asObject(event.delta) ?? {};
    const blockIndex = asNumber(event.index) ?? 0;
    switch (delta.type) {
      case 'text_delta': {
        const text = asString(delta.text) ?? '';
        return text === '' ? [] : [{ type: 'text', text }];
      }
      case 'thinking_delta': {
        const text = asString(delta.thinking) ?? '';
        thinking.thinking(text);
        return text === '' ? [] : [{ type: 'reasoning', text }];
      }
      case 'signature_delta':
        thinking.signed(asString(delta.signature) ?? '');
        return [];
      case 'input_json_delta': {
        const piece = asString(delta.partial_json) ?? '';
        if (piece === '' || !tools.has(blockIndex)) return [];
        wholeInputs.delete(blockIndex);
        return [{ type: 'tool-call', index: tools.indexFor(blockIndex), argumentsDelta: piece }];
      }
      default:
        return [];
    }
  }

  /** A tool block that got no input_json_delta keeps the input it started with (a tool with no arguments, a server tool). */
  function blockStop(event: Json): StreamEvent[] {
    const blockIndex = asNumber(event.index) ?? 0;
    if (!wholeInputs.has(blockIndex)) return [];
    const input = wholeInputs.get(blockIndex);
    wholeInputs.delete(blockIndex);
    return [{ type: 'tool-call', index: tools.indexFor(blockIndex), argumentsDelta: JSON.stringify(input) }];
  }

  function messageDelta(event: Json): StreamEvent[] {
    const events: StreamEvent[] = [];
    const usage = usageFrom(asObject(event.usage) ?? {}, true);
    if (hasUsage(usage)) events.push({ type: 'usage', usage });
    const stopReason = asString(asObject(event.delta)?.stop_reason);
    if (stopReason) events.push(finishEvent(stopReason));
    return events;
  }

  function handle(event: Json): StreamEvent[] {
    switch (event.type) {
      case 'message_start': {
        const usage = usageFrom(asObject(asObject(event.message)?.usage) ?? {}, false);
        return hasUsage(usage) ? [{ type: 'usage', usage }] : [];
      }
      case 'content_block_start':
        return blockStart(event);
      case 'content_block_delta':
        return blockDelta(event);
      case 'content_block_stop':
        return blockStop(event);
      case 'message_delta':
        return messageDelta(event);
      case 'message_stop':
        finished = true;
        return [];
      case 'error':
        finished = true;
        return [errorEvent(event)];
      default:
        return [];
    }
  }

  return typedEventReader(handle, () => finished);
}

function parseResponse(body: unknown): StreamEvent[] {
  const root = asObject(body) ?? {};
  if (root.type === 'error') return [errorEvent(root)];
  const events: StreamEvent[] = [];
  let toolIndex = 0;
  let redactedShown = false;
  const thinking = new ThinkingBlocks();
  for (const entry of asArray(root.content)) {
    const block = asObject(entry) ?? {};
    thinking.start(block);
    if (block.type === 'thinking') {
      const text = asString(block.thinking) ?? '';
      if (text !== '') events.push({ type: 'reasoning', text });
    } else if (block.type === 'redacted_thinking' && !redactedShown) {
      redactedShown = true;
      events.push({ type: 'reasoning', text: REDACTED_THINKING });
    } else if (block.type === 'text') {
      const text = asString(block.text) ?? '';
      if (text !== '') events.push({ type: 'text', text });
    } else if (block.type === 'tool_use' || block.type === 'server_tool_use') {
      events.push({
        type: 'tool-call',
        index: toolIndex++,
        id: asString(block.id) ?? '',
        name: asString(block.name) ?? '',
        argumentsDelta: JSON.stringify(block.input ?? {}),
        ...thinking.take(),
      });
    }
  }
  const usage = usageFrom(asObject(root.usage) ?? {}, true);
  if (hasUsage(usage)) events.push({ type: 'usage', usage });
  const stopReason = asString(root.stop_reason);
  if (stopReason) events.push(finishEvent(stopReason));
  return events;
}

export const claudeMessagesAdapter: ChatAdapter = {
  api: 'claude-messages',
  buildCall,
  createStreamReader,
  parseResponse,
};
