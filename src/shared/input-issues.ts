/**
 * A request the schema refused, said as a person would: zod's issue kinds become a code and its values, which main
 * words in English (`describeInputIssue`) and the window words in its language (`errors.input.<code>`).
 */
import type { z } from 'zod';

export const inputIssueCodes = [
  'required',
  'tooShort',
  'tooLong',
  'tooSmall',
  'tooBig',
  'tooFew',
  'tooMany',
  'oneOf',
  'notText',
  'notNumber',
  'notWholeNumber',
  'notYesNo',
  'notList',
  'multipleOf',
  'unknownOption',
  'notUrl',
  'badFormat',
  'invalid',
] as const;
export type InputIssueCode = (typeof inputIssueCodes)[number];

export interface InputIssue {
  /** The request path, dotted (`options.duration`); empty for the request as a whole. */
  field: string;
  code: InputIssueCode;
  /** What the sentence needs: a limit, the allowed values (joined by `|`, each side words the list), what was given. */
  values: Record<string, string | number>;
  /** The schema's own words (`is too short to be an API token`), when it gave any: they win over the code. */
  custom?: string;
}

/** zod's own English messages all start this way; a schema's own message never does. */
const ZOD_DEFAULT_MESSAGE =
  /^(Invalid input|Invalid option|Invalid string|Invalid number|Invalid discriminator|Invalid key in|Invalid value in|Invalid [A-Za-z0-9 .-]+$|Too big|Too small|Unrecognized key)/;

/** `a`, `a or b`, `a, b or c`. */
export function orList(values: readonly unknown[]): string {
  const words = values.map(String);
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function shown(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value.slice(0, 100);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

const typeCodes: Record<string, InputIssueCode> = {
  string: 'notText',
  number: 'notNumber',
  int: 'notWholeNumber',
  boolean: 'notYesNo',
  array: 'notList',
};

function codeOf(issue: z.core.$ZodIssue, given: unknown): Omit<InputIssue, 'field' | 'custom'> {
  switch (issue.code) {
    case 'invalid_type':
      if (given === undefined || given === null) return { code: 'required', values: {} };
      return { code: typeCodes[issue.expected] ?? 'invalid', values: {} };
    case 'too_small': {
      const min = Number(issue.minimum) + (issue.inclusive === false ? 1 : 0);
      if (issue.origin === 'string')
        return given === '' || min <= 1
          ? { code: 'required', values: {} }
          : { code: 'tooShort', values: { min } };
      if (issue.origin === 'array' || issue.origin === 'set') return { code: 'tooFew', values: { min } };
      return { code: 'tooSmall', values: { min: Number(issue.minimum) } };
    }
    case 'too_big': {
      const max = Number(issue.maximum) - (issue.inclusive === false && issue.origin !== 'number' ? 1 : 0);
      if (issue.origin === 'string') return { code: 'tooLong', values: { max } };
      if (issue.origin === 'array' || issue.origin === 'set') return { code: 'tooMany', values: { max } };
      return { code: 'tooBig', values: { max: Number(issue.maximum) } };
    }
    case 'invalid_value':
      return { code: 'oneOf', values: { allowed: issue.values.map(String).join('|') } };
    case 'not_multiple_of':
      return { code: 'multipleOf', values: { divisor: Number(issue.divisor) } };
    case 'unrecognized_keys':
      return { code: 'unknownOption', values: { keys: issue.keys.join(', ') } };
    case 'invalid_format':
      return { code: issue.format === 'url' ? 'notUrl' : 'badFormat', values: {} };
    case 'invalid_union':
      if ('options' in issue && Array.isArray(issue.options) && issue.options.length > 0)
        return { code: 'oneOf', values: { allowed: issue.options.map(String).join('|') } };
      return { code: 'invalid', values: {} };
    default:
      return { code: 'invalid', values: {} };
  }
}

const TELLS_GIVEN: ReadonlySet<InputIssueCode> = new Set(['oneOf', 'tooSmall', 'tooBig', 'multipleOf']);

/** One zod issue as a code and values; `input` is the request that was parsed (for "you gave …"). */
export function inputIssueOf(issue: z.core.$ZodIssue, input: unknown): InputIssue {
  const given = valueAt(input, issue.path);
  const { code, values } = codeOf(issue, given);
  // Only a choice or a number is repeated back: free text may be a secret (a token that is too short).
  const gave = TELLS_GIVEN.has(code) ? shown(given) : undefined;
  return {
    field: issue.path.map(String).join('.'),
    code,
    values: gave === undefined ? values : { ...values, given: gave },
    ...(ZOD_DEFAULT_MESSAGE.test(issue.message) ? {} : { custom: issue.message }),
  };
}

const ACRONYMS: Record<string, string> = { url: 'URL', id: 'ID', api: 'API', mcp: 'MCP' };

/** A field's words when the caller has none: `imagePath` → `image path`, `baseUrl` → `base URL`. */
export function fieldWords(field: string): string {
  const last = field.split('.').at(-1) ?? field;
  return last
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(' ')
    .map((word) => ACRONYMS[word.toLowerCase()] ?? word.toLowerCase())
    .join(' ');
}

const english: Record<InputIssueCode, string> = {
  required: '{{name}} is required.',
  tooShort: '{{name}} must be at least {{min}} characters long.',
  tooLong: '{{name}} can be at most {{max}} characters long.',
  tooSmall: '{{name}} must be at least {{min}}.',
  tooBig: '{{name}} can be at most {{max}}.',
  tooFew: '{{name}} needs at least {{min}} items.',
  tooMany: '{{name}} can have at most {{max}} items.',
  oneOf: '{{name}} must be {{allowed}}.',
  notText: '{{name}} must be text.',
  notNumber: '{{name}} must be a number.',
  notWholeNumber: '{{name}} must be a whole number.',
  notYesNo: '{{name}} must be yes or no.',
  notList: '{{name}} must be a list.',
  multipleOf: '{{name}} must be a multiple of {{divisor}}.',
  unknownOption: '{{keys}} is not an option here.',
  notUrl: '{{name}} must be a web address (http:// or https://).',
  badFormat: '{{name}} is not in the expected form.',
  invalid: '{{name}} is not valid.',
};

/** The allowed values as English words: `5 or 10`. */
export function allowedWords(issue: InputIssue): string {
  return orList(String(issue.values.allowed ?? '').split('|'));
}

/** A sentence starts with a capital, unless it starts with a flag or a path (`--seconds`, `mcpServers.x.url`). */
function capitalized(text: string): string {
  return /^[a-z]+(\s|$)/.test(text) ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/**
 * The issue in English, one sentence: `name` is how the user knows the field ("the model", "--seconds").
 * "You gave …" follows when what was given helps (a value outside the allowed ones, a number out of range).
 */
export function describeInputIssue(
  issue: InputIssue,
  name = fieldWords(issue.field) || 'the request',
): string {
  if (issue.custom) return `${capitalized(name)} ${issue.custom.replace(/\.$/, '')}.`;
  const sentence = english[issue.code].replace(/\{\{(\w+)\}\}/g, (_, key: string) =>
    key === 'name' ? name : key === 'allowed' ? allowedWords(issue) : String(issue.values[key] ?? ''),
  );
  const gave = issue.values.given;
  return capitalized(gave === undefined ? sentence : `${sentence.replace(/\.$/, '')}; you gave ${gave}.`);
}
