import i18next from 'i18next';
import type { ChatParams, ParamProblem, ParamSpec } from '../../../shared/chat-params';
import type { ChatApi } from '../../../shared/models';

const MAX_ITEM_LENGTH = 200;

/** What a parameter is called in the UI language. */
export function paramLabel(spec: Pick<ParamSpec, 'key'>): string {
  return i18next.t(`chat:params.${spec.key}.label`);
}

/** The help line under a parameter, with the range and request field of this model and API. */
export function paramHelp(spec: ParamSpec, api: ChatApi): string {
  switch (spec.key) {
    case 'temperature':
      return i18next.t('chat:params.temperature.help', { max: spec.max });
    case 'maxTokens':
      return i18next.t('chat:params.maxTokens.help', { field: spec.field ?? '' });
    case 'thinkingBudget':
      return api === 'claude-messages'
        ? i18next.t('chat:params.thinkingBudget.helpClaude')
        : i18next.t('chat:params.thinkingBudget.helpGemini');
    case 'stop':
      return i18next.t('chat:params.stop.help', { max: spec.maxItems });
    default:
      return i18next.t(`chat:params.${spec.key}.help`);
  }
}

/** Why the parameters together would be refused (effectiveParams' problem), in the UI language. */
export function paramProblemText(problem: ParamProblem): string {
  switch (problem.code) {
    case 'range':
      return i18next.t('chat:params.errors.labelRange', {
        label: paramLabel(problem),
        min: problem.min,
        max: problem.max,
      });
    case 'tooMany':
      return i18next.t('chat:params.errors.labelAtMost', { label: paramLabel(problem), max: problem.max });
    case 'thinkingNotBelowMax':
      return i18next.t('chat:params.errors.thinkingBelowMax', { max: problem.maxTokens });
  }
}

/** An enum option as shown: reasoning levels in the UI language, API values (text, json_object) as they are. */
export function optionLabel(option: string): string {
  return option === 'low' || option === 'medium' || option === 'high'
    ? i18next.t(`chat:params.options.${option}`)
    : option;
}

/** The text a parameter's input shows for a stored value. */
export function paramText(_spec: ParamSpec, value: ChatParams[keyof ChatParams]): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.join('\n');
  return String(value);
}

/** Reads one parameter's input: undefined for empty (provider default), or why the text is not valid. */
export function parseParam(
  spec: ParamSpec,
  text: string,
): { ok: true; value: ChatParams[keyof ChatParams] } | { ok: false; error: string } {
  const trimmed = text.trim();
  if (spec.kind === 'list') {
    const items = text
      .split('\n')
      .map((item) => item.replace(/\r$/, ''))
      .filter((item) => item.length > 0);
    if (items.length === 0) return { ok: true, value: undefined };
    if (spec.maxItems !== undefined && items.length > spec.maxItems) {
      return { ok: false, error: i18next.t('chat:params.errors.atMostLines', { max: spec.maxItems }) };
    }
    if (items.some((item) => item.length > MAX_ITEM_LENGTH)) {
      return { ok: false, error: i18next.t('chat:params.errors.itemTooLong', { max: MAX_ITEM_LENGTH }) };
    }
    return { ok: true, value: items };
  }
  if (trimmed === '') return { ok: true, value: undefined };
  if (spec.kind === 'enum') {
    return spec.options?.includes(trimmed)
      ? { ok: true, value: trimmed as ChatParams['reasoningEffort'] }
      : {
          ok: false,
          error: i18next.t('chat:params.errors.chooseOne', { options: spec.options?.join(', ') }),
        };
  }
  const number = Number(trimmed.replace('−', '-'));
  const range = { min: spec.min, max: spec.max };
  if (!Number.isFinite(number)) return { ok: false, error: i18next.t('chat:params.errors.number', range) };
  if (spec.kind === 'integer' && !Number.isInteger(number)) {
    return { ok: false, error: i18next.t('chat:params.errors.wholeNumber', range) };
  }
  if ((spec.min !== undefined && number < spec.min) || (spec.max !== undefined && number > spec.max)) {
    return { ok: false, error: i18next.t('chat:params.errors.range', range) };
  }
  return { ok: true, value: number };
}
