/** How HubDesk's own tools word their results for a model: times, dates, snippets, and cuts with a note. */
import { SNIPPET_MATCH_END, SNIPPET_MATCH_START } from '../../../shared/chat';
import type { ToolResult } from '../../../shared/tools';

/** About 10,000 tokens: room for the answer in every model's context, however big the transcript or message. */
export const MAX_RESULT_CHARS = 40_000;

/** `01:02:03` (hours always shown, so the model never mistakes minutes for hours). */
export function clockTime(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  return [hours, minutes, rest].map((part) => String(part).padStart(2, '0')).join(':');
}

/** `2026-11-24T09:30:00Z`: an ISO date and time in UTC, without milliseconds. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The search's match markers as Markdown bold, on one line. */
export function readableSnippet(snippet: string): string {
  return snippet
    .replaceAll(SNIPPET_MATCH_START, '**')
    .replaceAll(SNIPPET_MATCH_END, '**')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The text cut to `max` characters with the count of what was left out, or whole. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [${text.length - max} more characters cut]`;
}

export function textResult(text: string, structuredContent: unknown): ToolResult {
  return { content: [{ type: 'text', text }], structuredContent, isError: false };
}

export function errorResult(message: string): ToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
