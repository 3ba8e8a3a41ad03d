/** How options, their values and a job's parameters read in the current language. */
import i18next from 'i18next';
import { english } from '../../../shared/locales';
import type { VideoModelSpec, VideoOptionSpec } from '../../../shared/videos/vendor-specs';

const strings = english.videos;

/** Whether the English strings have this key, so a key built from data (an option id, a value) can be typed. */
function hasKey<T extends object>(tree: T, key: string): key is Extract<keyof T, string> {
  return Object.hasOwn(tree, key);
}

/** A label without its unit ("Duration (s)" → "Duration", "s"), so the field's name reads plainly. */
export function splitLabel(label: string): { name: string; unit: string | null } {
  const match = /^(.*?)\s*\(([^)]+)\)$/.exec(label);
  if (!match?.[1] || !match[2]) return { name: label, unit: null };
  return { name: match[1], unit: match[2] };
}

/** A unit as the current language writes it ("s" → "秒"); unknown units as they are. */
export function unitText(unit: string): string {
  return hasKey(strings.units, unit) ? i18next.t(`videos:units.${unit}`) : unit;
}

/** An option's name and unit in the current language, keyed by its id; the spec's own label otherwise. */
export function optionLabel(spec: VideoOptionSpec): { name: string; unit: string | null } {
  const { name, unit } = splitLabel(spec.label);
  return {
    name: hasKey(strings.params, spec.key) ? i18next.t(`videos:params.${spec.key}`) : name,
    unit: unit === null ? null : unitText(unit),
  };
}

/** An enum value as the form shows it: a size with its shape, a known word translated, else the value. */
export function optionValueText(value: string): string {
  const match = /^(\d+)x(\d+)$/.exec(value);
  if (match) {
    const [width, height] = [Number(match[1]), Number(match[2])];
    const shape = width > height ? 'landscape' : width < height ? 'portrait' : 'square';
    return i18next.t(`videos:size.${shape}`, { width, height });
  }
  return hasKey(strings.values, value) ? i18next.t(`videos:values.${value}`) : value;
}

/** Option keys as words: `durationSeconds` → "Duration seconds". */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A parameter the model's spec does not describe (the image names main records…), as words. */
function extraParamName(key: string): string {
  return hasKey(strings.extraParams, key) ? i18next.t(`videos:extraParams.${key}`) : humanizeKey(key);
}

/** The parameters of a job as label/value pairs, labelled like the form where the spec knows the key. */
export function paramRows(
  params: Record<string, unknown>,
  model: VideoModelSpec | undefined,
): { key: string; label: string; value: string }[] {
  return Object.entries(params)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => {
      const spec = model?.options.find((option) => option.key === key);
      const { name, unit } = spec ? optionLabel(spec) : splitLabel(extraParamName(key));
      const text =
        typeof value === 'boolean'
          ? value
            ? i18next.t('videos:values.on')
            : i18next.t('videos:values.off')
          : typeof value === 'string' || typeof value === 'number'
            ? String(value)
            : JSON.stringify(value);
      return { key, label: name, value: unit && /^-?\d+(\.\d+)?$/.test(text) ? `${text} ${unit}` : text };
    });
}
