/** How options, their values and a job's parameters read in the current language. */
import i18next from 'i18next';
import { english } from '../../../shared/locales';
import type { VideoVendor } from '../../../shared/videos/job';
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

/** Options whose numbers are seconds, whatever their label says. */
const secondsKeys: readonly string[] = ['seconds', 'duration', 'durationSeconds'];
/** Options where -1 asks the vendor for a random value. */
const randomSeedKeys: readonly string[] = ['seed'];

/** A vendor's own word for one of its option values (Kling's "pro" is its Professional mode), if it has one. */
function vendorValueText(vendor: VideoVendor, key: string, value: string): string | null {
  const perVendor = strings.paramValues;
  if (!hasKey(perVendor, vendor)) return null;
  const options: Record<string, Record<string, string>> = perVendor[vendor];
  return options[key] && Object.hasOwn(options[key], value)
    ? i18next.t(`videos:paramValues.${vendor}.${key}.${value}` as 'videos:paramValues.kling.mode.pro')
    : null;
}

/** A stored option value as a person reads it: per vendor where it has its own word, else by its kind. */
export function paramValueText(
  vendor: VideoVendor,
  key: string,
  value: unknown,
  unit: string | null,
): string {
  if (typeof value === 'boolean' || value === 'true' || value === 'false') {
    return value === true || value === 'true'
      ? i18next.t('videos:values.on')
      : i18next.t('videos:values.off');
  }
  if (typeof value !== 'string' && typeof value !== 'number') return JSON.stringify(value);
  const text = String(value);
  const own = vendorValueText(vendor, key, text);
  if (own) return own;
  if (/^-?\d+(\.\d+)?$/.test(text)) {
    const count = Number(text);
    if (randomSeedKeys.includes(key) && count === -1) return i18next.t('videos:paramValues.seedRandom');
    if (secondsKeys.includes(key)) return i18next.t('videos:paramValues.seconds', { count });
    return unit ? `${text} ${unit}` : text;
  }
  const ratio = /^(\d+):(\d+)$/.exec(text);
  if (ratio) {
    const [width, height] = [Number(ratio[1]), Number(ratio[2])];
    const shape = width > height ? 'landscape' : width < height ? 'portrait' : 'square';
    return i18next.t(`videos:paramValues.ratio.${shape}`, { ratio: text });
  }
  if (hasKey(strings.paramValues.resolution, text)) return i18next.t(`videos:paramValues.resolution.${text}`);
  return optionValueText(text);
}

/** The parameters of a job as label/value pairs, labelled like the form where the spec knows the key. */
export function paramRows(
  params: Record<string, unknown>,
  model: VideoModelSpec | undefined,
  vendor: VideoVendor,
): { key: string; label: string; value: string }[] {
  return Object.entries(params)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => {
      const spec = model?.options.find((option) => option.key === key);
      const { name, unit } = spec ? optionLabel(spec) : splitLabel(extraParamName(key));
      // The names main records (an image's file name) are shown as they are.
      const shown =
        typeof value === 'string' && hasKey(strings.extraParams, key)
          ? value
          : paramValueText(vendor, key, value, unit);
      return { key, label: name, value: shown };
    });
}
