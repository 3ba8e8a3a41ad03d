/** Reading a price typed in Settings → Prices: what was typed, and what is wrong with it in words. */
import { MAX_PRICE } from '../../../shared/costs';

export type RateProblem = 'empty' | 'notNumber' | 'negative' | 'tooLarge';
export type RateReading = { ok: true; value: number | null } | { ok: false; problem: RateProblem };

/**
 * A rate in US dollars: "2.5", "2,5" (a decimal comma), "$2.50", "1 000". Empty is null where the field may be
 * left out (cached input), else a problem.
 */
export function readRate(text: string, optional = false): RateReading {
  let cleaned = text.replace(/[\s\u00a0$]|US/g, '');
  if (cleaned === '') return optional ? { ok: true, value: null } : { ok: false, problem: 'empty' };
  if (!cleaned.includes('.') && /^-?\d*,\d+$/.test(cleaned)) cleaned = cleaned.replace(',', '.');
  else cleaned = cleaned.replace(/,(?=\d{3}(\D|$))/g, '');
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(cleaned)) return { ok: false, problem: 'notNumber' };
  const value = Number(cleaned);
  if (!Number.isFinite(value)) return { ok: false, problem: 'notNumber' };
  if (value < 0) return { ok: false, problem: 'negative' };
  if (value > MAX_PRICE) return { ok: false, problem: 'tooLarge' };
  return { ok: true, value };
}

/** A stored rate as the field shows it for editing: plain digits, no grouping ("2.5"; "" for none). */
export function rateDraft(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}
