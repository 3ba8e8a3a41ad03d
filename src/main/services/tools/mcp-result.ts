import type { CallToolResult, ContentBlock, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ToolContent, ToolResult, ToolSpec } from '../../../shared/tools';

/** What a tool result may weigh when it reaches the loop; more is cut, with a note that says so. */
export const MAX_TOOL_RESULT_BYTES = 1024 * 1024;

export function toolSpecOf(server: string, tool: Tool): ToolSpec {
  return {
    server,
    name: tool.name,
    ...(tool.title
      ? { title: tool.title }
      : tool.annotations?.title
        ? { title: tool.annotations.title }
        : {}),
    description: tool.description ?? '',
    inputSchema: tool.inputSchema as Record<string, unknown>,
  };
}

function contentOf(block: ContentBlock): ToolContent {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'image':
      return { type: 'image', mimeType: block.mimeType, data: block.data };
    case 'audio':
      return { type: 'audio', mimeType: block.mimeType, data: block.data };
    case 'resource_link':
      return { type: 'resource', uri: block.uri, ...(block.mimeType ? { mimeType: block.mimeType } : {}) };
    case 'resource': {
      const { resource } = block;
      const text =
        'text' in resource
          ? resource.text
          : `[binary resource, ${Math.round((resource.blob.length * 3) / 4)} bytes]`;
      return {
        type: 'resource',
        uri: resource.uri,
        ...(resource.mimeType ? { mimeType: resource.mimeType } : {}),
        text,
      };
    }
  }
}

function weight(content: ToolContent): number {
  if (content.type === 'text') return Buffer.byteLength(content.text);
  if (content.type === 'resource') return Buffer.byteLength(content.text ?? '') + content.uri.length;
  return content.data.length;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Cuts UTF-8 text to at most `bytes` bytes without splitting a character. */
function cutText(text: string, bytes: number): string {
  const buffer = Buffer.from(text);
  if (buffer.length <= bytes) return text;
  return buffer
    .subarray(0, bytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}

/**
 * The SDK's result as the loop's: content blocks mapped, and a result heavier than `maxBytes` cut (text kept from
 * the start, pictures and sounds that do not fit dropped, structured content dropped when it alone is too heavy),
 * with a last text block that says what was cut.
 */
export function toolResultOf(result: CallToolResult, maxBytes = MAX_TOOL_RESULT_BYTES): ToolResult {
  const content = (result.content ?? []).map(contentOf);
  const structured = result.structuredContent;
  const structuredBytes = structured === undefined ? 0 : Buffer.byteLength(JSON.stringify(structured));
  const total = content.reduce((sum, item) => sum + weight(item), 0) + structuredBytes;
  const isError = result.isError === true;
  if (total <= maxBytes) {
    return { content, ...(structured !== undefined ? { structuredContent: structured } : {}), isError };
  }
  let left = maxBytes;
  const kept: ToolContent[] = [];
  let dropped = 0;
  for (const item of content) {
    const size = weight(item);
    if (size <= left) {
      kept.push(item);
      left -= size;
    } else if (item.type === 'text' && left > 0) {
      kept.push({ type: 'text', text: cutText(item.text, left) });
      left = 0;
    } else if (item.type === 'resource' && left > 0) {
      kept.push({ ...item, text: cutText(item.text ?? '', Math.max(0, left - item.uri.length)) });
      left = 0;
    } else {
      dropped += 1;
    }
  }
  const keepStructured = structured !== undefined && structuredBytes <= left;
  const notes = [
    `HubDesk cut this result: it was ${megabytes(total)}, more than the ${megabytes(maxBytes)} a tool result may be; what fits is kept from the start`,
    dropped > 0 ? `${dropped} part${dropped === 1 ? '' : 's'} (pictures, sounds or text) left out` : '',
    structured !== undefined && !keepStructured ? 'the structured content was left out' : '',
  ].filter(Boolean);
  kept.push({ type: 'text', text: `[${notes.join('; ')}.]` });
  return { content: kept, ...(keepStructured ? { structuredContent: structured } : {}), isError };
}
