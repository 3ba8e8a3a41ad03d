import '../src/renderer/src/i18n';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { sortConversations } from '../src/renderer/src/chat/ConversationList';
import { imageRefusal } from '../src/renderer/src/chat/files';
import { finishReasonText, metaParts } from '../src/renderer/src/chat/format';
import { MarkdownText } from '../src/renderer/src/chat/markdown';
import { normalizeMathDelimiters } from '../src/renderer/src/chat/markdown-blocks';
import { paramProblemText, parseParam } from '../src/renderer/src/chat/params';
import { splitSnippet } from '../src/renderer/src/search/snippet';
import { effectiveParams, paramSpecs } from '../src/shared/chat-params';
import { findModel } from '../src/shared/models';

function render(text: string): string {
  return renderToStaticMarkup(createElement(MarkdownText, { text, writing: false }));
}

describe('model output rendered as Markdown', () => {
  it('renders tables, highlighted code and math, and never raw HTML', () => {
    const html = render(
      [
        'Euler: $e^{i\\pi}+1=0$',
        '',
        '| a | b |',
        '|---|---|',
        '| 1 | 2 |',
        '',
        '```js',
        'const x = 1;',
        '```',
        '',
        '<script>alert(1)</script><img src=x onerror="alert(1)">',
      ].join('\n'),
    );
    expect(html).toContain('class="katex"');
    expect(html).toContain('<table>');
    expect(html).toContain('hljs-keyword');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('onerror');
  });

  it('keeps https links as links, shows other schemes as text, and never loads remote images', () => {
    const html = render(
      '[safe](https://example.com/a?b=1) [bad](javascript:alert(1)) ![pic](https://x.test/p.png)',
    );
    expect(html).toContain('href="https://example.com/a?b=1"');
    expect(html).not.toContain('javascript:');
    expect(html).not.toMatch(/<a [^>]*>bad<\/a>/);
    expect(html).not.toContain('<img');
    expect(html).toContain('pic');
  });

  it('reads \\( \\), \\[ \\] and one-line $$ $$ as math but leaves code alone', () => {
    expect(normalizeMathDelimiters('a \\(x^2\\) b')).toBe('a $x^2$ b');
    expect(normalizeMathDelimiters('$$x$$')).toBe('$$\nx\n$$');
    expect(normalizeMathDelimiters('`\\(x\\)`')).toBe('`\\(x\\)`');
    expect(render('\\[\\frac{1}{2}\\]')).toContain('katex-display');
  });
});

describe('chat helpers', () => {
  it('splits search snippets into plain text and matches', () => {
    expect(splitSnippet('is 97 \u0002prime\u0003? yes \u0002prime\u0003')).toEqual([
      { text: 'is 97 ', match: false },
      { text: 'prime', match: true },
      { text: '? yes ', match: false },
      { text: 'prime', match: true },
    ]);
    expect(splitSnippet('<b>no html</b>')).toEqual([{ text: '<b>no html</b>', match: false }]);
  });

  it('validates parameters against the ranges of the model family', () => {
    const claude = findModel('claude-sonnet-4-5-20250929');
    const temperature = paramSpecs(claude, 'claude-messages').find((spec) => spec.key === 'temperature');
    if (!temperature) throw new Error('Claude has a temperature');
    expect(parseParam(temperature, '0.7')).toEqual({ ok: true, value: 0.7 });
    expect(parseParam(temperature, '1.5')).toEqual({ ok: false, error: 'Must be between 0 and 1.' });
    expect(parseParam(temperature, '')).toEqual({ ok: true, value: undefined });
    const stop = paramSpecs(claude, 'claude-messages').find((spec) => spec.key === 'stop');
    if (!stop) throw new Error('Claude has stop sequences');
    expect(parseParam(stop, 'END\n\nSTOP')).toEqual({ ok: true, value: ['END', 'STOP'] });
    expect(parseParam(stop, 'a\nb\nc\nd\ne').ok).toBe(false);
    const o3 = paramSpecs(findModel('o3-mini'), 'openai-chat').map((spec) => spec.key);
    expect(o3).not.toContain('temperature');
  });

  it('says why parameters together are refused: one rule in shared code, worded by main and by the window', () => {
    const claude = findModel('claude-sonnet-4-5-20250929');
    const thinking = effectiveParams({ maxTokens: 2000, thinkingBudget: 2000 }, claude, 'claude-messages');
    expect(thinking.problem).toEqual({ code: 'thinkingNotBelowMax', maxTokens: 2000 });
    expect(thinking.error).toBe('Thinking budget must be less than max tokens (2000).');
    expect(thinking.params).toEqual({});
    if (thinking.problem) expect(paramProblemText(thinking.problem)).toMatch(/2000/);
    const hot = effectiveParams({ temperature: 1.5 }, claude, 'claude-messages');
    expect(hot.problem).toEqual({ code: 'range', key: 'temperature', min: 0, max: 1 });
    expect(hot.error).toBe('Temperature must be between 0 and 1.');
    if (hot.problem) expect(paramProblemText(hot.problem)).toMatch(/Temperature.*0.*1/);
    const kept = effectiveParams({ temperature: 0.5, seed: 7 }, claude, 'claude-messages');
    expect(kept).toEqual({ params: { temperature: 0.5 }, problem: null, error: null });
  });

  it('refuses files that are not images or are larger than 20 MB', () => {
    expect(imageRefusal({ name: 'a.png', type: 'image/png', size: 1000 })).toBeNull();
    expect(imageRefusal({ name: 'a.pdf', type: 'application/pdf', size: 1000 })).toMatch(/not a PNG/);
    expect(imageRefusal({ name: 'big.jpg', type: 'image/jpeg', size: 21 * 1024 * 1024 })).toMatch(/20 MB/);
  });

  it('lists pinned conversations first, then the newest', () => {
    const item = (id: string, pinned: boolean, updatedAt: number) => ({
      id,
      title: id,
      pinned,
      model: 'm',
      updatedAt,
      preview: '',
      messageCount: 0,
    });
    const sorted = sortConversations([item('old', false, 1), item('pin', true, 0), item('new', false, 5)]);
    expect(sorted.map((entry) => entry.id)).toEqual(['pin', 'new', 'old']);
  });

  it('describes a reply with tokens in and out, cached, reasoning, first token and finish reason', () => {
    const parts = metaParts({
      id: 'm',
      conversationId: 'c',
      parentId: null,
      role: 'assistant',
      text: 'x',
      reasoning: '',
      images: [],
      documents: [],
      toolCalls: [],
      model: 'gpt-4.1-mini',
      api: 'openai-chat',
      status: 'complete',
      finishReason: 'stop',
      error: null,
      usage: { inputTokens: 1240, outputTokens: 388, cachedTokens: 1024, reasoningTokens: 96 },
      firstTokenMs: 812,
      createdAt: 0,
      updatedAt: 0,
    });
    expect(parts).toEqual([
      'GPT-4.1 mini',
      '1,240 in (1,024 cached)',
      '388 out (96 reasoning)',
      'first token 812 ms',
      'finish: complete',
    ]);
    // The reasons the adapters normalize to are worded; any other a provider sends is shown as it came.
    expect(finishReasonText('length')).toBe('token limit reached');
    expect(finishReasonText('recitation')).toBe('recitation');
  });
});
