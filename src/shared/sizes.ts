/**
 * Byte sizes as text, one rule for the window and main: binary steps (1 KB = 1024 bytes, as file managers count),
 * whole bytes, one decimal for KB and MB, two for GB and TB.
 */
export type SizeUnit = 'B' | 'KB' | 'MB' | 'GB' | 'TB';

const steps: readonly { unit: SizeUnit; digits: number }[] = [
  { unit: 'B', digits: 0 },
  { unit: 'KB', digits: 1 },
  { unit: 'MB', digits: 1 },
  { unit: 'GB', digits: 2 },
  { unit: 'TB', digits: 2 },
];

export function sizeParts(bytes: number): { unit: SizeUnit; value: number; digits: number } {
  let value = bytes;
  let step = 0;
  while (value >= 1024 && step < steps.length - 1) {
    value /= 1024;
    step += 1;
  }
  const { unit, digits } = steps[step] ?? { unit: 'B', digits: 0 };
  return { unit, value, digits };
}

export type SizeFormat = {
  /** The language whose decimal mark is used; English when absent. */
  language?: string;
  /**
   * `keep` shows zero decimals ("25.0 MB"): main's sentences set two sizes side by side and keep them alike.
   * `drop` (the window) shows "25 MB" and "58.2 MB".
   */
  zeros?: 'keep' | 'drop';
};

/** "512 B", "812.4 KB", "58.2 MB", "1.25 GB". */
export function formatBytes(bytes: number, { language = 'en', zeros = 'drop' }: SizeFormat = {}): string {
  const { unit, value, digits } = sizeParts(bytes);
  const number = value.toLocaleString(language, {
    minimumFractionDigits: zeros === 'keep' ? digits : 0,
    maximumFractionDigits: digits,
    useGrouping: false,
  });
  return `${number} ${unit}`;
}
