import type { ToolCall } from '../../../shared/chat';

/** The arguments as indented JSON; a text that is not JSON yet (still streaming) as written. */
export function prettyArguments(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The server and tool a call names (`server__tool` when main has not resolved them). */
export function toolParts(toolCall: ToolCall): { server: string; tool: string } {
  if (toolCall.server && toolCall.tool) return { server: toolCall.server, tool: toolCall.tool };
  const split = toolCall.name.indexOf('__');
  return split > 0
    ? { server: toolCall.name.slice(0, split), tool: toolCall.name.slice(split + 2) }
    : { server: '', tool: toolCall.name };
}

export type ReplySegment = { text: string; calls: ToolCall[] };

/**
 * A reply's text cut where each round of tool calls came (their `textOffset`), so every call shows after the text
 * that preceded it; calls without an offset come last.
 */
export function replySegments(text: string, calls: ToolCall[]): ReplySegment[] {
  const segments: ReplySegment[] = [];
  let from = 0;
  const placed = calls.filter((call) => call.textOffset !== undefined);
  const offsets = [...new Set(placed.map((call) => call.textOffset as number))].sort((a, b) => a - b);
  for (const offset of offsets) {
    const to = Math.min(Math.max(offset, from), text.length);
    segments.push({ text: text.slice(from, to), calls: placed.filter((call) => call.textOffset === offset) });
    from = to;
  }
  segments.push({ text: text.slice(from), calls: calls.filter((call) => call.textOffset === undefined) });
  return segments.filter((segment) => segment.text || segment.calls.length > 0);
}
