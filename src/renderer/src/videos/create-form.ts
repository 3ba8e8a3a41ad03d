/** The create form: option values as the form holds them, checked against the model's spec. */
import i18next from 'i18next';
import type { AppError } from '../../../shared/errors';
import { inputIssueOf } from '../../../shared/input-issues';
import {
  type VideoCreateRequest,
  videoCreateProblems,
  videoCreateRequestSchema,
} from '../../../shared/videos/create-request';
import type { VideoVendor } from '../../../shared/videos/job';
import type { VideoModelSpec, VideoOptionSpec, VideoVendorSpec } from '../../../shared/videos/vendor-specs';
import { reasonText } from '../hub';
import { currentLanguage } from '../i18n';
import { inputIssueText } from '../ui/errors';
import { optionLabel } from './display-text';

/** Enum, integer, number and text fields hold their text; checkboxes hold a boolean. */
export type OptionValue = string | boolean;
export type OptionValues = Record<string, OptionValue>;

/** Problems keyed by form field: `prompt`, `model`, `image`, `imageTail`, or an option key. */
export type FormProblems = Record<string, string>;

export function defaultOptionValue(spec: VideoOptionSpec): OptionValue {
  switch (spec.type) {
    case 'boolean':
      return spec.default ?? false;
    case 'enum':
      return spec.default ?? '';
    case 'integer':
    case 'number':
      return spec.default === undefined ? '' : String(spec.default);
    case 'text':
      return '';
  }
}

export function defaultOptionValues(model: VideoModelSpec): OptionValues {
  return Object.fromEntries(model.options.map((spec) => [spec.key, defaultOptionValue(spec)]));
}

/** The form's values for a model from a job's stored options (Reuse prompt); options it does not hold get defaults. */
export function optionValuesFromParams(model: VideoModelSpec, params: Record<string, unknown>): OptionValues {
  const values = defaultOptionValues(model);
  for (const spec of model.options) {
    const value = params[spec.key];
    if (spec.type === 'boolean' && typeof value === 'boolean') values[spec.key] = value;
    else if (spec.type !== 'boolean' && (typeof value === 'string' || typeof value === 'number'))
      values[spec.key] = String(value);
  }
  return values;
}

/** The values for a newly chosen model: what the user set and the new model still accepts, else defaults. */
export function carryOptionValues(model: VideoModelSpec, previous: OptionValues): OptionValues {
  const next = defaultOptionValues(model);
  for (const spec of model.options) {
    const value = previous[spec.key];
    if (value === undefined || typeof value !== typeof next[spec.key]) continue;
    if (optionProblem(spec, value) === null) next[spec.key] = value;
  }
  return next;
}

/** The options the form shows: Kling's image-to-video takes its aspect ratio from the image. */
export function visibleOptions(
  vendor: VideoVendor,
  model: VideoModelSpec,
  hasImage: boolean,
): VideoOptionSpec[] {
  if (vendor === 'kling' && hasImage) return model.options.filter((spec) => spec.key !== 'aspectRatio');
  return model.options;
}

const count = { format: (value: number) => value.toLocaleString(currentLanguage()) };

/** A number as written, in the current language's digits and decimal sign, without grouping. */
function plainNumber(value: number): string {
  return value.toLocaleString(currentLanguage(), { useGrouping: false, maximumFractionDigits: 20 });
}

function listWords(values: readonly (string | number)[]): string {
  const words = values.map(String);
  if (words.length <= 1) return words.join('');
  return i18next.t('videos:list.or', {
    head: words.slice(0, -1).join(i18next.t('videos:list.separator')),
    last: words.at(-1),
  });
}

/** Why a field's value cannot be sent, or null. An empty value means "the vendor's default". */
export function optionProblem(spec: VideoOptionSpec, value: OptionValue): string | null {
  if (spec.type === 'boolean')
    return typeof value === 'boolean' ? null : i18next.t('videos:validation.onOff');
  if (typeof value !== 'string') return i18next.t('videos:validation.enterValue');
  const text = value.trim();
  if (text === '') return null;
  switch (spec.type) {
    case 'enum':
      return spec.values.includes(text)
        ? null
        : i18next.t('videos:validation.choose', { values: listWords(spec.values) });
    case 'integer': {
      const number = Number(text);
      if (!Number.isInteger(number)) return i18next.t('videos:validation.wholeNumber');
      if (spec.allowed && !spec.allowed.includes(number))
        return i18next.t('videos:validation.oneOf', { values: listWords(spec.allowed) });
      if (number < spec.min || number > spec.max) {
        return i18next.t('videos:validation.between', {
          min: count.format(spec.min),
          max: count.format(spec.max),
        });
      }
      return null;
    }
    case 'number': {
      const number = Number(text);
      if (!Number.isFinite(number)) return i18next.t('videos:validation.number');
      if (number < spec.min || number > spec.max) {
        return i18next.t('videos:validation.between', {
          min: plainNumber(spec.min),
          max: plainNumber(spec.max),
        });
      }
      return null;
    }
    case 'text':
      return text.length > spec.maxLength
        ? i18next.t('videos:validation.maxChars', { max: count.format(spec.maxLength) })
        : null;
  }
}

function optionWireValue(spec: VideoOptionSpec, value: OptionValue): unknown {
  if (spec.type === 'boolean') return value === true;
  const text = String(value).trim();
  if (text === '') return undefined;
  if (spec.type === 'integer' || spec.type === 'number') return Number(text);
  return text;
}

export type CreateDraft = {
  vendor: VideoVendor;
  model: string;
  prompt: string;
  values: OptionValues;
  imagePath?: string | undefined;
  imageTailPath?: string | undefined;
};

/** Maps a request path (`options.duration`, `imageTailPath`) to the form field that shows it. */
export function fieldForPath(path: string): string {
  if (path === 'imagePath') return 'image';
  if (path === 'imageTailPath') return 'imageTail';
  return path.startsWith('options.') ? path.slice('options.'.length) : path;
}

/**
 * The field a request refused by main points at, worded from the refusal's code when it has one, else with the
 * message less its leading path; null without a field.
 */
export function refusalProblems(
  error: Pick<AppError, 'field' | 'message' | 'input' | 'reason'>,
): FormProblems | null {
  if (!error.field) return null;
  const path = error.field;
  const field = fieldForPath(path);
  if (!field) return null;
  if (error.input) return { [field]: inputIssueText(error.input, i18next.t('plainErrors.input.thisField')) };
  if (error.reason) return { [field]: reasonText(error.reason, error.message) };
  return {
    [field]: error.message.startsWith(`${path} `) ? error.message.slice(path.length + 1) : error.message,
  };
}

/**
 * The request the form would send, checked before sending: each field against the model's spec, then the rules
 * that span fields or depend on the model (the same ones main applies).
 */
export function buildCreateRequest(
  draft: CreateDraft,
  vendor: VideoVendorSpec,
): { request: VideoCreateRequest; problems: null } | { request: null; problems: FormProblems } {
  const problems: FormProblems = {};
  const model = vendor.models.find((candidate) => candidate.id === draft.model);
  if (!model) problems.model = i18next.t('videos:validation.model');
  const prompt = draft.prompt.trim();
  if (prompt === '') problems.prompt = i18next.t('videos:validation.prompt');
  else if (prompt.length > vendor.promptMaxLength) {
    problems.prompt = i18next.t('videos:validation.promptTooLong', {
      vendor: vendor.label,
      max: count.format(vendor.promptMaxLength),
      length: count.format(prompt.length),
    });
  }
  if (draft.imagePath && !vendor.firstFrame)
    problems.image = i18next.t('videos:validation.noImage', { vendor: vendor.label });
  if (draft.imageTailPath && !vendor.lastFrame)
    problems.imageTail = i18next.t('videos:validation.noEndFrame', { vendor: vendor.label });

  const options: Record<string, unknown> = {};
  const labels: Record<string, string> = {};
  for (const spec of model ? visibleOptions(draft.vendor, model, Boolean(draft.imagePath)) : []) {
    labels[spec.key] = optionLabel(spec).name;
    const value = draft.values[spec.key] ?? defaultOptionValue(spec);
    const problem = optionProblem(spec, value);
    if (problem) {
      problems[spec.key] = problem;
      continue;
    }
    const wire = optionWireValue(spec, value);
    if (wire !== undefined) options[spec.key] = wire;
  }

  const candidate = {
    vendor: draft.vendor,
    model: draft.model,
    prompt,
    options,
    ...(draft.imagePath ? { imagePath: draft.imagePath } : {}),
    ...(draft.imageTailPath ? { imageTailPath: draft.imageTailPath } : {}),
  };
  for (const problem of videoCreateProblems(candidate)) {
    const field = fieldForPath(problem.field);
    problems[field] ??= i18next.t(`videos:validation.${problem.code}`);
  }
  if (Object.keys(problems).length > 0) return { request: null, problems };

  const parsed = videoCreateRequestSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const zodIssue of parsed.error.issues) {
      const issue = inputIssueOf(zodIssue, candidate);
      const field = fieldForPath(issue.field) || 'form';
      problems[field] ??= inputIssueText(issue, labels[field] ?? i18next.t('plainErrors.input.thisField'));
    }
    return { request: null, problems };
  }
  return { request: parsed.data, problems: null };
}
