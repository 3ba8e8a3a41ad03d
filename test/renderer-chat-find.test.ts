import { describe, expect, it } from 'vitest';
import {
  findInMessages,
  foldQuery,
  foldText,
  matchesIn,
  shownText,
  stepMatch,
} from '../src/renderer/src/chat/find-matches';

/** The matched pieces of the original text, as a reader would see them highlighted. */
function found(text: string, query: string): string[] {
  return matchesIn(foldText(text), foldQuery(query)).map(({ start, end }) => text.slice(start, end));
}

describe('find in the open conversation: matching', () => {
  it('ignores case and finds every occurrence, without overlaps', () => {
    expect(found('Tides, TIDES and tides.', 'tides')).toEqual(['Tides', 'TIDES', 'tides']);
    expect(found('aaaa', 'aa')).toEqual(['aa', 'aa']);
    expect(found('nothing here', 'zanzibar')).toEqual([]);
  });

  it('ignores accents, so Vietnamese is found typed with or without its marks', () => {
    expect(found('Tôi yêu Việt Nam, Viet Nam.', 'viet nam')).toEqual(['Việt Nam', 'Viet Nam']);
    expect(found('Đà Nẵng và đà điểu', 'da')).toEqual(['Đà', 'đà']);
    expect(found('Tiếng Việt', 'TIẾNG')).toEqual(['Tiếng']);
    expect(found('café, cafe', 'café')).toEqual(['café', 'cafe']);
  });

  it('highlights a letter together with a mark written apart from it (text in NFD)', () => {
    const decomposed = 'Vie\u0302\u0323t'; // "Việt" as e + two combining marks
    expect(found(decomposed, 'viet')).toEqual([decomposed]);
  });

  it('finds Chinese text and full-width letters', () => {
    expect(found('你好，世界。世界很大', '世界')).toEqual(['世界', '世界']);
    expect(found('ＧＰＴ model', 'gpt')).toEqual(['ＧＰＴ']);
  });

  it('keeps positions in the original text when folding changes its length', () => {
    const text = 'İstanbul ﬁle — file';
    expect(found(text, 'istanbul')).toEqual(['İstanbul']);
    expect(found(text, 'file')).toEqual(['ﬁle', 'file']);
    // Half of a ligature is not a match: it could not be highlighted.
    expect(found('ﬁ', 'i')).toEqual([]);
  });

  it('finds nothing for an empty or blank query', () => {
    expect(found('anything', '')).toEqual([]);
    expect(found('anything', '   ')).toEqual([]);
    expect(found('a b', ' b ')).toEqual(['b']);
  });
});

describe('find in the open conversation: messages', () => {
  it('counts a link by its label and a code fence without its ``` lines', () => {
    const markdown =
      'See [the docs](https://example.com/docs) and ![a chart](chart.png)\n```docs\ncode docs\n```';
    const shown = shownText(markdown);
    expect(shown).toContain('See the docs and a chart');
    expect(found(shown, 'docs')).toEqual(['docs', 'docs']);
    expect(found(shown, 'example.com')).toEqual([]);
  });

  it('lists the matches message by message, in order, with their place in each message', () => {
    const messages = [
      { id: 'a', folded: foldText('Tides and more tides') },
      { id: 'b', folded: foldText('No match here') },
      { id: 'c', folded: foldText('TIDES') },
    ];
    expect(findInMessages(messages, foldQuery('tides'))).toEqual([
      { messageId: 'a', occurrence: 0 },
      { messageId: 'a', occurrence: 1 },
      { messageId: 'c', occurrence: 0 },
    ]);
    expect(findInMessages(messages, foldQuery(''))).toEqual([]);
  });

  it('steps to the next and previous match, wrapping at both ends', () => {
    expect(stepMatch(0, 3, 1)).toBe(1);
    expect(stepMatch(2, 3, 1)).toBe(0);
    expect(stepMatch(0, 3, -1)).toBe(2);
    expect(stepMatch(-1, 3, -1)).toBe(2);
    expect(stepMatch(-1, 3, 1)).toBe(0);
    expect(stepMatch(0, 0, 1)).toBe(-1);
  });
});
