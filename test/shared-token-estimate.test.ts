/** The token estimate the composer shows and main stores: characters/4, CJK per character. */
import { describe, expect, it } from 'vitest';
import { contextFit, documentLine, estimateTokens } from '../src/shared/documents';

describe('estimateTokens', () => {
  it('counts four Latin characters (spaces and punctuation included) as one token, rounded up', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('a')).toBe(1);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('Hello, world!')).toBe(4);
    expect(estimateTokens('x'.repeat(4000))).toBe(1000);
  });

  it('counts each Chinese, Japanese or Korean character as a token of its own', () => {
    expect(estimateTokens('你好世界')).toBe(4);
    expect(estimateTokens('ひらがなカタカナ')).toBe(8);
    expect(estimateTokens('한국어')).toBe(3);
    // Mixed: 2 Han + "abcd" (1) + Vietnamese with diacritics counted like Latin (8 chars → 2).
    expect(estimateTokens('中文abcdTiếng Vi')).toBe(2 + 1 + 2);
  });

  it('says a message exceeds a known context window, and nothing when the window is unknown', () => {
    expect(contextFit(128_001, 128_000)).toBe('over');
    expect(contextFit(128_000, 128_000)).toBe('fits');
    expect(contextFit(5_000_000, undefined)).toBe('unknown');
  });

  it('describes a document in an export by name, size, pages and estimate', () => {
    const document = {
      path: 'attachments/documents/a.txt',
      name: 'r.pdf',
      size: 2048,
      chars: 8,
      tokens: 1234,
    };
    expect(documentLine({ ...document, pages: 3 })).toBe('r.pdf (2 KB, 3 pages, about 1,234 tokens)');
    expect(documentLine({ ...document, pages: null })).toBe('r.pdf (2 KB, about 1,234 tokens)');
  });
});
