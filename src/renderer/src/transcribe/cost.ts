import i18next from 'i18next';
import { audioCost } from '../../../shared/costs';
import { costText, usePriceBook } from '../prices';

/**
 * A transcript's cost at the price of its model, for its line of facts; null without a price (the Usage page and
 * Settings → Prices say "no price set") or while the length is unknown.
 */
export function useAudioCost(model: string | undefined, seconds: number | null | undefined): string | null {
  const prices = usePriceBook();
  if (model === undefined || seconds === null || seconds === undefined || !prices) return null;
  const cost = audioCost(prices.audio(model), seconds);
  return cost === null ? null : i18next.t('transcribe:cost.value', { cost: costText(cost) });
}
