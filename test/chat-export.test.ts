import { describe, expect, it } from 'vitest';
import { HubError } from '../src/main/base/errors';
import {
  conversationToJson,
  conversationToMarkdown,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  exportFileName,
  parseConversationExport,
  remapIds,
} from '../src/main/services/chat/chat-export';
import type { Conversation, Message } from '../src/shared/chat';
import { storedMessage } from './support/builders';

const conversation: Conversation = {
  id: 'c1',
  title: 'Weather in Paris',
  pinned: true,
  model: 'gpt-4o',
  api: 'openai-chat',
  systemPrompt: 'You are a terse assistant.',
  params: { temperature: 0.4, stop: ['END'] },
  activeLeafId: 'a2',
  createdAt: 1_000,
  updatedAt: 9_000,
};

function message(id: string, parentId: string | null, overrides: Partial<Message> = {}): Message {
  return storedMessage({
    id,
    conversationId: 'c1',
    parentId,
    role: parentId === null ? 'user' : 'assistant',
    text: `text of ${id}`,
    createdAt: 2_000,
    updatedAt: 2_000,
    ...overrides,
  });
}

const user = message('u1', null, {
  text: 'What is the weather in Paris?',
  images: [{ path: 'images/sky.png', mimeType: 'image/png', name: 'sky.png' }],
});
const firstAnswer = message('a1', 'u1', { text: 'Rainy.', model: 'gpt-4o', status: 'interrupted' });
const secondAnswer = message('a2', 'u1', {
  text: 'Sunny, 21 °C.',
  reasoning: 'I should call the weather tool.',
  toolCalls: [{ id: 'call_1', name: 'weather', arguments: '{"city":"Paris","code":"```"}' }],
  model: 'gpt-4o-mini',
  api: 'openai-chat',
  finishReason: 'stop',
  usage: { inputTokens: 20, outputTokens: 6 },
  firstTokenMs: 310,
  createdAt: 3_000,
  updatedAt: 3_500,
});
const tree = [user, firstAnswer, secondAnswer];

function hubErrorOf(action: () => unknown): HubError {
  try {
    action();
  } catch (error) {
    if (error instanceof HubError) return error;
    throw error;
  }
  throw new Error('expected a HubError');
}

describe('JSON export', () => {
  it('writes the whole tree with its format header and reads it back equal', () => {
    const json = conversationToJson(conversation, tree, Date.UTC(2026, 10, 23));
    const parsed = JSON.parse(json) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exportedAt: '2026-11-23T00:00:00.000Z',
    });
    expect(json).toContain('\n  "conversation": {');
    expect(parseConversationExport(json)).toEqual({ conversation, messages: tree });
  });

  it('leaves out thread-only fields such as siblingIds', () => {
    const json = conversationToJson(conversation, [{ ...user, siblingIds: ['u1'] } as Message]);
    expect(json).not.toContain('siblingIds');
  });

  it('rejects files that are not a HubDesk export, with a readable reason', () => {
    const valid = JSON.parse(conversationToJson(conversation, tree)) as Record<string, unknown>;
    const cases: [string, RegExp][] = [
      ['not json at all', /not a HubDesk conversation export\. It is not JSON/],
      ['[1, 2, 3]', /not a HubDesk conversation export/],
      [JSON.stringify({ ...valid, format: 'other.app' }), /not a HubDesk conversation export/],
      [JSON.stringify({ ...valid, version: 'one' }), /not a HubDesk conversation export/],
      [JSON.stringify({ ...valid, version: EXPORT_VERSION + 1 }), /newer version of HubDesk.*Update HubDesk/],
      [JSON.stringify({ ...valid, messages: 'none' }), /damaged: messages/],
      [
        JSON.stringify({ ...valid, messages: [user, { ...firstAnswer, role: 'system' }] }),
        /damaged: messages\.1\.role/,
      ],
      [JSON.stringify({ ...valid, messages: [user, user] }), /damaged: message u1 appears twice/],
      [JSON.stringify({ ...valid, messages: [firstAnswer] }), /damaged: the parent of message a1 is missing/],
      [
        JSON.stringify({ ...valid, messages: [{ ...user, conversationId: 'c9' }] }),
        /damaged: message u1 belongs to another conversation/,
      ],
      [
        JSON.stringify({
          ...valid,
          conversation: { ...conversation, activeLeafId: 'x1' },
          messages: [message('x1', 'x2'), message('x2', 'x1')],
        }),
        /damaged: message x\d is its own ancestor/,
      ],
      [JSON.stringify({ ...valid, messages: [user] }), /damaged: the message shown last is missing/],
    ];
    for (const [text, reason] of cases) {
      const error = hubErrorOf(() => parseConversationExport(text));
      expect(error.info.kind).toBe('invalid_input');
      expect(error.info.message).toMatch(reason);
    }
  });
});

describe('remapIds', () => {
  it('gives the conversation and every message a fresh id, keeping the tree and the shown branch', () => {
    const streaming = message('a3', 'a2', { status: 'streaming' });
    // Out of order on purpose: a child listed before its parent.
    const remapped = remapIds({ conversation, messages: [streaming, ...tree] });
    const { conversation: copy, messages } = remapped;

    expect(copy.id).not.toBe(conversation.id);
    expect(messages).toHaveLength(4);
    const oldIds = new Set(['u1', 'a1', 'a2', 'a3']);
    expect(messages.some((m) => oldIds.has(m.id))).toBe(false);
    expect(messages.every((m) => m.conversationId === copy.id)).toBe(true);

    const byText = new Map(messages.map((m) => [m.text, m]));
    const newUser = byText.get('What is the weather in Paris?');
    const newSecond = byText.get('Sunny, 21 °C.');
    expect(byText.get('Rainy.')?.parentId).toBe(newUser?.id);
    expect(newSecond?.parentId).toBe(newUser?.id);
    expect(byText.get('text of a3')?.parentId).toBe(newSecond?.id);
    expect(copy.activeLeafId).toBe(newSecond?.id);
    expect(byText.get('text of a3')?.status).toBe('interrupted');

    const position = new Map(messages.map((m, index) => [m.id, index]));
    for (const m of messages) {
      if (m.parentId !== null) expect(position.get(m.parentId)).toBeLessThan(position.get(m.id) ?? -1);
    }
    expect(remapIds({ conversation, messages: tree }).conversation.id).not.toBe(copy.id);
  });
});

describe('Markdown export', () => {
  it('shows the title, model, system prompt and each turn of the branch', () => {
    const markdown = conversationToMarkdown(conversation, [user, secondAnswer]);
    expect(markdown).toMatch(/^# Weather in Paris\n/);
    expect(markdown).toContain('Model: `gpt-4o` (OpenAI chat completions)');
    expect(markdown).toContain('## System prompt\n\nYou are a terse assistant.');
    expect(markdown).toContain('## You\n\n*Image: sky.png*\n\nWhat is the weather in Paris?');
    expect(markdown).toContain('## Assistant (gpt-4o-mini)');
    expect(markdown).toContain(
      '<details>\n<summary>Reasoning</summary>\n\nI should call the weather tool.\n\n</details>',
    );
    expect(markdown).toContain('Sunny, 21 °C.');
    // The arguments contain ``` so the fence is longer.
    expect(markdown).toContain(
      '**Tool call:** `weather`\n\n````json\n{\n  "city": "Paris",\n  "code": "```"\n}\n````',
    );
    expect(markdown).not.toContain('Rainy.');
    expect(markdown.indexOf('## You')).toBeLessThan(markdown.indexOf('## Assistant'));
  });

  it("writes each tool call's status, edited arguments and result: text, resources, images as placeholders, errors", () => {
    const looked = message('a3', 'u1', {
      text: 'It is sunny.',
      toolCalls: [
        {
          id: 'call_1',
          name: 'weather__forecast',
          arguments: '{"city":"Paris"}',
          server: 'weather',
          tool: 'forecast',
          status: 'done',
          approval: 'edited',
          runArguments: '{"city":"Lyon"}',
          result: {
            content: [
              { type: 'text', text: 'Lyon: sunny, 24 °C' },
              { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo' },
              { type: 'resource', uri: 'file:///maps/lyon.md', text: 'Map notes' },
            ],
            isError: false,
          },
        },
        {
          id: 'call_2',
          name: 'weather__alerts',
          arguments: '{}',
          server: 'weather',
          tool: 'alerts',
          status: 'done',
          result: { content: [{ type: 'text', text: 'Quota exhausted' }], isError: true },
        },
      ],
    });
    const markdown = conversationToMarkdown(conversation, [user, looked]);
    expect(markdown).toContain(
      [
        '**Tool call:** `weather__forecast`',
        '```json\n{\n  "city": "Paris"\n}\n```',
        '*Status: done (weather › forecast), approval: edited*',
        '*Run with:*',
        '```json\n{\n  "city": "Lyon"\n}\n```',
        '*Result:*',
        '```text\nLyon: sunny, 24 °C\n[image]\nMap notes\n```',
      ].join('\n\n'),
    );
    expect(markdown).toContain('*Result (error):*\n\n```text\nQuota exhausted\n```');
    expect(markdown).not.toContain('iVBORw0KGgo');
    // The JSON export keeps the calls whole, image data included, and reads them back equal.
    const json = conversationToJson({ ...conversation, activeLeafId: 'a3' }, [user, looked], 10_000);
    expect(parseConversationExport(json).messages[1]?.toolCalls).toEqual(looked.toolCalls);
  });

  it('says when a reply was interrupted or failed, and uses the conversation model when the message has none', () => {
    const failed = message('a9', 'u1', {
      text: '',
      status: 'failed',
      error: { kind: 'server', message: 'The proxy failed (502): upstream down' },
    });
    const markdown = conversationToMarkdown({ ...conversation, systemPrompt: '' }, [
      user,
      firstAnswer,
      failed,
    ]);
    expect(markdown).not.toContain('System prompt');
    expect(markdown).toContain('Rainy.\n\n*The reply was interrupted before it ended.*');
    expect(markdown).toContain(
      '## Assistant (gpt-4o)\n\n*The reply failed: The proxy failed (502): upstream down*',
    );
  });
});

describe('exportFileName', () => {
  const named = (title: string) => ({ ...conversation, title });

  it('makes a safe file name from the title', () => {
    expect(exportFileName(named('Weather in Paris'), 'markdown')).toBe('Weather in Paris.md');
    expect(exportFileName(named('Weather in Paris'), 'json')).toBe('Weather in Paris.json');
    expect(exportFileName(named('a/b\\c:d*e?f"g<h>i|j'), 'json')).toBe('a b c d e f g h i j.json');
    expect(exportFileName(named('Plan a trip to Lisbon with the…'), 'markdown')).toBe(
      'Plan a trip to Lisbon with the.md',
    );
    expect(exportFileName(named('Wait... what?'), 'json')).toBe('Wait what.json');
    expect(exportFileName(named('line\nbreak\ttab'), 'markdown')).toBe('line break tab.md');
    expect(exportFileName(named('...'), 'markdown')).toBe('Conversation.md');
    expect(exportFileName(named('  ../secret  '), 'markdown')).toBe('secret.md');
    expect(exportFileName(named('CON'), 'json')).toBe('CON chat.json');
    expect(exportFileName(named('上海之旅'), 'markdown')).toBe('上海之旅.md');
    const long = exportFileName(named('x'.repeat(300)), 'json');
    expect(long).toBe(`${'x'.repeat(80)}.json`);
  });
});
