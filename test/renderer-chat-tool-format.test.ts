import { describe, expect, it } from 'vitest';
import { prettyArguments, replySegments, toolParts } from '../src/renderer/src/chat/tool-format';
import type { ToolCall } from '../src/shared/chat';

const call = (id: string, textOffset?: number): ToolCall => ({
  id,
  name: `hubdesk__${id}`,
  arguments: '{}',
  ...(textOffset !== undefined ? { textOffset } : {}),
});

describe('tool calls placed in a reply', () => {
  it('cuts the text where each round came, keeping calls without an offset last', () => {
    const segments = replySegments('Let me check.Tool result: sunny', [
      call('a', 13),
      call('b', 13),
      call('c'),
    ]);
    expect(segments.map((segment) => [segment.text, segment.calls.map((item) => item.id)])).toEqual([
      ['Let me check.', ['a', 'b']],
      ['Tool result: sunny', ['c']],
    ]);
  });

  it('puts a round that came before any text first, and an offset past the text at its end', () => {
    const segments = replySegments('Done', [call('a', 0), call('b', 99)]);
    expect(segments.map((segment) => [segment.text, segment.calls.map((item) => item.id)])).toEqual([
      ['', ['a']],
      ['Done', ['b']],
    ]);
  });

  it('shows arguments as indented JSON, partial ones as written, and splits server__tool', () => {
    expect(prettyArguments('{"city":"Paris"}')).toBe('{\n  "city": "Paris"\n}');
    expect(prettyArguments('{"city":"Pa')).toBe('{"city":"Pa');
    expect(toolParts(call('get_weather'))).toEqual({ server: 'hubdesk', tool: 'get_weather' });
    expect(toolParts({ ...call('x'), server: 'files', tool: 'read' })).toEqual({
      server: 'files',
      tool: 'read',
    });
  });
});
