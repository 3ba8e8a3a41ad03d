import '../src/renderer/src/i18n';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MessageItem } from '../src/renderer/src/chat/MessageItem';
import { prettyArguments, replySegments, toolParts } from '../src/renderer/src/chat/tool-format';
import type { ThreadMessage, ToolCall } from '../src/shared/chat';

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

describe('a reply with rounds of tool calls, rendered', () => {
  const message: ThreadMessage = {
    id: 'm1',
    conversationId: 'c1',
    parentId: null,
    role: 'assistant',
    text: 'Let me **check**:\n\n- the weather\n- the time\n\nIt is *sunny*:\n\n| city | sky |\n|---|---|\n| Paris | sun |',
    reasoning: '',
    images: [],
    documents: [],
    toolCalls: [
      {
        ...call('get_weather', 43),
        status: 'done',
        result: { content: [{ type: 'text', text: 'sunny' }], isError: false },
      },
    ],
    model: 'gpt-4o',
    api: 'openai-chat',
    status: 'complete',
    finishReason: 'stop',
    error: null,
    usage: null,
    firstTokenMs: null,
    createdAt: 0,
    updatedAt: 0,
    siblingIds: ['m1'],
  };
  const render = (shown: ThreadMessage) =>
    renderToStaticMarkup(
      createElement(MessageItem, {
        message: shown,
        actions: {
          editAndSend: async () => {},
          regenerate: async () => {},
          selectBranch: async () => {},
          continueReply: async () => {},
        },
        busy: false,
        highlighted: false,
        last: true,
        Related: () => null,
      }),
    );

  it('renders the text before and after each round as Markdown, with the round between them', () => {
    const html = render(message);
    const before = html.indexOf('<strong>check</strong>');
    const list = html.indexOf('<li>the time</li>');
    const round = html.indexOf('class="tool-calls"');
    const after = html.indexOf('<em>sunny</em>');
    const table = html.indexOf('<td>Paris</td>');
    expect([before, list, round, after, table].every((at) => at >= 0)).toBe(true);
    expect(before < list && list < round && round < after && after < table).toBe(true);
    expect(html.match(/class="markdown"/g)).toHaveLength(2);
  });

  it('while the reply streams, renders the text before a round as finished and closes the text being written', () => {
    const html = render({ ...message, status: 'streaming', text: `${message.text.slice(0, 43)}It is **bol` });
    expect(html).toContain('<strong>check</strong>');
    expect(html).toContain('<strong>bol</strong>');
    expect(html.match(/data-finished="false"/g)).toHaveLength(1);
  });
});
