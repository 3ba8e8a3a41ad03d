import { createHash } from 'node:crypto';
import { badRequest } from './errors';
import { type Ctx, isObject, type Json, newId, sendJson } from './http';
import { frame, jsonEvent, type SseEvent, sendStream } from './sse';
import {
  chunkText,
  estimateTokens,
  limitTokens,
  plannedToolCalls,
  reasoningFor,
  replyTo,
  TOOL_LOOP_MARKER,
  toolResultsReply,
} from './text';
import { type PairingStep, pairingProblem } from './tool-pairing';

type Block =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Json };

interface MessagePlan {
  blocks: Block[];
  stopReason: 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use';
  stopSequence: string | null;
  inputTokens: number;
  outputTokens: number;
}

function blocksText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter(isObject)
    .map((block) => (block.type === 'text' && typeof block.text === 'string' ? block.text : ''))
    .filter((text) => text !== '')
    .join('\n');
}

function blocksOf(message: Json, type: string): Json[] {
  return Array.isArray(message.content)
    ? message.content.filter((block): block is Json => isObject(block) && block.type === type)
    : [];
}

/** Every `tool_use` answered by a `tool_result` in the next message, and no result without its call. */
function pairedToolUse(ctx: Ctx, messages: Json[]): boolean {
  const steps: PairingStep[] = messages.map((message) => {
    const uses = blocksOf(message, 'tool_use');
    const results = blocksOf(message, 'tool_result');
    if (message.role === 'assistant' && uses.length > 0) {
      return { kind: 'calls', ids: uses.map((block) => String(block.id)) };
    }
    if (message.role === 'user' && results.length > 0) {
      return { kind: 'results', ids: results.map((block) => String(block.tool_use_id)) };
    }
    return { kind: 'other' };
  });
  const problem = pairingProblem(steps);
  if (!problem) return true;
  badRequest(
    ctx,
    problem.kind === 'unanswered'
      ? `messages.${problem.at + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${problem.ids.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`
      : `messages.${problem.at}.content.0: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${problem.ids.join(', ')}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
  );
  return false;
}

/** With thinking on, the last assistant message that used tools must start with its signed thinking block. */
function thinkingBeforeToolUse(ctx: Ctx, messages: Json[]): boolean {
  const index = messages.findLastIndex((message) => message.role === 'assistant');
  const last = messages[index];
  if (!last || blocksOf(last, 'tool_use').length === 0) return true;
  const first = Array.isArray(last.content) && isObject(last.content[0]) ? last.content[0] : {};
  const signed =
    (first.type === 'thinking' && typeof first.signature === 'string' && first.signature !== '') ||
    first.type === 'redacted_thinking';
  if (signed) return true;
  badRequest(
    ctx,
    `messages.${index}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${String(first.type)}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`.`,
  );
  return false;
}

function validate(ctx: Ctx, body: unknown): body is Json {
  if (!isObject(body)) {
    badRequest(ctx, 'There was an issue with your request body: expected a JSON object.');
    return false;
  }
  if (typeof body.model !== 'string' || body.model === '') {
    badRequest(ctx, 'model: Field required');
    return false;
  }
  if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens) || body.max_tokens < 1) {
    badRequest(
      ctx,
      body.max_tokens === undefined ? 'max_tokens: Field required' : 'max_tokens: Input should be >= 1',
    );
    return false;
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    badRequest(ctx, 'messages: at least one message is required');
    return false;
  }
  for (const [index, message] of body.messages.entries()) {
    const role = isObject(message) ? message.role : undefined;
    if (role === 'system') {
      badRequest(
        ctx,
        'messages: Unexpected role "system". The Messages API accepts a top-level `system` parameter, not "system" as an input message role.',
      );
      return false;
    }
    if (role !== 'user' && role !== 'assistant') {
      badRequest(ctx, `messages.${index}.role: Input should be 'user' or 'assistant'`);
      return false;
    }
  }
  if (!pairedToolUse(ctx, body.messages.filter(isObject))) return false;
  if (typeof body.temperature === 'number' && (body.temperature < 0 || body.temperature > 1)) {
    badRequest(ctx, 'temperature: range: 0..1');
    return false;
  }
  if (isObject(body.thinking) && body.thinking.type === 'enabled') {
    if (!thinkingBeforeToolUse(ctx, body.messages.filter(isObject))) return false;
    const budget = body.thinking.budget_tokens;
    if (typeof budget !== 'number' || budget < 1024) {
      badRequest(ctx, 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
      return false;
    }
    if (budget >= body.max_tokens) {
      badRequest(ctx, '`max_tokens` must be greater than `thinking.budget_tokens`.');
      return false;
    }
  }
  return true;
}

function plan(body: Json): MessagePlan {
  const messages = (body.messages as unknown[]).filter(isObject);
  const system = typeof body.system === 'string' ? body.system : blocksText(body.system);
  const inputTokens = estimateTokens([system, ...messages.map((m) => blocksText(m.content))].join('\n')) + 3;
  const last = messages[messages.length - 1];
  const prompt = blocksText(
    [...messages].reverse().find((m) => m.role === 'user' && blocksText(m.content) !== '')?.content,
  );
  const maxTokens = body.max_tokens as number;
  const blocks: Block[] = [];
  if (isObject(body.thinking) && body.thinking.type === 'enabled') {
    const thinking = reasoningFor(prompt);
    const signature = createHash('sha256').update(thinking).digest('base64');
    blocks.push({ type: 'thinking', thinking, signature });
  }
  let stopReason: MessagePlan['stopReason'] = 'end_turn';
  let stopSequence: string | null = null;

  const toolResults = last?.role === 'user' ? blocksOf(last, 'tool_result') : [];
  const tools = Array.isArray(body.tools) ? body.tools.filter(isObject) : [];
  const toolChoice = isObject(body.tool_choice) ? body.tool_choice.type : undefined;
  const names =
    toolChoice === 'none' ? [] : tools.flatMap((t) => (typeof t.name === 'string' ? [t.name] : []));
  const planned = plannedToolCalls(prompt, names);
  if (toolResults.length > 0 && !(prompt.includes(TOOL_LOOP_MARKER) && planned.length > 0)) {
    const results = toolResults.map((block) =>
      typeof block.content === 'string' ? block.content : blocksText(block.content),
    );
    blocks.push({ type: 'text', text: toolResultsReply(results) });
  } else if (planned.length > 0) {
    blocks.push({ type: 'text', text: 'Let me check the weather.' });
    for (const call of planned) {
      blocks.push({ type: 'tool_use', id: newId('toolu_', 12), name: call.name, input: call.args ?? {} });
    }
    stopReason = 'tool_use';
  } else {
    let text = replyTo(prompt);
    const stops = Array.isArray(body.stop_sequences) ? body.stop_sequences.map(String) : [];
    const hit = stops.find((stop) => stop !== '' && text.includes(stop));
    if (hit !== undefined) {
      text = text.slice(0, text.indexOf(hit));
      stopReason = 'stop_sequence';
      stopSequence = hit;
    }
    const limited = limitTokens(text, maxTokens);
    if (limited.truncated) stopReason = 'max_tokens';
    blocks.push({ type: 'text', text: limited.text });
  }
  const outputTokens = blocks.reduce(
    (sum, block) =>
      sum +
      estimateTokens(
        block.type === 'text'
          ? block.text
          : block.type === 'thinking'
            ? block.thinking
            : JSON.stringify(block.input),
      ),
    0,
  );
  return { blocks, stopReason, stopSequence, inputTokens, outputTokens };
}

function usage(p: MessagePlan, outputTokens: number): Json {
  return {
    input_tokens: p.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

function streamEvents(body: Json, p: MessagePlan, id: string): SseEvent[] {
  const events: SseEvent[] = [];
  const emit = (type: string, data: Json = {}) => events.push(jsonEvent({ type, ...data }, type));
  emit('message_start', {
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model: String(body.model),
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usage(p, 1),
    },
  });
  for (const [index, block] of p.blocks.entries()) {
    const delta = (value: Json) => emit('content_block_delta', { index, delta: value });
    if (block.type === 'thinking') {
      emit('content_block_start', {
        index,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      });
    } else if (block.type === 'text') {
      emit('content_block_start', { index, content_block: { type: 'text', text: '' } });
    } else {
      emit('content_block_start', { index, content_block: { ...block, input: {} } });
    }
    if (index === 0) emit('ping');
    if (block.type === 'thinking') {
      for (const piece of chunkText(block.thinking)) delta({ type: 'thinking_delta', thinking: piece });
      delta({ type: 'signature_delta', signature: block.signature });
    } else if (block.type === 'text') {
      for (const piece of chunkText(block.text)) delta({ type: 'text_delta', text: piece });
    } else if (Object.keys(block.input).length > 0) {
      // A tool without arguments gets no input_json_delta at all: its start's `{}` is the input.
      for (const piece of chunkText(JSON.stringify(block.input), 6)) {
        delta({ type: 'input_json_delta', partial_json: piece });
      }
    }
    emit('content_block_stop', { index });
  }
  emit('message_delta', {
    delta: { stop_reason: p.stopReason, stop_sequence: p.stopSequence },
    usage: { output_tokens: p.outputTokens },
  });
  emit('message_stop');
  return events;
}

/** POST /v1/messages */
export async function messages(ctx: Ctx): Promise<void> {
  const body = ctx.json;
  if (!validate(ctx, body)) return;
  const p = plan(body);
  const id = newId('msg_', 12);
  if (body.stream !== true) {
    sendJson(ctx, 200, {
      id,
      type: 'message',
      role: 'assistant',
      model: String(body.model),
      content: p.blocks,
      stop_reason: p.stopReason,
      stop_sequence: p.stopSequence,
      usage: usage(p, p.outputTokens),
    });
    return;
  }
  const errorEvent = jsonEvent(
    { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    'error',
  );
  await sendStream(ctx, {
    events: streamEvents(body, p, id),
    errorEvents: () => [errorEvent],
    ping: frame(jsonEvent({ type: 'ping' }, 'ping')),
  });
}
