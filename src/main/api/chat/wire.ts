import type { ToolCall, Usage } from '../../../shared/chat';
import type { AppError, AppErrorKind } from '../../../shared/errors';
import type { ToolResult } from '../../../shared/tools';
import { redact, truncate } from '../../base/redact';
import { isQuotaWord, kindForStatus } from '../errors';
import { parseEventJson, type SseMessage } from '../sse';
import type { ChatTurn, StreamEvent, StreamReader } from './types';

/** Small readers for untyped JSON from the wire, shared by the adapters. */
export type Json = Record<string, unknown>;

export function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A usage value without the fields the provider did not report. */
export function usageOf(fields: Partial<Record<keyof Usage, unknown>>): Usage {
  const usage: Usage = {};
  for (const key of Object.keys(fields) as (keyof Usage)[]) {
    const value = asNumber(fields[key]);
    if (value !== undefined) usage[key] = Math.round(value);
  }
  return usage;
}

export function hasUsage(usage: Usage): boolean {
  return Object.keys(usage).length > 0;
}

/** The close of a stream whose terminal event never came. */
/**
 * A reader for wire formats whose events carry their own type (Claude Messages, Responses): the SSE event name
 * stands in for a missing `type`; nothing is read after the terminal or error event; a body that ends before it
 * is an error.
 */
export function typedEventReader(
  handle: (event: Json) => StreamEvent[],
  finished: () => boolean,
): StreamReader {
  return {
    push(message: SseMessage): StreamEvent[] {
      if (finished()) return [];
      const event = asObject(parseEventJson(message)) ?? {};
      if (event.type === undefined && message.event) event.type = message.event;
      return handle(event);
    },
    end(): StreamEvent[] {
      return finished() ? [] : [streamEndedEarly()];
    },
  };
}

export function streamEndedEarly(): StreamEvent {
  return {
    type: 'error',
    error: {
      kind: 'network',
      message: 'The stream ended before the reply was complete.',
      code: 'stream_incomplete',
    },
  };
}

/** Kind of error for a provider's error type or code word (OpenAI, Anthropic, Google statuses). */
export function kindForErrorWord(word: string | undefined): AppErrorKind | undefined {
  if (!word) return undefined;
  const lower = word.toLowerCase();
  if (isQuotaWord(lower)) return 'quota';
  if (/rate_limit|overloaded|resource_exhausted|too_many|^requests$|^tokens$/.test(lower)) {
    return 'rate_limited';
  }
  if (/auth|invalid_api_key|permission|unauthenticated/.test(lower)) return 'auth';
  if (/not_found/.test(lower)) return 'not_found';
  if (/timeout|deadline_exceeded/.test(lower)) return 'timeout';
  if (
    /invalid_request|invalid_argument|invalid_prompt|failed_precondition|too_large|bad_request/.test(lower)
  ) {
    return 'bad_request';
  }
  if (/server_error|api_error|internal|unavailable/.test(lower)) return 'server';
  return undefined;
}

/**
 * An error the provider reported inside a stream that had started (or in a 200 body). The kind comes from
 * the provider's code, then its type, then a numeric status some shapes carry (Google `error.code`); that
 * number never becomes the AppError status, which is reserved for the HTTP answer.
 */
export function providerStreamError(input: {
  provider: string;
  message: unknown;
  code?: unknown;
  type?: unknown;
  status?: unknown;
}): AppError {
  const code = asString(input.code) || undefined;
  const type = asString(input.type) || undefined;
  const status = asNumber(input.status);
  const kind =
    kindForErrorWord(code) ??
    kindForErrorWord(type) ??
    (status !== undefined ? kindForStatus(status) : undefined) ??
    'server';
  const raw = asString(input.message);
  const providerMessage = raw ? truncate(redact(raw), 500) : undefined;
  const error: AppError = {
    kind,
    message:
      kind === 'quota'
        ? `The account has run out of credit or quota at ${input.provider}${providerMessage ? `: ${providerMessage}` : '.'}`
        : `${input.provider} reported an error during the reply${providerMessage ? `: ${providerMessage}` : '.'}`,
  };
  const reported = code ?? type ?? (status !== undefined ? String(status) : undefined);
  if (reported) error.code = redact(reported);
  if (providerMessage) error.providerMessage = providerMessage;
  return error;
}

export function dataUrl(image: { mimeType: string; base64: string }): string {
  return `data:${image.mimeType};base64,${image.base64}`;
}

/** A call with a result: sent back as a call and its result, in each family's own shape. */
export type AnsweredCall = ToolCall & { result: ToolResult };

/** One round of an assistant turn: the text the model wrote, then the calls it made (all answered). */
export interface AssistantStep {
  text: string;
  calls: AnsweredCall[];
}

function isAnswered(call: ToolCall): call is AnsweredCall {
  return call.result !== undefined && call.step !== undefined;
}

/**
 * An assistant turn as the rounds of the tool loop: each round's text and its answered calls (a result always
 * follows its call), then the text written after the last round. A call with no result (HubDesk did not run it, a
 * reply stopped mid-loop) would be refused by every provider unanswered, so it is sent as a line of text.
 */
export function assistantSteps(turn: ChatTurn): AssistantStep[] {
  const answered = turn.toolCalls.filter(isAnswered);
  const rounds = [...new Set(answered.map((call) => call.step))].sort((a, b) => (a ?? 0) - (b ?? 0));
  const steps: AssistantStep[] = [];
  let offset = 0;
  for (const round of rounds) {
    const calls = answered.filter((call) => call.step === round);
    const end = Math.max(offset, Math.min(turn.text.length, calls[0]?.textOffset ?? offset));
    steps.push({ text: turn.text.slice(offset, end), calls });
    offset = end;
  }
  const notes = turn.toolCalls
    .filter((call) => !isAnswered(call))
    .map((call) => `[Called tool ${call.name} with ${call.arguments}]`);
  const rest = [turn.text.slice(offset), ...notes].filter((part) => part !== '').join('\n');
  if (rest !== '' || steps.length === 0) steps.push({ text: rest, calls: [] });
  return steps;
}

/** A call's arguments as an object: what the model wrote, or the user's edit; `{}` when they are not an object. */
export function callArguments(call: ToolCall): Json {
  try {
    return asObject(JSON.parse(call.runArguments ?? call.arguments)) ?? {};
  } catch {
    return {};
  }
}

/** A tool result as text for the families whose results are text: text parts, structured content, media noted. */
export function toolResultText(result: ToolResult): string {
  const parts = result.content.map((part) => {
    switch (part.type) {
      case 'text':
        return part.text;
      case 'resource':
        return part.text ?? `[resource ${part.uri}]`;
      default:
        return `[${part.type} ${part.mimeType}]`;
    }
  });
  if (result.structuredContent !== undefined && !parts.some((part) => part !== '')) {
    parts.push(JSON.stringify(result.structuredContent));
  }
  return parts.join('\n');
}

/** Per-stream bookkeeping of tool calls: wire keys (index, block, output item) to 0-based call indices. */
export class ToolCallIndex {
  private readonly indices = new Map<string | number, number>();

  get count(): number {
    return this.indices.size;
  }

  indexFor(key: string | number): number {
    let index = this.indices.get(key);
    if (index === undefined) {
      index = this.indices.size;
      this.indices.set(key, index);
    }
    return index;
  }

  has(key: string | number): boolean {
    return this.indices.has(key);
  }
}
