import i18next from 'i18next';
import {
  type Message,
  SNIPPET_MATCH_END,
  SNIPPET_MATCH_START,
  UNTITLED_CONVERSATION,
} from '../../../shared/chat';
import { currentLanguage } from '../i18n';

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

/** Formatters by language: made once each, since the meta line and the lists format many numbers and dates. */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(key: string, options?: Intl.NumberFormatOptions): Intl.NumberFormat {
  const language = currentLanguage();
  const id = `n:${key}:${language}`;
  let format = formatters.get(id) as Intl.NumberFormat | undefined;
  if (!format) {
    format = new Intl.NumberFormat(language, options);
    formatters.set(id, format);
  }
  return format;
}

function dateFormat(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const language = currentLanguage();
  const id = `d:${key}:${language}`;
  let format = formatters.get(id) as Intl.DateTimeFormat | undefined;
  if (!format) {
    format = new Intl.DateTimeFormat(language, options);
    formatters.set(id, format);
  }
  return format;
}

const count = (value: number) => numberFormat('count').format(value);

/** The meta line of a reply: model, tokens in/out (cached, reasoning), time to first token, finish reason. */
export function metaParts(message: Message): string[] {
  const parts: string[] = [];
  if (message.model) parts.push(message.model);
  const usage = message.usage;
  if (usage) {
    if (usage.inputTokens !== undefined) {
      const tokens = count(usage.inputTokens);
      parts.push(
        usage.cachedTokens
          ? i18next.t('chat:meta.inCached', { tokens, cached: count(usage.cachedTokens) })
          : i18next.t('chat:meta.in', { tokens }),
      );
    }
    if (usage.outputTokens !== undefined) {
      const tokens = count(usage.outputTokens);
      parts.push(
        usage.reasoningTokens
          ? i18next.t('chat:meta.outReasoning', { tokens, reasoning: count(usage.reasoningTokens) })
          : i18next.t('chat:meta.out', { tokens }),
      );
    }
  }
  if (message.firstTokenMs !== null) {
    parts.push(i18next.t('chat:meta.firstToken', { time: formatMs(message.firstTokenMs) }));
  }
  if (message.finishReason) parts.push(i18next.t('chat:meta.finish', { reason: message.finishReason }));
  return parts;
}

/** "812 ms", "1.23 s", "12.5 s" (decimals in the UI language's style). */
export function formatMs(ms: number): string {
  if (ms < 1000) {
    return i18next.t('chat:meta.ms', {
      value: numberFormat('ms', { maximumFractionDigits: 0, useGrouping: false }).format(ms),
    });
  }
  const digits = ms < 10_000 ? 2 : 1;
  const seconds = numberFormat(`s${digits}`, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: false,
  });
  return i18next.t('chat:meta.seconds', { value: seconds.format(ms / 1000) });
}

/** "14:05" today, "Mar 3" this year, "Mar 3, 2024" before (in the UI language). */
export function shortDate(at: number, now = Date.now()): string {
  const date = new Date(at);
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) {
    return dateFormat('time', { hour: '2-digit', minute: '2-digit' }).format(date);
  }
  if (date.getFullYear() === today.getFullYear()) {
    return dateFormat('day', { month: 'short', day: 'numeric' }).format(date);
  }
  return dateFormat('year', { year: 'numeric', month: 'short', day: 'numeric' }).format(date);
}

export function fullDate(at: number): string {
  return new Date(at).toLocaleString(currentLanguage());
}

/** A conversation's title as shown: the untitled one in the UI language. */
export function conversationTitle(title: string): string {
  return title === UNTITLED_CONVERSATION ? i18next.t('chat:list.untitled') : title;
}
