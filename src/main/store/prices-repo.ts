import type { Price, PriceKey } from '../../shared/costs';
import { videoVendorSchema } from '../../shared/videos/job';
import type { Db } from './database';

interface PriceRecord {
  kind: Price['kind'];
  vendor: string;
  model: string;
  resolution: string;
  input_per_million: number | null;
  output_per_million: number | null;
  cached_input_per_million: number | null;
  per_minute: number | null;
  per_second: number | null;
}

/** The prices the user set; a row replaces the default of its kind, vendor, model and resolution. */
export class PricesRepo {
  constructor(private readonly db: Db) {}

  list(): Price[] {
    const rows = this.db
      .prepare('SELECT * FROM prices ORDER BY kind, vendor, model, resolution')
      .all() as PriceRecord[];
    return rows.flatMap((row) => {
      const price = priceOf(row);
      return price ? [price] : [];
    });
  }

  set(price: Price, now: number): void {
    const columns = columnsOf(price);
    this.db
      .prepare(
        `INSERT INTO prices (kind, vendor, model, resolution, input_per_million, output_per_million,
           cached_input_per_million, per_minute, per_second, updated_at)
         VALUES (@kind, @vendor, @model, @resolution, @input_per_million, @output_per_million,
           @cached_input_per_million, @per_minute, @per_second, @updated_at)
         ON CONFLICT (kind, vendor, model, resolution) DO UPDATE SET
           input_per_million = excluded.input_per_million, output_per_million = excluded.output_per_million,
           cached_input_per_million = excluded.cached_input_per_million, per_minute = excluded.per_minute,
           per_second = excluded.per_second, updated_at = excluded.updated_at`,
      )
      .run({ ...columns, updated_at: now });
  }

  /** True when the user had set this row. */
  remove(key: PriceKey): boolean {
    const { kind, vendor, model, resolution } = keyColumns(key);
    return (
      this.db
        .prepare('DELETE FROM prices WHERE kind = ? AND vendor = ? AND model = ? AND resolution = ?')
        .run(kind, vendor, model, resolution).changes > 0
    );
  }
}

function keyColumns(key: PriceKey): {
  kind: Price['kind'];
  vendor: string;
  model: string;
  resolution: string;
} {
  return key.kind === 'video'
    ? { kind: 'video', vendor: key.vendor, model: key.model, resolution: key.resolution }
    : { kind: key.kind, vendor: '', model: key.model, resolution: '' };
}

function columnsOf(price: Price): PriceRecord {
  return {
    ...keyColumns(price),
    input_per_million: price.kind === 'tokens' ? price.inputPerMillion : null,
    output_per_million: price.kind === 'tokens' ? price.outputPerMillion : null,
    cached_input_per_million: price.kind === 'tokens' ? price.cachedInputPerMillion : null,
    per_minute: price.kind === 'audio' ? price.perMinute : null,
    per_second: price.kind === 'video' ? price.perSecond : null,
  };
}

/** A stored row as a price; null for a row no schema of this version reads (written by a later one). */
function priceOf(row: PriceRecord): Price | null {
  if (row.kind === 'tokens' && row.input_per_million !== null && row.output_per_million !== null)
    return {
      kind: 'tokens',
      model: row.model,
      inputPerMillion: row.input_per_million,
      outputPerMillion: row.output_per_million,
      cachedInputPerMillion: row.cached_input_per_million,
    };
  if (row.kind === 'audio' && row.per_minute !== null)
    return { kind: 'audio', model: row.model, perMinute: row.per_minute };
  const vendor = videoVendorSchema.safeParse(row.vendor);
  if (row.kind === 'video' && row.per_second !== null && vendor.success)
    return {
      kind: 'video',
      vendor: vendor.data,
      model: row.model,
      resolution: row.resolution,
      perSecond: row.per_second,
    };
  return null;
}
