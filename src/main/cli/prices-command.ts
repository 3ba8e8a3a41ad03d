import type { PriceRow } from '../../shared/costs';
import { HubError } from '../base/errors';
import type { Core } from '../core';

/** `hubdesk prices [--all]`: the prices in force (Settings → Prices); every known row with --all. */
export function pricesCommand(
  core: Core,
  sub: string | undefined,
  options: { json: boolean; all: boolean; print: (value: unknown, text: string) => void },
): number {
  if (sub !== undefined && sub !== 'list')
    throw new HubError({
      kind: 'invalid_input',
      message: `Unknown prices command "${sub}". Try: hubdesk prices list, or set prices in Settings → Prices.`,
    });
  const rows = core.costs.state().rows.filter((row) => options.all || row.price !== null);
  const text =
    rows.length === 0
      ? 'No prices are set. The proxy publishes none: set them in Settings → Prices (hubdesk prices --all lists every model).'
      : rows.map(priceLine).join('\n');
  options.print({ rows }, text);
  return 0;
}

function priceLine(row: PriceRow): string {
  const key = row.key;
  const name =
    key.kind === 'video' ? `${key.vendor} ${key.model} ${key.resolution || 'any resolution'}` : key.model;
  const source = row.source === 'user' ? ' (yours)' : row.source === 'default' ? ' (default)' : '';
  const price = row.price;
  if (!price) return `${key.kind.padEnd(6)} ${name}  no price set`;
  if (price.kind === 'tokens') {
    const cached =
      price.cachedInputPerMillion === null ? '' : `, cached input $${price.cachedInputPerMillion}`;
    return `tokens ${name}  $${price.inputPerMillion} in, $${price.outputPerMillion} out per 1M tokens${cached}${source}`;
  }
  if (price.kind === 'audio') return `audio  ${name}  $${price.perMinute} per minute${source}`;
  return `video  ${name}  $${price.perSecond} per second${source}`;
}
