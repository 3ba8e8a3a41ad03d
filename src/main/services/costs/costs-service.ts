import {
  DEFAULT_PRICES,
  type Price,
  PriceBook,
  type PriceKey,
  type PriceRow,
  priceKeyOf,
  priceKeyText,
} from '../../../shared/costs';
import type { PricesState } from '../../../shared/costs-channels';
import { transcriptionModels } from '../../../shared/transcription';
import { videoVendorSpecs } from '../../../shared/videos/vendor-specs';
import type { PricesRepo } from '../../store/prices-repo';
import type { EventBus } from '../event-bus';

export interface CostsServiceDeps {
  prices: PricesRepo;
  bus: EventBus;
  /** The text models the chat offers (catalogue and the user's own), each a row of the table. */
  textModels: () => readonly string[];
  defaults?: readonly Price[];
  now?: () => number;
}

/** The price table: the published defaults, the user's own prices over them, and every known model's row. */
export class CostsService {
  constructor(private readonly deps: CostsServiceDeps) {}

  state(): PricesState {
    const defaults = new Map(this.defaults().map((price) => [priceKeyText(priceKeyOf(price)), price]));
    const own = new Map(this.deps.prices.list().map((price) => [priceKeyText(priceKeyOf(price)), price]));
    const keys = new Map<string, PriceKey>();
    for (const key of [...this.knownKeys(), ...[...defaults.values(), ...own.values()].map(priceKeyOf)])
      keys.set(priceKeyText(key), key);
    const rows = [...keys.entries()].map(([text, key]): PriceRow => {
      const defaultPrice = defaults.get(text) ?? null;
      const userPrice = own.get(text) ?? null;
      return {
        key,
        price: userPrice ?? defaultPrice,
        defaultPrice,
        source: userPrice ? 'user' : defaultPrice ? 'default' : 'none',
      };
    });
    const known = new Map(this.knownKeys().map((key, index) => [modelOf(key), index]));
    const rank = (key: PriceKey) => known.get(modelOf(key)) ?? Number.MAX_SAFE_INTEGER;
    const order = { tokens: 0, audio: 1, video: 2 } as const;
    rows.sort(
      (a, b) =>
        order[a.key.kind] - order[b.key.kind] || rank(a.key) - rank(b.key) || compareKeys(a.key, b.key),
    );
    return { rows };
  }

  /** The prices in force: the user's over the defaults. */
  book(): PriceBook {
    return new PriceBook(this.state().rows.flatMap((row) => (row.price ? [row.price] : [])));
  }

  set(price: Price): PricesState {
    this.deps.prices.set(price, (this.deps.now ?? Date.now)());
    return this.changed();
  }

  reset(key: PriceKey): PricesState {
    this.deps.prices.remove(key);
    return this.changed();
  }

  private changed(): PricesState {
    const state = this.state();
    this.deps.bus.emit('prices.changed', state);
    return state;
  }

  private defaults(): readonly Price[] {
    return this.deps.defaults ?? DEFAULT_PRICES;
  }

  private knownKeys(): PriceKey[] {
    return [
      ...this.deps.textModels().map((model): PriceKey => ({ kind: 'tokens', model })),
      ...transcriptionModels.map((model): PriceKey => ({ kind: 'audio', model })),
      ...videoVendorSpecs.flatMap((spec) =>
        spec.models.map(
          (model): PriceKey => ({ kind: 'video', vendor: spec.vendor, model: model.id, resolution: '' }),
        ),
      ),
    ];
  }
}

/** The row's model, whatever its resolution. */
function modelOf(key: PriceKey): string {
  return key.kind === 'video'
    ? `video\u0000${key.vendor}\u0000${key.model}`
    : `${key.kind}\u0000${key.model}`;
}

/** By model, then resolution; a model's price for every resolution before its own resolutions'. */
function compareKeys(a: PriceKey, b: PriceKey): number {
  const vendor = (key: PriceKey) => (key.kind === 'video' ? key.vendor : '');
  const resolution = (key: PriceKey) => (key.kind === 'video' ? key.resolution : '');
  return (
    vendor(a).localeCompare(vendor(b)) ||
    a.model.localeCompare(b.model) ||
    resolution(a).localeCompare(resolution(b), undefined, { numeric: true })
  );
}
