/** The deterministic content rules shared by every chat family (see README.md). */

/**
 * A prompt HubDesk sent with numbered sources (`<sources>` … `</sources>`, each source a line `[n] file…`) is
 * answered as a model that uses them would: the prompt's own text, citing every source, e.g. `Echo: Q? [1][2]`.
 */
export function replyTo(prompt: string): string {
  const title = titleFor(prompt);
  if (title !== null) return title;
  const sourced = /<sources>\n([\s\S]*?)\n<\/sources>/.exec(prompt);
  if (sourced) {
    const cited = [...(sourced[1] ?? '').matchAll(/^\[(\d+)\] /gm)].map((match) => `[${match[1]}]`);
    return `${replyTo(prompt.slice(0, sourced.index).trim())} ${cited.join('')}`;
  }
  return `Echo: ${prompt.trim() === '' ? '(empty message)' : prompt}`;
}

/**
 * HubDesk's title request (it starts "Write a short title for this conversation.") is answered as a chatty model
 * would: `Title: "About <the user's first three words>"`, or null for any other prompt.
 */
export function titleFor(prompt: string): string | null {
  if (!prompt.startsWith('Write a short title for this conversation.')) return null;
  const user = /^User: (.*)$/m.exec(prompt)?.[1] ?? '';
  const spaced = user.trim().split(/\s+/);
  const words =
    spaced.length > 1 ? spaced.slice(0, 3).join(' ') : Array.from(user.trim()).slice(0, 6).join('');
  return `Title: "About ${words}"`;
}

export function reasoningFor(prompt: string): string {
  return `Thinking about: ${prompt.trim() === '' ? '(empty message)' : prompt}`;
}

export function toolResultReply(result: string): string {
  return `Tool result: ${result}`;
}

/** A rough tokenizer: one token per 4 characters, at least 1 for non-empty text. */
export function estimateTokens(text: string): number {
  return text === '' ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

/** Splits text into pieces of `size` characters (code points, never a half surrogate pair). */
export function chunkText(text: string, size = 5): string[] {
  const chars = Array.from(text);
  const pieces: string[] = [];
  for (let at = 0; at < chars.length; at += size) pieces.push(chars.slice(at, at + size).join(''));
  return pieces;
}

/** Keeps the first `maxTokens` tokens of a reply; `truncated` says whether anything was cut. */
export function limitTokens(
  text: string,
  maxTokens: number | undefined,
): { text: string; truncated: boolean } {
  if (maxTokens === undefined || estimateTokens(text) <= maxTokens) return { text, truncated: false };
  return {
    text: Array.from(text)
      .slice(0, maxTokens * 4)
      .join(''),
    truncated: true,
  };
}

export function mentionsWeather(prompt: string): boolean {
  return /weather/i.test(prompt);
}

/** The weather tool's arguments: the capitalised word after "in", else Paris. */
export function weatherArguments(prompt: string): { city: string; unit: 'celsius' } {
  const city = /\bin ([A-Z][\p{L}-]*)/u.exec(prompt)?.[1] ?? 'Paris';
  return { city, unit: 'celsius' };
}

/** The tool to call: the first whose name mentions weather, else the first one. */
export function pickTool(names: string[]): string | undefined {
  return names.find((name) => /weather/i.test(name)) ?? names[0];
}

/** o-series, gpt-5 (not gpt-5-chat) and deepseek-reasoner think before they answer. */
export function isReasoningModel(model: string): boolean {
  return (
    /^o\d/.test(model) || (/^gpt-5/.test(model) && !model.includes('chat')) || model === 'deepseek-reasoner'
  );
}

/** FNV-1a, 32 bits. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The cities a weather prompt names: each capitalised word after "in" or "and", else Paris. */
export function weatherCities(prompt: string): string[] {
  const cities = [...prompt.matchAll(/\b(?:in|and) ([A-Z][\p{L}-]*)/gu)].map((match) => match[1] ?? '');
  return cities.length > 0 ? cities : ['Paris'];
}

/** A prompt with this marker keeps calling its tools after their results (to reach a step limit). */
export const TOOL_LOOP_MARKER = '[loop]';

/** One tool call the model makes; `args` undefined is a call with no arguments at all. */
export interface PlannedToolCall {
  name: string;
  args: Record<string, unknown> | undefined;
}

/**
 * The tool calls a prompt asks for when tools are offered: the weather tool once per city (several cities: parallel
 * calls); "search my documents for X", HubDesk's search_documents with the query X; and, when the prompt asks
 * "what time", the first tool whose name mentions time or clock, with no arguments.
 */
export function plannedToolCalls(prompt: string, names: string[]): PlannedToolCall[] {
  const calls: PlannedToolCall[] = [];
  const weatherTool = pickTool(names);
  if (weatherTool !== undefined && mentionsWeather(prompt)) {
    for (const city of weatherCities(prompt)) {
      calls.push({ name: weatherTool, args: { city, unit: 'celsius' } });
    }
  }
  const documentsTool = names.find((name) => /search_documents/.test(name));
  const documentsQuery = /\bsearch my documents for ([^?.!]+)/i.exec(prompt)?.[1]?.trim();
  if (documentsTool !== undefined && documentsQuery)
    calls.push({ name: documentsTool, args: { query: documentsQuery } });
  const clockTool = names.find((name) => /time|clock/i.test(name));
  if (clockTool !== undefined && /\bwhat time\b/i.test(prompt))
    calls.push({ name: clockTool, args: undefined });
  return calls;
}

/** The answer to the results of a round of calls, in the order they were sent. */
export function toolResultsReply(results: string[]): string {
  return toolResultReply(results.join(' | '));
}
