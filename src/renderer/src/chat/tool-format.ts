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
