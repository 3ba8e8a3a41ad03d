/**
 * Find in the open conversation, as pure functions: text folded so that case and accents do not matter ("viet"
 * finds "Việt", "ĐÀ" finds "đà"), the matches in a text, and the matches across a conversation's messages.
 */

/** A text folded for matching, with the span of the original text each folded UTF-16 unit came from. */
export type FoldedText = { text: string; starts: number[]; ends: number[] };

/** A match in an original (not folded) text. */
export type TextRange = { start: number; end: number };

/** One match in the conversation: the message, and which of its matches (0-based, in reading order). */
export type ConversationMatch = { messageId: string; occurrence: number };

const combiningMarks = /\p{M}/gu;

function foldChar(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x80) return char.toLowerCase();
  // đ and Đ have no decomposition; every other Vietnamese letter loses its marks in NFKD.
  if (char === 'đ' || char === 'Đ') return 'd';
  return char.toLowerCase().normalize('NFKD').replace(combiningMarks, '');
}

/** Lower case, compatibility forms unified (full-width "Ａ" is "a"), accents and other combining marks dropped. */
export function foldText(text: string): FoldedText {
  let folded = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let index = 0;
  for (const char of text) {
    const next = index + char.length;
    const part = foldChar(char);
    // A mark written apart from its letter (text in NFD) is highlighted with the letter.
    for (let unit = ends.length - 1; part === '' && unit >= 0 && ends[unit] === index; unit--)
      ends[unit] = next;
    folded += part;
    for (let unit = 0; unit < part.length; unit++) {
      starts.push(index);
      ends.push(next);
    }
    index = next;
  }
  return { text: folded, starts, ends };
}

/** The query as it is compared: trimmed and folded; empty when there is nothing to look for. */
export function foldQuery(query: string): string {
  return foldText(query.trim()).text;
}

/** Every match of the folded `needle` in a folded text, in order and not overlapping, as ranges of the original. */
export function matchesIn(folded: FoldedText, needle: string): TextRange[] {
  if (!needle) return [];
  const ranges: TextRange[] = [];
  let from = folded.text.indexOf(needle);
  while (from !== -1) {
    const last = from + needle.length - 1;
    const start = folded.starts[from] ?? 0;
    const end = folded.ends[last] ?? start;
    // A match that begins or ends inside one original character (a ligature folded to two letters) is skipped.
    const wholeStart = from === 0 || folded.starts[from - 1] !== start;
    const wholeEnd = last === folded.text.length - 1 || folded.ends[last + 1] !== end;
    if (wholeStart && wholeEnd) ranges.push({ start, end });
    from = folded.text.indexOf(needle, from + needle.length);
  }
  return ranges;
}

/**
 * The text a message shows, near enough for counting matches: a link or an image shows its label, not its address,
 * and a code fence's ``` line shows nothing. The window highlights in what is actually rendered.
 */
export function shownText(markdown: string): string {
  return markdown
    .replace(/^ {0,3}(```|~~~).*$/gm, '')
    .replace(/!?\[([^\]\n]*)\]\([^)\n]*\)/g, '$1')
    .replace(/<(https?:[^>\s]+)>/g, '$1');
}

/** Every match in the messages, in the order they are shown. */
export function findInMessages(
  messages: readonly { id: string; folded: FoldedText }[],
  needle: string,
): ConversationMatch[] {
  if (!needle) return [];
  const matches: ConversationMatch[] = [];
  for (const message of messages) {
    const count = matchesIn(message.folded, needle).length;
    for (let occurrence = 0; occurrence < count; occurrence++)
      matches.push({ messageId: message.id, occurrence });
  }
  return matches;
}

/** The next (or previous) match, wrapping around at either end; -1 when there are none. */
export function stepMatch(current: number, count: number, direction: 1 | -1): number {
  if (count === 0) return -1;
  if (current < 0) return direction === 1 ? 0 : count - 1;
  return (current + direction + count) % count;
}
