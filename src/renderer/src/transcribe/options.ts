import i18next from 'i18next';
import {
  type ModelCapability,
  type TranscriptionModel,
  type TranscriptionOptionsInput,
  transcriptionModels,
} from '../../../shared/transcription';

/** The options form as typed: the language as written, temperature 0 meaning "let the model choose". */
export type OptionsDraft = {
  model: TranscriptionModel;
  language: string;
  prompt: string;
  temperature: number;
  keepCopy: boolean;
};

export const defaultDraft: OptionsDraft = {
  model: 'whisper-1',
  language: '',
  prompt: '',
  temperature: 0,
  keepCopy: false,
};

const STORAGE_KEY = 'hubdesk.transcribe.options';

/** Common ISO-639-1 codes offered as suggestions; any two-letter code is accepted. */
const commonLanguageCodes = [
  'en',
  'zh',
  'es',
  'fr',
  'de',
  'ja',
  'ko',
  'pt',
  'ru',
  'it',
  'ar',
  'hi',
  'nl',
  'tr',
  'pl',
  'uk',
  'vi',
  'id',
] as const;

/** The suggested codes with their names in the UI language. */
export function commonLanguages(): [string, string][] {
  return commonLanguageCodes.map((code) => [code, i18next.t(`transcribe:languages.${code}`)]);
}

/** Why the language field cannot be used, or null when it is empty (detect) or a two-letter code. */
export function languageProblem(language: string): string | null {
  const value = language.trim();
  if (!value || /^[a-z]{2}$/i.test(value)) return null;
  return i18next.t('transcribe:options.languageProblem');
}

/** What a model with no trade-offs gives, from its capabilities, in the UI language ('' when nothing). */
export function modelGains(model: ModelCapability): string {
  const words = model.segmentTimestamps && model.wordTimestamps;
  if (model.detectsLanguage) {
    if (words) return i18next.t('transcribe:options.gains.wordsAndLanguage');
    if (model.segmentTimestamps) return i18next.t('transcribe:options.gains.segmentsAndLanguage');
    return i18next.t('transcribe:options.gains.language');
  }
  if (words) return i18next.t('transcribe:options.gains.words');
  if (model.segmentTimestamps) return i18next.t('transcribe:options.gains.segments');
  return '';
}

/** What choosing the model gives up, one sentence each, in the UI language. */
export function modelGivesUp(model: ModelCapability): string[] {
  return model.givesUp.map((code) => i18next.t(`transcribe:givesUp.${code}`));
}

/** The options `transcription.add` takes, leaving out what is empty. */
export function toRequestOptions(draft: OptionsDraft): TranscriptionOptionsInput {
  const options: TranscriptionOptionsInput = { model: draft.model, keepCopy: draft.keepCopy };
  const language = draft.language.trim().toLowerCase();
  if (language) options.language = language;
  const prompt = draft.prompt.trim();
  if (prompt) options.prompt = prompt;
  if (draft.temperature > 0) options.temperature = Math.min(1, draft.temperature);
  return options;
}

/** Reads stored options back, keeping only values that still make sense. */
export function parseDraft(stored: string | null): OptionsDraft {
  if (!stored) return { ...defaultDraft };
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return { ...defaultDraft };
  }
  if (typeof value !== 'object' || value === null) return { ...defaultDraft };
  const record = value as Record<string, unknown>;
  const model = (transcriptionModels as readonly unknown[]).includes(record.model)
    ? (record.model as TranscriptionModel)
    : defaultDraft.model;
  const temperature =
    typeof record.temperature === 'number' && record.temperature >= 0 && record.temperature <= 1
      ? record.temperature
      : 0;
  return {
    model,
    language: typeof record.language === 'string' ? record.language.slice(0, 20) : '',
    prompt: typeof record.prompt === 'string' ? record.prompt.slice(0, 2000) : '',
    temperature,
    keepCopy: record.keepCopy === true,
  };
}

export function loadDraft(): OptionsDraft {
  try {
    return parseDraft(localStorage.getItem(STORAGE_KEY));
  } catch {
    return { ...defaultDraft };
  }
}

export function saveDraft(draft: OptionsDraft): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(draft));
  } catch {
    // Storage can be unavailable; remembering the options is only a convenience.
  }
}
