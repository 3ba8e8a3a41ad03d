/** Reading a price typed in Settings → Prices: what was typed, and what is wrong with it in words. */
import { MAX_PRICE, type Price, type PriceKey, type PriceKind, type PriceRow } from '../../../shared/costs';

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

/** The rate fields of each kind, in the order they are shown. */
export const rateFields = {
  tokens: ['input', 'output', 'cached'],
  audio: ['perMinute'],
  video: ['perSecond'],
} as const satisfies Record<PriceKind, readonly string[]>;
export type RateField = (typeof rateFields)[PriceKind][number];
export type Drafts = Partial<Record<RateField, string>>;
export type Problems = Partial<Record<RateField, RateProblem>>;

export function rateOf(price: Price | null, field: RateField): number | null {
  if (!price) return null;
  if (price.kind === 'tokens')
    return field === 'input'
      ? price.inputPerMillion
      : field === 'output'
        ? price.outputPerMillion
        : field === 'cached'
          ? price.cachedInputPerMillion
          : null;
  if (price.kind === 'audio') return field === 'perMinute' ? price.perMinute : null;
  return field === 'perSecond' ? price.perSecond : null;
}

/** The drafts' price for `key`, or the problem of each field that cannot be read. */
export function priceFrom(key: PriceKey, drafts: Drafts): { price: Price } | { problems: Problems } {
  const problems: Problems = {};
  const read = (field: RateField, optional = false): number | null => {
    const reading = readRate(drafts[field] ?? '', optional);
    if (reading.ok) return reading.value;
    problems[field] = reading.problem;
    return null;
  };
  if (key.kind === 'tokens') {
    const price: Price = {
      kind: 'tokens',
      model: key.model,
      inputPerMillion: read('input') ?? 0,
      outputPerMillion: read('output') ?? 0,
      cachedInputPerMillion: read('cached', true),
    };
    return Object.keys(problems).length > 0 ? { problems } : { price };
  }
  if (key.kind === 'audio') {
    const perMinute = read('perMinute') ?? 0;
    return Object.keys(problems).length > 0 ? { problems } : { price: { ...key, perMinute } };
  }
  const perSecond = read('perSecond') ?? 0;
  return Object.keys(problems).length > 0 ? { problems } : { price: { ...key, perSecond } };
}

export function draftsOf(row: PriceRow | null): Drafts {
  const price = row?.price ?? row?.defaultPrice ?? null;
  return {
    input: rateDraft(rateOf(price, 'input')),
    output: rateDraft(rateOf(price, 'output')),
    cached: rateDraft(rateOf(price, 'cached')),
    perMinute: rateDraft(rateOf(price, 'perMinute')),
    perSecond: rateDraft(rateOf(price, 'perSecond')),
  };
}
