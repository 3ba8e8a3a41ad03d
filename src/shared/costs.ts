/**
 * What things cost (issue 18): the price of each model, and the arithmetic from usage to US dollars. Pure, so the
 * CLI, main and the window compute the same figures.
 */
import { z } from 'zod';
import { type VideoVendor, videoVendorSchema } from './videos/job';

/** Dollars per unit are kept below this: a larger figure is a typo (a price per token typed as per 1M, say). */
export const MAX_PRICE = 100_000;

const rate = z
  .number({ error: 'must be a number' })
  .finite('must be a number')
  .min(0, 'must not be below 0')
  .max(MAX_PRICE, `must be at most ${MAX_PRICE}`);

const modelId = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(/^[\w.:/@-]+$/, 'may contain letters, digits and . : / @ _ - only');

/** `''` prices every resolution of the model; a resolution (Sora size, Seedance/Veo resolution, Kling mode) itself. */
const resolution = z
  .string()
  .trim()
  .max(40, 'must be at most 40 characters')
  .regex(/^[\w.:x-]*$/, 'may contain letters, digits and . : x _ - only');

/** Text models: US dollars per 1M tokens. Cached input falls back to the input price when not set. */
export const tokenPriceSchema = z
  .object({
    kind: z.literal('tokens'),
    model: modelId,
    inputPerMillion: rate,
    outputPerMillion: rate,
    cachedInputPerMillion: rate.nullable(),
  })
  .strict();

/** Transcription models: US dollars per minute of audio. */
export const audioPriceSchema = z
  .object({ kind: z.literal('audio'), model: modelId, perMinute: rate })
  .strict();

/** Video models: US dollars per second of video, per vendor and model, and per resolution where it differs. */
export const videoPriceSchema = z
  .object({
    kind: z.literal('video'),
    vendor: videoVendorSchema,
    model: modelId,
    resolution,
    perSecond: rate,
  })
  .strict();

export const priceSchema = z.discriminatedUnion('kind', [
  tokenPriceSchema,
  audioPriceSchema,
  videoPriceSchema,
]);
export type Price = z.infer<typeof priceSchema>;
export type TokenPrice = z.infer<typeof tokenPriceSchema>;
export type AudioPrice = z.infer<typeof audioPriceSchema>;
export type VideoPrice = z.infer<typeof videoPriceSchema>;
export type PriceKind = Price['kind'];
export const priceKinds = ['tokens', 'audio', 'video'] as const satisfies readonly PriceKind[];

/** Which row of the table a price fills: one per kind, vendor, model and resolution. */
export const priceKeySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tokens'), model: modelId }).strict(),
  z.object({ kind: z.literal('audio'), model: modelId }).strict(),
  z.object({ kind: z.literal('video'), vendor: videoVendorSchema, model: modelId, resolution }).strict(),
]);
export type PriceKey = z.infer<typeof priceKeySchema>;

export function priceKeyOf(price: Price | PriceKey): PriceKey {
  if (price.kind === 'video')
    return { kind: 'video', vendor: price.vendor, model: price.model, resolution: price.resolution };
  return { kind: price.kind, model: price.model };
}

/** One string per row, for maps and React keys. */
export function priceKeyText(key: PriceKey): string {
  return key.kind === 'video'
    ? `video\u0000${key.vendor}\u0000${key.model}\u0000${key.resolution}`
    : `${key.kind}\u0000${key.model}`;
}

/** A row of the price table: what applies now, the default (if the proxy publishes one), and whose it is. */
export const priceRowSchema = z.object({
  key: priceKeySchema,
  /** The price in force; null: no price set. */
  price: priceSchema.nullable(),
  /** The published default; null where the proxy publishes none. */
  defaultPrice: priceSchema.nullable(),
  /** `user`: set in Settings → Prices (reset returns to `defaultPrice`). */
  source: z.enum(['user', 'default', 'none']),
});
export type PriceRow = z.infer<typeof priceRowSchema>;

/**
 * The defaults. The proxy publishes no prices: no TikHub page read for docs/proxy-api.md shows one (§2.5: no cost
 * or balance field in any answer), and none of /work/shared/seeds lists any. So every model starts with no price
 * set rather than with an invented figure; a default added here names its source beside it.
 */
export const DEFAULT_PRICES: readonly Price[] = [];

/** The prices in force, looked up by row. */
export class PriceBook {
  private readonly byKey: Map<string, Price>;

  constructor(prices: readonly Price[]) {
    this.byKey = new Map(prices.map((price) => [priceKeyText(priceKeyOf(price)), price]));
  }

  tokens(model: string): TokenPrice | null {
    const price = this.byKey.get(priceKeyText({ kind: 'tokens', model }));
    return price?.kind === 'tokens' ? price : null;
  }

  audio(model: string): AudioPrice | null {
    const price = this.byKey.get(priceKeyText({ kind: 'audio', model }));
    return price?.kind === 'audio' ? price : null;
  }

  /** The resolution's own price, else the model's price for every resolution. */
  video(vendor: VideoVendor, model: string, resolution: string): VideoPrice | null {
    const own = this.byKey.get(priceKeyText({ kind: 'video', vendor, model, resolution }));
    const any = this.byKey.get(priceKeyText({ kind: 'video', vendor, model, resolution: '' }));
    const price = own ?? any;
    return price?.kind === 'video' ? price : null;
  }
}

/** The token counts a reply or a title request reports (docs/proxy-api.md §2.5). */
export interface TokenCounts {
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  cachedTokens?: number | undefined;
}

/**
 * US dollars for one request's tokens; null without a price. Cached tokens are counted inside input (as OpenAI,
 * DeepSeek and Gemini report them) and charged at the cached price; Claude's input excludes its cache reads, so
 * there the cached share can only be approximated this way.
 */
export function tokenCost(price: TokenPrice | null, counts: TokenCounts): number | null {
  if (!price) return null;
  const input = Math.max(0, counts.inputTokens ?? 0);
  const cached = Math.min(input, Math.max(0, counts.cachedTokens ?? 0));
  const output = Math.max(0, counts.outputTokens ?? 0);
  const cachedRate = price.cachedInputPerMillion ?? price.inputPerMillion;
  return (
    ((input - cached) * price.inputPerMillion + cached * cachedRate + output * price.outputPerMillion) / 1e6
  );
}

export function audioCost(price: AudioPrice | null, seconds: number): number | null {
  if (!price) return null;
  return (Math.max(0, seconds) / 60) * price.perMinute;
}

export function videoCost(price: VideoPrice | null, seconds: number): number | null {
  if (!price) return null;
  return Math.max(0, seconds) * price.perSecond;
}

/** Seconds a vendor makes when the request named none (docs/proxy-api.md §5). */
const DEFAULT_VIDEO_SECONDS: Record<VideoVendor, number> = { sora: 4, seedance: 5, kling: 5, veo: 8 };
const SECONDS_PARAM: Record<VideoVendor, string> = {
  sora: 'seconds',
  seedance: 'duration',
  kling: 'duration',
  veo: 'durationSeconds',
};
/** The option a vendor's price can differ by (docs/proxy-api.md §5): Sora's size, Kling's mode, else resolution. */
const RESOLUTION_PARAM: Record<VideoVendor, string> = {
  sora: 'size',
  seedance: 'resolution',
  kling: 'mode',
  veo: 'resolution',
};
/** The vendor's resolution when the request named none (vendor-specs.ts defaults; Seedance's is the vendor's). */
const DEFAULT_RESOLUTION: Record<VideoVendor, string> = {
  sora: '720x1280',
  seedance: '',
  kling: 'std',
  veo: '720p',
};

/** The seconds a job generates, from the options it was created with. */
export function videoSecondsOf(vendor: VideoVendor, params: Record<string, unknown>): number {
  const value = Number(params[SECONDS_PARAM[vendor]]);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_VIDEO_SECONDS[vendor];
}

/** The create option a vendor's price differs by: `size` (Sora), `mode` (Kling), else `resolution`. */
export function videoResolutionParam(vendor: VideoVendor): string {
  return RESOLUTION_PARAM[vendor];
}

export function videoResolutionOf(vendor: VideoVendor, params: Record<string, unknown>): string {
  const value = params[RESOLUTION_PARAM[vendor]];
  return typeof value === 'string' && value !== '' ? value : DEFAULT_RESOLUTION[vendor];
}

/** What a video made with these options costs (or will cost: the estimate before it is created). */
export function videoJobCost(
  book: PriceBook,
  vendor: VideoVendor,
  model: string,
  params: Record<string, unknown>,
): number | null {
  return videoCost(
    book.video(vendor, model, videoResolutionOf(vendor, params)),
    videoSecondsOf(vendor, params),
  );
}

/**
 * A sum of costs, some of which may have no price: `amount` over the priced items, `unpriced` how many had none.
 * The usage page shows both, so a partly priced total never passes for a whole one.
 */
export const costSumSchema = z.object({
  amount: z.number(),
  priced: z.number().int(),
  unpriced: z.number().int(),
});
export type CostSum = z.infer<typeof costSumSchema>;

export function emptyCostSum(): CostSum {
  return { amount: 0, priced: 0, unpriced: 0 };
}

export function addCost(sum: CostSum, cost: number | null): void {
  if (cost === null) sum.unpriced += 1;
  else {
    sum.amount += cost;
    sum.priced += 1;
  }
}

export function addCostSums(sum: CostSum, other: CostSum): void {
  sum.amount += other.amount;
  sum.priced += other.priced;
  sum.unpriced += other.unpriced;
}

/**
 * US dollars in the language's currency format ("$0.0123", "0,0123 US$"). Small sums keep more digits, so one cheap
 * reply does not read as $0.00.
 */
export function formatUsd(amount: number, locale: string): string {
  const digits = amount === 0 || amount >= 1 ? 2 : amount >= 0.01 ? 3 : amount >= 0.0001 ? 4 : 6;
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: amount === 0 ? 2 : Math.min(digits, 2),
    maximumFractionDigits: digits,
  }).format(amount);
}
