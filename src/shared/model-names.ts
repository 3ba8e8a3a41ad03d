/**
 * Readable model names ("gpt-4.1-mini" → "GPT-4.1 mini", "claude-sonnet-4-5-20250929" → "Claude Sonnet 4.5"),
 * from a table of id patterns per family, and a tidy version of the id for any other id.
 * Names are product names: the same in every language.
 */

export interface ModelName {
  /** The product's name: "Claude Sonnet 4.5". */
  name: string;
  /** What tells two ids of one product apart: a snapshot date, "preview", "latest" ("2025-09-29"), else null. */
  variant: string | null;
}

/** Words kept as they are written by the provider (OpenAI writes its tiers in lower case). */
const openaiWords: Record<string, string> = { mini: 'mini', nano: 'nano', pro: 'pro', turbo: 'Turbo' };
/** Words that name a stage of a model rather than the model: shown with the date, in brackets. */
const stageWords = new Set(['preview', 'latest', 'exp', 'experimental', 'beta', 'alpha']);
const upperWords = new Set(['gpt', 'oss', 'ai', 'vl', 'moe', 'api', 'llm', 'tts', 'hd']);

const exact: Record<string, string> = {
  'deepseek-chat': 'DeepSeek V3',
  'deepseek-reasoner': 'DeepSeek R1',
};

/** One rule per family: the id without its date and stage words in, the name out (null: not this family). */
const rules: ((words: string[]) => string | null)[] = [
  // gpt-4.1-mini, gpt-4o, gpt-3.5-turbo-16k, gpt-5-chat
  (words) => {
    if (words[0] !== 'gpt' || words.length < 2) return null;
    const [, version = '', ...rest] = words;
    const head = /^\d/.test(version) ? version : tidyWord(version);
    return [`GPT-${head}`, ...rest.map((word) => openaiWords[word] ?? tidyWord(word))].join(' ');
  },
  // o1, o3-mini, o4-mini, o3-pro: OpenAI writes these as the id.
  (words) => (/^o\d$/.test(words[0] ?? '') ? words.join('-') : null),
  // claude-sonnet-4-5, claude-opus-4-6, claude-sonnet-4 (tier first) and claude-3-5-sonnet, claude-3-opus (tier last)
  (words) => {
    if (words[0] !== 'claude') return null;
    const rest = words.slice(1);
    const tierAt = rest.findIndex((word) => /^[a-z]+$/.test(word));
    if (tierAt === -1) return `Claude ${versionOf(rest)}`.trim();
    const tier = tidyWord(rest[tierAt] as string);
    const before = versionOf(rest.slice(0, tierAt));
    const tail = rest.slice(tierAt + 1);
    const after = versionOf(tail);
    const extra = tail.filter((word) => !isNumber(word)).map(tidyWord);
    const head = before ? ['Claude', before, tier, after] : ['Claude', tier, after];
    return [...head, ...extra].filter(Boolean).join(' ');
  },
  // gemini-2.5-pro, gemini-2.5-flash-lite, gemini-2.0-flash
  (words) => {
    if (words[0] !== 'gemini') return null;
    return ['Gemini', ...words.slice(1).map(tidyWord)].join(' ').replace('Flash Lite', 'Flash-Lite');
  },
  // deepseek-v4-pro, deepseek-r1, deepseek-coder
  (words) => {
    if (words[0] !== 'deepseek') return null;
    return [
      'DeepSeek',
      ...words.slice(1).map((word) => (/^[vr]\d/.test(word) ? word.toUpperCase() : tidyWord(word))),
    ]
      .join(' ')
      .trim();
  },
];

/** The readable name of a model id; an id no rule knows gets a tidy version of itself. */
export function modelName(id: string): ModelName {
  const bare = id.trim();
  const known = exact[bare.toLowerCase()];
  if (known) return { name: known, variant: null };
  // "openai/gpt-4o" and "models/gemini-2.5-pro" name the model after the last slash; ":free" is a variant.
  const [path = '', tag] = bare.split(':', 2);
  const last = path.slice(path.lastIndexOf('/') + 1);
  const { words, variants } = splitVariants(last.toLowerCase());
  if (tag) variants.push(tag);
  const name = words.length === 0 ? last : (ruleName(words) ?? words.map(tidyWord).join(' '));
  return { name: name || bare, variant: variants.length > 0 ? variants.join(', ') : null };
}

/** The name with its variant, as one line: "GPT-4o (2024-08-06)". */
export function modelLabel(id: string): string {
  const { name, variant } = modelName(id);
  return variant ? `${name} (${variant})` : name;
}

function ruleName(words: string[]): string | null {
  for (const rule of rules) {
    const name = rule(words);
    if (name !== null) return name;
  }
  return null;
}

/** The id's words, with its date and stage words ("preview", "latest") taken off as variants. */
function splitVariants(id: string): { words: string[]; variants: string[] } {
  let rest = id;
  const dates: string[] = [];
  // 20250929 · 2024-08-06 · 05-06 (after "preview") · 0125 (OpenAI's month-day snapshots)
  const datePatterns: [RegExp, (match: RegExpMatchArray) => string][] = [
    [/[-_](\d{4})(\d{2})(\d{2})$/, (m) => `${m[1]}-${m[2]}-${m[3]}`],
    [/[-_](\d{4})-(\d{2})-(\d{2})$/, (m) => `${m[1]}-${m[2]}-${m[3]}`],
    [/-(\d{2})-(\d{2})$/, (m) => `${m[1]}-${m[2]}`],
    [/-(0\d|1[0-2])(\d{2})$/, (m) => `${m[1]}${m[2]}`],
  ];
  for (const [pattern, format] of datePatterns) {
    const match = rest.match(pattern);
    if (match && match.index !== undefined && match.index > 0) {
      dates.push(format(match));
      rest = rest.slice(0, match.index);
      break;
    }
  }
  const words = rest.split(/[-_\s]+/).filter(Boolean);
  const stages: string[] = [];
  while (words.length > 1 && stageWords.has(words[words.length - 1] as string)) {
    stages.unshift(words.pop() as string);
  }
  return { words, variants: [...stages, ...dates] };
}

const isNumber = (word: string) => /^\d+(\.\d+)?$/.test(word);

/** Claude's "4-5" is version 4.5; a single number stays as it is. */
function versionOf(words: string[]): string {
  return words.filter(isNumber).join('.');
}

/** One word of an id as a name shows it: "pro" → "Pro", "72b" → "72B", "32k" → "32K", "gpt" → "GPT". */
function tidyWord(word: string): string {
  if (upperWords.has(word)) return word.toUpperCase();
  if (/^\d+(\.\d+)?[bkm]$/.test(word)) return word.toUpperCase();
  if (/^\d/.test(word)) return word;
  return word.charAt(0).toUpperCase() + word.slice(1);
}
