import { type Message, SNIPPET_MATCH_END, SNIPPET_MATCH_START } from '../../../shared/chat';

export type SnippetPart = { text: string; match: boolean };

/** Splits a search snippet at its \u0002 … \u0003 markers; the parts are rendered as text and <mark>. */
export function splitSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let rest = snippet;
  while (rest.length > 0) {
    const start = rest.indexOf(SNIPPET_MATCH_START);
    if (start === -1) {
      parts.push({ text: rest, match: false });
      break;
    }
    if (start > 0) parts.push({ text: rest.slice(0, start), match: false });
    const afterStart = rest.slice(start + 1);
    const end = afterStart.indexOf(SNIPPET_MATCH_END);
    const matched = end === -1 ? afterStart : afterStart.slice(0, end);
    if (matched) parts.push({ text: matched, match: true });
    rest = end === -1 ? '' : afterStart.slice(end + 1);
  }
  return parts.map((part) => ({ ...part, text: part.text.replaceAll(SNIPPET_MATCH_END, '') }));
}

const count = new Intl.NumberFormat('en');

/** The meta line of a reply: model, tokens in/out (cached, reasoning), time to first token, finish reason. */
export function metaParts(message: Message): string[] {
  const parts: string[] = [];
  if (message.model) parts.push(message.model);
  const usage = message.usage;
  if (usage) {
    if (usage.inputTokens !== undefined) {
      const cached = usage.cachedTokens ? ` (${count.format(usage.cachedTokens)} cached)` : '';
      parts.push(`${count.format(usage.inputTokens)} in${cached}`);
    }
    if (usage.outputTokens !== undefined) {
      const reasoning = usage.reasoningTokens ? ` (${count.format(usage.reasoningTokens)} reasoning)` : '';
      parts.push(`${count.format(usage.outputTokens)} out${reasoning}`);
    }
  }
  if (message.firstTokenMs !== null) parts.push(`first token ${formatMs(message.firstTokenMs)}`);
  if (message.finishReason) parts.push(`finish: ${message.finishReason}`);
  return parts;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const yearFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

/** "14:05" today, "Mar 3" this year, "Mar 3, 2024" before. */
export function shortDate(at: number, now = Date.now()): string {
  const date = new Date(at);
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) return timeFormat.format(date);
  if (date.getFullYear() === today.getFullYear()) return dayFormat.format(date);
  return yearFormat.format(date);
}

export function fullDate(at: number): string {
  return new Date(at).toLocaleString();
}
